package analyzer

import (
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/ssa"

	"github.com/stateguard/stateguard/analyzer/internal/place"
	"github.com/stateguard/stateguard/internal/check"
)

// Compare-and-swap saves with a mutate callback:
//
//	CompareAndSwapStatus(ctx, ref, expectedStatus S, mutate func(*T) error)
//
// The save loads the object, checks that its field F is expectedStatus,
// hands it to mutate and stores it: the callback's write to F is the new
// state. At a call, the callback's stores to F that reach a return of the
// callback that does not fail are writes made at the call (place.Write
// with At the call and Store the store inside the callback).

// callbackSave recognizes such a save: a name that says it writes (or
// swaps), a parameter of func type whose parameter k is a pointer to a
// struct T with a state field F, and an expectation of F among the other
// parameters (expectedF, currentF, ..., exactly expected when F is T's only
// field of that type, or a condition). The spec's object is the callback
// parameter.
func callbackSave(name string, sig *types.Signature) *guardSpec {
	if !saysWrites(name) {
		return nil
	}
	params := sig.Params()
	for m := range params.Len() {
		fsig, ok := params.At(m).Type().Underlying().(*types.Signature)
		if !ok {
			continue
		}
		for k := range fsig.Params().Len() {
			pt := fsig.Params().At(k).Type()
			if _, isPtr := types.Unalias(pt).(*types.Pointer); !isPtr {
				continue
			}
			st := structOf(pt)
			if st == nil {
				continue
			}
			if guards := expectationsOf(params, m, st); len(guards) > 0 {
				return &guardSpec{kind: kindSave, object: m, guards: guards, how: "convention"}
			}
		}
	}
	return nil
}

// expectationsOf returns the guards the parameters other than skip carry
// for the state fields of st, as conventionSave finds them for an object,
// or a condition parameter's guard of every state field.
func expectationsOf(params *types.Tuple, skip int, st *types.Struct) []fieldGuard {
	fields := fieldsOf(st)
	var guards []fieldGuard
	has := func(f string) bool {
		return slices.ContainsFunc(guards, func(g fieldGuard) bool { return g.field == f })
	}
	cond := -1
	for i := range params.Len() {
		if i == skip {
			continue
		}
		p := params.At(i)
		matched := false
		for _, f := range fields {
			if !isStateName(f.Name()) || !isStateType(f.Type()) || !acceptsValuesOf(p.Type(), f.Type()) || has(f.Name()) {
				continue
			}
			if rest, ok := splitPrefix(p.Name(), savePrefixes); ok && rest != "" && strings.EqualFold(rest, f.Name()) {
				guards = append(guards, fieldGuard{f.Name(), i})
				matched = true
				break
			}
		}
		if matched {
			continue
		}
		if p.Name() == "expected" {
			et := p.Type()
			if e := elemOf(et); e != nil {
				et = e
			}
			var only *types.Var
			n := 0
			for _, f := range fields {
				if types.Identical(f.Type(), et) {
					only = f
					n++
				}
			}
			if n == 1 && isStateName(only.Name()) && isStateType(only.Type()) && !has(only.Name()) {
				guards = append(guards, fieldGuard{only.Name(), i})
			}
			continue
		}
		if cond < 0 && isCondParam(p) {
			cond = i
		}
	}
	if len(guards) == 0 && cond >= 0 {
		for _, f := range fields {
			if isStateName(f.Name()) && isStateType(f.Type()) && !has(f.Name()) {
				guards = append(guards, fieldGuard{f.Name(), cond})
			}
		}
	}
	return guards
}

// callbackObject returns the index of the parameter of a callback's
// signature that is a pointer to a struct with every guarded field, or -1.
func callbackObject(sig *types.Signature, guards []fieldGuard) int {
	for k := range sig.Params().Len() {
		pt := sig.Params().At(k).Type()
		if _, isPtr := types.Unalias(pt).(*types.Pointer); !isPtr {
			continue
		}
		st := structOf(pt)
		if st == nil {
			continue
		}
		fields := fieldsOf(st)
		all := len(guards) > 0
		for _, g := range guards {
			if !slices.ContainsFunc(fields, func(f *types.Var) bool { return f.Name() == g.field }) {
				all = false
			}
		}
		if all {
			return k
		}
	}
	return -1
}

// callbackWrites returns the writes to the guarded fields that the
// callback passed as parameter i of the save called at s makes to the
// object it is handed, as writes at the call: the stores that reach a
// return of the callback that may succeed.
func (c *callChecker) callbackWrites(s *callSite, i int) []place.Write {
	fsig, ok := s.paramType(i).Underlying().(*types.Signature)
	if !ok {
		return nil
	}
	k := callbackObject(fsig, s.spec.guards)
	if k < 0 {
		return nil
	}
	var cb *ssa.Function
	switch v := place.Strip(s.arg(i)).(type) {
	case *ssa.MakeClosure:
		cb, _ = v.Fn.(*ssa.Function)
	case *ssa.Function:
		cb = v
	}
	if cb == nil || len(cb.Blocks) == 0 || cb.Signature.Recv() != nil || k >= len(cb.Params) {
		return nil
	}
	key, _ := place.PointerKey(cb.Params[k])
	ws := place.FieldWrites(cb, key, func(f *types.Var) bool {
		_, guarded := s.spec.guardOn(f.Name())
		return guarded
	})
	if len(ws) == 0 {
		return nil
	}
	rb := place.RebindsOf(cb, key)
	var out []place.Write
	for _, b := range cb.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || fails(ret) {
			continue
		}
		for _, w := range place.ReachingWrites(ws, place.Use{At: ret}, nil, rb) {
			if !slices.ContainsFunc(out, func(o place.Write) bool { return o.Store == w.Store && o.Field == w.Field }) {
				// Made at the call, on the caller's behalf.
				out = append(out, place.Write{At: s.instr, Store: w.Store, Field: w.Field, Val: w.Val, Src: w.Src})
			}
		}
	}
	return out
}

// fails reports whether a callback's return certainly returns a non-nil
// error: a value converted to error, errors.New(...) or fmt.Errorf(...),
// or a package variable (ErrStale).
func fails(ret *ssa.Return) bool {
	for _, r := range ret.Results {
		if !types.Identical(r.Type(), errorType) {
			continue
		}
		switch r := r.(type) {
		case *ssa.MakeInterface:
			return true
		case *ssa.Call:
			if f, ok := r.Common().Value.(*ssa.Function); ok && f.Pkg != nil {
				p := f.Pkg.Pkg.Path()
				if p == "errors" && f.Name() == "New" || p == "fmt" && f.Name() == "Errorf" {
					return true
				}
			}
		case *ssa.UnOp:
			if _, ok := r.X.(*ssa.Global); ok && r.Op == token.MUL {
				return true
			}
		}
	}
	return false
}

// checkCallbacks checks one call of a guarded save for callbacks that
// write the guarded field: ineffective-guard when the callback writes the
// only expected value, reentrant-guard when it writes one of several.
func (c *callChecker) checkCallbacks(s *callSite) {
	sig, ok := s.callee.Type().(*types.Signature)
	if !ok {
		return
	}
	for i := range sig.Params().Len() {
		ws := c.callbackWrites(s, i)
		if len(ws) == 0 {
			continue
		}
		for _, g := range s.spec.guards {
			if g.expect == i {
				continue
			}
			var ft types.Type
			for _, w := range ws {
				if w.Field.Name() == g.field {
					ft = w.Field.Type()
				}
			}
			if ft == nil || !isStateType(ft) {
				continue
			}
			vals, known := c.expectation(s, g, ft)
			vals = distinct(vals)
			if !known || len(vals) == 0 {
				continue
			}
			c.reportCallbackWrite(s, g, ws, vals)
		}
	}
}

func (c *callChecker) reportCallbackWrite(s *callSite, g fieldGuard, ws []place.Write, vals []ssa.Value) {
	args := s.expr.Args[min(g.expect, len(s.expr.Args)):]
	if len(args) > 1 {
		args = args[:1] // the expectation, not the callback
	}
	for _, w := range ws {
		if w.Field.Name() != g.field {
			continue
		}
		for _, v := range vals {
			if !sameValue(w.Val, v) {
				continue
			}
			val := c.describeWrite(w)
			if len(vals) == 1 {
				exp := c.describeIn(v, args)
				if exp != val {
					exp += ", the same value"
				}
				c.rep.report(check.IneffectiveGuard, s.expr.Pos(), s.expr.End(),
					"the callback passed to "+s.callee.Name()+" sets "+g.field+" to "+val+
						" and this call expects only "+exp+", so it cannot catch a concurrent duplicate of this action: "+
						"the duplicate passes the guard too. Expect the state the object leaves (read it before the call); "+
						"if the call only fences other changes on the current state, leave "+g.field+" alone in the callback",
					c.related(w))
			} else {
				c.rep.report(check.ReentrantGuard, s.expr.Pos(), s.expr.End(),
					"the callback passed to "+s.callee.Name()+" sets "+g.field+" to "+val+
						" and this call accepts "+val+" among its expected states ("+c.describeAllIn(vals, args)+
						"), so a concurrent duplicate of this action passes the guard; remove "+val+
						" from the expected states, or, if re-entry is intended, say so with //stateguard:ignore REASON",
					c.related(w))
			}
			return
		}
	}
}
