package analyzer

import (
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/stateguard/stateguard/internal/check"
)

// A callSite is one call of a recognized save or transition in SSA form.
type callSite struct {
	instr  ssa.CallInstruction
	callee *types.Func
	spec   *guardSpec
	recv   ssa.Value   // the receiver, or nil
	params []ssa.Value // one per declared parameter (a variadic one as its slice)
	expr   *ast.CallExpr
}

// arg returns the value passed for parameter i (receiverIndex: the receiver).
func (c *callSite) arg(i int) ssa.Value {
	if i == receiverIndex {
		return c.recv
	}
	if i >= 0 && i < len(c.params) {
		return c.params[i]
	}
	return nil
}

// paramType returns the declared type of parameter i of the callee.
func (c *callSite) paramType(i int) types.Type {
	sig := c.callee.Type().(*types.Signature)
	if i == receiverIndex {
		return sig.Recv().Type()
	}
	return sig.Params().At(i).Type()
}

// callChecker runs the call-site checks over the SSA of one package.
type callChecker struct {
	pass  *analysis.Pass
	rep   *reporter
	rec   *recognizer
	calls map[token.Pos]*ast.CallExpr // by Lparen
	names map[string]string           // constant names by type and value
}

func newCallChecker(pass *analysis.Pass, rep *reporter, rec *recognizer) *callChecker {
	c := &callChecker{pass: pass, rep: rep, rec: rec, calls: map[token.Pos]*ast.CallExpr{}}
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if call, ok := n.(*ast.CallExpr); ok {
				c.calls[call.Lparen] = call
			}
			return true
		})
	}
	return c
}

// checkFunc runs the call-site checks over every call of fn.
func (c *callChecker) checkFunc(fn *ssa.Function) {
	var sites []*callSite
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if ci, ok := instr.(ssa.CallInstruction); ok {
				if site := c.site(ci); site != nil {
					sites = append(sites, site)
				}
			}
		}
	}
	// Every save stores the whole object: a write it stored no longer
	// reaches a later save of the same object (which is then a fence).
	saved := map[ssa.Instruction]objKey{}
	for _, s := range sites {
		if s.spec.kind == kindSave {
			if key, ok := objectOf(s.arg(s.spec.object)); ok {
				saved[s.instr] = key
			}
		}
	}
	for _, s := range sites {
		switch s.spec.kind {
		case kindSave:
			c.checkSave(s, saved)
		case kindTransition:
			c.checkTransition(s)
		}
	}
}

// site returns ci as a call of a recognized save or transition, or nil.
func (c *callChecker) site(ci ssa.CallInstruction) *callSite {
	common := ci.Common()
	var (
		obj    *types.Func
		recv   ssa.Value
		params []ssa.Value
	)
	switch {
	case common.IsInvoke():
		obj, recv, params = common.Method, common.Value, common.Args
	default:
		var sf *ssa.Function
		var bindings []ssa.Value
		switch v := common.Value.(type) {
		case *ssa.Function:
			sf = v
		case *ssa.MakeClosure:
			sf, _ = v.Fn.(*ssa.Function)
			bindings = v.Bindings
		}
		if sf == nil {
			return nil
		}
		obj, _ = sf.Object().(*types.Func)
		if obj == nil {
			return nil
		}
		osig := obj.Type().(*types.Signature)
		switch {
		case sf.Signature.Recv() != nil: // a method called directly
			if len(common.Args) == 0 {
				return nil
			}
			recv, params = common.Args[0], common.Args[1:]
		case osig.Recv() != nil && len(bindings) == 1 && strings.HasSuffix(sf.Name(), "$bound"): // a method value
			recv, params = bindings[0], common.Args
		case osig.Recv() != nil && len(bindings) == 0 && len(common.Args) == osig.Params().Len()+1: // a method expression
			recv, params = common.Args[0], common.Args[1:]
		case osig.Recv() == nil && len(bindings) == 0:
			params = common.Args
		default:
			return nil
		}
	}
	if obj == nil {
		return nil
	}
	spec := c.rec.guardOf(obj)
	if spec == nil {
		return nil
	}
	obj = obj.Origin()
	if len(params) != obj.Type().(*types.Signature).Params().Len() {
		return nil
	}
	expr := c.calls[common.Pos()]
	if expr == nil {
		return nil // synthetic call: nothing in the source to report at
	}
	return &callSite{instr: ci, callee: obj, spec: spec, recv: recv, params: params, expr: expr}
}

// --- values ---

// expected returns the values an expectation argument v of declared type
// pt carries: v itself, or the elements of a slice literal (spread with
// ... or not). known is false when the set cannot be known at compile
// time. An empty known set means "no expectation".
func expected(v ssa.Value, pt types.Type, field types.Type) (vals []ssa.Value, known bool) {
	if v == nil {
		return nil, false
	}
	if field != nil && types.Identical(pt, field) || elemOf(pt) == nil {
		return []ssa.Value{v}, true
	}
	switch v := v.(type) {
	case *ssa.Const:
		if v.IsNil() {
			return nil, true
		}
	case *ssa.Slice:
		return sliceLiteral(v)
	}
	return nil, false
}

// sliceLiteral returns the elements stored into the array a slice literal
// (or a variadic argument list) slices, when every element is stored
// exactly once at a constant index and the array is used for nothing else.
func sliceLiteral(s *ssa.Slice) ([]ssa.Value, bool) {
	if s.Low != nil || s.High != nil || s.Max != nil {
		return nil, false
	}
	alloc, ok := s.X.(*ssa.Alloc)
	if !ok {
		return nil, false
	}
	arr, ok := alloc.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil, false
	}
	at, ok := arr.Elem().Underlying().(*types.Array)
	if !ok {
		return nil, false
	}
	vals := make([]ssa.Value, at.Len())
	for _, ref := range *alloc.Referrers() {
		switch ref := ref.(type) {
		case *ssa.Slice:
			if ref != s {
				return nil, false
			}
		case *ssa.IndexAddr:
			k, ok := ref.Index.(*ssa.Const)
			if !ok {
				return nil, false
			}
			i, ok := constant.Int64Val(k.Value)
			if !ok || i < 0 || i >= int64(len(vals)) {
				return nil, false
			}
			for _, r2 := range *ref.Referrers() {
				st, ok := r2.(*ssa.Store)
				if !ok || st.Addr != ref || vals[i] != nil {
					return nil, false
				}
				vals[i] = st.Val
			}
		default:
			return nil, false
		}
	}
	if slices.Contains(vals, nil) {
		return nil, false
	}
	return vals, true
}

// strip removes conversions that do not change a value.
func strip(v ssa.Value) ssa.Value {
	for range 8 {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		default:
			return v
		}
	}
	return v
}

// equalConst reports whether a and b are constants with the same value.
func equalConst(a, b *ssa.Const) bool {
	if a.Value == nil || b.Value == nil {
		return a.Value == nil && b.Value == nil && types.Identical(a.Type(), b.Type())
	}
	if a.Value.Kind() != b.Value.Kind() {
		return false
	}
	return constant.Compare(a.Value, token.EQL, b.Value)
}

// sameValue reports whether a and b are equal on some path: the same SSA
// value, equal constants, or phis that agree on one incoming edge (or a
// phi one of whose incoming values equals the other side).
func sameValue(a, b ssa.Value) bool {
	return sameDepth(strip(a), strip(b), 0)
}

func sameDepth(a, b ssa.Value, depth int) bool {
	if a == nil || b == nil || depth > 6 {
		return false
	}
	if a == b {
		return true
	}
	ca, ok1 := a.(*ssa.Const)
	cb, ok2 := b.(*ssa.Const)
	if ok1 && ok2 {
		return equalConst(ca, cb)
	}
	pa, okA := a.(*ssa.Phi)
	pb, okB := b.(*ssa.Phi)
	switch {
	case okA && okB:
		if pa.Block() != pb.Block() {
			return false // uncorrelated: stay silent
		}
		for i := range pa.Edges {
			if i < len(pb.Edges) && sameDepth(strip(pa.Edges[i]), strip(pb.Edges[i]), depth+1) {
				return true
			}
		}
	case okA:
		for _, e := range pa.Edges {
			if sameDepth(strip(e), b, depth+1) {
				return true
			}
		}
	case okB:
		for _, e := range pb.Edges {
			if sameDepth(a, strip(e), depth+1) {
				return true
			}
		}
	}
	return false
}

// distinct returns vals without duplicates (equal constants, same values).
func distinct(vals []ssa.Value) []ssa.Value {
	var out []ssa.Value
	for _, v := range vals {
		dup := false
		for _, o := range out {
			if sameExact(v, o) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, v)
		}
	}
	return out
}

// sameExact reports whether a and b are equal on every path.
func sameExact(a, b ssa.Value) bool {
	a, b = strip(a), strip(b)
	if a == b {
		return true
	}
	ca, ok1 := a.(*ssa.Const)
	cb, ok2 := b.(*ssa.Const)
	return ok1 && ok2 && equalConst(ca, cb)
}

// --- objects and writes ---

// An objKey identifies the object a pointer designates: the pointer value,
// or the variable a pointer was loaded from, with embedded-field
// selections stripped.
type objKey struct {
	v    ssa.Value
	cell bool // v is a variable holding the pointer
}

// identity returns the key of the struct object pointer p points to.
func identity(p ssa.Value) objKey {
	for range 16 {
		switch x := p.(type) {
		case *ssa.ChangeType:
			p = x.X
			continue
		case *ssa.FieldAddr:
			if f := fieldOf(x); f != nil && f.Embedded() {
				p = x.X
				continue
			}
		case *ssa.UnOp:
			if x.Op != token.MUL {
				break
			}
			switch y := x.X.(type) {
			case *ssa.FieldAddr:
				if f := fieldOf(y); f != nil && f.Embedded() {
					p = y.X
					continue
				}
			case *ssa.Alloc, *ssa.FreeVar, *ssa.Global:
				return objKey{y, true}
			}
		}
		break
	}
	return objKey{p, false}
}

// objectOf returns the key of the object an argument designates: a
// pointer to a struct, or a struct value loaded from a variable.
func objectOf(v ssa.Value) (objKey, bool) {
	if v == nil {
		return objKey{}, false
	}
	v = strip(v)
	switch t := v.Type().Underlying().(type) {
	case *types.Pointer:
		if structOf(t) == nil {
			return objKey{}, false
		}
		return identity(v), true
	case *types.Struct:
		if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
			return identity(u.X), true
		}
	}
	return objKey{}, false
}

// fieldOf returns the field a FieldAddr selects.
func fieldOf(fa *ssa.FieldAddr) *types.Var {
	st := structOf(fa.X.Type())
	if st == nil || fa.Field >= st.NumFields() {
		return nil
	}
	return st.Field(fa.Field)
}

// A write is a store to a field of an object.
type write struct {
	store *ssa.Store
	field *types.Var
}

// writesTo returns the stores in fn to fields of the object key, in
// instruction order, for which keep is true.
func writesTo(fn *ssa.Function, key objKey, keep func(*types.Var) bool) []write {
	var ws []write
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			st, ok := instr.(*ssa.Store)
			if !ok {
				continue
			}
			fa, ok := st.Addr.(*ssa.FieldAddr)
			if !ok {
				continue
			}
			f := fieldOf(fa)
			if f == nil || !keep(f) || identity(fa.X) != key {
				continue
			}
			ws = append(ws, write{st, f})
		}
	}
	return ws
}

// reaches reports whether some path leads from instruction from to
// instruction to without passing an instruction for which kill is true.
func reaches(from, to ssa.Instruction, kill func(ssa.Instruction) bool) bool {
	fb := from.Block()
	if fb == nil || to.Block() == nil {
		return false
	}
	i := slices.Index(fb.Instrs, from)
	if i < 0 {
		return false
	}
	for _, instr := range fb.Instrs[i+1:] {
		if instr == to {
			return true
		}
		if kill(instr) {
			return false
		}
	}
	seen := map[*ssa.BasicBlock]bool{}
	work := slices.Clone(fb.Succs)
	for len(work) > 0 {
		b := work[len(work)-1]
		work = work[:len(work)-1]
		if seen[b] {
			continue
		}
		seen[b] = true
		killed := false
		for _, instr := range b.Instrs {
			if instr == to {
				return true
			}
			if kill(instr) {
				killed = true
				break
			}
		}
		if !killed {
			work = append(work, b.Succs...)
		}
	}
	return false
}

// reachingWrites returns the writes among ws that reach instruction at
// with no other write of the same field of ws, nor an instruction for
// which stop is true, in between.
func reachingWrites(ws []write, at ssa.Instruction, stop func(ssa.Instruction) bool) []write {
	var out []write
	for _, w := range ws {
		kill := func(instr ssa.Instruction) bool {
			if stop(instr) {
				return true
			}
			for _, o := range ws {
				if o.store == instr && o.field == w.field {
					return true
				}
			}
			return false
		}
		if reaches(w.store, at, kill) {
			out = append(out, w)
		}
	}
	return out
}

// readBack returns the load an expectation value is when it reads field
// of the object key back (s.TaskState), or nil.
func readBack(v ssa.Value, key objKey, field string) *ssa.UnOp {
	u, ok := strip(v).(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return nil
	}
	fa, ok := u.X.(*ssa.FieldAddr)
	if !ok {
		return nil
	}
	f := fieldOf(fa)
	if f == nil || f.Name() != field || identity(fa.X) != key {
		return nil
	}
	return u
}

// --- the checks ---

// checkSave checks one call of a guarded save: ineffective-guard,
// reentrant-guard and unguarded-transition.
func (c *callChecker) checkSave(s *callSite, saved map[ssa.Instruction]objKey) {
	key, ok := objectOf(s.arg(s.spec.object))
	if !ok {
		return
	}
	fn := s.instr.Parent()
	field := s.spec.field
	ws := writesTo(fn, key, func(f *types.Var) bool {
		return f.Name() == field || c.rec.isStateField(f)
	})
	if len(ws) == 0 {
		return // a fence, or another object
	}
	kill := func(instr ssa.Instruction) bool {
		k, ok := saved[instr]
		return ok && k == key
	}
	reaching := reachingWrites(ws, s.instr, kill)
	if len(reaching) == 0 {
		return
	}
	var fieldType types.Type
	for _, w := range reaching {
		if w.field.Name() == field {
			fieldType = w.field.Type()
		}
	}
	exp, known := expected(s.arg(s.spec.expect), s.paramType(s.spec.expect), fieldType)

	// unguarded-transition: a declared state, other than the guarded
	// field (or the guarded field with an empty expectation), is written
	// and reaches this save.
	for _, w := range reaching {
		if !c.rec.isStateField(w.field) {
			continue
		}
		if w.field.Name() == field && !(known && len(exp) == 0) {
			continue
		}
		c.rep.report(check.UnguardedTransition, s.expr.Pos(), s.expr.End(),
			unguardedMessage(w.field.Name(), c.describe(w.store.Val), s.callee.Name(), field, w.field.Name() == field),
			c.related(w))
		break
	}

	if !known || len(exp) == 0 {
		return
	}
	exp = distinct(exp)
	for _, w := range reaching {
		if w.field.Name() != field {
			continue
		}
		var hit ssa.Value
		readback := false
		for _, e := range exp {
			if sameValue(w.store.Val, e) {
				hit = e
				break
			}
			if l := readBack(e, key, field); l != nil && reachesThrough(w, ws, l, kill) {
				hit, readback = e, true
				break
			}
		}
		if hit == nil {
			continue
		}
		val := c.describe(w.store.Val)
		if len(exp) == 1 {
			c.rep.report(check.IneffectiveGuard, s.expr.Pos(), s.expr.End(),
				ineffectiveSaveMessage(field, val, readback), c.related(w))
		} else {
			c.rep.report(check.ReentrantGuard, s.expr.Pos(), s.expr.End(),
				reentrantSaveMessage(field, val, c.describeAll(exp)), c.related(w))
		}
		return
	}
}

// reachesThrough reports whether write w reaches the load l with no
// other write of its field in between.
func reachesThrough(w write, ws []write, l ssa.Instruction, stop func(ssa.Instruction) bool) bool {
	for _, r := range reachingWrites(ws, l, stop) {
		if r == w {
			return true
		}
	}
	return false
}

// checkTransition checks one transition call: from equal to to.
func (c *callChecker) checkTransition(s *callSite) {
	to := s.arg(s.spec.to)
	if to == nil {
		return
	}
	from, known := expected(s.arg(s.spec.expect), s.paramType(s.spec.expect), s.paramType(s.spec.to))
	if !known || len(from) == 0 {
		return
	}
	from = distinct(from)
	for _, f := range from {
		if !sameValue(f, to) {
			continue
		}
		val := c.describe(to)
		if len(from) == 1 {
			c.rep.report(check.IneffectiveGuard, s.expr.Pos(), s.expr.End(),
				ineffectiveTransitionMessage(s.callee.Name(), val))
		} else {
			c.rep.report(check.ReentrantGuard, s.expr.Pos(), s.expr.End(),
				reentrantTransitionMessage(s.callee.Name(), val, c.describeAll(from)))
		}
		return
	}
}

// related points at the write of a finding.
func (c *callChecker) related(w write) analysis.RelatedInformation {
	pos := w.store.Pos()
	if !pos.IsValid() {
		pos = w.store.Val.Pos()
	}
	return analysis.RelatedInformation{
		Pos:     pos,
		Message: w.field.Name() + " is set to " + c.describe(w.store.Val) + " here",
	}
}

// describe names a value for a message: a named constant where one
// exists, a literal, a variable name, or "a value computed here".
func (c *callChecker) describe(v ssa.Value) string {
	v = strip(v)
	switch v := v.(type) {
	case *ssa.Const:
		if name := c.constName(v); name != "" {
			return name
		}
		if v.Value == nil {
			if v.IsNil() {
				return "nil"
			}
			return "the zero value"
		}
		return v.Value.ExactString()
	case *ssa.Parameter:
		return v.Name()
	case *ssa.Phi:
		if c := v.Comment; token.IsIdentifier(c) {
			return c
		}
	case *ssa.UnOp:
		if fa, ok := v.X.(*ssa.FieldAddr); ok && v.Op == token.MUL {
			if f := fieldOf(fa); f != nil {
				return f.Name() + " as read back"
			}
		}
	}
	return "the same value"
}

// describeAll names each value of a set, separated by commas.
func (c *callChecker) describeAll(vs []ssa.Value) string {
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = c.describe(v)
	}
	return strings.Join(names, ", ")
}

// constName returns the name of a package-level constant with the type and
// value of k, declared in the package of k's named type or in this
// package, or "".
func (c *callChecker) constName(k *ssa.Const) string {
	if k.Value == nil {
		return ""
	}
	var scopes []*types.Scope
	if n, ok := types.Unalias(k.Type()).(*types.Named); ok && n.Obj().Pkg() != nil {
		scopes = append(scopes, n.Obj().Pkg().Scope())
	}
	scopes = append(scopes, c.pass.Pkg.Scope())
	for _, sc := range scopes {
		for _, name := range sc.Names() {
			kc, ok := sc.Lookup(name).(*types.Const)
			if !ok || !types.Identical(kc.Type(), k.Type()) || kc.Val().Kind() != k.Value.Kind() {
				continue
			}
			if constant.Compare(kc.Val(), token.EQL, k.Value) {
				if kc.Pkg() != c.pass.Pkg {
					return kc.Pkg().Name() + "." + name
				}
				return name
			}
		}
	}
	return ""
}

func ineffectiveSaveMessage(field, val string, readback bool) string {
	expects := "expects only " + val
	if readback {
		expects = "expects " + field + " as read back after that write, which is " + val
	}
	return "ineffective-guard: " + field + " is set to " + val + " and this save " + expects +
		", so a concurrent duplicate of this action passes the guard as well: the guard can never fail. " +
		"If this save starts a transition, expect the state the object leaves (read it before the write); " +
		"if it only fences other changes on the current state, drop the redundant write to " + field
}

func reentrantSaveMessage(field, val, set string) string {
	return "reentrant-guard: " + field + " is set to " + val + " and this save accepts " + val +
		" among its expected states (" + set + "), so a concurrent duplicate of this action passes the guard; " +
		"remove " + val + " from the expected states, or, if re-entry is intended (to re-issue a stuck action), " +
		"say so with //stateguard:ignore REASON"
}

func ineffectiveTransitionMessage(callee, val string) string {
	return "ineffective-guard: this " + callee + " call goes from " + val + " to " + val +
		", so it cannot fail for a concurrent duplicate: the guard expects the state it writes. " +
		"Pass the state the object leaves as the source; if nothing changes, this is a fence, not a transition"
}

func reentrantTransitionMessage(callee, val, set string) string {
	return "reentrant-guard: this " + callee + " call moves to " + val + " and accepts " + val +
		" among its source states (" + set + "), so a concurrent duplicate passes the guard; " +
		"remove " + val + " from the source states, or, if re-entry is intended, say so with //stateguard:ignore REASON"
}

func unguardedMessage(state, val, callee, field string, sameField bool) string {
	carries := "which guards " + field + " and carries no expectation on " + state
	if sameField {
		carries = "with an empty expectation"
	}
	return "unguarded-transition: " + state + " is declared a state and is set to " + val + ", then saved by " +
		callee + " " + carries + ", so of two concurrent actions the last writer silently wins; " +
		"pass the state this action leaves as the expectation, or, if overwriting whatever runs is intended, " +
		"say so with //stateguard:ignore REASON"
}
