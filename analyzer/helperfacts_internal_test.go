package analyzer

import (
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"
	"golang.org/x/tools/go/ssa"
)

// helperSavesAnalyzer reports, at every call that helperSaves finds to be
// a save site, the object it saves and the writes it saves with it.
var helperSavesAnalyzer = &analysis.Analyzer{
	Name: "helpersaves",
	Doc:  "reports the save sites helperSaves finds",
	Run: func(pass *analysis.Pass) (any, error) {
		rec := newRecognizer(pass)
		rec.scan()
		h := newHelpers(pass, rec)
		funcs := buildSSA(pass)
		h.setSSA(funcs)
		cc := newCallChecker(pass, nil, rec)
		cc.helpers = h
		for _, fn := range funcs {
			for _, b := range fn.Blocks {
				for _, instr := range b.Instrs {
					ci, ok := instr.(ssa.CallInstruction)
					if !ok {
						continue
					}
					for _, s := range cc.helperSaves(ci) {
						var parts []string
						for _, w := range s.Writes {
							parts = append(parts, "writes "+w.Field.Name()+" = "+cc.writtenValue(w))
						}
						for _, w := range s.Copies {
							parts = append(parts, "copy "+w.Field.Name()+" = "+cc.writtenValue(w))
						}
						pass.Reportf(ci.Pos(), "saves #%d of %s: %s", s.Object, s.Callee.Name(), strings.Join(parts, ", "))
					}
				}
			}
		}
		return nil, nil
	},
}

// TestHelperSaves holds helperSaves, the save sites helpers make where
// they are called, to the calls of testdata/helpersaves/src/helpersaves
// (outside the corpus: its want comments are this test's findings).
func TestHelperSaves(t *testing.T) {
	dir, err := filepath.Abs(filepath.Join("testdata", "helpersaves"))
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, dir, helperSavesAnalyzer, "helpersaves")
}
