package main_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stateguard/stateguard/internal/drivertest"
)

// testsModule writes a module whose package p has a finding in p.go, one
// in its own test file and one in its external test package.
func testsModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), "module example.com/tests\n\ngo 1.26.0\n")
	if err := os.Mkdir(filepath.Join(dir, "p"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "p", "p.go"), `package p

import "context"

type Job struct{ Status string }

type Store struct{ status map[*Job]string }

func (st *Store) Save(ctx context.Context, j *Job, expectedStatus string) error {
	if st.status[j] != expectedStatus {
		return context.Canceled
	}
	st.status[j] = j.Status
	return nil
}

func Start(ctx context.Context, st *Store, j *Job) error {
	j.Status = "running"
	return st.Save(ctx, j, "running")
}
`)
	write(t, filepath.Join(dir, "p", "p_test.go"), `package p

import "context"

func restart(ctx context.Context, st *Store, j *Job) error {
	j.Status = "restarting"
	return st.Save(ctx, j, "restarting")
}
`)
	write(t, filepath.Join(dir, "p", "x_test.go"), `package p_test

import (
	"context"

	"example.com/tests/p"
)

func stop(ctx context.Context, st *p.Store, j *p.Job) error {
	j.Status = "stopped"
	return st.Save(ctx, j, "stopped")
}
`)
	return dir
}

// Test files are analyzed by default, p's own with p and the external
// test package on its own, and the JSON keys them as go/packages does;
// -test=false leaves both out.
func TestTestFiles(t *testing.T) {
	dir := testsModule(t)
	bin := drivertest.Stateguard(t)

	res := drivertest.Run(t, dir, nil, bin, "-json", "./...")
	var tree map[string]map[string][]struct{ Posn, Category string }
	if err := json.Unmarshal([]byte(res.Stdout), &tree); err != nil || res.Exit != 0 {
		t.Fatalf("-json: exit %d, %v\n%s%s", res.Exit, err, res.Stdout, res.Stderr)
	}
	got := map[string]string{}
	for id, m := range tree {
		for _, d := range m["stateguard"] {
			got[filepath.Base(strings.Split(d.Posn, ":")[0])] = id
		}
	}
	want := map[string]string{
		"p.go":      "example.com/tests/p",
		"p_test.go": "example.com/tests/p [example.com/tests/p.test]",
		"x_test.go": "example.com/tests/p_test [example.com/tests/p.test]",
	}
	for file, id := range want {
		if got[file] != id {
			t.Errorf("the finding in %s is under %q, want %q\n%s", file, got[file], id, res.Stdout)
		}
	}

	res = drivertest.Run(t, dir, nil, bin, "-test=false", "./...")
	text, _ := drivertest.ParseText(t, dir, res.Stderr)
	var files []string
	for _, f := range text {
		files = append(files, f.File)
	}
	if res.Exit != 3 || !slices.Equal(files, []string{"p/p.go"}) {
		t.Errorf("-test=false: exit %d, findings in %v; want 3 and p/p.go alone\n%s", res.Exit, files, res.Stderr)
	}
}

// A second run over unchanged code analyzes nothing again: go vet replays
// each package's cached record, with the same findings.
func TestRepeatRunFromCache(t *testing.T) {
	dir := testsModule(t)
	bin := drivertest.Stateguard(t)
	// With -x the go command prints every vet tool process it starts.
	env := []string{"GOFLAGS=-x"}
	runs := func(res drivertest.Result) int {
		n := 0
		for line := range strings.Lines(res.Stderr) {
			if strings.Contains(line, bin) && strings.Contains(line, "vet.cfg") {
				n++
			}
		}
		return n
	}
	first := drivertest.Run(t, dir, env, bin, "./...")
	second := drivertest.Run(t, dir, env, bin, "./...")
	f1, _ := drivertest.ParseText(t, dir, first.Stderr)
	f2, _ := drivertest.ParseText(t, dir, second.Stderr)
	if first.Exit != 3 || second.Exit != 3 || len(f1) != 3 {
		t.Fatalf("exit %d then %d, %d findings (want 3, 3 and 3)\n%s", first.Exit, second.Exit, len(f1), first.Stderr)
	}
	if d := drivertest.Diff(f2, f1); d != "" {
		t.Errorf("the second run's findings differ:\n%s", d)
	}
	if n := runs(first); n < 2 {
		t.Errorf("first run: %d vet tool processes for p and p_test, want at least 2:\n%s", n, first.Stderr)
	}
	if n := runs(second); n != 0 {
		t.Errorf("second run over unchanged code: %d vet tool processes, want 0:\n%s", n, second.Stderr)
	}
}

// An internal error of the analyzer in a dependency, which the go command
// analyzes for its facts only, fails the run: the dependency's facts are
// missing. (go vet itself drops the errors of such units.)
func TestDependencyInternalError(t *testing.T) {
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
	dir := mixedModule(t, "package extra\n\nimport _ \"example.com/vetmod/boom\"\n")
	if err := os.Mkdir(filepath.Join(dir, "boom"), 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(dir, "boom", "boom.go"), "package boom\n\nfunc F() {}\n")
	for _, args := range [][]string{{"./extra"}, {"-json", "./extra"}} {
		res := drivertest.Run(t, dir, nil, bin, args...)
		if res.Exit != 1 || !strings.Contains(res.Stderr, "internal error analyzing example.com/vetmod/boom: boom") {
			t.Errorf("%v: exit %d, want 1 and the dependency's internal error:\n%s", args, res.Exit, res.Stderr)
		}
	}
}
