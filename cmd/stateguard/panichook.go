//go:build stateguard_panichook

package main

import (
	"runtime/debug"

	"golang.org/x/tools/go/analysis"

	"github.com/stateguard/stateguard/analyzer"
)

// Built only with -tags stateguard_panichook, by the tests of the exit
// status: the analysis of a package named boom fails as a panic inside
// the analyzer does, with an *analyzer.InternalError.
func init() {
	run := analyzer.Analyzer.Run
	analyzer.Analyzer.Run = func(pass *analysis.Pass) (any, error) {
		if pass.Pkg.Name() == "boom" {
			return nil, &analyzer.InternalError{Pkg: pass.Pkg.Path(), Value: "boom", Stack: debug.Stack()}
		}
		return run(pass)
	}
}
