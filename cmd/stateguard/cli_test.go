package main_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stateguard/stateguard/analyzer"
	"github.com/stateguard/stateguard/internal/check"
	"github.com/stateguard/stateguard/internal/drivertest"
)

func TestHelp(t *testing.T) {
	bin := drivertest.Stateguard(t)
	res := drivertest.Run(t, t.TempDir(), nil, bin, "help")
	if res.Exit != 0 || !strings.Contains(res.Stdout, "Usage:") || !strings.Contains(res.Stdout, "-sarif") {
		t.Errorf("help: exit %d, want 0 and the usage with the flags on stdout:\n%s%s", res.Exit, res.Stdout, res.Stderr)
	}
	for _, c := range check.All {
		if c.Analyzer && !strings.Contains(res.Stdout, c.Name) {
			t.Errorf("help does not list the check %s", c.Name)
		}
	}

	res = drivertest.Run(t, t.TempDir(), nil, bin, "help", check.ReentrantGuard)
	doc := analyzer.CheckDoc(check.ReentrantGuard)
	if res.Exit != 0 || !strings.HasPrefix(res.Stdout, check.ReentrantGuard+": ") || !strings.Contains(res.Stdout, doc) ||
		!strings.Contains(doc, "Wrong:") || !strings.Contains(res.Stdout, check.DocURL(check.ReentrantGuard)) {
		t.Errorf("help %s: exit %d, want its whole section of doc.go and its URL:\n%s%s", check.ReentrantGuard, res.Exit, res.Stdout, res.Stderr)
	}

	res = drivertest.Run(t, t.TempDir(), nil, bin, "help", "reentrant")
	if res.Exit != 2 || !strings.Contains(res.Stderr, `unknown check "reentrant"`) || !strings.Contains(res.Stderr, check.ReentrantGuard) || res.Stdout != "" {
		t.Errorf("help with an unknown check: exit %d, want 2 and an error listing the checks:\n%s%s", res.Exit, res.Stdout, res.Stderr)
	}
}

func TestCheckDoc(t *testing.T) {
	for _, c := range check.All {
		if d := analyzer.CheckDoc(c.Name); !strings.HasPrefix(d, analyzer.CheckDescription(c.Name)[:20]) || strings.Contains(d, "\n# ") {
			t.Errorf("CheckDoc(%s) = %q, want its section, from its first paragraph to the next heading", c.Name, d)
		}
	}
	if analyzer.CheckDoc("nope") != "" {
		t.Error("an unknown check has documentation")
	}
}

func TestVersion(t *testing.T) {
	bin := drivertest.Stateguard(t)
	goVersion, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		t.Fatal(err)
	}
	res := drivertest.Run(t, t.TempDir(), nil, bin, "-version")
	if res.Exit != 0 || !strings.HasPrefix(res.Stdout, "stateguard ") || !strings.Contains(res.Stdout, strings.TrimSpace(string(goVersion))) {
		t.Errorf("-version: exit %d, output %q; want 0, stateguard, its version and %s", res.Exit, res.Stdout, goVersion)
	}
}

// -fix and -diff would print nothing and exit 0 over findings (x/tools
// applies fixes instead of reporting); stateguard has no fixes, so they
// are refused, standalone and under go vet.
func TestFixRefused(t *testing.T) {
	corpus := drivertest.Corpus(t)
	bin := drivertest.Stateguard(t)
	for _, flag := range []string{"-fix", "-diff", "-fix=true"} {
		res := drivertest.Run(t, corpus, nil, bin, flag, "./orders")
		if res.Exit != 2 || !strings.Contains(res.Stderr, "no automatic fixes") {
			t.Errorf("%s: exit %d, want 2 and why:\n%s", flag, res.Exit, res.Stderr)
		}
	}
	res := drivertest.Run(t, corpus, nil, bin, "-fix=false", "./orders")
	if res.Exit != 3 {
		t.Errorf("-fix=false: exit %d, want 3 (the findings)\n%s", res.Exit, res.Stderr)
	}
	res = drivertest.Run(t, corpus, nil, "go", "vet", "-fix", "-vettool="+bin, "./orders")
	if res.Exit == 0 || strings.Count(res.Stderr, "no automatic fixes") != 1 {
		t.Errorf("go vet -fix: exit %d, want a failure saying why, once:\n%s", res.Exit, res.Stderr)
	}
}

// "-sarif out.sarif" writes the file, as -sarif=out.sarif does, instead of
// taking out.sarif for a package pattern.
func TestSARIFSpace(t *testing.T) {
	corpus := drivertest.Corpus(t)
	out := filepath.Join(t.TempDir(), "out.sarif")
	res := drivertest.Run(t, corpus, nil, drivertest.Stateguard(t), "-sarif", out, "-checks=all", "./orders")
	if res.Exit != 3 || res.Stdout != "" {
		t.Errorf("-sarif FILE: exit %d (want 3), stdout %q (want empty)\n%s", res.Exit, res.Stdout, res.Stderr)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var log sarif
	if err := json.Unmarshal(data, &log); err != nil || len(log.Runs) != 1 || len(log.Runs[0].Results) == 0 {
		t.Errorf("-sarif FILE wrote %d bytes, %v; want a log with the findings", len(data), err)
	}
	res = drivertest.Run(t, corpus, nil, drivertest.Stateguard(t), "-sarif", "./orders")
	if res.Exit != 0 || !strings.Contains(res.Stdout, `"version": "2.1.0"`) {
		t.Errorf("-sarif PATTERN: exit %d, want SARIF on stdout\n%s", res.Exit, res.Stderr)
	}
}

// A mistyped -checks under go vet, which runs the tool once per package
// (the standard library's too), is said in one line, once.
func TestVetBadChecksOnce(t *testing.T) {
	corpus := drivertest.Corpus(t)
	res := drivertest.Run(t, corpus, nil, "go", "vet", "-vettool="+drivertest.Stateguard(t), "-checks=all,-reentrant-gaurd", "./...")
	var lines []string
	for l := range strings.Lines(res.Stdout + res.Stderr) {
		if !strings.HasPrefix(l, "#") {
			lines = append(lines, l)
		}
	}
	if res.Exit == 0 || len(lines) != 1 || !strings.Contains(lines[0], `unknown check "reentrant-gaurd"`) || !strings.Contains(lines[0], check.ReentrantGuard) {
		t.Errorf("go vet -checks with an unknown name: exit %d, want a failure and one line naming it and the checks; got:\n%s%s", res.Exit, res.Stdout, res.Stderr)
	}
}

// The README's install command works from a clone, before any release.
func TestInstallFromClone(t *testing.T) {
	root, err := drivertest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	const install = "go install ./cmd/stateguard"
	if !strings.Contains(string(readme), "\n"+install+" ") {
		t.Fatalf("README.md does not show %q", install)
	}
	gobin := t.TempDir()
	res := drivertest.Run(t, root, []string{"GOBIN=" + gobin}, "go", "install", "./cmd/stateguard")
	if res.Exit != 0 {
		t.Fatalf("%s: exit %d\n%s", install, res.Exit, res.Stderr)
	}
	res = drivertest.Run(t, root, nil, filepath.Join(gobin, "stateguard"), "-version")
	if res.Exit != 0 || !strings.HasPrefix(res.Stdout, "stateguard ") {
		t.Errorf("the installed stateguard -version: exit %d, %q", res.Exit, res.Stdout)
	}
}
