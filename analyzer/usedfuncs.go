package analyzer

import (
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// usedFuncs returns the functions and methods the package refers to (a
// call, a method value, a function value), each once, as its origin. The
// prefilters of checkPackage (callsGuard, callsGuardAPI, usesUpdateChain,
// callsSavingHelperAtAll) ask about these alone: ranging over
// TypesInfo.Uses, one entry per identifier of the package, once for all
// of them instead of once for each costs less than any of their tests.
func usedFuncs(pass *analysis.Pass) []*types.Func {
	seen := map[*types.Func]bool{}
	var fns []*types.Func
	for _, obj := range pass.TypesInfo.Uses {
		fn, ok := obj.(*types.Func)
		if !ok {
			continue
		}
		fn = fn.Origin()
		if !seen[fn] {
			seen[fn] = true
			fns = append(fns, fn)
		}
	}
	return fns
}
