package analyzer_test

import (
	"go/ast"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/stateguard/stateguard/analyzer"
	"github.com/stateguard/stateguard/internal/check"
)

// corpus lists the packages of the large test corpus: the Go port of
// Nova's guarded actions (nova/...), real-world shapes that must be
// reported (novalike/...), every language shape with a positive and a
// negative case (shapes/...), and shapes that must not be reported
// (fp/...).
var corpus = []string{"nova/...", "novalike/...", "shapes/...", "fp/..."}

// TestCorpus runs the analyzer over the corpus, checks every finding and
// every exported fact against the // want comments, then checks what
// // want comments cannot: that every finding carries its check's
// category and documentation URL, that its message starts with the
// category, that a call-site finding starts exactly at a call expression,
// and that a finding at a save (every call-site finding of nova/... and
// shapes/..., which hold no transition calls) points with Related
// information at an assignment: the write that reaches the save.
func TestCorpus(t *testing.T) {
	results := analysistest.Run(t, testdata(t), analyzer.Analyzer, corpus...)
	if len(results) == 0 {
		t.Fatal("the corpus loaded no packages")
	}
	checkDiagnosticShape(t, results)
}

// callSiteChecks are reported at the start of a call expression.
var callSiteChecks = map[string]bool{
	check.IneffectiveGuard:    true,
	check.ReentrantGuard:      true,
	check.UnguardedTransition: true,
}

func checkDiagnosticShape(t *testing.T, results []*analysistest.Result) {
	t.Helper()
	seen := 0
	for _, res := range results {
		pass := res.Action.Package
		calls := make(map[token.Pos]bool)
		var assigns []ast.Node
		for _, f := range pass.Syntax {
			ast.Inspect(f, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.CallExpr:
					calls[n.Pos()] = true
				case *ast.AssignStmt:
					assigns = append(assigns, n)
				}
				return true
			})
		}
		inAssign := func(pos token.Pos) bool {
			for _, a := range assigns {
				if a.Pos() <= pos && pos < a.End() {
					return true
				}
			}
			return false
		}
		savesOnly := (strings.HasPrefix(pass.PkgPath, "nova/") || strings.HasPrefix(pass.PkgPath, "shapes/")) &&
			pass.PkgPath != "shapes/transitions"
		for _, d := range res.Diagnostics {
			seen++
			posn := pass.Fset.Position(d.Pos)
			if _, ok := check.Lookup(d.Category); !ok {
				t.Errorf("%v: category %q is not a check name (message %q)", posn, d.Category, d.Message)
				continue
			}
			if !strings.HasPrefix(d.Message, d.Category+": ") {
				t.Errorf("%v: message %q does not start with its category %q", posn, d.Message, d.Category)
			} else if strings.HasPrefix(d.Message, d.Category+": "+d.Category+":") {
				t.Errorf("%v: message %q repeats its category", posn, d.Message)
			}
			if d.URL != check.DocURL(d.Category) {
				t.Errorf("%v: URL %q, want %q", posn, d.URL, check.DocURL(d.Category))
			}
			if !callSiteChecks[d.Category] {
				continue
			}
			if !calls[d.Pos] {
				t.Errorf("%v: %s finding does not start at a call expression", posn, d.Category)
			}
			if !savesOnly {
				continue
			}
			if len(d.Related) == 0 {
				t.Errorf("%v: %s finding has no related information at the write", posn, d.Category)
			}
			for _, rel := range d.Related {
				if !inAssign(rel.Pos) {
					t.Errorf("%v: related information %q is not at an assignment (%v)", posn, rel.Message, pass.Fset.Position(rel.Pos))
				}
			}
		}
	}
	if seen == 0 {
		t.Fatal("the corpus produced no findings at all")
	}
}

// testdata returns the absolute path of the testdata tree.
func testdata(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
