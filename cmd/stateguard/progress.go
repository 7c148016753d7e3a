package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

// A progress shows, on a terminal, how far the analysis is: one line on
// stderr, redrawn in place and erased before anything else is printed.
// It shows nothing when stderr is not a terminal (a pipe, a file, CI
// logs) or when the findings go to stdout as JSON or SARIF.
type progress struct {
	w    io.Writer
	live bool

	mu       sync.Mutex
	t0       time.Time
	units    int             // units analyzed (or replayed from go vet's cache)
	roots    map[string]bool // named packages analyzed
	named    int             // how many packages the patterns name, or 0 if unknown
	shown    bool            // the line is on the screen
	lastDraw time.Time
	done     chan struct{}
	wg       sync.WaitGroup
}

// newProgress returns the progress of a run whose messages go to stderr.
func newProgress(stderr io.Writer, opts *options) *progress {
	return &progress{w: stderr, live: showProgress(stderr, opts, os.Getenv("TERM"))}
}

// showProgress reports whether progress goes to w: only when w is a
// terminal, never with -json or -sarif on stdout (the output is data).
func showProgress(w io.Writer, opts *options, term string) bool {
	if opts.json || opts.sarif.toStdout() || term == "dumb" {
		return false
	}
	f, ok := w.(*os.File)
	return ok && isTerminal(f.Fd())
}

// start begins showing progress of the analysis of patterns.
func (p *progress) start(patterns []string) {
	if !p.live {
		return
	}
	p.t0 = time.Now()
	p.roots = map[string]bool{}
	p.done = make(chan struct{})
	p.wg.Add(2)
	go func() {
		// How many packages the patterns name, without loading their
		// dependencies (-find is quick).
		defer p.wg.Done()
		if len(patterns) == 0 {
			return
		}
		out, err := exec.Command("go", append([]string{"list", "-e", "-find", "-f", "{{.ImportPath}}", "--"}, patterns...)...).Output()
		if err == nil {
			p.mu.Lock()
			p.named = strings.Count(string(out), "\n")
			p.mu.Unlock()
		}
	}()
	go func() {
		defer p.wg.Done()
		tick := time.NewTicker(250 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-p.done:
				return
			case <-tick.C:
				p.mu.Lock()
				p.draw(true)
				p.mu.Unlock()
			}
		}
	}()
}

// unit counts one unit of go vet's work.
func (p *progress) unit(rec *unitRecord) {
	if !p.live {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.units++
	if !rec.VetxOnly {
		pkg := rec.Path
		if rec.XTest {
			pkg = strings.TrimSuffix(pkg, "_test")
		}
		p.roots[pkg] = true
	}
	p.draw(false)
}

// note prints text (lines of the go command) above the progress line.
func (p *progress) note(text string) {
	if text == "" {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.clear()
	io.WriteString(p.w, text)
	if !strings.HasSuffix(text, "\n") {
		io.WriteString(p.w, "\n")
	}
	if p.live {
		p.draw(true)
	}
}

// stop erases the progress line for good.
func (p *progress) stop() {
	if !p.live {
		return
	}
	close(p.done)
	p.mu.Lock()
	p.clear()
	p.live = false
	p.mu.Unlock()
	p.wg.Wait()
}

// draw redraws the line, at most every 100ms unless force. p.mu is held.
func (p *progress) draw(force bool) {
	if !p.live || (!force && time.Since(p.lastDraw) < 100*time.Millisecond) {
		return
	}
	p.lastDraw = time.Now()
	fmt.Fprintf(p.w, "\r\x1b[K%s", p.line())
	p.shown = true
}

// line is what the progress line says. p.mu is held.
func (p *progress) line() string {
	secs := int(time.Since(p.t0).Seconds())
	if p.units == 0 {
		return fmt.Sprintf("stateguard: loading packages (%ds)", secs)
	}
	named := fmt.Sprintf("%d", len(p.roots))
	if p.named > 0 {
		named = fmt.Sprintf("%d of %d", min(len(p.roots), p.named), p.named)
	}
	noun := "packages"
	if p.units == 1 {
		noun = "package"
	}
	return fmt.Sprintf("stateguard: %d %s analyzed, %s named (%ds)", p.units, noun, named, secs)
}

// clear erases the line if it is shown. p.mu is held.
func (p *progress) clear() {
	if p.shown {
		io.WriteString(p.w, "\r\x1b[K")
		p.shown = false
	}
}
