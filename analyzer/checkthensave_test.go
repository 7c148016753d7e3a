package analyzer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

// TestCheckThenSave runs the check-then-save races and the plain saves
// they end in (checkthensave, and checkthensave/ciserver across
// packages, through an interface); their correct forms are under
// fp/checkthensave, which TestCorpus holds to no finding. Each finding
// points with Related information at the comparison (a line that
// compares, or a case of a switch) and at the write (an assignment, or
// the call of the helper that makes it).
func TestCheckThenSave(t *testing.T) {
	testdata, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	results := analysistest.Run(t, testdata, Analyzer, "checkthensave/...", "fp/checkthensave")
	n := 0
	for _, res := range results {
		for _, d := range res.Diagnostics {
			if !strings.Contains(d.Message, "checked in Go") {
				continue
			}
			n++
			if len(d.Related) != 2 {
				t.Errorf("%v: %d related locations, want 2 (the check, the write)", res.Action.Package.Fset.Position(d.Pos), len(d.Related))
				continue
			}
			line := func(i int) string {
				p := res.Action.Package.Fset.Position(d.Related[i].Pos)
				src, err := os.ReadFile(p.Filename)
				if err != nil {
					t.Fatal(err)
				}
				return strings.Split(string(src), "\n")[p.Line-1]
			}
			if l := line(0); !strings.Contains(l, "==") && !strings.Contains(l, "!=") && !strings.Contains(l, "case ") {
				t.Errorf("%v: the check points at %q, no comparison", res.Action.Package.Fset.Position(d.Pos), l)
			}
			if l := line(1); strings.HasSuffix(d.Related[1].Message, " at this call") {
				// A helper's write: at its call (the message names the assignment).
				if !strings.Contains(l, "(") {
					t.Errorf("%v: the helper's write points at %q, no call", res.Action.Package.Fset.Position(d.Pos), l)
				}
			} else if !strings.Contains(l, " = ") {
				t.Errorf("%v: the write points at %q, no assignment", res.Action.Package.Fset.Position(d.Pos), l)
			}
		}
	}
	if n == 0 {
		t.Fatal("no check-then-save finding")
	}
}

const plainStore = `package p

type Status string

type Job struct {
	ID     int64
	Status Status
}

type Store interface {
	UpdateJob(j *Job) error // want UpdateJob:"save\\(#0\\) by plain save"
}
`

// Plain saves are called everywhere; the SSA form is built for a package
// that calls one only when it also compares a state field or writes a
// declared state, which the checks of a plain save need, or exports a
// helper, whose fact other packages need.
func TestSSAOnlyWherePlainSavesMatter(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		builds    int64
	}{
		{"declares", plainStore, 0},
		{"saves", plainStore + `
func rename(s Store, j *Job, id int64) error {
	j.ID = id
	j.Status = "renamed"
	return s.UpdateJob(j)
}
`, 0},
		{"exports a helper", plainStore + `
func Rename(s Store, j *Job, id int64) error { // want Rename:"helper"
	j.ID = id
	j.Status = "renamed"
	return s.UpdateJob(j)
}
`, 1},
		{"compares", plainStore + `
func Start(s Store, j *Job) error {
	if j.Status != "idle" {
		return nil
	}
	j.Status = "running"
	return s.UpdateJob(j) // want "unguarded-transition"
}
`, 1},
		{"switches", plainStore + `
func Start(s Store, j *Job) error {
	switch j.Status {
	case "idle":
		j.Status = "running"
	}
	return s.UpdateJob(j) // want "unguarded-transition"
}
`, 1},
		{"declared", `package p

//stateguard:state
type Status string // want Status:"state"

type Job struct {
	ID     int64
	Status Status
}

type Store interface {
	UpdateJob(j *Job) error // want UpdateJob:"save\\(#0\\) by plain save"
}

func Start(s Store, j *Job) error { // want Start:"helper"
	j.Status = "running"
	return s.UpdateJob(j) // want "unguarded-transition: Status is declared a state"
}
`, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			pkg := filepath.Join(dir, "src", "p")
			if err := os.MkdirAll(pkg, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(pkg, "p.go"), []byte(tc.src), 0o644); err != nil {
				t.Fatal(err)
			}
			before := ssaBuilds.Load()
			analysistest.Run(t, dir, Analyzer, "p")
			if got := ssaBuilds.Load() - before; got != tc.builds {
				t.Errorf("SSA built for %d packages, want %d", got, tc.builds)
			}
		})
	}
}

// isSaveName takes a save word followed by the end of the name or a new
// word, and not write... or set... in lower case.
func TestIsSaveName(t *testing.T) {
	for name, want := range map[string]bool{
		"UpdatePipeline": true, "Save": true, "saveJob": true, "save_job": true, "PutObject": true,
		"StoreRun": true, "WriteRecord": true, "Persist": true, "UpsertTask": true, "SetStatus": true, "Update2": true,
		"Settle": false, "Updater": false, "Storage": false, "Setup": false, "Saved": false, "Putter": false,
		"writeHeaders": false, "setDeadline": false, "Load": false, "GetUpdate": false, "": false,
	} {
		if got := isSaveName(name); got != want {
			t.Errorf("isSaveName(%q) = %v, want %v", name, got, want)
		}
	}
}
