package analyzer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

// TestCheckThenSave runs the check-then-save races and the plain saves
// they end in (checkthensave); their correct forms are under
// fp/checkthensave, which TestCorpus holds to no finding. Each finding
// points with Related information at the comparison (a line that
// compares, or a case of a switch) and at the write (an assignment).
func TestCheckThenSave(t *testing.T) {
	testdata, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	results := analysistest.Run(t, testdata, Analyzer, "checkthensave", "fp/checkthensave")
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
			if l := line(1); !strings.Contains(l, " = ") {
				t.Errorf("%v: the write points at %q, no assignment", res.Action.Package.Fset.Position(d.Pos), l)
			}
		}
	}
	if n == 0 {
		t.Fatal("no check-then-save finding")
	}
}
