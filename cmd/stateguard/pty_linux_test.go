package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"

	"github.com/stateguard/stateguard/internal/drivertest"
)

// openPTY opens a pseudo-terminal pair through /dev/ptmx.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		m.Close()
		t.Skipf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		m.Close()
		t.Skipf("ptsname: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		m.Close()
		t.Skipf("open pts: %v", err)
	}
	return m, s
}

func TestShowProgressTerminal(t *testing.T) {
	m, s := openPTY(t)
	defer m.Close()
	defer s.Close()
	if !showProgress(s, &options{}, "xterm") {
		t.Error("no progress on a terminal")
	}
	if showProgress(s, &options{json: true}, "xterm") {
		t.Error("progress with -json")
	}
	if showProgress(s, &options{sarif: sarifFlag{set: true}}, "xterm") {
		t.Error("progress with -sarif on stdout")
	}
	if !showProgress(s, &options{sarif: sarifFlag{set: true, path: "out.sarif"}}, "xterm") {
		t.Error("no progress with -sarif=FILE, whose findings are printed as text")
	}
	if showProgress(s, &options{}, "dumb") {
		t.Error("progress on TERM=dumb")
	}
}

// runOnTerminal runs the command with stderr on a terminal and returns its
// stdout and what the terminal showed.
func runOnTerminal(t *testing.T, dir string, args ...string) (stdout, term string) {
	t.Helper()
	m, s := openPTY(t)
	defer m.Close()
	cmd := exec.Command(drivertest.Stateguard(t), args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "TERM=xterm")
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, s
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	s.Close()
	shown := make(chan string)
	go func() {
		data, _ := io.ReadAll(m) // EIO once the command has exited
		shown <- string(data)
	}()
	cmd.Wait()
	return out.String(), <-shown
}

// On a terminal the standalone command shows its progress and erases it;
// the findings and the JSON are as without it.
func TestProgressOnTerminal(t *testing.T) {
	corpus := drivertest.Corpus(t)
	stdout, term := runOnTerminal(t, corpus, "./orders")
	if !strings.Contains(term, " analyzed, ") || !strings.Contains(term, "ineffective-guard: ") {
		t.Errorf("text on a terminal: want progress and the findings:\n%q", term)
	}
	if stdout != "" {
		t.Errorf("stdout: %q", stdout)
	}
	for line := range strings.Lines(strings.ReplaceAll(term, "\r\x1b[K", "\n")) {
		if strings.Contains(line, " analyzed, ") && strings.Contains(line, ": ineffective-guard") {
			t.Errorf("a finding printed on the progress line: %q", line)
		}
	}

	stdout, term = runOnTerminal(t, corpus, "-json", "./orders")
	if strings.Contains(term, " analyzed, ") || strings.Contains(stdout, " analyzed, ") || strings.Contains(stdout, "\x1b") {
		t.Errorf("-json: progress shown:\nstdout %q\nterminal %q", stdout, term)
	}
	if got := drivertest.ParseJSON(t, corpus, stdout); len(got) == 0 {
		t.Errorf("-json on a terminal: no findings in %q", stdout)
	}
}
