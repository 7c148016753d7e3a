package analyzer

import (
	"errors"
	"go/types"
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
