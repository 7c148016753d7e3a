package main

import (
	"bytes"
	"io"
	"os"
	"strings"
	"testing"
)

// Progress goes to a terminal only: never to a pipe or a file, never with
// -json or -sarif on stdout, never to TERM=dumb.
func TestShowProgressNotTerminal(t *testing.T) {
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	f, err := os.Create(t.TempDir() + "/stderr")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	for _, out := range []io.Writer{w, f, &bytes.Buffer{}} {
		if showProgress(out, &options{}, "xterm") {
			t.Errorf("progress shown on %T, which is not a terminal", out)
		}
	}
}

// A progress that is not live prints nothing but the notes it is given.
func TestProgressOff(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{w: &buf}
	p.start([]string{"./..."})
	p.unit(&unitRecord{Path: "example.com/p"})
	p.note("go: downloading example.com/m v1.0.0\n")
	p.stop()
	if got := buf.String(); got != "go: downloading example.com/m v1.0.0\n" {
		t.Errorf("printed %q, want the note alone", got)
	}
}

// A live progress counts the units and the named packages, and erases
// its line before a note and when it stops.
func TestProgressLive(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{w: &buf, live: true}
	p.start(nil) // no patterns: no count of the named packages
	p.unit(&unitRecord{Path: "example.com/dep", VetxOnly: true})
	p.unit(&unitRecord{Path: "example.com/p"})
	p.unit(&unitRecord{Path: "example.com/p_test", XTest: true})
	p.mu.Lock()
	line := p.line()
	p.mu.Unlock()
	if !strings.Contains(line, "3 packages analyzed, 1 named") {
		t.Errorf("line %q, want 3 units and 1 named package (p and p_test are one)", line)
	}
	p.note("note\n")
	p.stop()
	out := buf.String()
	if !strings.Contains(out, "\r\x1b[Knote\n") || !strings.HasSuffix(out, "\r\x1b[K") {
		t.Errorf("output %q: want the line erased before the note and at the end", out)
	}
}
