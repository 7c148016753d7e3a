package analyzer

// Temporary stand-ins so the package compiles while its parts are written.
// Each part deletes its stand-in here when it lands.

import (
	"go/token"

	"golang.org/x/tools/go/analysis"
)

const doc = "stateguard: finds state guards that cannot catch a concurrent duplicate"

type reporter struct{ pass *analysis.Pass }

func newReporter(pass *analysis.Pass, cfg *Config) (*reporter, error) {
	return &reporter{pass: pass}, nil
}

// report reports msg for check at [pos, end) with related positions.
func (r *reporter) report(check string, pos, end token.Pos, msg string, related ...analysis.RelatedInformation) {
	r.pass.Report(analysis.Diagnostic{Pos: pos, End: end, Category: check, Message: msg, Related: related})
}

func (r *reporter) finish() {}
