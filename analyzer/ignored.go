package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ast/astutil"
	"golang.org/x/tools/go/ssa"

	"github.com/stateguard/stateguard/analyzer/internal/place"
	"github.com/stateguard/stateguard/internal/check"
)

// checkIgnored reports ignored-conflict: a call of a guarded save or
// transition that refuses through a result besides its error (a bool, a
// count of rows, a sql.Result: spec.refusal) and whose caller never reads
// that result. A result read in any way (compared, returned, passed on,
// stored) is not discarded; in SSA, the refusal is discarded when the
// call is deferred or spawned, or when the value (the call itself, or the
// Extract of the refusal's index) has no referrers or does not exist.
// Calls in _test.go files are not judged: a test's setup saves with no
// concurrent contender.
func (c *callChecker) checkIgnored(sites []*callSite) {
	for _, s := range sites {
		if s.spec.refusal < 0 || s.expr == nil || !carriesExpectation(s) {
			continue
		}
		sig, ok := s.callee.Type().(*types.Signature)
		if !ok {
			continue
		}
		kind := kindOfRefusal(sig, s.spec.refusal)
		if kind == refusalNone {
			continue
		}
		if strings.HasSuffix(c.pass.Fset.Position(s.expr.Pos()).Filename, "_test.go") {
			continue
		}
		var how string
		var related []analysis.RelatedInformation
		switch instr := s.instr.(type) {
		case *ssa.Defer:
			how = " (a deferred call's results are dropped)"
		case *ssa.Go:
			how = " (a go statement drops the call's results)"
		case *ssa.Call:
			refusal, errUsed := resultUses(instr, sig, s.spec.refusal)
			if refusal {
				continue
			}
			how, related = c.discardedHow(s.expr, sig, s.spec.refusal, kind, errUsed)
		default:
			continue
		}
		c.rep.report(check.IgnoredConflict, s.expr.Pos(), s.expr.End(),
			ignoredMessage(s.callee.Name(), s.spec, kind, refusalType(sig, s.spec.refusal, c.pass.Pkg), how), related...)
	}
}

// carriesExpectation reports whether the call s can be refused for a
// concurrent change: a transition, or a save with an expectation that is
// not known to be empty (a save with no expectation, Save(ctx, j) with
// no values for its ...Status or a nil condition, overwrites whatever is
// stored: its bool or count says nothing about a race).
func carriesExpectation(s *callSite) bool {
	if s.spec.kind == kindTransition {
		return true
	}
	for _, g := range s.spec.guards {
		vals, known := expected(s.arg(g.expect), s.paramType(g.expect), nil)
		if !known {
			return true
		}
		for _, v := range vals {
			if !noCondition(v) {
				return true
			}
		}
	}
	return false
}

// noCondition reports whether an expectation value is a nil that stands
// for no condition: a nil map, slice, interface or func (a condition map
// or builder passed as nil), not the nil of a nullable state (NULL).
func noCondition(v ssa.Value) bool {
	k, ok := place.Strip(v).(*ssa.Const)
	if !ok || !k.IsNil() {
		return false
	}
	_, isPtr := types.Unalias(k.Type()).Underlying().(*types.Pointer)
	return !(isPtr && isStateType(k.Type()))
}

// resultUses reports whether the result i of call is read, and whether
// its error result is.
func resultUses(call *ssa.Call, sig *types.Signature, i int) (used, errUsed bool) {
	if sig.Results().Len() == 1 {
		return hasUses(call), false
	}
	for _, r := range *call.Referrers() {
		x, ok := r.(*ssa.Extract)
		if !ok {
			// The tuple itself is used as a whole (it cannot be in Go
			// source, but be safe): count the refusal as read.
			return true, true
		}
		if !hasUses(x) {
			continue
		}
		if x.Index == i {
			used = true
		} else if types.Identical(x.Type(), errorType) {
			errUsed = true
		}
	}
	return used, errUsed
}

// hasUses reports whether v has a referrer other than a debug reference.
func hasUses(v ssa.Value) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		if _, ok := r.(*ssa.DebugRef); !ok {
			return true
		}
	}
	return false
}

// discardedHow says how the source discards the refusal of call (a
// statement of its own, an assignment to _ or to a variable never read),
// and points at the assignment.
func (c *callChecker) discardedHow(call *ast.CallExpr, sig *types.Signature, i int, kind refusalKind, errUsed bool) (string, []analysis.RelatedInformation) {
	errOnly := ""
	if errUsed {
		errOnly = " and only the error is checked"
	}
	var file *ast.File
	for _, f := range c.pass.Files {
		if f.FileStart <= call.Pos() && call.Pos() < f.FileEnd {
			file = f
			break
		}
	}
	if file == nil {
		return "", nil
	}
	path, _ := astutil.PathEnclosingInterval(file, call.Pos(), call.End())
	var parent ast.Node
	for _, n := range path {
		if _, ok := n.(*ast.ParenExpr); ok || n == ast.Node(call) {
			continue
		}
		parent = n
		break
	}
	what := refusalNoun(kind)
	switch p := parent.(type) {
	case *ast.ExprStmt:
		return " (the call is a statement of its own)", nil
	case *ast.AssignStmt:
		if len(p.Rhs) == 1 && len(p.Lhs) == sig.Results().Len() && i < len(p.Lhs) {
			return c.lhsHow(p.Lhs[i], what, errOnly)
		}
	case *ast.ValueSpec:
		if len(p.Values) == 1 && len(p.Names) == sig.Results().Len() && i < len(p.Names) {
			return c.lhsHow(p.Names[i], what, errOnly)
		}
	}
	if errUsed {
		return ": only the error is checked", nil
	}
	return "", nil
}

// lhsHow describes the assignment of the refusal to lhs.
func (c *callChecker) lhsHow(lhs ast.Expr, what, errOnly string) (string, []analysis.RelatedInformation) {
	if id, ok := ast.Unparen(lhs).(*ast.Ident); ok && id.Name == "_" {
		return ": it is assigned to _" + errOnly, []analysis.RelatedInformation{{
			Pos: id.Pos(), End: id.End(), Message: "the " + what + " is assigned to _ here",
		}}
	}
	name := types.ExprString(lhs)
	return ": it is assigned to " + name + ", which is not read before it is overwritten" + errOnly, []analysis.RelatedInformation{{
		Pos: lhs.Pos(), End: lhs.End(), Message: "the " + what + " is assigned to " + name + " here and never read",
	}}
}

// refusalNoun names a kind of refusal result.
func refusalNoun(k refusalKind) string {
	switch k {
	case refusalBool:
		return "bool"
	case refusalCount:
		return "count of rows"
	}
	return "result"
}

// refusalType is the type of the result i of sig as the package writes it.
func refusalType(sig *types.Signature, i int, pkg *types.Package) string {
	return types.TypeString(sig.Results().At(i).Type(), func(p *types.Package) string {
		if p == pkg {
			return ""
		}
		return p.Name()
	})
}

func ignoredMessage(callee string, spec *guardSpec, kind refusalKind, typ, how string) string {
	action := "save"
	changed := "the object's state was no longer the expected one"
	if spec.kind == kindTransition {
		action = "transition"
		changed = "the state was no longer the source state"
	} else if len(spec.guards) > 0 {
		names := make([]string, len(spec.guards))
		for i, g := range spec.guards {
			names[i] = g.field
		}
		changed = "the object's " + strings.Join(names, " or ") + " was no longer the expected one"
	}
	var result, refused, treat string
	switch kind {
	case refusalBool:
		result, refused, treat = "its bool result", "false", "check the bool and treat false as a conflict"
	case refusalCount:
		result, refused, treat = "its count of rows ("+typ+")", "0", "check the count and treat 0 as a conflict"
	default:
		result, refused, treat = "its "+typ, "0 rows affected", "check its RowsAffected and treat 0 as a conflict"
	}
	return fmt.Sprintf("%s reports through %s whether the %s applied (%s: %s, another action got there first), "+
		"and this call discards it%s, so the loser of a concurrent race carries on as if it had won; "+
		"%s (return an error, reload the object, or stop), or, if best-effort is intended, "+
		"say so with //stateguard:ignore ignored-conflict REASON",
		callee, result, action, refused, changed, how, treat)
}
