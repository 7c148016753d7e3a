package place

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A Write is a write to a field of an object, as one function sees it.
//
// A store in the function itself (FieldWrites) has At == Store. A write
// made elsewhere on the function's behalf (by a helper it calls, or a
// callback it hands the object to) is a Write whose At is the instruction
// of the function where the write takes effect (the call) and whose Store
// is the store in the other function, for positions and messages: every
// query of this package follows At.
type Write struct {
	At    ssa.Instruction // where the write takes effect in the function
	Store *ssa.Store      // the store that makes it, perhaps in another function
	Field *types.Var
	Val   ssa.Value // the value the field gets; nil when unknown
	Src   token.Pos // where the source spells the value's store
	Loads Loads     // the loads of the object's key, as of At
}

// FieldWrites returns the stores in fn to fields of the object key, in
// instruction order, for which keep is true: to the field itself, or to
// the whole struct (*j = Job{...}).
func FieldWrites(fn *ssa.Function, key Key, keep func(*types.Var) bool) []Write {
	var ws []Write
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			fa, ok := st.Addr.(*ssa.FieldAddr)
			if !ok {
				ws = append(ws, wholeWrites(st, key, keep)...)
				continue
			}
			f := FieldOf(fa)
			if f == nil || !keep(f) {
				continue
			}
			k, load := PointerKey(fa.X)
			if k != key {
				continue
			}
			ws = append(ws, Write{st, st, f, st.Val, st.Pos(), load})
		}
	}
	return ws
}

// wholeWrites returns the field writes of a store of a whole struct to the
// object key: the values a composite literal gave its fields (a field it
// omits gets its zero value), unknown values otherwise.
func wholeWrites(st *ssa.Store, key Key, keep func(*types.Var) bool) []Write {
	sv, ok := st.Addr.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	stt, ok := sv.Elem().Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	k, load := PointerKey(st.Addr)
	if k != key {
		return nil
	}
	// The literal: a load of a local Alloc whose fields were stored.
	var lit *ssa.Alloc
	if u, ok := st.Val.(*ssa.UnOp); ok && u.Op == token.MUL {
		lit, _ = u.X.(*ssa.Alloc)
	}
	var ws []Write
	for i := range stt.NumFields() {
		f := stt.Field(i)
		if !keep(f) {
			continue
		}
		var val ssa.Value
		src := token.NoPos
		if lit != nil {
			val = zeroConst(f.Type()) // omitted: the zero value
			for _, r := range *lit.Referrers() {
				fa, ok := r.(*ssa.FieldAddr)
				if !ok || fa.Field != i {
					continue
				}
				for _, r2 := range *fa.Referrers() {
					if s2, ok := r2.(*ssa.Store); ok && s2.Addr == fa {
						val, src = s2.Val, s2.Pos()
					}
				}
			}
		}
		ws = append(ws, Write{st, st, f, val, src, load})
	}
	return ws
}

// zeroConst returns the zero value of t as a constant, as the SSA builder
// spells it, or nil for a struct or array type.
func zeroConst(t types.Type) ssa.Value {
	switch u := t.Underlying().(type) {
	case *types.Basic:
		switch {
		case u.Info()&types.IsBoolean != 0:
			return ssa.NewConst(constant.MakeBool(false), t)
		case u.Info()&types.IsString != 0:
			return ssa.NewConst(constant.MakeString(""), t)
		case u.Info()&types.IsInteger != 0:
			return ssa.NewConst(constant.MakeInt64(0), t)
		case u.Info()&types.IsFloat != 0:
			return ssa.NewConst(constant.MakeFloat64(0), t)
		}
		return nil
	case *types.Pointer, *types.Slice, *types.Map, *types.Chan, *types.Signature, *types.Interface:
		return ssa.NewConst(nil, t)
	}
	return nil
}
