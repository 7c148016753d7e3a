package analyzer

import (
	"go/ast"
	"go/constant"
	"go/types"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/stateguard/stateguard/analyzer/internal/place"
	"github.com/stateguard/stateguard/internal/check"
)

// UPDATE statements built by a chain of builder calls, squirrel's way:
//
//	psql.Update("volumes").Set("state", to).Where(sq.Or{sq.Eq{"state": from}, sq.Eq{"state": to}})
//
// The chain starts at a call named Update, sets a column whose name is a
// state name (state, status, task_state, ...) with Set(col, value), and
// has exactly one Where(cond): the condition's entry for that column is
// the expectation, read as for a save with a condition (condmap.go). The
// value set among the expected values is reported as for a save.

// A builderCall is one call of a chain: a method called on the value the
// previous call returned.
type builderCall struct {
	call *ssa.Call
	name string
}

// builderMethod returns the call as a method of a builder called
// statically on a value (its receiver is Args[0]), or false.
func builderMethod(v ssa.Value) (builderCall, bool) {
	call, ok := place.Strip(v).(*ssa.Call)
	if !ok || call.Common().IsInvoke() {
		return builderCall{}, false
	}
	fn, ok := call.Common().Value.(*ssa.Function)
	if !ok {
		return builderCall{}, false
	}
	return builderCall{call, fn.Name()}, fn.Signature.Recv() != nil || fn.Name() == "Update"
}

// chainOf returns the calls of the chain through where, in order, and
// whether it starts at an Update.
func chainOf(where *ssa.Call) ([]builderCall, bool) {
	var back []builderCall
	cur := ssa.Value(where)
	rooted := false
	for range 32 {
		b, ok := builderMethod(cur)
		if !ok {
			break
		}
		back = append(back, b)
		if b.name == "Update" {
			rooted = true
			break
		}
		args := b.call.Common().Args
		if len(args) == 0 {
			break
		}
		cur = args[0]
	}
	// Calls after where on its result.
	var fwd []builderCall
	cur = where
	for range 32 {
		refs := cur.Referrers()
		if refs == nil {
			break
		}
		var next *ssa.Call
		for _, r := range *refs {
			if c, ok := r.(*ssa.Call); ok && len(c.Common().Args) > 0 && c.Common().Args[0] == cur {
				if b, ok := builderMethod(c); ok && b.call.Common().Value.(*ssa.Function).Signature.Recv() != nil {
					if next != nil {
						next = nil
						break
					}
					next = c
				}
			}
		}
		if next == nil {
			break
		}
		fwd = append(fwd, builderCall{next, next.Common().Value.(*ssa.Function).Name()})
		cur = next
	}
	out := make([]builderCall, 0, len(back)+len(fwd))
	for i := len(back) - 1; i >= 0; i-- {
		out = append(out, back[i])
	}
	return append(out, fwd...), rooted
}

// checkChains checks the UPDATE chains of fn.
func (c *callChecker) checkChains(fn *ssa.Function) {
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			where, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			w, ok := builderMethod(where)
			if !ok || w.name != "Where" || len(where.Common().Args) < 2 {
				continue
			}
			if f := where.Common().Value.(*ssa.Function); f.Signature.Recv() == nil {
				continue
			}
			c.checkChain(where)
		}
	}
}

func (c *callChecker) checkChain(where *ssa.Call) {
	chain, rooted := chainOf(where)
	if !rooted {
		return
	}
	wheres := 0
	var sets []*ssa.Call
	for _, b := range chain {
		switch b.name {
		case "Where":
			wheres++
		case "Set":
			sets = append(sets, b.call)
		}
	}
	if wheres != 1 {
		return
	}
	whereExpr := c.calls[where.Common().Pos()]
	if whereExpr == nil || len(whereExpr.Args) == 0 {
		return
	}
	for _, set := range sets {
		args := set.Common().Args
		if len(args) != 3 {
			continue
		}
		k, ok := place.Strip(args[1]).(*ssa.Const)
		if !ok || k.Value == nil || k.Value.Kind() != constant.String {
			continue
		}
		col := columnKey(constant.StringVal(k.Value))
		val := place.Strip(args[2])
		if !isStateName(col) || !isStateType(val.Type()) {
			continue
		}
		setExpr := c.calls[set.Common().Pos()]
		if setExpr == nil || len(setExpr.Args) != 2 {
			continue
		}
		cond := condOf(where.Common().Args[1], map[string]bool{col: true}, where, 0)
		if !cond.known || !cond.constrains {
			continue
		}
		vals := distinct(cond.vals)
		for _, v := range vals {
			if !sameValue(val, v) {
				continue
			}
			written := c.describeIn(val, setExpr.Args[1:])
			if e := ast.Unparen(setExpr.Args[1]); len(types.ExprString(e)) <= 40 {
				written = types.ExprString(e)
			}
			rel := analysis.RelatedInformation{Pos: setExpr.Pos(), End: setExpr.End(), Message: col + " is set to " + written + " here"}
			exprs := whereExpr.Args[:1]
			if len(vals) == 1 {
				exp := c.describeIn(v, exprs)
				c.rep.report(check.IneffectiveGuard, whereExpr.Pos(), whereExpr.End(),
					"this UPDATE sets "+col+" to "+written+" and its condition expects only "+exp+
						", so it cannot catch a concurrent duplicate of this action: the duplicate passes the guard too. "+
						"Expect the state the row leaves; if the statement only fences other changes, do not set "+col, rel)
			} else {
				c.rep.report(check.ReentrantGuard, whereExpr.Pos(), whereExpr.End(),
					"this UPDATE sets "+col+" to "+written+" and its condition accepts "+written+
						" among its expected states ("+c.describeAllIn(vals, exprs)+"), so a concurrent duplicate of this action passes the guard; "+
						"remove "+written+" from the condition, or, if a repeated transition is intended to succeed, "+
						"say so with //stateguard:ignore reentrant-guard REASON", rel)
			}
			break
		}
	}
}

// usesUpdateChain is the prefilter of checkChains: does the package call
// methods named Set and Where, and something named Update?
func usesUpdateChain(used []*types.Func) bool {
	var set, where, update bool
	for _, fn := range used {
		sig, _ := fn.Type().(*types.Signature)
		method := sig != nil && sig.Recv() != nil
		switch fn.Name() {
		case "Set":
			set = set || method
		case "Where":
			where = where || method
		case "Update":
			update = true
		}
		if set && where && update {
			return true
		}
	}
	return false
}
