package place

import (
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// Rebinds holds the instructions of a function that may put another
// pointer in the place an object key's pointer is loaded from: a store to
// the place or to a place that holds it (the variable, the array, the
// struct), to an element at an index that may be the same, and a call
// given the address of such a place, the slice or array that holds it, or
// a function literal that captured its variable. Empty when the key
// follows no place.
type Rebinds map[ssa.Instruction]bool

// RebindsOf returns the rebindings of the place key's pointer is loaded
// from in fn.
func RebindsOf(fn *ssa.Function, key Key) Rebinds {
	if !key.Path.endsInDeref() || key.Path.startsWithValue() {
		return nil
	}
	_, slotPath, _ := key.Path.Last()
	slot := slotPath.Steps()
	holds := func(a ssa.Value, call bool) bool {
		k, ok := PlaceOf(a)
		if !ok || k.Root != key.Root {
			return false
		}
		if call && k.Path.Len() == 0 {
			// The pointer a method gets is no rebinding of the fields it
			// points to; the address of a variable, a slice or an array is.
			switch k.Root.(type) {
			case *ssa.Alloc, *ssa.Global, *ssa.FreeVar:
			default:
				if _, isSlice := k.Root.Type().Underlying().(*types.Slice); !isSlice {
					return false
				}
			}
		}
		return mayHold(k.Path.Steps(), slot)
	}
	rb := Rebinds{}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			switch instr := instr.(type) {
			case *ssa.Store:
				if holds(instr.Addr, false) {
					rb[instr] = true
				}
			case *ssa.Call:
				// A deferred call runs at the return, a spawned one
				// concurrently: neither is on the path.
				for _, a := range mayRebind(instr.Common()) {
					if holds(a, true) {
						rb[instr] = true
						break
					}
				}
			}
		}
	}
	return rb
}

// mayRebind returns the operands of a call through which the callee may
// store to a place: the arguments, the bindings of a function literal it
// calls, the interface an invoked method gets. Builtins that only read
// (len, cap, append's elements, copy's source) give none, nor does the
// pointer receiver of a method: a method of the holder is not seen
// (KNOWN_GAPS).
func mayRebind(common *ssa.CallCommon) []ssa.Value {
	switch v := common.Value.(type) {
	case *ssa.Builtin:
		switch v.Name() {
		case "len", "cap", "print", "println", "min", "max":
			return nil
		case "copy", "append":
			return common.Args[:min(1, len(common.Args))]
		}
		return common.Args
	case *ssa.MakeClosure:
		return append(slices.Clone(common.Args), v.Bindings...)
	case *ssa.Function:
		if v.Signature.Recv() != nil && len(common.Args) > 0 {
			if _, isPtr := common.Args[0].Type().Underlying().(*types.Pointer); isPtr {
				return common.Args[1:]
			}
		}
	}
	if common.IsInvoke() {
		return append(slices.Clone(common.Args), common.Value)
	}
	return common.Args
}

// Between reports whether a rebinding lies on a path from load to at that
// does not pass load again: the place was rebound after load read it and
// before at. A nil load is never passed.
//
// It walks back from at once, in time linear in the function, however
// many rebindings there are.
func (rb Rebinds) Between(load, at ssa.Instruction) bool {
	if len(rb) == 0 || at.Block() == nil {
		return false
	}
	ab := at.Block()
	end := slices.Index(ab.Instrs, at)
	if end < 0 {
		return false
	}
	// scan walks b's instructions before end backwards: true when a
	// rebinding comes first, and whether the walk goes on to b's
	// predecessors (it stops at load).
	scan := func(b *ssa.BasicBlock, end int) (found, goOn bool) {
		for i := end - 1; i >= 0; i-- {
			instr := b.Instrs[i]
			if instr == load {
				return false, false
			}
			if rb[instr] {
				return true, false
			}
		}
		return false, true
	}
	found, goOn := scan(ab, end)
	if found {
		return true
	}
	if !goOn {
		return false
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := slices.Clone(ab.Preds)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		found, goOn := scan(b, len(b.Instrs))
		if found {
			return true
		}
		if goOn {
			work = append(work, b.Preds...)
		}
	}
	return false
}
