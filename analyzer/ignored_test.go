package analyzer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/stateguard/stateguard/analyzer"
)

// TestIgnoredConflict runs ignored-conflict over its corpus: the refusal
// of a guarded save (a bool, a count of rows, a sql.Result) discarded in
// every way Go has, and read in every way, plus the results that are no
// refusal and the functions that save nothing.
func TestIgnoredConflict(t *testing.T) {
	analysistest.Run(t, testdata(t), analyzer.Analyzer, "ignoredconflict")
}

// TestInterfaceDirectives runs the directives on interface methods: a
// save and a transition declared on a store interface, called through it
// in the same package and, through the facts, in another.
func TestInterfaceDirectives(t *testing.T) {
	analysistest.Run(t, testdata(t), analyzer.Analyzer, "ifacedirective/...")
}
