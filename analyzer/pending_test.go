package analyzer_test

import (
	"os"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/stateguard/stateguard/analyzer"
)

// TestPendingFalsePositives runs the analyzer over testdata/src/fppending:
// shapes of false findings seen on public code (docs/real-world.md) that
// the analyzer still reports. Like fp/..., they carry no // want comment,
// so the test fails while a finding remains; it runs only with
// STATEGUARD_PENDING=1 until the fix moves the package under fp/.
func TestPendingFalsePositives(t *testing.T) {
	if os.Getenv("STATEGUARD_PENDING") != "1" {
		t.Skip("fppending holds false findings not fixed yet; STATEGUARD_PENDING=1 runs them")
	}
	analysistest.Run(t, testdata(t), analyzer.Analyzer, "fppending/...")
}
