package analyzer

import (
	"go/ast"
	"go/constant"
	"go/types"
	"strings"
)

// A refusalKind tells how a guarded save or transition reports, besides
// its error, that it did not apply.
type refusalKind int

const (
	refusalNone   refusalKind = iota
	refusalBool               // applied or not: false is a refusal
	refusalCount              // rows written: 0 is a refusal
	refusalResult             // a sql.Result (anything with RowsAffected): 0 rows is a refusal
)

// refusalOf returns the index of the result of sig through which a
// guarded save or transition refuses besides its error, or -1: a bool
// (applied or not), else an integer (a count of rows), else a value with
// a RowsAffected method (sql.Result, a driver's command tag). Only
// predeclared bool and integer types count (a named type over one is a
// state, an ID or a version), a named result only when its name says so
// (ok, applied, updated, n, count, rowsAffected, ...: not created, id,
// version), and a shape is no refusal when two results have it.
func refusalOf(sig *types.Signature) int {
	if sig == nil {
		return -1
	}
	best, kind, ambiguous := -1, refusalNone, false
	for i := range sig.Results().Len() {
		k := refusalKindOf(sig.Results().At(i))
		switch {
		case k == refusalNone || (kind != refusalNone && k > kind):
		case k == kind:
			ambiguous = true
		default: // a better kind than the one found so far
			best, kind, ambiguous = i, k, false
		}
	}
	if ambiguous {
		return -1
	}
	return best
}

// refusalKindOf returns what kind of refusal the result v can carry.
func refusalKindOf(v *types.Var) refusalKind {
	t := types.Unalias(v.Type())
	if b, ok := t.(*types.Basic); ok {
		if !refusalName(v.Name()) {
			return refusalNone
		}
		switch {
		case b.Kind() == types.Bool:
			return refusalBool
		case b.Info()&types.IsInteger != 0:
			return refusalCount
		}
		return refusalNone
	}
	if hasRowsAffected(t) {
		return refusalResult
	}
	return refusalNone
}

// refusalName reports whether a result named name may be a refusal: it
// is unnamed, or its name says "applied" or "rows written".
func refusalName(name string) bool {
	l := strings.ToLower(name)
	switch l {
	case "", "_", "ok", "n", "cnt", "won", "res":
		return true
	}
	for _, w := range []string{"ok", "affected", "count", "rows", "applied", "updated", "saved", "changed", "swapped", "modified", "matched", "success", "succeeded"} {
		if strings.HasSuffix(l, w) {
			return true
		}
	}
	return false
}

// hasRowsAffected reports whether t has a method RowsAffected() whose
// first result is an integer, as sql.Result and pgconn.CommandTag have.
func hasRowsAffected(t types.Type) bool {
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "RowsAffected")
	fn, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	sig := fn.Signature()
	if sig.Params().Len() != 0 || sig.Results().Len() == 0 {
		return false
	}
	b, ok := sig.Results().At(0).Type().Underlying().(*types.Basic)
	return ok && b.Info()&types.IsInteger != 0
}

// kindOfRefusal returns the kind of the result refusal of sig.
func kindOfRefusal(sig *types.Signature, refusal int) refusalKind {
	if refusal < 0 || refusal >= sig.Results().Len() {
		return refusalNone
	}
	return refusalKindOf(sig.Results().At(refusal))
}

// withRefusal returns spec with the refusal result of fn set, a copy, so
// that every source's specs say alike through which result a call
// refuses.
func withRefusal(fn *types.Func, spec *guardSpec) *guardSpec {
	s := *spec
	s.refusal = -1
	if sig, ok := fn.Type().(*types.Signature); ok && !isPredicateName(fn.Name()) {
		s.refusal = refusalOf(sig)
	}
	return &s
}

// isPredicateName reports whether name asks a question (CanTransition,
// IsAllowed, ValidMove, HasStatus): its bool is the answer, not a
// refusal.
func isPredicateName(name string) bool {
	for _, p := range []string{"can", "is", "has", "valid", "allow", "may", "should"} {
		if len(name) <= len(p) || !strings.EqualFold(name[:len(p)], p) {
			continue
		}
		// CanX, can_x, canX: not Isolate, Validate, Hash.
		if c := name[len(p)]; c == '_' || (c >= 'A' && c <= 'Z') {
			return true
		}
	}
	return false
}

// refusesAt reports whether ret returns a constant false in the bool
// result through which sig refuses. A count of 0 is not taken for a
// refusal here: a save that returns 0 rows on a path that never ran its
// condition may mean "nothing to write", a success to its caller.
func refusesAt(info *types.Info, ret *ast.ReturnStmt, sig *types.Signature, refusal int) bool {
	if refusal < 0 || refusal >= sig.Results().Len() || len(ret.Results) != sig.Results().Len() {
		return false
	}
	tv, ok := info.Types[ret.Results[refusal]]
	if !ok || tv.Value == nil {
		return false
	}
	return tv.Value.Kind() == constant.Bool && !constant.BoolVal(tv.Value)
}
