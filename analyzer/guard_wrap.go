package analyzer

import (
	"golang.org/x/tools/go/ssa"
)

// A guardWrap is a function of this package that forwards a row and its
// options, unchanged, to Table.Save and returns its error: a save of the
// service's own, such as
//
//	func (r *Repo) save(ctx context.Context, row *guard.Row[Server], opts ...guard.Option) error {
//		return servers.Save(ctx, r.db, row, opts...)
//	}
type guardWrap struct {
	row, opts int // the indices of its row and options parameters (the receiver first)
	table     *gTable
}

// wrapOf returns fn as a wrapper of Table.Save, or nil: its one call of
// Table.Save is given two of its parameters as the row and the options,
// every return gives back that call's error, and it writes no field of
// the row.
func (c *callChecker) wrapOf(fn *ssa.Function) *guardWrap {
	if fn == nil || fn.Pkg == nil || fn.Pkg.Pkg != c.pass.Pkg || len(fn.Blocks) == 0 || len(fn.FreeVars) > 0 {
		return nil
	}
	if w, ok := c.wraps[fn]; ok {
		return w
	}
	if c.wraps == nil {
		c.wraps = map[*ssa.Function]*guardWrap{}
	}
	c.wraps[fn] = nil
	var save *guardCall
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			if gc := c.guardTableCall(ci); gc != nil && gc.method == "Save" {
				if save != nil {
					return nil
				}
				save = gc
			}
		}
	}
	call, ok := saveCall(save)
	if !ok || save.table == nil {
		return nil
	}
	index := func(v ssa.Value) int {
		for i, p := range fn.Params {
			if v == p {
				return i
			}
		}
		return -1
	}
	w := &guardWrap{row: index(save.args[3]), opts: index(save.args[4]), table: save.table}
	if w.row < 0 || w.opts < 0 {
		return nil
	}
	// Every return gives the save's error back; nothing writes the row.
	for _, b := range fn.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok {
			continue
		}
		if len(ret.Results) != 1 || ret.Results[0] != ssa.Value(call) {
			return nil
		}
	}
	if storesInto(fn.Params[w.row]) || handedOn(fn.Params[w.row], save.instr) {
		return nil
	}
	c.wraps[fn] = w
	return w
}

// saveCall returns the call of a Table.Save, when it is a plain call.
func saveCall(gc *guardCall) (*ssa.Call, bool) {
	if gc == nil || len(gc.args) != 5 {
		return nil, false
	}
	call, ok := gc.instr.(*ssa.Call)
	return call, ok
}

// storesInto reports whether the function stores into the object v points
// to, or into a field of it, at any depth.
func storesInto(v ssa.Value) bool {
	refs := v.Referrers()
	if refs == nil {
		return false
	}
	for _, r := range *refs {
		switch r := r.(type) {
		case *ssa.FieldAddr:
			if storesInto(r) {
				return true
			}
		case *ssa.Store:
			if r.Addr == v {
				return true
			}
		}
	}
	return false
}
