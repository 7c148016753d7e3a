package main_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stateguard/stateguard/internal/check"
	"github.com/stateguard/stateguard/internal/drivertest"
)

// The corpus packages whose findings are reported by default (gen holds
// generated code).
var defaultDirs = []string{"orders", "billing/repo", "billing/invoices", "nolint", "ignores", "clean"}

func TestText(t *testing.T) {
	corpus := drivertest.Corpus(t)
	res := drivertest.Run(t, corpus, nil, drivertest.Stateguard(t), "./...")
	if res.Exit != 3 {
		t.Errorf("exit status %d, want 3 (findings)\n%s", res.Exit, res.Stderr)
	}
	if res.Stdout != "" {
		t.Errorf("text findings go to stderr; stdout has:\n%s", res.Stdout)
	}
	got, other := drivertest.ParseText(t, corpus, res.Stderr)
	if len(other) > 0 {
		t.Errorf("lines that are not findings:\n%s", strings.Join(other, "\n"))
	}
	if d := drivertest.Diff(got, drivertest.Want(t, corpus, defaultDirs...)); d != "" {
		t.Errorf("findings differ from the corpus annotations:\n%s", d)
	}
}

func TestJSON(t *testing.T) {
	corpus := drivertest.Corpus(t)
	res := drivertest.Run(t, corpus, nil, drivertest.Stateguard(t), "-json", "./...")
	if res.Exit != 0 {
		t.Errorf("exit status %d, want 0: with -json findings are data\n%s", res.Exit, res.Stderr)
	}
	got := drivertest.ParseJSON(t, corpus, res.Stdout)
	if d := drivertest.Diff(got, drivertest.Want(t, corpus, defaultDirs...)); d != "" {
		t.Errorf("findings differ from the corpus annotations:\n%s", d)
	}
}

func TestClean(t *testing.T) {
	corpus := drivertest.Corpus(t)
	res := drivertest.Run(t, corpus, nil, drivertest.Stateguard(t), "./clean")
	if res.Exit != 0 || res.Stdout != "" || res.Stderr != "" {
		t.Errorf("over clean code: exit %d, stdout %q, stderr %q; want 0 and nothing printed", res.Exit, res.Stdout, res.Stderr)
	}
}

func TestGenerated(t *testing.T) {
	corpus := drivertest.Corpus(t)
	bin := drivertest.Stateguard(t)
	res := drivertest.Run(t, corpus, nil, bin, "./gen")
	if res.Exit != 0 || res.Stderr != "" {
		t.Errorf("generated files are skipped by default, but: exit %d\n%s", res.Exit, res.Stderr)
	}
	res = drivertest.Run(t, corpus, nil, bin, "-generated", "./gen")
	got, _ := drivertest.ParseText(t, corpus, res.Stderr)
	want := drivertest.Want(t, corpus, "gen")
	if len(want) == 0 {
		t.Fatal("the corpus has no findings in generated code")
	}
	if d := drivertest.Diff(got, want); d != "" || res.Exit != 3 {
		t.Errorf("-generated: exit %d, findings differ from the annotations:\n%s", res.Exit, d)
	}
}

func TestChecksFlag(t *testing.T) {
	corpus := drivertest.Corpus(t)
	bin := drivertest.Stateguard(t)
	off := []string{check.ReentrantGuard, check.Directive}
	res := drivertest.Run(t, corpus, nil, bin, "-checks=all,-"+strings.Join(off, ",-"), "./orders")
	got, _ := drivertest.ParseText(t, corpus, res.Stderr)
	want := drivertest.Filter(drivertest.Want(t, corpus, "orders"), func(f drivertest.Finding) bool {
		return !slices.Contains(off, f.Category)
	})
	if d := drivertest.Diff(got, want); d != "" {
		t.Errorf("-checks switching off %v:\n%s", off, d)
	}

	res = drivertest.Run(t, corpus, nil, bin, "-checks=ineffective-gaurd", "./orders")
	if res.Exit != 2 || !strings.Contains(res.Stderr, `unknown check "ineffective-gaurd"`) {
		t.Errorf("-checks with an unknown name: exit %d, want 2 and an error naming it:\n%s", res.Exit, res.Stderr)
	}
}

func TestUsage(t *testing.T) {
	bin := drivertest.Stateguard(t)
	res := drivertest.Run(t, t.TempDir(), nil, bin)
	if res.Exit != 2 || !strings.Contains(res.Stderr, "Usage:") {
		t.Errorf("no arguments: exit %d, want 2 and usage:\n%s", res.Exit, res.Stderr)
	}
	res = drivertest.Run(t, t.TempDir(), nil, bin, "-json", "-sarif", "./...")
	if res.Exit != 2 {
		t.Errorf("-json with -sarif: exit %d, want 2", res.Exit)
	}
}

// Code that does not type-check is an error (exit 1) with the compiler's
// message, never a panic or silence.
func TestBrokenCode(t *testing.T) {
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), "module example.com/broken\n\ngo 1.26.0\n")
	write(t, filepath.Join(dir, "b.go"), "package broken\n\nfunc F() int { return \"x\" }\n")
	res := drivertest.Run(t, dir, nil, drivertest.Stateguard(t), "./...")
	if res.Exit != 1 || !strings.Contains(res.Stderr, "b.go:3:") || strings.Contains(res.Stderr, "panic") {
		t.Errorf("over broken code: exit %d, want 1 and the type error:\n%s", res.Exit, res.Stderr)
	}
	res = drivertest.Run(t, dir, nil, drivertest.Stateguard(t), "./nosuchdir")
	if res.Exit != 1 {
		t.Errorf("over a missing package: exit %d, want 1:\n%s", res.Exit, res.Stderr)
	}
}

func TestVet(t *testing.T) {
	corpus := drivertest.Corpus(t)
	bin := drivertest.Stateguard(t)
	vettool := "-vettool=" + bin

	res := drivertest.Run(t, corpus, nil, "go", "vet", vettool, "./...")
	if res.Exit == 0 {
		t.Errorf("go vet over findings: exit 0, want non-zero")
	}
	got, _ := drivertest.ParseText(t, corpus, res.Stderr)
	if d := drivertest.Diff(got, drivertest.Want(t, corpus, defaultDirs...)); d != "" {
		t.Errorf("go vet findings differ from the corpus annotations:\n%s\n%s", d, res.Stderr)
	}

	res = drivertest.Run(t, corpus, nil, "go", "vet", vettool, "./clean")
	if res.Exit != 0 || strings.TrimSpace(res.Stderr) != "" {
		t.Errorf("go vet over clean code: exit %d, want 0:\n%s", res.Exit, res.Stderr)
	}

	res = drivertest.Run(t, corpus, nil, "go", "vet", vettool, "-json", "./...")
	got = drivertest.ParseJSON(t, corpus, res.Stdout+res.Stderr)
	if d := drivertest.Diff(got, drivertest.Want(t, corpus, defaultDirs...)); d != "" {
		t.Errorf("go vet -json findings differ from the corpus annotations:\n%s", d)
	}

	res = drivertest.Run(t, corpus, nil, "go", "vet", vettool, "-generated", "-checks=all,-directive", "./gen")
	got, _ = drivertest.ParseText(t, corpus, res.Stderr)
	want := drivertest.Filter(drivertest.Want(t, corpus, "gen"), func(f drivertest.Finding) bool { return f.Category != check.Directive })
	if d := drivertest.Diff(got, want); d != "" {
		t.Errorf("go vet -generated -checks=all,-directive:\n%s\n%s", d, res.Stderr)
	}
}

// The vet tool protocol: -V=full identifies the binary for go vet's cache,
// -flags lists the analyzer's flags.
func TestVetProtocol(t *testing.T) {
	bin := drivertest.Stateguard(t)
	res := drivertest.Run(t, t.TempDir(), nil, bin, "-V=full")
	if res.Exit != 0 || !strings.Contains(res.Stdout, "buildID=") {
		t.Errorf("-V=full: exit %d, output %q", res.Exit, res.Stdout)
	}
	res = drivertest.Run(t, t.TempDir(), nil, bin, "-flags")
	var flags []struct{ Name string }
	if err := json.Unmarshal([]byte(res.Stdout), &flags); err != nil {
		t.Fatalf("-flags: %v\n%s", err, res.Stdout)
	}
	var names []string
	for _, f := range flags {
		names = append(names, f.Name)
	}
	for _, want := range []string{"checks", "generated", "json"} {
		if !slices.Contains(names, want) {
			t.Errorf("-flags lists %v, missing %q", names, want)
		}
	}
}

func write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// The README's first command: the bundled example shows a finding of every
// check the analyzer reports.
func TestVetdemo(t *testing.T) {
	root, err := drivertest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	res := drivertest.Run(t, root, nil, drivertest.Stateguard(t), "./examples/...")
	if res.Exit != 3 {
		t.Errorf("exit status %d, want 3\n%s", res.Exit, res.Stderr)
	}
	for _, c := range check.All {
		if c.Analyzer && !strings.Contains(res.Stderr, ": "+c.Name+": ") {
			t.Errorf("examples/vetdemo shows no %s finding:\n%s", c.Name, res.Stderr)
		}
	}
}
