package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/stateguard/stateguard/analyzer/internal/place"
	"github.com/stateguard/stateguard/internal/check"
)

// Check-then-save: a function compares a state field F of an object while
// F holds the value loaded with the object, then, on a path the
// comparison decides, writes F and saves the object with a save that
// carries no expectation on F. The check runs in Go, not in the store:
// two concurrent requests both pass it and both save. Reported as
// unguarded-transition at the save, with Related information at the
// comparison and at the write.
//
// A state field here is one named like a state (isStateName) of a state
// type (isStateType); a declared state (//stateguard:state) is judged by
// checkSave's rule instead, which needs no comparison.

// A storeCall is a call that saves an object, for check-then-save: a
// call of a recognized save, or one that extraSaves adds.
type storeCall struct {
	call *ssa.Call
	obj  ssa.Value // the object argument, as passed
	expr *ast.CallExpr
	name string // the callee, for messages
	// expects reports whether the call carries an expectation on the
	// field: such a save is conditional, and not reported.
	expects func(*types.Var) bool
	// writes are writes the call itself makes to the object before it
	// saves it (a helper given a copy of the object, which sets F and
	// saves the copy), each with At = call: they reach the save.
	writes []place.Write
}

// extraWrites returns the writes to fields of the object key that fn
// makes through calls rather than stores of its own: a helper that sets
// a field of the object it is given (MarkDraining(n) setting n.Status),
// as a place.Write with At = the call, Store = the store in the helper,
// Loads = the loads of the object's key at the call. A write whose At is
// a save's own call (a helper that sets the field, then saves) reaches
// that save. They count as
// writes both for the comparison (a comparison they reach reads a value
// just written) and for the save they reach. A helper given a copy of
// the object (a struct by value) writes the copy, not the object: its
// writes belong to the storeCall of its save (extraSaves).
func (c *callChecker) extraWrites(fn *ssa.Function, key place.Key) []place.Write {
	return c.helperWritesOf(fn, key, true)
}

// extraSaves returns the calls of fn that save an object other than the
// calls of recognized saves: a helper that saves the object it is given
// (with the writes it makes to it first, in storeCall.writes), given the
// object by pointer or by value. An entry for the call of a recognized
// save (a plain save by name, UpdateToStatusDone(store, *p), whose body
// sets the status of its copy first) adds its writes to that call's.
// A package whose only saves are such calls must pass checkPackage's
// prefilter too (callsGuard, then plainSavesMatter), or its SSA is not
// built.
func (c *callChecker) extraSaves(fn *ssa.Function) []storeCall {
	var out []storeCall
	for _, hc := range c.helperCalls(fn) {
		expr := c.calls[hc.call.Common().Pos()]
		if expr == nil {
			continue
		}
		for _, s := range c.helperSaves(hc.call) {
			// The fields the helper writes and saves carry no
			// expectation; of the others it tells nothing.
			written := map[string]bool{}
			for _, w := range s.Writes {
				written[w.Field.Name()] = true
			}
			for _, w := range s.Copies {
				written[w.Field.Name()] = true
			}
			out = append(out, storeCall{
				call: hc.call, obj: s.Arg, expr: expr, name: hc.callee.Name(),
				expects: func(f *types.Var) bool { return !written[f.Name()] },
				writes:  s.Copies,
			})
		}
	}
	return out
}

// storeCalls returns the saves among sites, then those of extraSaves.
func (c *callChecker) storeCalls(fn *ssa.Function, sites []*callSite) []storeCall {
	var out []storeCall
	for _, s := range sites {
		call, ok := s.instr.(*ssa.Call)
		if !ok || s.spec.kind != kindSave {
			continue // a deferred or spawned save: not on the path
		}
		site := s
		out = append(out, storeCall{
			call: call, obj: s.arg(s.spec.object), expr: s.expr, name: s.callee.Name(),
			expects: func(f *types.Var) bool {
				g, ok := site.spec.guardOn(f.Name())
				if !ok {
					return false
				}
				vals, known := c.expectation(site, g, f.Type())
				return !known || len(vals) > 0
			},
		})
	}
	for _, x := range c.extraSaves(fn) {
		i := slices.IndexFunc(out, func(sc storeCall) bool { return sc.call == x.call })
		if i < 0 {
			out = append(out, x)
			continue
		}
		out[i].writes = append(out[i].writes, x.writes...)
	}
	return out
}

// checkThenSave reports the check-then-save races of fn.
func (c *callChecker) checkThenSave(fn *ssa.Function, sites []*callSite, saved map[place.Key]place.Saves) {
	if isLockedName(fn) {
		return // by convention its caller holds the lock
	}
	saves := c.storeCalls(fn, sites)
	if len(saves) == 0 {
		return
	}
	t := &cts{fn: fn, cmps: comparisonsOf(fn), written: map[*comparison]bool{}}
	if len(t.cmps) == 0 {
		return // nothing is checked in Go
	}
	var locks *mutexUse
	for _, sv := range saves {
		key, load, ok := place.ObjectOf(sv.obj)
		if !ok {
			continue
		}
		keep := func(f *types.Var) bool {
			return isStateName(f.Name()) && isStateType(f.Type()) && !c.rec.isStateField(f) && !sv.expects(f)
		}
		var at ssa.Instruction = sv.call
		if u, ok := place.Strip(sv.obj).(*ssa.UnOp); ok && u.Op == token.MUL && u.Block() != nil {
			if _, isStruct := u.Type().Underlying().(*types.Struct); isStruct {
				at = u // a struct passed by value is copied where it is loaded
			}
		}
		keys := append([]place.Key{key}, copiedFrom(fn, key)...)
		if !slices.ContainsFunc(t.cmps, func(cmp *comparison) bool { return slices.Contains(keys, cmp.key) }) {
			continue // this object is not checked
		}
		ws := append(place.FieldWrites(fn, key, keep), c.extraWrites(fn, key)...)
		var reaching []place.Write
		for _, w := range sv.writes {
			if keep(w.Field) {
				reaching = append(reaching, w)
			}
		}
		for _, w := range ws {
			if w.At == ssa.Instruction(sv.call) {
				reaching = append(reaching, w) // made by the save itself, before it stores
			}
		}
		if len(ws) > 0 {
			rb := place.RebindsOf(fn, key)
			rebound := len(rb) > 0 && rb.Between(load.First, sv.call)
			for _, w := range place.ReachingWrites(ws, place.Use{At: at, Loads: load}, saved[key], rb) {
				if isCopy(w) || rebound && (load.Last == nil || w.Loads.Last != load.Last) {
					continue
				}
				reaching = append(reaching, w)
			}
		}
		if len(reaching) == 0 {
			continue
		}
		for _, w := range reaching {
			chk := c.checkOf(t, keys, w)
			if chk == nil {
				continue
			}
			if locks == nil {
				locks = mutexesOf(fn)
			}
			if locks.heldAcross(chk.load, sv.call) {
				continue
			}
			c.rep.report(check.UnguardedTransition, sv.expr.Pos(), sv.expr.End(),
				checkThenSaveMessage(w.Field.Name(), c.otherText(chk), c.pass.Fset.Position(chk.pos).Line,
					c.nameOr(c.describeWrite(w), "a new value"), sv.name),
				analysis.RelatedInformation{Pos: chk.pos, Message: w.Field.Name() + " is checked here, in Go: the store does not check it again"},
				c.related(w))
			break
		}
	}
}

// otherText names what a comparison compares the field with: a constant
// by its name, else the operand as the source spells it when short,
// else "a value".
func (c *callChecker) otherText(chk *stateCheck) string {
	if k, ok := place.Strip(chk.other).(*ssa.Const); ok {
		if name := c.constName(k); name != "" {
			return name
		}
		// A constant with no name of its own here (several constants
		// share its value): as the source spells it, below.
	}
	for _, f := range c.pass.Files {
		if f.Pos() > chk.pos || chk.pos >= f.End() {
			continue
		}
		var text string
		ast.Inspect(f, func(n ast.Node) bool {
			if text != "" {
				return false
			}
			if be, ok := n.(*ast.BinaryExpr); ok && be.OpPos == chk.pos {
				e := be.X
				if chk.side == 1 {
					e = be.Y
				}
				if t := types.ExprString(e); len(t) <= 40 {
					text = t
				}
			}
			return n == nil || n.Pos() <= chk.pos && chk.pos < n.End()
		})
		if text != "" {
			return text
		}
	}
	return c.nameOr(c.describe(chk.other), "a value")
}

// nameOr returns name, or instead when describe found no name for the
// value ("the same value", which says nothing here).
func (c *callChecker) nameOr(name, instead string) string {
	if name == "the same value" || name == "a value" {
		return instead
	}
	return name
}

// isCopy reports whether w is the write of a whole struct copied from
// another value (cp := *p, a struct parameter stored to its variable):
// it holds the loaded value, not a new one.
func isCopy(w place.Write) bool {
	if w.At != w.Store || w.Val != nil {
		return false
	}
	_, field := w.Store.Addr.(*ssa.FieldAddr)
	return !field
}

// copiedFrom returns the keys of the objects the object key is a copy
// of: cp := *p makes p's object an origin of cp's.
func copiedFrom(fn *ssa.Function, key place.Key) []place.Key {
	alloc, ok := key.Root.(*ssa.Alloc)
	if !ok || key.Path.Len() != 0 {
		return nil
	}
	var out []place.Key
	for _, r := range *alloc.Referrers() {
		st, ok := r.(*ssa.Store)
		if !ok || st.Addr != ssa.Value(alloc) {
			continue
		}
		if u, ok := place.Strip(st.Val).(*ssa.UnOp); ok && u.Op == token.MUL {
			if _, isStruct := u.Type().Underlying().(*types.Struct); isStruct {
				k, _ := place.PointerKey(u.X)
				if !slices.Contains(out, k) {
					out = append(out, k)
				}
			}
		}
	}
	return out
}

// A stateCheck is a comparison of a state field that decides whether a
// write happens.
type stateCheck struct {
	load  *ssa.UnOp // the load of the field compared
	other ssa.Value // what it is compared with
	side  int       // the operand other is: 0 for X, 1 for Y
	pos   token.Pos
}

// A comparison is a comparison in a function of a state field of an
// object with a value, whose result is a branch's condition.
type comparison struct {
	stateCheck
	field string
	key   place.Key
	loads place.Loads
	ifi   *ssa.If
}

// comparisonsOf returns the comparisons of state fields in fn that decide
// a branch, in instruction order.
func comparisonsOf(fn *ssa.Function) []*comparison {
	var out []*comparison
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			cmp, ok := instr.(*ssa.BinOp)
			if !ok || (cmp.Op != token.EQL && cmp.Op != token.NEQ) {
				continue
			}
			ifi := branchOn(cmp)
			if ifi == nil {
				continue
			}
			for i, x := range []ssa.Value{cmp.X, cmp.Y} {
				load, ok := place.Strip(x).(*ssa.UnOp)
				if !ok || load.Op != token.MUL {
					continue
				}
				fa, ok := load.X.(*ssa.FieldAddr)
				if !ok {
					continue
				}
				f := place.FieldOf(fa)
				if f == nil || !isStateName(f.Name()) || !isStateType(f.Type()) {
					continue
				}
				other, side := cmp.Y, 1
				if i == 1 {
					other, side = cmp.X, 0
				}
				pos := cmp.Pos()
				if !pos.IsValid() {
					pos = fa.Pos()
				}
				k, loads := place.PointerKey(fa.X)
				out = append(out, &comparison{
					stateCheck: stateCheck{load: load, other: other, side: side, pos: pos},
					field:      f.Name(), key: k, loads: loads, ifi: ifi,
				})
			}
		}
	}
	return out
}

// A cts holds what check-then-save learns of one function.
type cts struct {
	fn      *ssa.Function
	cmps    []*comparison
	written map[*comparison]bool // answers of writtenBefore
}

// checkOf returns a comparison in fn of the field w writes, of an object
// of keys, that reads the value loaded with the object (no write of the
// field reaches the load) and decides whether w happens: of the two
// branches of the comparison, one reaches w, the other does not before
// it passes the comparison again. Nil when there is none.
func (c *callChecker) checkOf(t *cts, keys []place.Key, w place.Write) *stateCheck {
	var cands []*comparison
	for _, cmp := range t.cmps {
		if cmp.field == w.Field.Name() && slices.Contains(keys, cmp.key) {
			cands = append(cands, cmp)
		}
	}
	// The comparisons in the blocks that dominate the write, nearest
	// first, decide it most often (an early return, a case of a switch):
	// try them first, then the others (a condition joined by ||).
	depth := map[*ssa.BasicBlock]int{}
	for b, d := w.At.Block(), 0; b != nil && d < 1<<16; b, d = b.Idom(), d+1 {
		depth[b] = d
	}
	rank := func(cmp *comparison) int {
		if d, ok := depth[cmp.ifi.Block()]; ok {
			return d
		}
		return 1 << 16
	}
	slices.SortStableFunc(cands, func(a, b *comparison) int { return rank(a) - rank(b) })
	for _, cmp := range cands {
		if !decides(cmp.ifi, w.At) {
			continue
		}
		if sameValue(cmp.other, w.Val) {
			// if x.Status == s { skip }; x.Status = s: a change
			// detection, not a precondition on the state the action
			// leaves; concurrent runs write the same value.
			continue
		}
		written, ok := t.written[cmp]
		if !ok {
			written = c.writtenBefore(t.fn, cmp)
			t.written[cmp] = written
		}
		if !written {
			return &cmp.stateCheck
		}
	}
	return nil
}

// writtenBefore reports whether a write of the field of the object that
// cmp compares reaches the load of the field: the comparison would read
// a value the function wrote itself. A path that makes the object's
// pointer again (the next element of a loop, by value or by index, the
// next result of a call) reads another object, as does one through a copy of a whole struct
// into the object, or a rebinding of its place.
func (c *callChecker) writtenBefore(fn *ssa.Function, cmp *comparison) bool {
	same := func(v *types.Var) bool { return v.Name() == cmp.field }
	ws := append(place.FieldWrites(fn, cmp.key, same), c.extraWrites(fn, cmp.key)...)
	var from []ssa.Instruction
	stop := map[ssa.Instruction]bool{}
	for _, w := range ws {
		switch {
		case w.Field.Name() != cmp.field:
		case isCopy(w):
			stop[w.At] = true
		default:
			from = append(from, w.At)
		}
	}
	if len(from) == 0 {
		return false
	}
	for instr := range place.RebindsOf(fn, cmp.key) {
		stop[instr] = true
	}
	if cmp.loads.Last != nil {
		stop[cmp.loads.Last] = true
	}
	if root, ok := cmp.key.Root.(ssa.Instruction); ok {
		stop[root] = true
	}
	for _, st := range cmp.key.Path.Steps() {
		if i, ok := st.Value.(ssa.Instruction); ok && st.Kind == place.IndexOf {
			stop[i] = true // the next index: another element
		}
	}
	return reachesFrom(from, cmp.load, stop)
}

// reachesFrom reports whether a path leads from one of the instructions
// from (after it) to target without passing an instruction of stop (a
// write of from is a new start, not a stop: it writes the field again).
func reachesFrom(from []ssa.Instruction, target ssa.Instruction, stop map[ssa.Instruction]bool) bool {
	seen := map[*ssa.BasicBlock]bool{}
	var work []*ssa.BasicBlock
	walk := func(b *ssa.BasicBlock, start int) bool {
		for _, instr := range b.Instrs[start:] {
			if instr == target {
				return true
			}
			if stop[instr] {
				return false
			}
		}
		for _, s := range b.Succs {
			if !seen[s] {
				seen[s] = true
				work = append(work, s)
			}
		}
		return false
	}
	for _, f := range from {
		b := f.Block()
		if b == nil {
			continue
		}
		if i := slices.Index(b.Instrs, f); i >= 0 && walk(b, i+1) {
			return true
		}
	}
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if walk(b, 0) {
			return true
		}
	}
	return false
}

// branchOn returns the branch whose condition is cmp (or its negation),
// or nil.
func branchOn(cmp *ssa.BinOp) *ssa.If {
	for _, r := range *cmp.Referrers() {
		switch r := r.(type) {
		case *ssa.If:
			return r
		case *ssa.UnOp:
			if r.Op == token.NOT {
				for _, r2 := range *r.Referrers() {
					if ifi, ok := r2.(*ssa.If); ok {
						return ifi
					}
				}
			}
		}
	}
	return nil
}

// decides reports whether one successor of ifi reaches target and the
// other does not, either without passing ifi's block again.
func decides(ifi *ssa.If, target ssa.Instruction) bool {
	b := ifi.Block()
	if b == nil || len(b.Succs) != 2 || target.Block() == nil {
		return false
	}
	reach := func(from *ssa.BasicBlock) bool {
		seen := map[*ssa.BasicBlock]bool{}
		work := []*ssa.BasicBlock{from}
		for len(work) > 0 {
			x := work[len(work)-1]
			work = work[:len(work)-1]
			if seen[x] {
				continue
			}
			seen[x] = true
			if x == target.Block() {
				if x != b || slices.Index(x.Instrs, target) < slices.Index(x.Instrs, ssa.Instruction(ifi)) {
					return true
				}
			}
			if x == b {
				continue // the check again
			}
			work = append(work, x.Succs...)
		}
		return false
	}
	return reach(b.Succs[0]) != reach(b.Succs[1])
}

// isLockedName reports whether fn is named for running with a lock held
// by its caller (fooLocked, foo_locked).
func isLockedName(fn *ssa.Function) bool {
	name := fn.Name()
	if p := fn.Parent(); p != nil {
		name = p.Name() // a closure of such a function
	}
	return strings.HasSuffix(name, "Locked") || strings.HasSuffix(name, "_locked")
}

// mutexUse holds the Lock, RLock, Unlock and RUnlock calls of a function on
// sync.Mutex and sync.RWMutex values, by the place of the mutex, and the
// Lock and Unlock calls through a sync.Locker, by its value.
type mutexUse struct {
	locks, unlocks map[place.Key][]ssa.Instruction
}

// mutexesOf finds the lock and unlock calls of fn (deferred unlocks run
// at the return: they unlock nothing on the way).
func mutexesOf(fn *ssa.Function) *mutexUse {
	m := &mutexUse{locks: map[place.Key][]ssa.Instruction{}, unlocks: map[place.Key][]ssa.Instruction{}}
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			if meth := call.Call.Method; call.Call.IsInvoke() && meth.Pkg() != nil && meth.Pkg().Path() == "sync" {
				// Through sync.Locker: the interface value is the mutex.
				k, _ := place.PlaceOf(call.Call.Value)
				switch meth.Name() {
				case "Lock":
					m.locks[k] = append(m.locks[k], call)
				case "Unlock":
					m.unlocks[k] = append(m.unlocks[k], call)
				}
				continue
			}
			callee := call.Call.StaticCallee()
			if callee == nil || callee.Pkg == nil || callee.Pkg.Pkg.Path() != "sync" || len(call.Call.Args) == 0 {
				continue
			}
			recv := callee.Signature.Recv()
			if recv == nil {
				continue
			}
			if name, _ := namedOf(recv.Type()); name != "Mutex" && name != "RWMutex" {
				continue
			}
			k, ok := place.PlaceOf(call.Call.Args[0])
			if !ok {
				continue
			}
			switch callee.Name() {
			case "Lock", "RLock":
				m.locks[k] = append(m.locks[k], call)
			case "Unlock", "RUnlock":
				m.unlocks[k] = append(m.unlocks[k], call)
			}
		}
	}
	return m
}

// namedOf returns the name of the named type under t or *t.
func namedOf(t types.Type) (string, bool) {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok {
		return "", false
	}
	return n.Obj().Name(), true
}

// heldAcross reports whether one mutex is locked before check on every
// path (its Lock dominates check, with no unlock between them that is
// not followed by a new lock) and stays locked to save (no unlock on a
// path from check to save, even one followed by a new lock).
func (m *mutexUse) heldAcross(check, save ssa.Instruction) bool {
	none := func(ssa.Instruction) bool { return false }
	for k, locks := range m.locks {
		relock := func(instr ssa.Instruction) bool { return slices.Contains(locks, instr) }
		held := false
		for _, l := range locks {
			if !before(l, check) {
				continue
			}
			unlocked := false
			for _, u := range m.unlocks[k] {
				if place.Reaches(l, u, none, nil) && place.Reaches(u, check, relock, nil) {
					unlocked = true
					break
				}
			}
			if !unlocked {
				held = true
				break
			}
		}
		if !held {
			continue
		}
		// An unlock between the check and the save lets another request
		// in, even if the function locks again before the save; a path
		// that passes the check again is the next pass of a loop.
		again := func(instr ssa.Instruction) bool { return instr == check }
		released := false
		for _, u := range m.unlocks[k] {
			if place.Reaches(check, u, again, nil) && place.Reaches(u, save, again, nil) {
				released = true
				break
			}
		}
		if !released {
			return true
		}
	}
	return false
}

// before reports whether a dominates b: a runs on every path to b, first.
func before(a, b ssa.Instruction) bool {
	ab, bb := a.Block(), b.Block()
	if ab == nil || bb == nil {
		return false
	}
	if ab == bb {
		return slices.Index(ab.Instrs, a) < slices.Index(ab.Instrs, b)
	}
	return ab.Dominates(bb)
}

func checkThenSaveMessage(field, other string, line int, val, callee string) string {
	return fmt.Sprintf("%s is checked in Go, not in the store: it is compared with %s at line %d, then set to %s and saved by %s, "+
		"which carries no expectation on %s, so two concurrent requests both pass the check and both save: "+
		"both actions go ahead, and the last to save silently wins; "+
		"make the save conditional on the state checked (%s), or, if overwriting whatever the store holds is intended, "+
		"say so with //stateguard:ignore REASON",
		field, other, line, val, callee, field, conditionalSaveHint)
}
