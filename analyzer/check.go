package analyzer

import (
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// checkPackage recognizes the guarded saves, transitions and declared
// states of the package, exports them as facts, checks the bodies of the
// package's own saves (shortcut-save), and, only when the package calls a
// recognized save or transition, builds its SSA form and checks every
// such call (ineffective-guard, reentrant-guard, unguarded-transition).
//
// A panic in these checks never crashes the driver: the Analyzer's Run
// returns it as an *InternalError (see recovering).
func checkPackage(pass *analysis.Pass, r *reporter) {
	rec := newRecognizer(pass)
	rec.scan()
	used := usedFuncs(pass)
	calls := callsGuard(pass, rec, used) || callsGuardAPI(pass, used) || usesUpdateChain(used)
	if calls {
		// A wrapper calls a guard: none without such a call.
		rec.findWrappers()
	}
	rec.exportFacts()
	checkShortcuts(pass, r, rec)
	// Helpers (helperfacts.go): SSA only for a package with a candidate
	// that must export its fact or that the checks below may call.
	h := newHelpers(pass, rec)
	h.used = used
	calls = calls || h.callsSavingHelper()
	if !calls && !h.needSSA() {
		return
	}
	funcs := buildSSA(pass)
	h.setSSA(funcs)
	h.rewriteIdentities(funcs)
	h.exportFacts()
	if !calls {
		return
	}
	cc := newCallChecker(pass, r, rec)
	cc.helpers = h
	cc.globals = globalStores(funcs)
	for _, fn := range funcs {
		cc.checkFunc(fn)
	}
}

// callsGuard is the cheap prefilter: does the package refer to any
// recognized save or transition (a call, a method value, a function
// value)? A package that refers to plain saves only passes when
// plainSavesMatter.
func callsGuard(pass *analysis.Pass, rec *recognizer, used []*types.Func) bool {
	plain := false
	for _, fn := range used {
		if s := rec.guardOf(fn); s != nil {
			if !s.isPlain() {
				return true
			}
			plain = true
		}
	}
	return plain && plainSavesMatter(pass, rec)
}
