package analyzer

import (
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/stateguard/stateguard/analyzer/internal/place"
)

// Functions that return a parameter: p, err = prepare(ctx, p) gives p
// back, so the object keeps its identity across the call. A function
// returns its parameter i as its result k when, on every normal return,
// result k is parameter i itself (a pointer to a struct with a state
// field), or nil where the function returns an error that is not nil.
// Its fact (helperFact.Returns) carries that to other packages; in the
// package's SSA form, each use of such a result is then the argument
// itself (rewriteIdentities), so writes and saves through either are of
// one object.

// HelperReturn is one result of a function that is one of its
// parameters. (Exported for gob.)
type HelperReturn struct {
	Result int // the result
	Param  int // the parameter it is, receiverIndex for the receiver
}

// identityCandidates is the cheap prefilter: the functions of the
// package with a result whose type is that of a parameter (or the
// receiver), a pointer to a struct with a state field.
func (h *helpers) identityCandidates() map[*types.Func]bool {
	cands := map[*types.Func]bool{}
	for _, d := range h.rec.decls {
		fn, _ := h.pass.TypesInfo.Defs[d.Name].(*types.Func)
		if fn == nil {
			continue
		}
		if len(identityPairs(fn.Signature(), h.isObject)) > 0 {
			cands[fn] = true
		}
	}
	return cands
}

// identityPairs returns the (result, parameter) pairs of sig of one
// type, a pointer to a struct with a state field: the first parameter
// for each result.
func identityPairs(sig *types.Signature, isObject func(types.Type) bool) []HelperReturn {
	var out []HelperReturn
	for k := range sig.Results().Len() {
		rt := sig.Results().At(k).Type()
		if _, ok := types.Unalias(rt).(*types.Pointer); !ok || !isObject(rt) {
			continue
		}
		if r := sig.Recv(); r != nil && types.Identical(r.Type(), rt) {
			out = append(out, HelperReturn{k, receiverIndex})
			continue
		}
		for i := range sig.Params().Len() {
			if types.Identical(sig.Params().At(i).Type(), rt) {
				out = append(out, HelperReturn{k, i})
				break
			}
		}
	}
	return out
}

// returnsOf returns the results of fn that are its parameters.
func (h *helpers) returnsOf(fn *types.Func) []HelperReturn {
	if h == nil || fn == nil {
		return nil
	}
	fn = fn.Origin()
	if fn.Pkg() != h.pass.Pkg {
		h.imported(fn)
		return h.idExt[fn]
	}
	if !h.idCands[fn] || h.idBusy[fn] {
		return nil
	}
	if h.idLocal == nil {
		h.idLocal = map[*types.Func][]HelperReturn{}
		h.idBusy = map[*types.Func]bool{}
	}
	if rs, ok := h.idLocal[fn]; ok {
		return rs
	}
	sf := h.ssa[fn]
	if sf == nil {
		return nil
	}
	h.idBusy[fn] = true
	rs := h.computeReturns(fn, sf)
	delete(h.idBusy, fn)
	h.idLocal[fn] = rs
	return rs
}

// computeReturns returns the results of fn (SSA form sf) that are, on
// every return, the parameter identityPairs pairs them with.
func (h *helpers) computeReturns(fn *types.Func, sf *ssa.Function) []HelperReturn {
	if sf.Blocks == nil || sf.Recover != nil {
		return nil
	}
	sig := fn.Signature()
	res := sig.Results()
	errLast := res.Len() > 0 && types.Identical(res.At(res.Len()-1).Type(), errorType)
	var returns []*ssa.Return
	for _, b := range sf.Blocks {
		if n := len(b.Instrs); n > 0 {
			if r, ok := b.Instrs[n-1].(*ssa.Return); ok {
				returns = append(returns, r)
			}
		}
	}
	if len(returns) == 0 {
		return nil
	}
	param := func(i int) ssa.Value {
		if sig.Recv() != nil {
			i++
		}
		if i >= 0 && i < len(sf.Params) {
			return sf.Params[i]
		}
		return nil
	}
	var out []HelperReturn
	for _, pair := range identityPairs(sig, h.isObject) {
		p := param(pair.Param)
		if p == nil {
			continue
		}
		ok := true
		for _, r := range returns {
			if len(r.Results) != res.Len() {
				ok = false
				break
			}
			v := r.Results[pair.Result]
			if h.isValue(v, p, 0) {
				continue
			}
			if errLast && isNilConst(v) && !isNilConst(r.Results[res.Len()-1]) {
				continue // nil with an error
			}
			ok = false
			break
		}
		if ok {
			out = append(out, pair)
		}
	}
	return out
}

// isValue reports whether v is p on every path: p itself, a phi of p
// alone, or the result of a call that returns p as its argument.
func (h *helpers) isValue(v, p ssa.Value, depth int) bool {
	if depth > 8 {
		return false
	}
	v = place.Strip(v)
	if v == p {
		return true
	}
	switch x := v.(type) {
	case *ssa.Phi:
		for _, e := range x.Edges {
			if !h.isValue(e, p, depth+1) {
				return false
			}
		}
		return len(x.Edges) > 0
	case *ssa.Extract:
		if call, ok := x.Tuple.(*ssa.Call); ok {
			if a := h.returnedArg(call, x.Index); a != nil {
				return h.isValue(a, p, depth+1)
			}
		}
	case *ssa.Call:
		if a := h.returnedArg(x, 0); a != nil {
			return h.isValue(a, p, depth+1)
		}
	}
	return false
}

// returnedArg returns the argument a call gives back as its result k, or
// nil.
func (h *helpers) returnedArg(call *ssa.Call, k int) ssa.Value {
	callee, recv, args := callTarget(call.Common())
	if callee == nil {
		return nil
	}
	for _, r := range h.returnsOf(callee) {
		if r.Result != k {
			continue
		}
		if r.Param == receiverIndex {
			return recv
		}
		if r.Param >= 0 && r.Param < len(args) {
			return args[r.Param]
		}
	}
	return nil
}

func isNilConst(v ssa.Value) bool {
	c, ok := place.Strip(v).(*ssa.Const)
	return ok && c.IsNil()
}

// rewriteIdentities makes every use, in funcs, of a result a call gives
// back as its argument a use of the argument itself.
func (h *helpers) rewriteIdentities(funcs []*ssa.Function) {
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				call, ok := instr.(*ssa.Call)
				if !ok {
					continue
				}
				callee, _, _ := callTarget(call.Common())
				if callee == nil {
					continue
				}
				for _, r := range h.returnsOf(callee) {
					arg := h.returnedArg(call, r.Result)
					res := resultOf(call, r.Result)
					if arg == nil || res == nil || !types.Identical(arg.Type(), res.Type()) {
						continue
					}
					replaceUses(res, arg)
				}
			}
		}
	}
}

// resultOf returns the value of a call's result k, or nil.
func resultOf(call *ssa.Call, k int) ssa.Value {
	if _, ok := call.Type().(*types.Tuple); !ok {
		if k == 0 {
			return call
		}
		return nil
	}
	for _, r := range *call.Referrers() {
		if x, ok := r.(*ssa.Extract); ok && x.Index == k {
			return x
		}
	}
	return nil
}

// replaceUses makes every instruction that uses old use v instead.
func replaceUses(old ssa.Value, v ssa.Value) {
	refs, vrefs := old.Referrers(), v.Referrers()
	if refs == nil || vrefs == nil {
		return
	}
	for _, r := range *refs {
		for _, op := range r.Operands(nil) {
			if *op == old {
				*op = v
			}
		}
		*vrefs = append(*vrefs, r)
	}
	*refs = (*refs)[:0]
}
