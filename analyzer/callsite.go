package analyzer

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/stateguard/stateguard/analyzer/internal/place"
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
	rhs   map[token.Pos]ast.Expr      // value stored, by the position of a field store

	globals map[*ssa.Global][]ssa.Value  // values stored into package variables (guard.Field)
	updated map[*ssa.Function]bool       // change functions of Table.Update already judged
	wraps   map[*ssa.Function]*guardWrap // functions of the package, as wrappers of Table.Save (nil: not one)

	helpers *helpers                        // helpers of this package and others (helperfacts.go)
	hcalls  map[*ssa.Function][]*helperCall // calls of helpers, by function
	vias    map[helperAt]helperVia          // the helper behind a write at a call
}

func newCallChecker(pass *analysis.Pass, rep *reporter, rec *recognizer) *callChecker {
	c := &callChecker{pass: pass, rep: rep, rec: rec, calls: map[token.Pos]*ast.CallExpr{}, rhs: map[token.Pos]ast.Expr{}}
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.CallExpr:
				c.calls[n.Lparen] = n
			case *ast.AssignStmt:
				// SSA positions a field store at the selected name.
				if n.Tok == token.ASSIGN && len(n.Lhs) == len(n.Rhs) {
					for i, l := range n.Lhs {
						if sel, ok := ast.Unparen(l).(*ast.SelectorExpr); ok {
							c.rhs[sel.Sel.Pos()] = n.Rhs[i]
						}
					}
				}
			case *ast.KeyValueExpr:
				// ... and a composite literal's field at its colon.
				c.rhs[n.Colon] = n.Value
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
	// Every save stores the whole object: on the paths where it
	// succeeds, a write it stored no longer reaches a later save of the
	// same object (which is then a fence).
	saved := map[place.Key]place.Saves{}
	c.helperSaved(fn, saved)
	for _, s := range sites {
		// A deferred or spawned save stores nothing where it stands.
		if _, isCall := s.instr.(*ssa.Call); isCall && s.spec.kind == kindSave {
			if key, _, ok := place.ObjectOf(s.arg(s.spec.object)); ok {
				if saved[key] == nil {
					saved[key] = place.Saves{}
				}
				saved[key][s.instr] = errResult(s.instr)
			}
		}
	}
	for _, s := range sites {
		switch s.spec.kind {
		case kindSave:
			c.checkSave(s, saved)
			c.checkCallbacks(s)
		case kindTransition:
			c.checkTransition(s)
		}
	}
	c.checkThenSave(fn, sites, saved)
	c.checkChains(fn) // condchain.go
	c.checkIgnored(sites)
	gsaves := c.checkGuardAPI(fn)
	c.checkConflicts(fn, sites, gsaves)
}

// errResult returns the error result of a call, or nil.
func errResult(ci ssa.CallInstruction) ssa.Value {
	call, ok := ci.(*ssa.Call)
	if !ok {
		return nil
	}
	errType := types.Universe.Lookup("error").Type()
	if types.Identical(call.Type(), errType) {
		return call
	}
	for _, r := range *call.Referrers() {
		if x, ok := r.(*ssa.Extract); ok && types.Identical(x.Type(), errType) {
			return x
		}
	}
	return nil
}

// site returns ci as a call of a recognized save or transition, or nil.
func (c *callChecker) site(ci ssa.CallInstruction) *callSite {
	common := ci.Common()
	obj, recv, params := callTarget(common)
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

// callTarget returns the function or method a call calls statically
// (a function, a method called directly, through a method value or a
// method expression, an interface method), its receiver and its
// arguments, one per declared parameter; obj is nil for any other call.
func callTarget(common *ssa.CallCommon) (obj *types.Func, recv ssa.Value, params []ssa.Value) {
	if common.IsInvoke() {
		return common.Method, common.Value, common.Args
	}
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
		return nil, nil, nil
	}
	obj, _ = sf.Object().(*types.Func)
	if obj == nil {
		return nil, nil, nil
	}
	osig := obj.Type().(*types.Signature)
	switch {
	case sf.Signature.Recv() != nil: // a method called directly
		if len(common.Args) == 0 {
			return nil, nil, nil
		}
		return obj, common.Args[0], common.Args[1:]
	case osig.Recv() != nil && len(bindings) == 1 && strings.HasSuffix(sf.Name(), "$bound"): // a method value
		return obj, bindings[0], common.Args
	case osig.Recv() != nil && len(bindings) == 0 && len(common.Args) == osig.Params().Len()+1: // a method expression
		return obj, common.Args[0], common.Args[1:]
	case osig.Recv() == nil && len(bindings) == 0:
		return obj, nil, common.Args
	}
	return nil, nil, nil
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

// equalConst reports whether a and b are constants with the same value.
// nil is the same state as nil only for a nullable state, a pointer to a
// state, where nil is NULL: of an interface, a slice or a func type, two
// nils are no state at all.
func equalConst(a, b *ssa.Const) bool {
	if a.Value == nil || b.Value == nil {
		if a.Value != nil || b.Value != nil || !types.Identical(a.Type(), b.Type()) {
			return false
		}
		if a.IsNil() {
			_, isPtr := types.Unalias(a.Type()).Underlying().(*types.Pointer)
			return isPtr && isStateType(a.Type())
		}
		return true // the zero value of one type
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
	return sameDepth(place.Strip(a), place.Strip(b), 0)
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
			if i < len(pb.Edges) && sameDepth(place.Strip(pa.Edges[i]), place.Strip(pb.Edges[i]), depth+1) {
				return true
			}
		}
	case okA:
		for _, e := range pa.Edges {
			if sameDepth(place.Strip(e), b, depth+1) {
				return true
			}
		}
	case okB:
		for _, e := range pb.Edges {
			if sameDepth(a, place.Strip(e), depth+1) {
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
	a, b = place.Strip(a), place.Strip(b)
	if a == b {
		return true
	}
	ca, ok1 := a.(*ssa.Const)
	cb, ok2 := b.(*ssa.Const)
	return ok1 && ok2 && equalConst(ca, cb)
}

// --- the checks ---

// checkSave checks one call of a guarded save: ineffective-guard,
// reentrant-guard and unguarded-transition.
func (c *callChecker) checkSave(s *callSite, saved map[place.Key]place.Saves) {
	objArg := s.arg(s.spec.object)
	key, load, ok := place.ObjectOf(objArg)
	if !ok {
		return
	}
	// A struct passed by value is copied where it is loaded: the writes
	// that count are those that reach the copy.
	var at ssa.Instruction = s.instr
	if u, ok := place.Strip(objArg).(*ssa.UnOp); ok && u.Op == token.MUL && u.Block() != nil {
		if _, isStruct := u.Type().Underlying().(*types.Struct); isStruct {
			at = u
		}
	}
	fn := s.instr.Parent()
	keep := func(f *types.Var) bool {
		_, guarded := s.spec.guardOn(f.Name())
		return guarded || c.rec.isStateField(f)
	}
	ws := c.withHelperWrites(fn, key, place.FieldWrites(fn, key, keep), keep)
	if len(ws) == 0 {
		return // a fence, or another object
	}
	// The place the object was loaded from was rebound after the save's
	// load read it: the saved object may be another one than a write's,
	// unless the write went through the same pointer.
	rb := place.RebindsOf(fn, key)
	rebound := len(rb) > 0 && rb.Between(load.First, s.instr)
	saves := saved[key]
	var reaching []place.Write
	if d, ok := s.instr.(*ssa.Defer); ok && at == s.instr {
		// A deferred save runs when the function returns: the writes
		// that count are those that reach a return the defer reaches.
		for _, r := range place.RunDefers(d) {
			for _, w := range place.ReachingWrites(ws, place.Use{At: r, Loads: load, Defer: d}, saves, rb) {
				if !slices.Contains(reaching, w) {
					reaching = append(reaching, w)
				}
			}
		}
	} else {
		reaching = place.ReachingWrites(ws, place.Use{At: at, Loads: load}, saves, rb)
	}
	if rebound {
		reaching = slices.DeleteFunc(reaching, func(w place.Write) bool {
			return load.Last == nil || w.Loads.Last != load.Last
		})
	}
	reaching = savedColumns(s, reaching) // condmap.go
	if len(reaching) == 0 {
		return
	}

	type expectation struct {
		vals  []ssa.Value
		known bool
	}
	exps := map[string]expectation{}
	for _, g := range s.spec.guards {
		var fieldType types.Type
		for _, w := range reaching {
			if w.Field.Name() == g.field {
				fieldType = w.Field.Type()
			}
		}
		vals, known := c.expectation(s, g, fieldType)
		exps[g.field] = expectation{distinct(vals), known}
	}

	// unguarded-transition: a declared state is written, reaches this
	// save, and the save carries no expectation on it.
	for _, w := range reaching {
		if !c.rec.isStateField(w.Field) || s.spec.isPlain() && createdHere(key, saves) {
			continue
		}
		name := w.Field.Name()
		e, guarded := exps[name]
		if guarded && !(e.known && len(e.vals) == 0) {
			continue
		}
		c.rep.report(check.UnguardedTransition, s.expr.Pos(), s.expr.End(),
			c.unguardedText(s, name, c.describeWrite(w), guarded),
			c.related(w))
		break
	}

	for _, g := range s.spec.guards {
		e := exps[g.field]
		if !e.known || len(e.vals) == 0 {
			continue
		}
	writes:
		for _, w := range reaching {
			// The field as instantiated: a Box[error]'s State is no state.
			if w.Field.Name() != g.field || !isStateType(w.Field.Type()) {
				continue
			}
			for _, v := range e.vals {
				readback := false
				if !sameValue(w.Val, v) {
					l := place.ReadBack(v, key, g.field, rb)
					if l == nil || !place.ReadsWrite(w, ws, l, saves, rb) {
						continue
					}
					readback = true
				}
				val := c.describeWrite(w)
				exp := c.describeIn(v, s.expr.Args[min(g.expect, len(s.expr.Args)):])
				if readback {
					exp = g.field + " as read back after that write"
				} else if exp != c.writtenValue(w) {
					exp += ", the same value"
				}
				if len(e.vals) == 1 {
					c.rep.report(check.IneffectiveGuard, s.expr.Pos(), s.expr.End(),
						ineffectiveSaveMessage(g.field, val, exp, c.onPath(w, s.instr)), c.related(w))
				} else {
					c.rep.report(check.ReentrantGuard, s.expr.Pos(), s.expr.End(),
						reentrantSaveMessage(g.field, val, c.describeAllIn(e.vals, s.expr.Args[min(g.expect, len(s.expr.Args)):])), c.related(w))
				}
				break writes
			}
		}
	}
}

// checkTransition checks one transition call: from equal to to.
func (c *callChecker) checkTransition(s *callSite) {
	to := s.arg(s.spec.to)
	if to == nil || !isStateType(to.Type()) {
		return // no state: a generic transition instantiated with an object type
	}
	from, known := expected(s.arg(s.spec.from), s.paramType(s.spec.from), s.paramType(s.spec.to))
	if !known || len(from) == 0 {
		return
	}
	from = distinct(from)
	for _, f := range from {
		if !sameValue(f, to) {
			continue
		}
		// Each end as the call writes it.
		toText := c.argText(s, s.spec.to, to)
		if len(from) == 1 {
			fromText := c.argText(s, s.spec.from, f)
			same := ""
			switch {
			case !sameExact(f, to):
				same = ", the same state on some path"
			case fromText != toText:
				same = ", the same state"
			}
			c.rep.report(check.IneffectiveGuard, s.expr.Pos(), s.expr.End(),
				ineffectiveTransitionMessage(s.callee.Name(), fromText, toText, same))
		} else {
			c.rep.report(check.ReentrantGuard, s.expr.Pos(), s.expr.End(),
				reentrantTransitionMessage(s.callee.Name(), toText, c.describeAllIn(from, c.argExprs(s, s.spec.from))))
		}
		return
	}
}

// argExprs returns the expressions the call passes for parameter i and
// the ones after it (a variadic parameter's arguments are one each).
func (c *callChecker) argExprs(s *callSite, i int) []ast.Expr {
	args := s.expr.Args
	// A method expression, (*T).M(recv, ...), passes the receiver first.
	if sel, ok := ast.Unparen(s.expr.Fun).(*ast.SelectorExpr); ok {
		if sn := c.pass.TypesInfo.Selections[sel]; sn != nil && sn.Kind() == types.MethodExpr {
			args = args[min(1, len(args)):]
		}
	}
	return args[min(max(i, 0), len(args)):]
}

// argText names the value v of parameter i as the call writes it: the
// source of the argument when that is v itself (not a slice holding it),
// else as describeIn finds v among the arguments.
func (c *callChecker) argText(s *callSite, i int, v ssa.Value) string {
	args := c.argExprs(s, i)
	sig := s.callee.Type().(*types.Signature)
	one := i >= 0 && elemOf(s.paramType(i)) == nil // the argument is the value
	if sig.Variadic() && i == sig.Params().Len()-1 {
		one = len(args) == 1 && s.expr.Ellipsis == token.NoPos // the argument is the one element
	}
	if len(args) > 0 && one {
		if e := ast.Unparen(args[0]); len(types.ExprString(e)) <= 40 {
			return types.ExprString(e)
		}
	}
	return c.describeIn(v, args)
}

// onPath returns " on the path through the write at line N" when the
// write does not happen on every path to the call, else "".
func (c *callChecker) onPath(w place.Write, call ssa.Instruction) string {
	wb, cb := w.At.Block(), call.Block()
	if wb != nil && cb != nil && wb.Dominates(cb) {
		return ""
	}
	pos := w.At.Pos()
	if w.At == w.Store {
		pos = w.Store.Pos()
	}
	if !pos.IsValid() {
		return ""
	}
	return fmt.Sprintf(" on the path through the write at line %d", c.pass.Fset.Position(pos).Line)
}

// related points at the write of a finding.
func (c *callChecker) related(w place.Write) analysis.RelatedInformation {
	// describe's fallback, "the same value", speaks of an expectation:
	// of a write of a value with no name it says nothing true.
	setTo := func(val string) string {
		if val == "the same value" || val == "a value" {
			return " is set"
		}
		return " is set to " + val
	}
	if via := c.via(w); via != "" {
		return analysis.RelatedInformation{
			Pos:     w.At.Pos(),
			Message: w.Field.Name() + setTo(c.writtenValue(w)) + via + " at this call",
		}
	}
	pos := w.Store.Pos()
	if !pos.IsValid() {
		pos = w.Store.Addr.Pos()
	}
	return analysis.RelatedInformation{
		Pos:     pos,
		Message: w.Field.Name() + setTo(c.writtenValue(w)) + " here",
	}
}

// describe names a value for a message: a named constant where one
// exists, a literal, a variable name, or "a value computed here".
func (c *callChecker) describe(v ssa.Value) string {
	if v == nil {
		return "a value"
	}
	v = place.Strip(v)
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
			if f := place.FieldOf(fa); f != nil {
				return f.Name() + " as read back"
			}
		}
	}
	return "the same value"
}

// describeWrite names the value a write stores as its source spells it
// when that is a name or a literal.
func (c *callChecker) describeWrite(w place.Write) string {
	return c.writtenValue(w) + c.via(w)
}

// writtenValue names the value a write stores, as describeWrite does,
// without the helper that makes it.
func (c *callChecker) writtenValue(w place.Write) string {
	if e, ok := c.rhs[w.Src]; ok && w.Src.IsValid() {
		if s := c.spelled(e, w.Val); s != "" {
			return s
		}
	}
	return c.describe(w.Val)
}

// describeIn names v as one of the expressions args spells it, when v is
// a constant one of them names; else as describe does.
func (c *callChecker) describeIn(v ssa.Value, args []ast.Expr) string {
	for _, a := range args {
		found := ""
		ast.Inspect(a, func(n ast.Node) bool {
			if found != "" {
				return false
			}
			if e, ok := n.(ast.Expr); ok {
				found = c.spelled(e, v)
			}
			return found == ""
		})
		if found != "" {
			return found
		}
	}
	return c.describe(v)
}

// spelled returns the source of e when e is a name, a selector or a
// literal whose constant value is v's, else "".
func (c *callChecker) spelled(e ast.Expr, v ssa.Value) string {
	k, ok := place.Strip(v).(*ssa.Const)
	if !ok || k.Value == nil {
		return ""
	}
	e = ast.Unparen(e)
	switch e.(type) {
	case *ast.Ident, *ast.SelectorExpr, *ast.BasicLit:
	default:
		return ""
	}
	tv, ok := c.pass.TypesInfo.Types[e]
	if !ok || tv.Value == nil || tv.Value.Kind() != k.Value.Kind() || !constant.Compare(tv.Value, token.EQL, k.Value) {
		return ""
	}
	return types.ExprString(e)
}

// describeAllIn names each value of a set as args spell them.
func (c *callChecker) describeAllIn(vs []ssa.Value, args []ast.Expr) string {
	names := make([]string, len(vs))
	for i, v := range vs {
		names[i] = c.describeIn(v, args)
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

func ineffectiveSaveMessage(field, val, exp, path string) string {
	return field + " is set to " + val + " and this save expects only " + exp +
		", so it cannot catch a concurrent duplicate of this action" + path + ": the duplicate passes the guard too. " +
		"If this save starts a transition, expect the state the object leaves (read it before the write); " +
		"if it only fences other changes on the current state, drop the redundant write to " + field
}

func reentrantSaveMessage(field, val, set string) string {
	return field + " is set to " + val + " and this save accepts " + val +
		" among its expected states (" + set + "), so a concurrent duplicate of this action passes the guard; " +
		"remove " + val + " from the expected states, or, if re-entry is intended (to re-issue a stuck action), " +
		"say so with //stateguard:ignore REASON"
}

func ineffectiveTransitionMessage(callee, from, to, same string) string {
	return "this " + callee + " call goes from " + from + " to " + to + same +
		", so it cannot fail for a concurrent duplicate: the guard expects the state it writes. " +
		"Pass the state the object leaves as the source; if nothing changes, this is a fence, not a transition"
}

func reentrantTransitionMessage(callee, val, set string) string {
	return "this " + callee + " call moves to " + val + " and accepts " + val +
		" among its source states (" + set + "), so a concurrent duplicate passes the guard; " +
		"remove " + val + " from the source states, or, if re-entry is intended, say so with //stateguard:ignore REASON"
}

func unguardedMessage(state, val, callee string, guards []fieldGuard, sameField bool) string {
	carries := "with an empty expectation"
	switch {
	case len(guards) == 0:
		carries = "which carries no expectation at all"
	case !sameField:
		names := make([]string, len(guards))
		for i, g := range guards {
			names[i] = g.field
		}
		carries = "which guards " + strings.Join(names, " and ") + " and carries no expectation on " + state
	}
	fix := "pass the state this action leaves as the expectation"
	if len(guards) == 0 {
		fix = "save with a conditional save that expects the state this action leaves (" + conditionalSaveHint + ")"
	}
	return state + " is declared a state and is set to " + val + ", then saved by " +
		callee + " " + carries + ", so of two concurrent actions the last writer silently wins; " +
		fix + ", or, if overwriting whatever runs is intended, " +
		"say so with //stateguard:ignore REASON"
}
