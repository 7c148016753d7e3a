package analyzer_test

import (
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/stateguard/stateguard/analyzer"
)

// TestConditionMaps runs the analyzer over saves whose expectation is a
// query condition (condmap) and compare-and-swap saves with a mutate
// callback (cascallback), positive and negative shapes side by side, and
// holds their findings to the shape of every call-site finding.
func TestConditionMaps(t *testing.T) {
	results := analysistest.Run(t, testdata(t), analyzer.Analyzer, "condmap", "cascallback")
	checkDiagnosticShape(t, results)
}
