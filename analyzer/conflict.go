package analyzer

import (
	"fmt"
	"go/ast"
	"go/types"
	"slices"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/stateguard/stateguard/analyzer/internal/place"
	"github.com/stateguard/stateguard/internal/check"
)

// A saveEvent is a save of an object in one function, of any recognized
// kind, for save-after-conflict.
type saveEvent struct {
	at   *ssa.Call
	expr *ast.CallExpr
	key  place.Key
	load place.Loads
	err  ssa.Value // the error it returns
	// guarded are the fields it guards; expects tells whether it carries
	// an expectation on a field (known: when it cannot be told, the save
	// is never the second one).
	guarded func(*types.Var) bool
	expects func(*types.Var) (yes, known bool)
	keep    func(*types.Var) bool // the fields whose writes matter
	// declared tells a field whose write the second save reports as
	// unguarded-transition already: a declared state (a field tagged
	// state, for guard).
	declared func(*types.Var) bool
	row      bool // a row of guard: Row.Reset discards its writes
}

// checkConflicts reports save-after-conflict in fn: on a path where a
// guarded save of an object failed, a later save of the same object that
// carries no expectation on a field the failed save guarded and the
// function wrote before it, with no reload, Row.Reset or new write of
// that field in between.
func (c *callChecker) checkConflicts(fn *ssa.Function, sites []*callSite, gsaves []*guardSave) {
	var evs []*saveEvent
	for _, s := range sites {
		if s.spec.kind != kindSave {
			continue
		}
		call, ok := s.instr.(*ssa.Call)
		if !ok {
			continue
		}
		key, load, ok := place.ObjectOf(s.arg(s.spec.object))
		if !ok {
			continue
		}
		spec, site := s.spec, s
		evs = append(evs, &saveEvent{
			at: call, expr: s.expr, key: key, load: load, err: errResult(call),
			guarded: func(f *types.Var) bool { _, ok := spec.guardOn(f.Name()); return ok },
			expects: func(f *types.Var) (bool, bool) {
				g, ok := spec.guardOn(f.Name())
				if !ok {
					return false, true
				}
				var ft types.Type = f.Type()
				vals, known := c.expectation(site, g, ft)
				if known && len(vals) == 0 {
					return false, true
				}
				return true, true
			},
			keep:     func(f *types.Var) bool { _, ok := spec.guardOn(f.Name()); return ok || c.rec.isStateField(f) },
			declared: c.rec.isStateField,
		})
	}
	for _, s := range gsaves {
		call, ok := s.at.(*ssa.Call)
		if !ok {
			continue
		}
		gs := s
		evs = append(evs, &saveEvent{
			at: call, expr: c.calls[call.Common().Pos()], key: s.key, load: s.load, err: errResult(call), row: true,
			guarded: func(f *types.Var) bool {
				i := gs.table.fieldOfVar(f)
				return i >= 0 && gs.has("Expect", i)
			},
			expects: func(f *types.Var) (bool, bool) {
				i := gs.table.fieldOfVar(f)
				return i >= 0 && gs.has("Expect", i), gs.known
			},
			keep: func(f *types.Var) bool { return gs.table.fieldOfVar(f) >= 0 },
			declared: func(f *types.Var) bool {
				// A Preempt lets the stale state through: not declared.
				i := gs.table.fieldOfVar(f)
				return i >= 0 && gs.table.fields[i].state && !gs.has("Preempt", i)
			},
		})
	}
	reported := map[*saveEvent]bool{} // a second save is reported once
	for _, first := range evs {
		if first.err == nil || first.expr == nil {
			continue
		}
		ws := place.FieldWrites(fn, first.key, first.keep)
		if len(ws) == 0 {
			continue
		}
		saves := place.Saves{}
		for _, e := range evs {
			if e.key == first.key {
				saves[e.at] = e.err
			}
		}
		rb := place.RebindsOf(fn, first.key)
		var pending []place.Write
		for _, w := range place.ReachingWrites(ws, place.Use{At: first.at, Loads: first.load}, saves, rb) {
			if first.guarded(w.Field) {
				pending = append(pending, w)
			}
		}
		if len(pending) == 0 {
			continue
		}
		for _, second := range evs {
			if second.key != first.key || second.expr == nil || reported[second] {
				continue
			}
			for _, w := range pending {
				if second.declared(w.Field) {
					continue // the second save is an unguarded-transition of it
				}
				yes, known := second.expects(w.Field)
				if yes || !known {
					continue
				}
				if !c.afterFailure(first, second, w.Field, ws, rb, saves) {
					continue
				}
				c.rep.report(check.SaveAfterConflict, second.expr.Pos(), second.expr.End(),
					saveAfterConflictMessage(w.Field.Name(), c.shownWrite(w), c.pass.Fset.Position(first.expr.Pos()).Line, first.row),
					analysis.RelatedInformation{Pos: first.expr.Pos(), Message: "this guarded save failed on the path to the second save"},
					c.guardRelated(w))
				reported[second] = true
				break
			}
		}
	}
}

// afterFailure reports whether a path leads from first, through the
// branch where its error is not nil, to second, without passing another
// save of the object, a new write of field, a rebinding of the object's
// place, or a Row.Reset of it. A path that reaches second before its
// error is tested does not count: the first save may have succeeded.
func (c *callChecker) afterFailure(first, second *saveEvent, field *types.Var, ws []place.Write, rb place.Rebinds, saves place.Saves) bool {
	kill := map[ssa.Instruction]bool{}
	for _, w := range ws {
		if w.Field == field {
			kill[w.At] = true
		}
	}
	type item struct {
		b      *ssa.BasicBlock
		start  int
		failed bool
	}
	type visit struct {
		b      *ssa.BasicBlock
		failed bool
	}
	fb := first.at.Block()
	i := slices.Index(fb.Instrs, ssa.Instruction(first.at))
	if i < 0 {
		return false
	}
	seen := map[visit]bool{}
	work := []item{{fb, i + 1, false}}
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		alive := true
		for _, instr := range it.b.Instrs[it.start:] {
			if instr == second.at {
				if it.failed {
					return true
				}
				alive = false
				break
			}
			if instr == first.at || kill[instr] || rb[instr] || c.resets(instr, first) {
				alive = false
				break
			}
			if _, ok := saves[instr]; ok {
				alive = false // another save of the object
				break
			}
		}
		if !alive {
			continue
		}
		fail := -1
		if !it.failed {
			if ifi, ok := it.b.Instrs[len(it.b.Instrs)-1].(*ssa.If); ok {
				fail = place.FailureSucc(ifi.Cond, first.err)
			}
		}
		for k, succ := range it.b.Succs {
			failed := it.failed
			if fail >= 0 {
				if k != fail {
					continue // the save succeeded on that branch
				}
				failed = true
			}
			v := visit{succ, failed}
			if !seen[v] {
				seen[v] = true
				work = append(work, item{succ, 0, failed})
			}
		}
	}
	return false
}

// resets reports whether instr calls (*guard.Row[T]).Reset on the row of
// the guard save ev, which discards the writes it failed to save.
func (c *callChecker) resets(instr ssa.Instruction, ev *saveEvent) bool {
	if !ev.row {
		return false
	}
	call, ok := instr.(ssa.CallInstruction)
	if !ok {
		return false
	}
	fn := calledFunc(call.Common())
	if fn == nil || len(call.Common().Args) == 0 {
		return false
	}
	obj, _ := fn.Object().(*types.Func)
	if obj == nil || !inGuard(obj) || obj.Name() != "Reset" {
		return false
	}
	if name, _ := guardNamed(obj.Type().(*types.Signature).Recv().Type()); name != "Row" {
		return false
	}
	rk, _, ok := place.ObjectOf(call.Common().Args[0])
	return ok && isRowV(ev.key, rk)
}

func saveAfterConflictMessage(field, val string, line int, row bool) string {
	fix := "reload the object before saving it again, or return the error"
	if row {
		fix = "call Reset on the row (or reload it) before saving it again, or return the error"
	}
	return fmt.Sprintf("the guarded save at line %d failed, but the object still holds %s = %s, the state it tried to write; "+
		"this save carries no expectation on %s, so it writes that state anyway, over the action that won the race (Nova bug 1848666); %s",
		line, field, val, field, fix)
}

// isRowV reports whether key is the field V of the row of key row.
func isRowV(key, row place.Key) bool {
	last, parent, ok := key.Path.Last()
	return ok && last.Kind == place.Field && key.Root == row.Root && parent == row.Path
}
