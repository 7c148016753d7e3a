package analyzer

import (
	"fmt"
	"go/types"
	"runtime/debug"

	"golang.org/x/tools/go/analysis"
)

// checkPackage recognizes the guarded saves, transitions and declared
// states of the package, exports them as facts, checks the bodies of the
// package's own saves (shortcut-save), and, only when the package calls a
// recognized save or transition, builds its SSA form and checks every
// such call (ineffective-guard, reentrant-guard, unguarded-transition).
//
// A panic in these checks never crashes the driver: it becomes one
// diagnostic at the package clause that names the internal error.
func checkPackage(pass *analysis.Pass, r *reporter) {
	defer func() {
		if p := recover(); p != nil {
			reportInternal(pass, p)
		}
	}()
	rec := newRecognizer(pass)
	rec.scan()
	calls := callsGuard(pass, rec)
	if calls {
		// A wrapper calls a guard: none without such a call.
		rec.findWrappers()
	}
	rec.exportFacts()
	checkShortcuts(pass, r, rec)
	if !calls {
		return
	}
	cc := newCallChecker(pass, r, rec)
	for _, fn := range buildSSA(pass) {
		cc.checkFunc(fn)
	}
}

// callsGuard is the cheap prefilter: does the package refer to any
// recognized save or transition (a call, a method value, a function
// value)?
func callsGuard(pass *analysis.Pass, rec *recognizer) bool {
	for _, obj := range pass.TypesInfo.Uses {
		if fn, ok := obj.(*types.Func); ok && rec.guardOf(fn) != nil {
			return true
		}
	}
	return false
}

// reportInternal reports a recovered panic as a diagnostic, so that one
// unexpected shape of code costs one package's findings, not the run.
func reportInternal(pass *analysis.Pass, p any) {
	var pos = pass.Files[0].Package
	for _, f := range pass.Files {
		if f.Package.IsValid() {
			pos = f.Package
			break
		}
	}
	pass.Report(analysis.Diagnostic{
		Pos:      pos,
		Category: "internal-error",
		Message: fmt.Sprintf("stateguard: internal error while checking package %s, please report it with this message: %v\n%s",
			pass.Pkg.Path(), p, debug.Stack()),
	})
}
