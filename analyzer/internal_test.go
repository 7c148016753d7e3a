package analyzer

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"runtime"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
)

func TestPanicBecomesInternalError(t *testing.T) {
	run := recovering(func(*analysis.Pass) (any, error) { panic("boom") })
	res, err := run(&analysis.Pass{Pkg: types.NewPackage("example.com/p", "p")})
	var ie *InternalError
	if res != nil || !errors.As(err, &ie) || ie.Pkg != "example.com/p" || ie.Value != "boom" || len(ie.Stack) == 0 {
		t.Fatalf("run = %v, %v; want an *InternalError naming the package, the panic and its stack", res, err)
	}
	if !strings.Contains(err.Error(), "internal error analyzing example.com/p: boom") {
		t.Errorf("Error() = %q", err.Error())
	}
	if _, err := recovering(func(*analysis.Pass) (any, error) { panic("boom") })(nil); !errors.As(err, &ie) {
		t.Errorf("a panic with a nil pass: %v", err)
	}
}

func TestNoPanicNoError(t *testing.T) {
	want := errors.New("plain")
	res, err := recovering(func(*analysis.Pass) (any, error) { return 7, want })(nil)
	if res != 7 || err != want {
		t.Fatalf("run = %v, %v; want 7, %v unchanged", res, err, want)
	}
}

// TestCheckPanicReachesTheDriver runs the real analysis over a pass
// without type information: the checks dereference it and panic, and that
// first panic, not a later one of some recovery, is what the driver gets.
func TestCheckPanicReachesTheDriver(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", "package p\n\nfunc F() {}\n", parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	pass := &analysis.Pass{
		Analyzer: Analyzer,
		Fset:     fset,
		Files:    []*ast.File{f},
		Pkg:      types.NewPackage("example.com/p", "p"),
		Report:   func(analysis.Diagnostic) {},
	}
	_, err = Analyzer.Run(pass)
	var ie *InternalError
	if !errors.As(err, &ie) {
		t.Fatalf("Run = %v, want an *InternalError", err)
	}
	re, ok := ie.Value.(runtime.Error)
	if !ok || !strings.Contains(re.Error(), "nil pointer") {
		t.Errorf("panic value = %v, want the nil dereference of the missing type information", ie.Value)
	}
	if !strings.Contains(string(ie.Stack), "analyzer.checkPackage") && !strings.Contains(string(ie.Stack), "analyzer.newReporter") {
		t.Errorf("stack does not show where the check panicked:\n%s", ie.Stack)
	}
}
