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

	globals map[*ssa.Global][]ssa.Value // values stored into package variables (guard.Field)
	updated map[*ssa.Function]bool      // change functions of Table.Update already judged
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
	saved := map[ssa.Instruction]saveMark{}
	for _, s := range sites {
		// A deferred or spawned save stores nothing where it stands.
		if _, isCall := s.instr.(*ssa.Call); isCall && s.spec.kind == kindSave {
			if key, ok := objectOf(s.arg(s.spec.object)); ok {
				saved[s.instr] = saveMark{key, errResult(s.instr)}
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
	gsaves := c.checkGuardAPI(fn)
	c.checkConflicts(fn, sites, gsaves)
}

// A saveMark is a save of an object, with the error value it returns
// (nil when it returns none or the call is deferred or spawned).
type saveMark struct {
	key objKey
	err ssa.Value
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

// An objKey identifies the object a pointer designates: the pointer value
// itself, or the place the pointer was loaded from (a variable, an element
// of an array, a field of a struct) as a root value and a path, or the
// place that holds the object by value (an element of a slice or an array
// of structs, a struct field), with the embedded-field selections of the
// object pointer itself stripped. Two loads of one place give the same
// pointer unless a store to the place lies between them: a rebinding
// breaks the link (see rebinds and reachingWrites).
type objKey struct {
	root ssa.Value
	path string
}

// identity returns the key of the struct object pointer p points to.
func identity(p ssa.Value) objKey {
	return identityDepth(p, 0, nil)
}

// chainLoads are the first and the last load of the chain an object key
// follows from its root: the load of the place nearest the root and the
// load that gives the object pointer itself (nil when the key follows no
// load). Two pointers of one key with the same last load are one SSA
// value: the same object, whatever happens to the place afterwards.
type chainLoads struct {
	first, last ssa.Instruction
}

// identityLoad returns the key of the object p points to and the loads
// of the chain the key follows.
func identityLoad(p ssa.Value) (objKey, chainLoads) {
	var loads chainLoads
	k := identityDepth(p, 0, &loads)
	return k, loads
}

// setLoad records load in a chain: the first load recorded is the one
// nearest the root (the recursion records it first), the last one is the
// load of the object pointer.
func setLoad(loads *chainLoads, load ssa.Instruction) {
	if loads == nil {
		return
	}
	if loads.first == nil {
		loads.first = load
	}
	loads.last = load
}

func identityDepth(p ssa.Value, depth int, first *chainLoads) objKey {
	if depth > 8 {
		return objKey{p, ""}
	}
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
			// A struct held by value in a field: the object is the place.
			if root, path, ok := location(x, depth+1, first); ok {
				return objKey{root, path}
			}
		case *ssa.IndexAddr:
			// A struct held by value in an element.
			if root, path, ok := location(x, depth+1, first); ok {
				return objKey{root, path}
			}
		case *ssa.UnOp:
			if x.Op != token.MUL {
				break
			}
			if y, ok := x.X.(*ssa.FieldAddr); ok {
				if f := fieldOf(y); f != nil && f.Embedded() {
					p = y.X
					continue
				}
			}
			if root, path, ok := location(x.X, depth+1, first); ok {
				setLoad(first, x)
				return objKey{root, path + "*"}
			}
		case *ssa.Field:
			// A pointer held in a field of a struct value.
			if k, ok := valueKey(x.X, depth+1, first); ok {
				return objKey{k.root, k.path + fmt.Sprintf(".%d*", x.Field)}
			}
		}
		break
	}
	return objKey{p, ""}
}

// valueKey returns the key of the place a struct value was loaded from,
// or of the value itself (a parameter, a call result).
func valueKey(v ssa.Value, depth int, first *chainLoads) (objKey, bool) {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		if root, path, ok := location(u.X, depth, first); ok {
			setLoad(first, u)
			return objKey{root, path}, true
		}
		return objKey{}, false
	}
	return objKey{v, "="}, true
}

// location returns the root and path of an address: a variable, a field
// or a constant-index element of another location or of an object. An
// element at a non-constant index is spelled [@ADDR] after the index value.
// A field of a struct held in a field keeps every step, embedded ones
// included: o.Inner.J is not o.N.
func location(a ssa.Value, depth int, first *chainLoads) (ssa.Value, string, bool) {
	if depth > 8 {
		return nil, "", false
	}
	switch a := a.(type) {
	case *ssa.Alloc, *ssa.Global, *ssa.FreeVar:
		return a, "", true
	case *ssa.FieldAddr:
		if inner, ok := a.X.(*ssa.FieldAddr); ok {
			root, path, ok := location(inner, depth+1, first)
			return root, path + fmt.Sprintf(".%d", a.Field), ok
		}
		k := identityDepth(a.X, depth+1, first)
		return k.root, k.path + fmt.Sprintf(".%d", a.Field), true
	case *ssa.IndexAddr:
		// A constant index, or the same index value.
		idx := fmt.Sprintf("[@%p]", a.Index)
		if c, ok := a.Index.(*ssa.Const); ok {
			if c.Value == nil {
				return nil, "", false
			}
			idx = "[" + c.Value.ExactString() + "]"
		}
		if _, isSlice := a.X.Type().Underlying().(*types.Slice); isSlice {
			return a.X, idx, true
		}
		root, path, ok := location(a.X, depth+1, first)
		return root, path + idx, ok
	}
	return a, "", true
}

// rebinds holds the instructions of a function that may put another
// pointer in the place an object key's pointer is loaded from: a store to
// the place or to a place that holds it (the variable, the array, the
// struct), to an element at an index that may be the same, and a call
// given the address of such a place, the slice or array that holds it, or
// a function literal that captured its variable. Empty when the key
// follows no place.
type rebinds map[ssa.Instruction]bool

func rebindsOf(fn *ssa.Function, key objKey) rebinds {
	if !strings.HasSuffix(key.path, "*") || strings.HasPrefix(key.path, "=") {
		return nil
	}
	slot := segments(strings.TrimSuffix(key.path, "*"))
	holds := func(a ssa.Value, call bool) bool {
		root, path, ok := placeOf(a)
		if !ok || root != key.root {
			return false
		}
		if call && path == "" {
			// The pointer a method gets is no rebinding of the fields it
			// points to; the address of a variable, a slice or an array is.
			switch root.(type) {
			case *ssa.Alloc, *ssa.Global, *ssa.FreeVar:
			default:
				if _, isSlice := root.Type().Underlying().(*types.Slice); !isSlice {
					return false
				}
			}
		}
		return mayHold(segments(path), slot)
	}
	rb := rebinds{}
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

// between reports whether a rebinding lies on a path from load to at that
// does not pass load again: the place was rebound after load read it and
// before at. A nil load is never passed.
//
// It walks back from at once, in time linear in the function, however
// many rebindings there are.
func (rb rebinds) between(load, at ssa.Instruction) bool {
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

// placeOf returns the root and path of the place an address or a slice
// designates; an element of a re-sliced slice or array is at an unknown
// index of the one it slices.
func placeOf(a ssa.Value) (ssa.Value, string, bool) {
	a = strip(a)
	for range 8 {
		sl, ok := a.(*ssa.Slice)
		if !ok {
			break
		}
		a = strip(sl.X)
	}
	if ia, ok := a.(*ssa.IndexAddr); ok {
		if sl, ok := ia.X.(*ssa.Slice); ok {
			root, path, ok := placeOf(sl.X)
			return root, path + "[@?]", ok
		}
	}
	return location(a, 0, nil)
}

// segments splits a path into its steps: .N, [INDEX], *.
func segments(path string) []string {
	var segs []string
	for len(path) > 0 {
		n := 1
		switch path[0] {
		case '.':
			for n < len(path) && path[n] >= '0' && path[n] <= '9' {
				n++
			}
		case '[':
			n = strings.IndexByte(path, ']') + 1
			if n <= 0 {
				n = len(path)
			}
		}
		segs = append(segs, path[:n])
		path = path[n:]
	}
	return segs
}

// mayHold reports whether the place of path p is, or may be, the place of
// path slot or one that holds it: p is a prefix of slot, step by step,
// where an element at a non-constant index may be any element.
func mayHold(p, slot []string) bool {
	if len(p) > len(slot) {
		return false
	}
	for i, s := range p {
		t := slot[i]
		if s == t {
			continue
		}
		if strings.HasPrefix(s, "[") && strings.HasPrefix(t, "[") &&
			(strings.HasPrefix(s, "[@") || strings.HasPrefix(t, "[@")) {
			continue
		}
		return false
	}
	return true
}

// objectOf returns the key of the object an argument designates: a
// pointer to a struct, or a struct value loaded from a variable.
func objectOf(v ssa.Value) (objKey, bool) {
	k, _, ok := objectLoad(v)
	return k, ok
}

// objectLoad is objectOf that also returns the loads of the key's chain
// (see identityLoad).
func objectLoad(v ssa.Value) (objKey, chainLoads, bool) {
	if v == nil {
		return objKey{}, chainLoads{}, false
	}
	v = strip(v)
	switch t := v.Type().Underlying().(type) {
	case *types.Pointer:
		if structOf(t) == nil {
			return objKey{}, chainLoads{}, false
		}
		k, l := identityLoad(v)
		return k, l, true
	case *types.Struct:
		if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
			k, l := identityLoad(u.X)
			return k, l, true
		}
	}
	return objKey{}, chainLoads{}, false
}

// fieldOf returns the field a FieldAddr selects.
func fieldOf(fa *ssa.FieldAddr) *types.Var {
	st := structOf(fa.X.Type())
	if st == nil || fa.Field >= st.NumFields() {
		return nil
	}
	return st.Field(fa.Field)
}

// A write is a store to a field of an object: to the field itself, or to
// the whole struct (*j = Job{...}).
type write struct {
	store *ssa.Store
	field *types.Var
	val   ssa.Value  // the value the field gets; nil when unknown
	src   token.Pos  // where the source spells the value's store
	load  chainLoads // the loads of the object's key
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
				ws = append(ws, wholeWrites(st, key, keep)...)
				continue
			}
			f := fieldOf(fa)
			if f == nil || !keep(f) {
				continue
			}
			k, load := identityLoad(fa.X)
			if k != key {
				continue
			}
			ws = append(ws, write{st, f, st.Val, st.Pos(), load})
		}
	}
	return ws
}

// wholeWrites returns the field writes of a store of a whole struct to the
// object key: the values a composite literal gave its fields (a field it
// omits gets its zero value), unknown values otherwise.
func wholeWrites(st *ssa.Store, key objKey, keep func(*types.Var) bool) []write {
	sv, ok := st.Addr.Type().Underlying().(*types.Pointer)
	if !ok {
		return nil
	}
	stt, ok := sv.Elem().Underlying().(*types.Struct)
	if !ok {
		return nil
	}
	k, load := identityLoad(st.Addr)
	if k != key {
		return nil
	}
	// The literal: a load of a local Alloc whose fields were stored.
	var lit *ssa.Alloc
	if u, ok := st.Val.(*ssa.UnOp); ok && u.Op == token.MUL {
		lit, _ = u.X.(*ssa.Alloc)
	}
	var ws []write
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
		ws = append(ws, write{st, f, val, src, load})
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

// reaches reports whether some path leads from instruction from to
// instruction to without passing an instruction for which kill is true,
// nor a save of saves (the stores of the object) on its way to success.
// A save's failure path, where its error is known not to be nil, leaves
// the write pending: a retry after a conflict still carries it.
func reaches(from, to ssa.Instruction, kill func(ssa.Instruction) bool, saves map[ssa.Instruction]ssa.Value) bool {
	fb := from.Block()
	if fb == nil || to.Block() == nil {
		return false
	}
	i := slices.Index(fb.Instrs, from)
	if i < 0 {
		return false
	}
	// stored is nil while the write is pending, else the error of the
	// save that stored it.
	type item struct {
		b      *ssa.BasicBlock
		start  int
		stored ssa.Value
	}
	type visit struct {
		b      *ssa.BasicBlock
		stored ssa.Value
	}
	seen := map[visit]bool{}
	work := []item{{fb, i + 1, nil}}
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		stored, alive := it.stored, true
		for _, instr := range it.b.Instrs[it.start:] {
			if instr == to && stored == nil {
				return true
			}
			if kill(instr) {
				alive = false
				break
			}
			if e, ok := saves[instr]; ok && instr != to {
				if e == nil {
					alive = false // stored, and its failure cannot be followed
					break
				}
				stored = e
			}
		}
		if !alive {
			continue
		}
		fail := -1
		if stored != nil {
			if ifi, ok := it.b.Instrs[len(it.b.Instrs)-1].(*ssa.If); ok {
				fail = failureSucc(ifi.Cond, stored)
			}
		}
		for k, succ := range it.b.Succs {
			st := stored
			if k == fail {
				st = nil
			}
			v := visit{succ, st}
			if !seen[v] {
				seen[v] = true
				work = append(work, item{succ, 0, st})
			}
		}
	}
	return false
}

// failureSucc returns the index of the successor of a branch on cond that
// is taken when err is not nil (err != nil, errors.Is(err, ...),
// errors.As(err, ...)), or -1.
func failureSucc(cond, err ssa.Value) int {
	switch c := cond.(type) {
	case *ssa.UnOp:
		if c.Op == token.NOT {
			if k := failureSucc(c.X, err); k >= 0 {
				return 1 - k
			}
		}
	case *ssa.BinOp:
		x, y := strip(c.X), strip(c.Y)
		if y == err {
			x, y = y, x
		}
		k, ok := y.(*ssa.Const)
		if x != err || !ok || !k.IsNil() {
			return -1
		}
		switch c.Op {
		case token.NEQ:
			return 0
		case token.EQL:
			return 1
		}
	case *ssa.Call:
		f, ok := c.Call.Value.(*ssa.Function)
		if !ok || f.Pkg == nil || f.Pkg.Pkg.Path() != "errors" || (f.Name() != "Is" && f.Name() != "As") {
			return -1
		}
		if len(c.Call.Args) > 0 && strip(c.Call.Args[0]) == err {
			return 0
		}
	}
	return -1
}

// A use is where a save or a read back uses the object: the instruction
// the writes must reach, the loads of its pointer and, for a deferred
// save, the defer, where its pointer was evaluated.
type use struct {
	at    ssa.Instruction
	loads chainLoads
	def   *ssa.Defer
}

// reachingWrites returns the writes among ws that reach the use u with no
// other write of the same field of ws in between, nor a successful save of
// saves, made through a pointer that designates the object u uses: the same
// SSA value, or one loaded from the same place with no rebinding of rb
// between the two loads. For a use that evaluates its pointer where it
// happens, that is: no rebinding between the write's load and its store,
// nor on the path from the write to the use.
func reachingWrites(ws []write, u use, saves map[ssa.Instruction]ssa.Value, rb rebinds) []write {
	type overwrite struct {
		store ssa.Instruction
		field *types.Var
	}
	overwrites := make(map[overwrite]bool, len(ws))
	for _, o := range ws {
		overwrites[overwrite{o.store, o.field}] = true
	}
	var out []write
	for _, w := range ws {
		wrb := rb
		if u.loads.last != nil && w.load.last == u.loads.last {
			wrb = nil // one pointer: one object, whatever the place holds later
		}
		if len(wrb) > 0 && wrb.between(w.load.first, w.store) {
			continue
		}
		if u.def != nil && len(wrb) > 0 {
			// The deferred save's pointer was read at the defer: a
			// rebinding after the write and after the defer changes
			// neither pointer.
			if wrb.between(w.load.first, u.def) || wrb.between(u.def, w.load.first) {
				continue
			}
			wrb = nil
		}
		kill := func(instr ssa.Instruction) bool {
			return wrb[instr] || overwrites[overwrite{instr, w.field}]
		}
		if reaches(w.store, u.at, kill, saves) {
			out = append(out, w)
		}
	}
	return out
}

// readBack returns the load an expectation value is when it reads field
// of the object key back (s.TaskState), with no rebinding of rb between
// the load of the object and that of the field, or nil.
func readBack(v ssa.Value, key objKey, field string, rb rebinds) *ssa.UnOp {
	u, ok := strip(v).(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return nil
	}
	fa, ok := u.X.(*ssa.FieldAddr)
	if !ok {
		return nil
	}
	f := fieldOf(fa)
	if f == nil || f.Name() != field {
		return nil
	}
	if k, load := identityLoad(fa.X); k != key || len(rb) > 0 && rb.between(load.first, u) {
		return nil
	}
	return u
}

// readsWrite reports whether the load l reads the value write w stored
// and has not stored yet: w reaches l with no successful save of the
// object in between (after one, the load reads the stored state), and either
// w dominates l, in the same pass of any loop, or w stores a constant,
// the same in every pass.
func readsWrite(w write, ws []write, l *ssa.UnOp, saves map[ssa.Instruction]ssa.Value, rb rebinds) bool {
	found := false
	_, loads := identityLoad(l.X.(*ssa.FieldAddr).X) // as readBack found it
	for _, r := range reachingWrites(ws, use{at: l, loads: loads}, saves, rb) {
		if r == w {
			found = true
		}
	}
	if !found {
		return false
	}
	if w.val == nil {
		return false
	}
	if _, ok := strip(w.val).(*ssa.Const); ok {
		return true
	}
	wb, lb := w.store.Block(), l.Block()
	if wb == lb {
		return slices.Index(wb.Instrs, ssa.Instruction(w.store)) < slices.Index(lb.Instrs, ssa.Instruction(l))
	}
	return wb.Dominates(lb)
}

// --- the checks ---

// checkSave checks one call of a guarded save: ineffective-guard,
// reentrant-guard and unguarded-transition.
func (c *callChecker) checkSave(s *callSite, saved map[ssa.Instruction]saveMark) {
	objArg := s.arg(s.spec.object)
	key, load, ok := objectLoad(objArg)
	if !ok {
		return
	}
	// A struct passed by value is copied where it is loaded: the writes
	// that count are those that reach the copy.
	var at ssa.Instruction = s.instr
	if u, ok := strip(objArg).(*ssa.UnOp); ok && u.Op == token.MUL && u.Block() != nil {
		if _, isStruct := u.Type().Underlying().(*types.Struct); isStruct {
			at = u
		}
	}
	fn := s.instr.Parent()
	ws := writesTo(fn, key, func(f *types.Var) bool {
		_, guarded := s.spec.guardOn(f.Name())
		return guarded || c.rec.isStateField(f)
	})
	if len(ws) == 0 {
		return // a fence, or another object
	}
	// The place the object was loaded from was rebound after the save's
	// load read it: the saved object may be another one than a write's,
	// unless the write went through the same pointer.
	rb := rebindsOf(fn, key)
	rebound := len(rb) > 0 && rb.between(load.first, s.instr)
	saves := map[ssa.Instruction]ssa.Value{}
	for instr, m := range saved {
		if m.key == key {
			saves[instr] = m.err
		}
	}
	var reaching []write
	if d, ok := s.instr.(*ssa.Defer); ok && at == s.instr {
		// A deferred save runs when the function returns: the writes
		// that count are those that reach a return the defer reaches.
		for _, r := range runDefers(d) {
			for _, w := range reachingWrites(ws, use{r, load, d}, saves, rb) {
				if !slices.Contains(reaching, w) {
					reaching = append(reaching, w)
				}
			}
		}
	} else {
		reaching = reachingWrites(ws, use{at: at, loads: load}, saves, rb)
	}
	if rebound {
		reaching = slices.DeleteFunc(reaching, func(w write) bool {
			return load.last == nil || w.load.last != load.last
		})
	}
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
			if w.field.Name() == g.field {
				fieldType = w.field.Type()
			}
		}
		vals, known := expected(s.arg(g.expect), s.paramType(g.expect), fieldType)
		exps[g.field] = expectation{distinct(vals), known}
	}

	// unguarded-transition: a declared state is written, reaches this
	// save, and the save carries no expectation on it.
	for _, w := range reaching {
		if !c.rec.isStateField(w.field) {
			continue
		}
		name := w.field.Name()
		e, guarded := exps[name]
		if guarded && !(e.known && len(e.vals) == 0) {
			continue
		}
		c.rep.report(check.UnguardedTransition, s.expr.Pos(), s.expr.End(),
			unguardedMessage(name, c.describeWrite(w), s.callee.Name(), s.spec.guards, guarded),
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
			if w.field.Name() != g.field {
				continue
			}
			for _, v := range e.vals {
				readback := false
				if !sameValue(w.val, v) {
					l := readBack(v, key, g.field, rb)
					if l == nil || !readsWrite(w, ws, l, saves, rb) {
						continue
					}
					readback = true
				}
				val := c.describeWrite(w)
				exp := c.describeIn(v, s.expr.Args[min(g.expect, len(s.expr.Args)):])
				if readback {
					exp = g.field + " as read back after that write"
				} else if exp != val {
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

// runDefers returns the RunDefers instructions the defer d reaches.
func runDefers(d *ssa.Defer) []ssa.Instruction {
	none := func(ssa.Instruction) bool { return false }
	var out []ssa.Instruction
	for _, b := range d.Parent().Blocks {
		for _, instr := range b.Instrs {
			if r, ok := instr.(*ssa.RunDefers); ok && reaches(d, r, none, nil) {
				out = append(out, r)
			}
		}
	}
	return out
}

// checkTransition checks one transition call: from equal to to.
func (c *callChecker) checkTransition(s *callSite) {
	to := s.arg(s.spec.to)
	if to == nil {
		return
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
		args := s.expr.Args
		val := c.describeIn(to, args[min(s.spec.to, len(args)):])
		if len(from) == 1 {
			c.rep.report(check.IneffectiveGuard, s.expr.Pos(), s.expr.End(),
				ineffectiveTransitionMessage(s.callee.Name(), val))
		} else {
			c.rep.report(check.ReentrantGuard, s.expr.Pos(), s.expr.End(),
				reentrantTransitionMessage(s.callee.Name(), val, c.describeAllIn(from, args[min(s.spec.from, len(args)):])))
		}
		return
	}
}

// onPath returns " on the path through the write at line N" when the
// write does not happen on every path to the call, else "".
func (c *callChecker) onPath(w write, call ssa.Instruction) string {
	wb, cb := w.store.Block(), call.Block()
	if wb != nil && cb != nil && wb.Dominates(cb) {
		return ""
	}
	pos := w.store.Pos()
	if !pos.IsValid() {
		return ""
	}
	return fmt.Sprintf(" on the path through the write at line %d", c.pass.Fset.Position(pos).Line)
}

// related points at the write of a finding.
func (c *callChecker) related(w write) analysis.RelatedInformation {
	pos := w.store.Pos()
	if !pos.IsValid() {
		pos = w.store.Addr.Pos()
	}
	return analysis.RelatedInformation{
		Pos:     pos,
		Message: w.field.Name() + " is set to " + c.describeWrite(w) + " here",
	}
}

// describe names a value for a message: a named constant where one
// exists, a literal, a variable name, or "a value computed here".
func (c *callChecker) describe(v ssa.Value) string {
	if v == nil {
		return "a value"
	}
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

// describeWrite names the value a write stores as its source spells it
// when that is a name or a literal.
func (c *callChecker) describeWrite(w write) string {
	if e, ok := c.rhs[w.src]; ok && w.src.IsValid() {
		if s := c.spelled(e, w.val); s != "" {
			return s
		}
	}
	return c.describe(w.val)
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
	k, ok := strip(v).(*ssa.Const)
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

func ineffectiveSaveMessage(field, val, exp, path string) string {
	return "ineffective-guard: " + field + " is set to " + val + " and this save expects only " + exp +
		", so it cannot catch a concurrent duplicate of this action" + path + ": the duplicate passes the guard too. " +
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

func unguardedMessage(state, val, callee string, guards []fieldGuard, sameField bool) string {
	carries := "with an empty expectation"
	if !sameField {
		names := make([]string, len(guards))
		for i, g := range guards {
			names[i] = g.field
		}
		carries = "which guards " + strings.Join(names, " and ") + " and carries no expectation on " + state
	}
	return "unguarded-transition: " + state + " is declared a state and is set to " + val + ", then saved by " +
		callee + " " + carries + ", so of two concurrent actions the last writer silently wins; " +
		"pass the state this action leaves as the expectation, or, if overwriting whatever runs is intended, " +
		"say so with //stateguard:ignore REASON"
}
