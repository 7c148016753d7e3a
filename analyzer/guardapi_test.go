package analyzer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/stateguard/stateguard/analyzer"
)

// TestGuardAPI runs the analyzer over code that calls the real guard
// package: Table.Save and Table.Update with every option form, and the
// saves after a failed guarded save.
func TestGuardAPI(t *testing.T) {
	dir := analyzer.GuardModule(t, "")
	results := analysistest.Run(t, dir, analyzer.Analyzer, "guardmod/api", "guardmod/conflict")
	if len(results) != 2 {
		t.Fatalf("analyzed %d packages, want 2", len(results))
	}
	n := 0
	for _, r := range results {
		n += len(r.Diagnostics)
		for _, d := range r.Diagnostics {
			if len(d.Related) == 0 {
				t.Errorf("%v: %s finding with no related information", r.Action.Package.Fset.Position(d.Pos), d.Category)
			}
		}
	}
	if n == 0 {
		t.Fatal("no findings at all")
	}
}

// TestSaveAfterConflict runs save-after-conflict over saves recognized by
// convention, directive and wrapper.
func TestSaveAfterConflict(t *testing.T) {
	results := analysistest.Run(t, testdata(t), analyzer.Analyzer, "conflict")
	n := 0
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if d.Category == "save-after-conflict" {
				n++
				if len(d.Related) < 2 {
					t.Errorf("%v: want related information at the failed save and at the write", r.Action.Package.Fset.Position(d.Pos))
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no save-after-conflict finding")
	}
}
