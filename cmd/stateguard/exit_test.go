package main_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stateguard/stateguard/internal/drivertest"
)

// mixedModule copies testdata/vetmod (bad/ has an ineffective-guard
// finding) into a temporary directory and adds the package extra/ with
// the given source, and returns the module's directory.
func mixedModule(t *testing.T, extra string) string {
	t.Helper()
	root, err := drivertest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(root, "testdata", "vetmod"))); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "extra"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "extra", "extra.go"), extra)
	return dir
}

const brokenSource = "package extra\n\nfunc F() int { return \"x\" }\n"

// A failure anywhere exits 1, even when another package has findings, in
// every output format; the findings are still reported.
func TestExitTypeErrorWithFindings(t *testing.T) {
	dir := mixedModule(t, brokenSource)
	bin := drivertest.Stateguard(t)

	res := drivertest.Run(t, dir, nil, bin, "./...")
	if res.Exit != 1 {
		t.Errorf("text: exit %d, want 1 (a package does not type-check)\n%s", res.Exit, res.Stderr)
	}
	if !strings.Contains(res.Stderr, "extra.go:3:") || !strings.Contains(res.Stderr, "ineffective-guard: ") {
		t.Errorf("text: want the type error and the finding:\n%s", res.Stderr)
	}

	res = drivertest.Run(t, dir, nil, bin, "-json", "./...")
	if res.Exit != 1 {
		t.Errorf("-json: exit %d, want 1\n%s", res.Exit, res.Stderr)
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(res.Stdout), &tree); err != nil {
		t.Fatalf("-json: %v\n%s", err, res.Stdout)
	}
	if !strings.Contains(string(tree["example.com/vetmod/bad"]["stateguard"]), "ineffective-guard") ||
		!strings.Contains(string(tree["example.com/vetmod/extra"]["stateguard"]), `"error"`) {
		t.Errorf("-json: want the finding of bad and the error of extra:\n%s", res.Stdout)
	}

	res = drivertest.Run(t, dir, nil, bin, "-sarif", "./...")
	if res.Exit != 1 || !strings.Contains(res.Stdout, `"executionSuccessful": false`) {
		t.Errorf("-sarif: exit %d, want 1 and an unsuccessful invocation\n%s", res.Exit, res.Stderr)
	}

	out := filepath.Join(t.TempDir(), "out.sarif")
	res = drivertest.Run(t, dir, nil, bin, "-sarif="+out, "./...")
	if res.Exit != 1 {
		t.Errorf("-sarif=FILE: exit %d, want 1\n%s", res.Exit, res.Stderr)
	}
}

// An unwritable -sarif=FILE fails the run even when there are findings.
func TestExitSARIFFileErrorWithFindings(t *testing.T) {
	corpus := drivertest.Corpus(t)
	out := filepath.Join(t.TempDir(), "missing", "x.sarif")
	res := drivertest.Run(t, corpus, nil, drivertest.Stateguard(t), "-sarif="+out, "./orders")
	if res.Exit != 1 || !strings.Contains(res.Stderr, "x.sarif") || !strings.Contains(res.Stderr, "ineffective-guard: ") {
		t.Errorf("exit %d, want 1, an error naming the file and the findings as text:\n%s", res.Exit, res.Stderr)
	}
}

// An internal error of the analyzer in one package fails the run even
// when another package has findings. The binary is built with a hook that
// makes the analysis of a package named boom fail as a panic does.
func TestExitInternalErrorWithFindings(t *testing.T) {
	root, err := drivertest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	bin := filepath.Join(t.TempDir(), "stateguard")
	build := exec.Command("go", "build", "-tags=stateguard_panichook", "-o", bin, "./cmd/stateguard")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	dir := mixedModule(t, "package boom\n\nfunc F() {}\n")
	if err := os.Rename(filepath.Join(dir, "extra"), filepath.Join(dir, "boom")); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"./..."}, {"-json", "./..."}, {"-sarif", "./..."}} {
		res := drivertest.Run(t, dir, nil, bin, args...)
		if res.Exit != 1 || !strings.Contains(res.Stderr, "internal error analyzing example.com/vetmod/boom: boom") {
			t.Errorf("%v: exit %d, want 1 and the internal error:\n%s", args, res.Exit, res.Stderr)
		}
	}
	res := drivertest.Run(t, dir, nil, bin, "./bad")
	if res.Exit != 3 {
		t.Errorf("the hook changes nothing elsewhere: ./bad exits %d, want 3\n%s", res.Exit, res.Stderr)
	}
}

// A package whose import no module provides, or whose //go:embed pattern
// matches nothing, stops go vet before it analyzes anything; the command
// still analyzes every package that loads, reports each that does not
// (its test files' imports included), and exits 1.
func TestExitUnresolvedImportWithFindings(t *testing.T) {
	dir := mixedModule(t, "package extra\n\nimport _ \"example.invalid/nowhere/pkg\"\n")
	if err := os.Mkdir(filepath.Join(dir, "intest"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "intest", "intest.go"), "package intest\n")
	write(t, filepath.Join(dir, "intest", "intest_test.go"), "package intest\n\nimport _ \"example.invalid/nowhere/other\"\n")
	// go list -e reports nothing for this one; go vet stops on it.
	if err := os.Mkdir(filepath.Join(dir, "embeds"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "embeds", "embeds.go"), "package embeds\n\nimport \"embed\"\n\n//go:embed dist/app\nvar FS embed.FS\n")
	// ... nor for a package that imports it.
	if err := os.Mkdir(filepath.Join(dir, "serves"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "serves", "serves.go"), "package serves\n\nimport _ \"example.com/vetmod/embeds\"\n")
	bin := drivertest.Stateguard(t)

	res := drivertest.Run(t, dir, nil, bin, "./...")
	if res.Exit != 1 {
		t.Errorf("text: exit %d, want 1 (two packages do not load)\n%s", res.Exit, res.Stderr)
	}
	for _, want := range []string{
		"ineffective-guard: ",
		"example.com/vetmod/extra not analyzed: ",
		"example.invalid/nowhere/pkg",
		"example.com/vetmod/intest not analyzed: ",
		"example.invalid/nowhere/other",
		"example.com/vetmod/embeds not analyzed: ",
		"dist/app",
		"example.com/vetmod/serves not analyzed: it imports example.com/vetmod/embeds",
	} {
		if !strings.Contains(res.Stderr, want) {
			t.Errorf("text: want %q in the output:\n%s", want, res.Stderr)
		}
	}

	// Without the test files, intest loads and is analyzed.
	res = drivertest.Run(t, dir, nil, bin, "-test=false", "-json", "./...")
	if res.Exit != 1 {
		t.Errorf("-test=false -json: exit %d, want 1\n%s", res.Exit, res.Stderr)
	}
	var tree map[string]map[string]json.RawMessage
	if err := json.Unmarshal([]byte(res.Stdout), &tree); err != nil {
		t.Fatalf("-json: %v\n%s", err, res.Stdout)
	}
	if !strings.Contains(string(tree["example.com/vetmod/bad"]["stateguard"]), "ineffective-guard") ||
		!strings.Contains(string(tree["example.com/vetmod/extra"]["stateguard"]), `"error"`) ||
		strings.Contains(string(tree["example.com/vetmod/intest"]["stateguard"]), `"error"`) {
		t.Errorf("-json: want the finding of bad, the error of extra and no error of intest:\n%s", res.Stdout)
	}
}
