package analyzer

import (
	"os"
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
)

// The analyzer Requires no pass: buildssa would bring ctrlflow, which has
// facts, and with it an SSA build of every dependency under go vet.
func TestRequiresNothing(t *testing.T) {
	var walk func(as []*analysis.Analyzer)
	walk = func(as []*analysis.Analyzer) {
		for _, a := range as {
			t.Errorf("stateguard requires %s", a.Name)
			walk(a.Requires)
		}
	}
	walk(Analyzer.Requires)
}

const declaresSave = `package p

import "context"

type Status string

type Job struct{ Status Status }

func (j *Job) Save(ctx context.Context, expectedStatus Status) error { // want Save:"save"
	return ctx.Err()
}
`

// The SSA form is built only for a package that calls a recognized save
// or transition, or exports a function that may be a helper: not for one
// that declares a save and never calls it, nor for any of the
// dependencies the analysis runs over for their facts.
func TestSSAOnlyWhereCalled(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		builds    int64
	}{
		{"declares", declaresSave, 0},
		{"calls", declaresSave + `
func Run(ctx context.Context, j *Job) error { // want Run:"helper"
	j.Status = "running"
	return j.Save(ctx, "idle")
}
`, 1},
		// A helper's fact needs the SSA form: built for an exported one,
		// which other packages may call, not for an unexported one in a
		// package that calls no save.
		{"unexported helper", declaresSave + `
func mark(j *Job) { j.Status = "running" }
`, 0},
		{"exported helper", declaresSave + `
func Mark(j *Job) { j.Status = "running" } // want Mark:"helper"
`, 1},
		// One of an unexported field, in a package that exports no save:
		// no other package can compare or guard that field.
		{"unexported field", `package p

type Status string

type Job struct{ status Status }

func Mark(j *Job) { j.status = "running" }
`, 0},
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
	// With the guard package: a package that only imports guard (and
	// loads rows) builds none; one that calls Table.Save builds its own,
	// and none for guard, whose Update calls Save.
	dir := guardModule(t, "")
	for _, tc := range []struct {
		pkg    string
		builds int64
	}{
		{"guardmod/importonly", 0},
		{"guardmod/conflict", 1},
	} {
		t.Run(tc.pkg, func(t *testing.T) {
			before := ssaBuilds.Load()
			analysistest.Run(t, dir, Analyzer, tc.pkg)
			if got := ssaBuilds.Load() - before; got != tc.builds {
				t.Errorf("SSA built for %d packages, want %d", got, tc.builds)
			}
		})
	}
}
