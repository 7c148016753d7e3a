package analyzer

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

// TestChecks runs the recognition rules and the four checks over their
// testdata packages: every rule, every category, facts across packages and
// the shapes that must not be reported.
func TestChecks(t *testing.T) {
	testdata, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	analysistest.Run(t, testdata, Analyzer,
		"convsave", "convtransition", "checkdirective", "dirrules", "checksites", "checkclean", "checkshortcut", "crossa", "crossb", "helperfacts", "helperfactsb", "helperfactsc",
	)
}
