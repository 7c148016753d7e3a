// Command noopvet is a vet tool whose analyzer does nothing. It is the
// baseline of scripts/vetcost.sh: the cost of go vet -vettool itself
// (loading, type-checking, the go command's bookkeeping), against which the
// cost of stateguard is measured.
package main

import (
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/singlechecker"
)

var noop = &analysis.Analyzer{
	Name: "noop",
	Doc:  "noop: report nothing",
	Run:  func(*analysis.Pass) (any, error) { return nil, nil },
}

func main() { singlechecker.Main(noop) }
