package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/stateguard/stateguard/analyzer/internal/place"
	"github.com/stateguard/stateguard/internal/check"
)

// callsGuardAPI is the prefilter for guard's own API: does the package
// refer to (*guard.Table[T]).Save or Update?
func callsGuardAPI(pass *analysis.Pass, used []*types.Func) bool {
	if pass.Pkg.Path() == guardPath {
		return false // guard's own Update calls Save: it is not checked against itself
	}
	for _, fn := range used {
		if m := tableMethod(fn); m == "Save" || m == "Update" {
			return true
		}
	}
	return false
}

// A guardCall is a call of a method of guard.Table in SSA form.
type guardCall struct {
	instr  ssa.CallInstruction
	method string
	args   []ssa.Value // the receiver first
	table  *gTable     // nil when guard would refuse T
	expr   *ast.CallExpr
}

// guardTableCall returns ci as a call of a method of guard.Table, or nil.
func (c *callChecker) guardTableCall(ci ssa.CallInstruction) *guardCall {
	common := ci.Common()
	fn := calledFunc(common)
	if fn == nil || len(common.Args) == 0 {
		return nil
	}
	obj, _ := fn.Object().(*types.Func)
	if obj == nil {
		return nil
	}
	m := tableMethod(obj.Origin())
	if m == "" || fn.Signature.Recv() == nil {
		return nil
	}
	gc := &guardCall{instr: ci, method: m, args: common.Args, expr: c.calls[common.Pos()]}
	if name, targs := guardNamed(common.Args[0].Type()); name == "Table" && targs.Len() == 1 {
		gc.table, _ = mapTable(targs.At(0))
	}
	return gc
}

// wrapCall returns a call of a wrapper of Table.Save as the call of
// Table.Save it makes: its arguments in the places of Save's.
func (c *callChecker) wrapCall(ci ssa.CallInstruction) *guardCall {
	common := ci.Common()
	w := c.wrapOf(calledFunc(common))
	if w == nil || w.row >= len(common.Args) || w.opts >= len(common.Args) {
		return nil
	}
	args := []ssa.Value{nil, nil, nil, common.Args[w.row], common.Args[w.opts]}
	return &guardCall{instr: ci, method: "Save", args: args, table: w.table, expr: c.calls[common.Pos()]}
}

// A guardSave is a recognized guarded save of guard's API: a call of
// Table.Save, or a return of the change function of Table.Update.
type guardSave struct {
	at    ssa.Instruction
	pos   token.Pos // where findings are reported
	end   token.Pos
	what  string // how messages name it: "this save", ...
	table *gTable
	key   place.Key // the object written: row.V, or change's parameter
	load  place.Loads
	opts  []gOpt
	known bool // every option is known
	local bool // no write to the object can come from elsewhere (no-transition)
}

// has reports whether the save has an option of kind (Expect, Preempt,
// ...) on field i.
func (s *guardSave) has(kind string, i int) bool {
	for _, o := range s.opts {
		if o.kind == kind && s.resolve(o) == i {
			return true
		}
	}
	return false
}

// resolve returns the index of the field o names, or -1.
func (s *guardSave) resolve(o gOpt) int {
	if i, ok := s.table.lookup(o.name); ok {
		return i
	}
	return -1
}

// checkGuardAPI checks the calls of guard's Table.Save and Table.Update
// in fn, and returns the saves of Table.Save it found.
func (c *callChecker) checkGuardAPI(fn *ssa.Function) []*guardSave {
	var calls []*guardCall
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if ci, ok := instr.(ssa.CallInstruction); ok {
				if gc := c.guardTableCall(ci); gc != nil && gc.table != nil && gc.expr != nil {
					calls = append(calls, gc)
				} else if gc := c.wrapCall(ci); gc != nil && gc.expr != nil {
					calls = append(calls, gc)
				}
			}
		}
	}
	var saves []*guardSave
	for _, gc := range calls {
		switch gc.method {
		case "Save":
			if _, ok := gc.instr.(*ssa.Call); !ok || len(gc.args) != 5 {
				continue // a deferred or spawned save
			}
			s := c.guardSaveOf(gc)
			if s == nil {
				continue
			}
			saves = append(saves, s)
		case "Update":
			// Table.Update(ctx, store, key, change, opts...): the
			// options, when present, are settings of Update (Attempts,
			// Retries), not expectations.
			if len(gc.args) >= 5 {
				c.checkUpdate(gc)
			}
		}
	}
	// A successful save moves the row's snapshot: a write it stored is
	// no longer pending for a later save of the row.
	marks := map[place.Key]place.Saves{}
	for _, s := range saves {
		if marks[s.key] == nil {
			marks[s.key] = place.Saves{}
		}
		marks[s.key][s.at] = errResult(s.at.(ssa.CallInstruction))
	}
	for _, s := range saves {
		c.judgeGuardSave(fn, s, marks[s.key])
	}
	return saves
}

// guardSaveOf returns the save a call of Table.Save makes.
func (c *callChecker) guardSaveOf(gc *guardCall) *guardSave {
	row := gc.args[3]
	rk, load, ok := place.ObjectOf(row)
	if !ok {
		return nil
	}
	st := structOf(row.Type())
	vi := -1
	for i := range st.NumFields() {
		if st.Field(i).Name() == "V" {
			vi = i
		}
	}
	if vi < 0 {
		return nil
	}
	s := &guardSave{
		at: gc.instr, pos: gc.expr.Pos(), end: gc.expr.End(), what: "this save",
		table: gc.table, key: place.Key{Root: rk.Root, Path: rk.Path.Append(place.Step{Kind: place.Field, Field: vi})}, load: load,
	}
	ev := &optEval{pkg: c.pass.Pkg, globals: c.globals}
	s.opts, s.known = ev.options(gc.args[4], nil, 0)
	s.local = loadedHere(row) && !handedOn(row, gc.instr)
	return s
}

// loadedHere reports whether row is the row a call of Table.Load, Insert
// or Loaded returned in this function.
func loadedHere(row ssa.Value) bool {
	x, ok := place.Strip(row).(*ssa.Extract)
	if !ok || x.Index != 0 {
		return false
	}
	call, ok := x.Tuple.(*ssa.Call)
	if !ok {
		return false
	}
	fn := calledFunc(call.Common())
	if fn == nil {
		return false
	}
	obj, _ := fn.Object().(*types.Func)
	if obj == nil {
		return false
	}
	switch tableMethod(obj.Origin()) {
	case "Load", "Insert", "Loaded":
		return true
	}
	return false
}

// handedOn reports whether the object v points to may be written by
// another function: v, or the address of a field of it, is given to a
// call other than save (a save stores, it does not write the object),
// stored somewhere, or merged into another value.
func handedOn(v ssa.Value, save ssa.Instruction) bool {
	seen := map[ssa.Value]bool{}
	var walk func(v ssa.Value, depth int) bool
	walk = func(v ssa.Value, depth int) bool {
		if seen[v] || depth > 8 {
			return depth > 8
		}
		seen[v] = true
		refs := v.Referrers()
		if refs == nil {
			return false
		}
		for _, r := range *refs {
			switch r := r.(type) {
			case *ssa.FieldAddr, *ssa.IndexAddr, *ssa.ChangeType:
				if walk(r.(ssa.Value), depth+1) {
					return true
				}
			case *ssa.UnOp, *ssa.DebugRef, *ssa.Field:
			case *ssa.Store:
				if r.Val == v {
					return true
				}
			case ssa.CallInstruction:
				if r == save {
					continue
				}
				if fn := calledFunc(r.Common()); fn != nil {
					if obj, _ := fn.Object().(*types.Func); obj != nil && tableMethod(obj.Origin()) == "Save" {
						continue
					}
				}
				return true
			default:
				return true
			}
		}
		return false
	}
	return walk(v, 0)
}

// judgeGuardSave finds the writes that reach a call of Table.Save and
// judges its options against them.
func (c *callChecker) judgeGuardSave(fn *ssa.Function, s *guardSave, saves place.Saves) {
	ws := place.FieldWrites(fn, s.key, func(f *types.Var) bool { return s.table.fieldOfVar(f) >= 0 })
	rb := place.RebindsOf(fn, s.key)
	rebound := len(rb) > 0 && rb.Between(s.load.First, s.at)
	reaching := place.ReachingWrites(ws, place.Use{At: s.at, Loads: s.load}, saves, rb)
	if rebound {
		var keep []place.Write
		for _, w := range reaching {
			if s.load.Last != nil && w.Loads.Last == s.load.Last {
				keep = append(keep, w)
			}
		}
		reaching = keep
	}
	c.judge(s, ws, reaching)
}

// checkUpdate checks a call of Table.Update: every return of its change
// function that lets Update save (its error result is nil) is a save of
// the writes of change to its parameter with the options it returns.
func (c *callChecker) checkUpdate(gc *guardCall) {
	change := calledFunc(&ssa.CallCommon{Value: place.Strip(gc.args[4])})
	if change == nil || len(change.Params) != 1 || len(change.Blocks) == 0 {
		return
	}
	if c.updated == nil {
		c.updated = map[*ssa.Function]bool{}
	}
	if c.updated[change] {
		return // one named function given to several Updates: judged once
	}
	c.updated[change] = true
	param := change.Params[0]
	key := place.Key{Root: param}
	ws := place.FieldWrites(change, key, func(f *types.Var) bool { return gc.table.fieldOfVar(f) >= 0 })
	local := !handedOn(param, nil)
	ev := &optEval{pkg: c.pass.Pkg, globals: c.globals}
	for _, b := range change.Blocks {
		ret, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return)
		if !ok || len(ret.Results) != 2 {
			continue
		}
		if k, ok := place.Strip(ret.Results[1]).(*ssa.Const); !ok || !k.IsNil() {
			continue // the change refuses, or may: Update does not save
		}
		pos := ret.Pos()
		if !pos.IsValid() {
			pos = gc.expr.Pos()
		}
		s := &guardSave{
			at: ret, pos: pos, end: pos + token.Pos(len("return")), what: "the save this change function asks for",
			table: gc.table, key: key, local: local,
		}
		s.opts, s.known = ev.options(ret.Results[0], nil, 0)
		reaching := place.ReachingWrites(ws, place.Use{At: ret}, nil, nil)
		c.judge(s, ws, reaching)
	}
}

// judge reports what guard would refuse in a save: ineffective-guard,
// reentrant-guard, unguarded-transition, no-transition, invalid-option.
func (c *callChecker) judge(s *guardSave, ws, reaching []place.Write) {
	t := s.table
	tname := typeName(t.typ)
	byField := map[int]gOpt{}
	preempt, reentrant, invalid := map[int]bool{}, map[int]bool{}, map[int]bool{}
	for _, o := range s.opts {
		if o.kind == "Retries" {
			continue
		}
		i := s.resolve(o)
		if i < 0 {
			c.rep.report(check.InvalidOption, s.pos, s.end, fmt.Sprintf(
				"guard.%s(%q) names no field of %s: %s maps no field or column %q (mapped: %s), so guard refuses the save at run time; "+
					"name a mapped field by its Go name or its column (the guard tag, or the Go name in snake_case)",
				o.kind, o.name, tname, tname, o.name, t.names()), optRelated(o, "the option is built here")...)
			continue
		}
		switch o.kind {
		case "Expect", "Fence":
			if o.noVals {
				c.rep.report(check.InvalidOption, s.pos, s.end, fmt.Sprintf(
					"guard.%s(%q) has no values, so it would match no row and guard refuses the save at run time; "+
						"give every value the field may hold, and write guard.%s(%q, nil) to expect NULL",
					o.kind, o.name, o.kind, o.name), optRelated(o, "the option is built here")...)
				invalid[i] = true
				continue
			}
			byField[i] = o
		case "Preempt":
			preempt[i] = true
		case "Reentrant":
			reentrant[i] = true
		}
	}

	reported := map[int]bool{}
	for _, w := range reaching {
		i := t.fieldOfVar(w.Field)
		if i < 0 || reported[i] || invalid[i] {
			continue
		}
		f := t.fields[i]
		o, has := byField[i]
		val, valKnown := c.writeVal(w)
		switch {
		case has && o.kind == "Fence":
			reported[i] = true
			c.rep.report(check.InvalidOption, s.pos, s.end, fmt.Sprintf(
				"guard.Fence(%q) on %s.%s, which is set to %s before %s: a fence is a precondition on a field that stays, so guard refuses a fence on a field that changes; "+
					"to guard this change use guard.Expect(%q, <the states this action leaves>)",
				o.name, tname, f.name, c.shownWrite(w), s.what, o.name), append([]analysis.RelatedInformation{c.guardRelated(w)}, optRelated(o, "the fence is built here")...)...)
		case has && o.kind == "Expect" && valKnown && o.known:
			var same []gVal
			for _, v := range o.vals {
				if v.equal(val) {
					same = append(same, v)
				}
			}
			if len(same) == 0 {
				continue
			}
			n := distinctVals(o.vals)
			shown := c.shownWrite(w)
			if n == 1 {
				reported[i] = true
				c.rep.report(check.IneffectiveGuard, s.pos, s.end, fmt.Sprintf(
					"%s.%s is set to %s and %s expects only %s, so it cannot catch a concurrent duplicate of this action: the duplicate passes the guard too, and guard refuses the save at run time. "+
						"Expect the state the row leaves; if the save only fences other changes, drop the write to %s and use guard.Fence(%q, ...)",
					tname, f.name, shown, s.what, shown, f.name, o.name), c.guardRelated(w))
			} else if !reentrant[i] && s.known {
				reported[i] = true
				c.rep.report(check.ReentrantGuard, s.pos, s.end, fmt.Sprintf(
					"%s.%s is set to %s, which is among the %d values %s expects (%s), so a concurrent duplicate of this action passes the guard, and guard refuses the save at run time; "+
						"drop %s from the expected values, or add guard.Reentrant(%q) if repeating the action while it runs is intended",
					tname, f.name, shown, n, s.what, c.describeVals(o.vals), shown, o.name), c.guardRelated(w))
			}
		case !has && f.state && !preempt[i] && s.known:
			reported[i] = true
			c.rep.report(check.UnguardedTransition, s.pos, s.end, fmt.Sprintf(
				"%s.%s is tagged state and is set to %s, then saved with no expectation on it, so of two concurrent actions the last writer silently wins, and guard refuses the save at run time; "+
					"add guard.Expect(%q, <the states this action leaves>), or guard.Preempt(%q) if this action overrides whatever runs",
				tname, f.name, c.shownWrite(w), f.name, f.name), c.guardRelated(w))
		}
	}

	// no-transition: an Expect on a field nothing writes before the save.
	if !s.known || !s.local {
		return
	}
	for i, o := range byField {
		if o.kind != "Expect" || reentrant[i] {
			continue
		}
		written := false
		for _, w := range ws {
			if t.fieldOfVar(w.Field) == i {
				written = true
			}
		}
		if written {
			continue
		}
		f := t.fields[i]
		c.rep.report(check.NoTransition, s.pos, s.end, fmt.Sprintf(
			"guard.Expect(%q) on %s.%s, which nothing writes before %s: an expectation guards a transition, so guard refuses an Expect on a field that stays at run time; "+
				"set the new state before the save, or use guard.Fence(%q, ...) for a precondition on a field that stays",
			o.name, tname, f.name, s.what, o.name), optRelated(o, "the expectation is built here")...)
	}
}

// writeVal returns the value a write gives its field, when known.
func (c *callChecker) writeVal(w place.Write) (gVal, bool) {
	if w.Val == nil {
		return gVal{}, false
	}
	ev := &optEval{pkg: c.pass.Pkg}
	return ev.value(w.Val, nil)
}

// describeVals names each known value of a set.
func (c *callChecker) describeVals(vals []gVal) string {
	var names []string
	for _, v := range vals {
		if v.null {
			names = append(names, "nil")
		} else {
			names = append(names, c.describe(v.c))
		}
	}
	return strings.Join(names, ", ")
}

// distinctVals counts the different values of a set.
func distinctVals(vals []gVal) int {
	var out []gVal
	for _, v := range vals {
		dup := false
		for _, o := range out {
			dup = dup || o.equal(v)
		}
		if !dup {
			out = append(out, v)
		}
	}
	return len(out)
}

func optRelated(o gOpt, msg string) []analysis.RelatedInformation {
	if !o.pos.IsValid() {
		return nil
	}
	return []analysis.RelatedInformation{{Pos: o.pos, Message: msg}}
}

// shownWrite names the value a write gives its field: the constant of
// guard.Ptr(C) or &c as C, nil as nil, else as describeWrite does.
func (c *callChecker) shownWrite(w place.Write) string {
	if v, ok := c.writeVal(w); ok {
		if v.null {
			return "nil"
		}
		if e, ok := c.rhs[w.Src]; ok && w.Src.IsValid() {
			if call, ok := ast.Unparen(e).(*ast.CallExpr); ok && len(call.Args) == 1 {
				if s := c.spelled(call.Args[0], v.c); s != "" {
					return s
				}
			}
		}
		return c.describe(v.c)
	}
	if d := c.describeWrite(w); d != "the same value" {
		return d
	}
	return fmt.Sprintf("the value set at line %d", c.pass.Fset.Position(w.Store.Pos()).Line)
}

// guardRelated points at the write of a finding about a guard save.
func (c *callChecker) guardRelated(w place.Write) analysis.RelatedInformation {
	r := c.related(w)
	r.Message = w.Field.Name() + " is set to " + c.shownWrite(w) + " here"
	return r
}

// typeName names a type for messages: its name without the package.
func typeName(t types.Type) string {
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return types.TypeString(t, func(*types.Package) string { return "" })
}
