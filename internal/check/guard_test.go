package check_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stateguard/stateguard/internal/check"
)

// TestGuardNames holds the runtime package's check names to this table.
//
// guard (module github.com/stateguard/stateguard/guard) declares its own
// names (guard.Check*) so that a service importing it does not depend on
// this module and its requirements (x/tools, the golangci-lint plugin
// register). For the same reason this module does not require the guard
// module: instead of importing guard, the test parses its source, next to
// this module in the repository, and compares every exported Check*
// constant with the check of the same name here, and every runtime-only
// check here with guard's constants.
func TestGuardNames(t *testing.T) {
	dir := filepath.Join("..", "..", "guard")
	if _, err := os.Stat(filepath.Join(dir, "go.mod")); err != nil {
		t.Skipf("the guard module's source is not next to this module: %v", err)
	}
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, dir, func(fi os.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg := pkgs["guard"]
	if pkg == nil {
		t.Fatalf("no package guard in %s", dir)
	}
	got := map[string]string{} // check name → Go constant
	for _, f := range pkg.Files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, n := range vs.Names {
					if !n.IsExported() || !strings.HasPrefix(n.Name, "Check") || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						t.Errorf("%s: guard.%s is not a string literal", fset.Position(n.Pos()), n.Name)
						continue
					}
					name, err := strconv.Unquote(lit.Value)
					if err != nil {
						t.Fatal(err)
					}
					got[name] = n.Name
					if _, ok := check.Lookup(name); !ok {
						t.Errorf("%s: guard.%s = %q is no check of internal/check", fset.Position(n.Pos()), n.Name, name)
					}
				}
			}
		}
	}
	if len(got) == 0 {
		t.Fatalf("no exported Check* constants in %s", dir)
	}
	// Every check the guard refuses at run time (every one the analyzer
	// does not report, and the analyzer's checks a save can be refused for)
	// has its constant in guard.
	for _, name := range []string{check.NoTransition, check.IneffectiveGuard, check.ReentrantGuard, check.UnguardedTransition} {
		if _, ok := got[name]; !ok {
			t.Errorf("guard declares no Check constant for %q", name)
		}
	}
	for _, c := range check.All {
		if !c.Analyzer {
			if _, ok := got[c.Name]; !ok {
				t.Errorf("runtime-only check %q has no constant in guard", c.Name)
			}
		}
	}
}
