package analyzer

import (
	"fmt"
	"runtime/debug"

	"golang.org/x/tools/go/analysis"
)

// An InternalError is a panic inside the analyzer, turned into the error of
// the analysis of one package. Every driver then reports it (the command
// with exit status 1) instead of crashing, and the findings of the other
// packages are not lost.
type InternalError struct {
	Pkg   string // the path of the package being analyzed
	Value any    // what was passed to panic
	Stack []byte // the stack of the panic
}

func (e *InternalError) Error() string {
	return fmt.Sprintf("internal error analyzing %s: %v (please report this with the stack below at https://github.com/stateguard/stateguard/issues)\n%s", e.Pkg, e.Value, e.Stack)
}

// recovering returns run with every panic turned into an *InternalError.
func recovering(run func(*analysis.Pass) (any, error)) func(*analysis.Pass) (any, error) {
	return func(pass *analysis.Pass) (result any, err error) {
		defer func() {
			if r := recover(); r != nil {
				pkg := "<unknown package>"
				if pass != nil && pass.Pkg != nil {
					pkg = pass.Pkg.Path()
				}
				result, err = nil, &InternalError{Pkg: pkg, Value: r, Stack: debug.Stack()}
			}
		}()
		return run(pass)
	}
}
