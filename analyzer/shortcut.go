package analyzer

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/cfg"

	"github.com/stateguard/stateguard/internal/check"
)

// checkShortcuts reports, in every recognized guarded save or transition
// of this package that has a body and an error result, each return
// statement that reports success (every error result a literal nil, and
// the bool it refuses through, if any, not a constant false) on a path that
// never read the expectation parameter.
func checkShortcuts(pass *analysis.Pass, rep *reporter, rec *recognizer) {
	for _, d := range rec.decls {
		fn, _ := pass.TypesInfo.Defs[d.Name].(*types.Func)
		if fn == nil {
			continue
		}
		spec := rec.guardOf(fn)
		if spec == nil {
			continue
		}
		sig := fn.Type().(*types.Signature)
		var params []*types.Var
		var names []string
		for _, i := range spec.expectParams() {
			if i >= 0 && i < sig.Params().Len() {
				params = append(params, sig.Params().At(i))
				names = append(names, sig.Params().At(i).Name())
			}
		}
		errIdx := errorResults(sig)
		if len(params) == 0 || len(errIdx) == 0 {
			continue
		}
		for _, ret := range shortcutReturns(pass.TypesInfo, d.Body, params, sig.Results().Len(), errIdx) {
			if refusesAt(pass.TypesInfo, ret, sig, spec.refusal) {
				continue // false: a refusal, not a success
			}
			rep.report(check.ShortcutSave, ret.Pos(), ret.End(), shortcutMessage(fn.Name(), strings.Join(names, " nor "), spec.kind))
		}
	}
}

// errorResults returns the indices of the results of type error.
func errorResults(sig *types.Signature) []int {
	var idx []int
	errType := types.Universe.Lookup("error").Type()
	for i := range sig.Results().Len() {
		if types.Identical(sig.Results().At(i).Type(), errType) {
			idx = append(idx, i)
		}
	}
	return idx
}

// shortcutReturns returns, in source order, the return statements of body
// that return a literal nil for every error result on some path from the
// entry that reads none of params.
func shortcutReturns(info *types.Info, body *ast.BlockStmt, params []*types.Var, nresults int, errIdx []int) []*ast.ReturnStmt {
	g := cfg.New(body, mayReturn(info))
	if len(g.Blocks) == 0 {
		return nil
	}
	reads := func(n ast.Node) bool {
		found := false
		inspect := func(n ast.Node) {
			if n == nil {
				return
			}
			ast.Inspect(n, func(n ast.Node) bool {
				if found {
					return false
				}
				if id, ok := n.(*ast.Ident); ok && isParam(info.Uses[id], params) {
					found = true
				}
				return true
			})
		}
		if r, ok := n.(*ast.RangeStmt); ok {
			// Only the header is evaluated here; the body has blocks of its own.
			inspect(r.Key)
			inspect(r.Value)
			inspect(r.X)
		} else {
			inspect(n)
		}
		return found
	}
	success := func(r *ast.ReturnStmt) bool {
		if len(r.Results) != nresults {
			return false // bare return of named results, or a multi-value call
		}
		for _, i := range errIdx {
			id, ok := ast.Unparen(r.Results[i]).(*ast.Ident)
			if !ok {
				return false
			}
			if _, isNil := info.Uses[id].(*types.Nil); !isNil {
				return false
			}
		}
		// A literal false beside the nil error is a refusal: the
		// save reports it was not applied (a compare-and-swap's bool).
		for _, e := range r.Results {
			if id, ok := ast.Unparen(e).(*ast.Ident); ok && info.Uses[id] == types.Universe.Lookup("false") {
				return false
			}
		}
		return true
	}
	found := map[*ast.ReturnStmt]bool{}
	seen := map[*cfg.Block]bool{}
	work := []*cfg.Block{g.Blocks[0]}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		stopped := false
		for _, n := range b.Nodes {
			if reads(n) {
				stopped = true
				break
			}
			if r, ok := n.(*ast.ReturnStmt); ok && success(r) {
				found[r] = true
			}
		}
		if !stopped {
			work = append(work, b.Succs...)
		}
	}
	var out []*ast.ReturnStmt
	ast.Inspect(body, func(n ast.Node) bool {
		if _, ok := n.(*ast.FuncLit); ok {
			return false
		}
		if r, ok := n.(*ast.ReturnStmt); ok && found[r] {
			out = append(out, r)
		}
		return true
	})
	return out
}

func isParam(obj types.Object, params []*types.Var) bool {
	v, ok := obj.(*types.Var)
	return ok && slices.Contains(params, v)
}

// mayReturn reports whether a call may return: not panic, os.Exit,
// log.Fatal and their kin, runtime.Goexit.
func mayReturn(info *types.Info) func(*ast.CallExpr) bool {
	return func(call *ast.CallExpr) bool {
		switch fun := ast.Unparen(call.Fun).(type) {
		case *ast.Ident:
			if b, ok := info.Uses[fun].(*types.Builtin); ok && b.Name() == "panic" {
				return false
			}
		case *ast.SelectorExpr:
			fn, ok := info.Uses[fun.Sel].(*types.Func)
			if !ok || fn.Pkg() == nil {
				return true
			}
			switch fn.Pkg().Path() + "." + fn.Name() {
			case "os.Exit", "log.Fatal", "log.Fatalf", "log.Fatalln", "log.Panic", "log.Panicf", "log.Panicln", "runtime.Goexit":
				return false
			}
		}
		return true
	}
}

func shortcutMessage(fn, param string, kind guardKind) string {
	what, role := "guarded save", "expectation"
	if kind == kindTransition {
		what, role = "transition", "source state"
	}
	return fn + " is a " + what + " but returns success here without ever reading " + param +
		" (its " + role + "), so a call whose guard should fail succeeds and a concurrent duplicate proceeds; " +
		"check " + param + " before any early return, even when there is nothing else to write"
}
