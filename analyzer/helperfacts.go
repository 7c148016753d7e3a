package analyzer

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/stateguard/stateguard/analyzer/internal/place"
)

// Helpers: functions that write a state field of their object (a
// parameter or the receiver) to a value known at the call, and perhaps
// save the object after the write. A call of a helper counts, where it
// stands, as that write (and that save), in this package and, through
// helperFact, in every package that calls it, however many helpers and
// packages lie between the call and the assignment.
//
// The rule a helper obeys: on every path to a normal return of the
// helper (a panic is none), the last write of the field F of its object
// gives F one value, the same on every path: a constant, or the value of
// one of the helper's parameters. A helper saves its object when, on
// every such path, a recognized save of the object that carries no
// expectation on F, or a helper that saves it, follows the last write of
// F. A struct passed by value is a copy: a helper of one counts only when
// it saves the copy, and at the call the object itself keeps its value
// (the write is the saved copy's). A helper that writes F only on some
// paths, or writes different values, or recovers from a panic, is none.

// noParam is HelperWrite.Param for a constant value.
const noParam = -2

// helperFact marks a function or method that writes state fields of its
// parameters or receiver (and perhaps saves them): a helper.
type helperFact struct {
	Writes  []HelperWrite  // sorted by object, then field
	Returns []HelperReturn // sorted by result (helperident.go)
}

// HelperWrite is one field a helper writes. (Exported for gob.)
type HelperWrite struct {
	Object int    // the parameter written, receiverIndex for the receiver
	Field  string // the field's name
	Param  int    // the parameter whose value the field gets, or noParam for a constant
	Kind   string // the constant's kind: "string", "int", "bool" or "nil"
	Const  string // the constant, as constant.Value's ExactString
	Saves  bool   // the helper saves the object after the write
	// Guarded: on some path, every save that follows the write carries an
	// expectation on the field (a guarded save: at the call, no save
	// without one).
	Guarded bool
	Copy    bool   // the write is to a copy the helper saves, not to the object itself
	Func    string // the function that makes the assignment
	File    string // its file's base name
	Line    int    // the assignment's line
}

// AFact marks helperFact as an analysis fact.
func (*helperFact) AFact() {}

func (f *helperFact) String() string {
	parts := make([]string, len(f.Writes))
	for i, w := range f.Writes {
		obj := "receiver"
		if w.Object != receiverIndex {
			obj = fmt.Sprintf("#%d", w.Object)
		}
		if w.Copy {
			obj = "a copy of " + obj
		}
		val := w.Const
		if w.Param != noParam {
			val = fmt.Sprintf("#%d", w.Param)
		}
		s := fmt.Sprintf("%s of %s = %s", w.Field, obj, val)
		if w.Saves {
			s += " then saved"
			if w.Guarded {
				s += " guarded"
			}
		}
		parts[i] = s
	}
	for _, r := range f.Returns {
		obj := "receiver"
		if r.Param != receiverIndex {
			obj = fmt.Sprintf("#%d", r.Param)
		}
		parts = append(parts, fmt.Sprintf("returns %s as result %d", obj, r.Result))
	}
	return "helper(" + strings.Join(parts, "; ") + ")"
}

// hval is the value a helper gives a field: a constant or a parameter.
type hval struct {
	param int // noParam for a constant
	c     *ssa.Const
}

func (v hval) equal(o hval) bool {
	if v.param != o.param {
		return false
	}
	if v.param != noParam {
		return true
	}
	return v.c != nil && o.c != nil && types.Identical(v.c.Type(), o.c.Type()) && equalConst(v.c, o.c)
}

// constOf encodes a constant for a fact, or false for a value no state
// takes (a float, a complex).
func constOf(c *ssa.Const) (kind, val string, ok bool) {
	if c.Value == nil {
		if c.IsNil() {
			return "nil", "nil", true
		}
		return "", "", false
	}
	switch c.Value.Kind() {
	case constant.String:
		return "string", c.Value.ExactString(), true
	case constant.Int:
		return "int", c.Value.ExactString(), true
	case constant.Bool:
		return "bool", c.Value.ExactString(), true
	}
	return "", "", false
}

// decodeConst rebuilds a fact's constant with type t, or nil.
func decodeConst(kind, val string, t types.Type) *ssa.Const {
	switch kind {
	case "nil":
		switch types.Unalias(t).Underlying().(type) {
		case *types.Pointer, *types.Interface, *types.Slice, *types.Map, *types.Chan, *types.Signature:
			return ssa.NewConst(nil, t)
		}
	case "string":
		if v := constant.MakeFromLiteral(val, token.STRING, 0); v.Kind() == constant.String {
			return ssa.NewConst(v, t)
		}
	case "int":
		if v := constant.MakeFromLiteral(val, token.INT, 0); v.Kind() == constant.Int {
			return ssa.NewConst(v, t)
		}
	case "bool":
		return ssa.NewConst(constant.MakeBool(val == "true"), t)
	}
	return nil
}

// A helperWrite is a HelperWrite of a helper of this package, with the
// store that makes it when that store is in this package.
type helperWrite struct {
	HelperWrite
	store *ssa.Store
}

// helpers computes and remembers the helper facts of the package's
// functions (on demand, over their SSA form) and imports those of other
// packages.
type helpers struct {
	pass  *analysis.Pass
	rec   *recognizer
	cands map[*types.Func]bool // this package: the functions the prefilter admits
	ssa   map[*types.Func]*ssa.Function
	local map[*types.Func][]helperWrite // computed (nil: none)
	busy  map[*types.Func]bool          // being computed: a recursive call is no helper
	ext   map[*types.Func][]helperWrite // imported
	// public: candidates that write an exported field or a declared
	// state, which other packages can compare and guard
	public  map[*types.Func]bool
	objects map[*types.Struct]bool // struct types with a state field

	// helperident.go: functions that return a parameter.
	idCands map[*types.Func]bool
	idLocal map[*types.Func][]HelperReturn
	idBusy  map[*types.Func]bool
	idExt   map[*types.Func][]HelperReturn

	used []*types.Func // usedFuncs of the package
}

func newHelpers(pass *analysis.Pass, rec *recognizer) *helpers {
	h := &helpers{
		pass:   pass,
		rec:    rec,
		local:  map[*types.Func][]helperWrite{},
		busy:   map[*types.Func]bool{},
		ext:    map[*types.Func][]helperWrite{},
		public: map[*types.Func]bool{},
	}
	h.cands = h.candidates()
	h.idCands = h.identityCandidates()
	return h
}

// imported returns the writes of a function of another package, by its
// fact.
func (h *helpers) imported(fn *types.Func) []helperWrite {
	if ws, ok := h.ext[fn]; ok {
		return ws
	}
	var f helperFact
	var ws []helperWrite
	if fn.Pkg() != nil && h.pass.ImportObjectFact(fn, &f) {
		for _, w := range f.Writes {
			ws = append(ws, helperWrite{HelperWrite: w})
		}
		if h.idExt == nil {
			h.idExt = map[*types.Func][]HelperReturn{}
		}
		h.idExt[fn] = f.Returns
	}
	h.ext[fn] = ws
	return ws
}

// writesOf returns the writes of the helper fn, or nil when fn is none.
func (h *helpers) writesOf(fn *types.Func) []helperWrite {
	if h == nil || fn == nil {
		return nil
	}
	fn = fn.Origin()
	if fn.Pkg() != h.pass.Pkg {
		return h.imported(fn)
	}
	if !h.cands[fn] || h.busy[fn] {
		return nil
	}
	if ws, ok := h.local[fn]; ok {
		return ws
	}
	sf := h.ssa[fn]
	if sf == nil {
		return nil
	}
	h.busy[fn] = true
	ws := h.compute(fn, sf)
	delete(h.busy, fn)
	h.local[fn] = ws
	return ws
}

// candidates is the cheap prefilter: the functions of the package that
// assign a state field of a parameter or the receiver (p.Status = X, with
// X a constant or a parameter), or that call such a function or a helper
// of another package, found to a fixed point. Only these are ever given
// to compute, and only a package with one builds its SSA form for them.
func (h *helpers) candidates() map[*types.Func]bool {
	info := h.pass.TypesInfo
	cands := map[*types.Func]bool{}
	params := func(fn *types.Func) map[*types.Var]bool {
		sig := fn.Signature()
		ps := map[*types.Var]bool{}
		if sig.Recv() != nil {
			ps[sig.Recv()] = true
		}
		for v := range sig.Params().Variables() {
			ps[v] = true
		}
		return ps
	}
	root := func(e ast.Expr, ps map[*types.Var]bool) bool {
		e = ast.Unparen(e)
		if st, ok := e.(*ast.StarExpr); ok {
			e = ast.Unparen(st.X)
		}
		id, ok := e.(*ast.Ident)
		if !ok {
			return false
		}
		v, ok := info.Uses[id].(*types.Var)
		return ok && ps[v]
	}
	// passes reports whether a call hands on one of ps: as an argument
	// (p, *p, &p) or as the receiver.
	passes := func(call *ast.CallExpr, ps map[*types.Var]bool) bool {
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && root(sel.X, ps) {
			return true
		}
		for _, a := range call.Args {
			a = ast.Unparen(a)
			if u, ok := a.(*ast.UnaryExpr); ok && u.Op == token.AND {
				a = u.X
			}
			if root(a, ps) {
				return true
			}
		}
		return false
	}
	// One walk of each body: does it assign a state field of a
	// parameter (direct), and which functions does it hand a parameter
	// to (callees)?
	type decl struct {
		fn      *types.Func
		callees []*types.Func
	}
	var rest []decl
	for _, d := range h.rec.decls {
		fn, _ := info.Defs[d.Name].(*types.Func)
		if fn == nil {
			continue
		}
		if !h.hasObject(fn.Signature()) {
			continue // no object with a state field to write
		}
		ps := params(fn)
		direct := false
		var callees []*types.Func
		ast.Inspect(d.Body, func(n ast.Node) bool {
			if direct && h.public[fn] {
				return false
			}
			switch n := n.(type) {
			case *ast.FuncLit:
				return false // another function
			case *ast.CallExpr:
				if callee := funcOf(info, n); callee != nil && callee != fn && passes(n, ps) {
					callees = append(callees, callee)
				}
			case *ast.AssignStmt:
				if n.Tok != token.ASSIGN || len(n.Lhs) != len(n.Rhs) {
					return true
				}
				for i, l := range n.Lhs {
					sel, ok := ast.Unparen(l).(*ast.SelectorExpr)
					if !ok || !root(sel.X, ps) {
						continue
					}
					s := info.Selections[sel]
					if s == nil || s.Kind() != types.FieldVal {
						continue
					}
					f, _ := s.Obj().(*types.Var)
					if !h.isState(f) {
						continue
					}
					tv := info.Types[n.Rhs[i]]
					if tv.Value != nil || tv.IsNil() || root(n.Rhs[i], ps) {
						direct = true
						if f.Exported() || h.rec.isStateField(f) {
							h.public[fn] = true
						}
					}
				}
			}
			return true
		})
		if direct {
			cands[fn] = true
		}
		if len(callees) > 0 {
			rest = append(rest, decl{fn, callees})
		}
	}
	for changed := true; changed; {
		changed = false
		for _, d := range rest {
			for _, c := range d.callees {
				var cand, public bool
				if c.Pkg() == h.pass.Pkg {
					cand, public = cands[c], h.public[c]
				} else {
					cand = len(h.imported(c)) > 0
					public = cand
				}
				if cand && !cands[d.fn] {
					cands[d.fn], changed = true, true
				}
				if public && !h.public[d.fn] {
					h.public[d.fn], changed = true, true
				}
			}
		}
	}
	return cands
}

// hasObject reports whether sig has a receiver or parameter that is a
// struct, or a pointer to one, with a state field: an object a helper
// may write.
func (h *helpers) hasObject(sig *types.Signature) bool {
	if r := sig.Recv(); r != nil && h.isObject(r.Type()) {
		return true
	}
	for v := range sig.Params().Variables() {
		if h.isObject(v.Type()) {
			return true
		}
	}
	return false
}

func (h *helpers) isObject(t types.Type) bool {
	st := structOf(t)
	if st == nil {
		return false
	}
	if ok, seen := h.objects[st]; seen {
		return ok
	}
	ok := len(stateFieldsOf(st, h.isState)) > 0
	if h.objects == nil {
		h.objects = map[*types.Struct]bool{}
	}
	h.objects[st] = ok
	return ok
}

// callsSavingHelper reports whether the package calls a helper of
// another package that saves its object with no expectation on a field
// it writes, a save site that matters as a plain save does
// (plainSavesMatter).
func (h *helpers) callsSavingHelper() bool {
	return h.callsSavingHelperAtAll() && plainSavesMatter(h.pass, h.rec)
}

func (h *helpers) callsSavingHelperAtAll() bool {
	if h.used == nil {
		h.used = usedFuncs(h.pass)
	}
	for _, fn := range h.used {
		if fn.Pkg() == h.pass.Pkg {
			continue
		}
		for _, w := range h.imported(fn) {
			if w.Saves && !w.Guarded {
				return true
			}
		}
	}
	return false
}

// needSSA reports whether the package must build its SSA form for its
// helpers alone: it has an exported candidate, whose fact other packages
// may need.
func (h *helpers) needSSA() bool {
	saves := -1 // unknown yet: does the package export a save?
	exportsSave := func() bool {
		if saves < 0 {
			saves = 0
			if h.exportsSave() {
				saves = 1
			}
		}
		return saves == 1
	}
	for fn := range h.cands {
		// An unexported field matters to another package only through a
		// save of this one that guards it.
		if fn.Exported() && (h.public[fn] || exportsSave()) {
			return true
		}
	}
	for fn := range h.idCands {
		if fn.Exported() && exportsSave() {
			return true
		}
	}
	return false
}

// exportsSave reports whether the package declares an exported save (a
// function, or a method of a named type).
func (h *helpers) exportsSave() bool {
	scope := h.pass.Pkg.Scope()
	for _, name := range scope.Names() {
		switch obj := scope.Lookup(name).(type) {
		case *types.Func:
			if obj.Exported() && h.isSave(obj) {
				return true
			}
		case *types.TypeName:
			named, ok := types.Unalias(obj.Type()).(*types.Named)
			if !ok {
				continue
			}
			for m := range named.Methods() {
				if m.Exported() && h.isSave(m) {
					return true
				}
			}
			if iface, ok := named.Underlying().(*types.Interface); ok {
				for m := range iface.ExplicitMethods() {
					if m.Exported() && h.isSave(m) {
						return true
					}
				}
			}
		}
	}
	return false
}

func (h *helpers) isSave(fn *types.Func) bool {
	s := h.rec.guardOf(fn)
	return s != nil && s.kind == kindSave
}

// isState reports whether a field is a state: a state name and a state
// type, or declared.
func (h *helpers) isState(f *types.Var) bool {
	return f != nil && (isStateName(f.Name()) && isStateType(f.Type()) || h.rec.isStateField(f))
}

// setSSA records the SSA functions of the package's declared functions.
func (h *helpers) setSSA(funcs []*ssa.Function) {
	h.ssa = map[*types.Func]*ssa.Function{}
	for _, f := range funcs {
		if obj, ok := f.Object().(*types.Func); ok && f.Parent() == nil {
			h.ssa[obj] = f
		}
	}
}

// exportFacts exports the fact of every exported helper of the package.
func (h *helpers) exportFacts() {
	var fns []*types.Func
	for fn := range h.cands {
		if fn.Exported() {
			fns = append(fns, fn)
		}
	}
	for fn := range h.idCands {
		if fn.Exported() && !h.cands[fn] {
			fns = append(fns, fn)
		}
	}
	sort.Slice(fns, func(i, j int) bool { return fns[i].Pos() < fns[j].Pos() })
	for _, fn := range fns {
		ws := h.writesOf(fn)
		rs := h.returnsOf(fn)
		if len(ws) == 0 && len(rs) == 0 {
			continue
		}
		f := &helperFact{Returns: rs}
		for _, w := range ws {
			f.Writes = append(f.Writes, w.HelperWrite)
		}
		h.pass.ExportObjectFact(fn, f)
	}
}

// --- computing a helper's writes ---

// hstate is what a path knows of one field of one object at a point of
// the helper: nothing yet (bottom), not written, written (with the value,
// whether a save followed, whether the write is a saved copy's), or
// anything (top).
type hstate struct {
	kind  int // hBottom, hUnwritten, hWritten, hTop
	val   hval
	saved bool // a save followed the write
	plain bool // one with no expectation on the field
	copy  bool
	w     *hevent // the write
}

const (
	hBottom = iota
	hUnwritten
	hWritten
	hTop
)

func (a hstate) meet(b hstate) hstate {
	switch {
	case a.kind == hBottom:
		return b
	case b.kind == hBottom:
		return a
	case a.kind == hTop || b.kind == hTop:
		return hstate{kind: hTop}
	case a.kind == hUnwritten && b.kind == hUnwritten:
		return a
	case a.kind == hWritten && b.kind == hWritten && a.val.equal(b.val) && a.copy == b.copy:
		a.saved = a.saved && b.saved
		a.plain = a.plain && b.plain
		return a
	}
	return hstate{kind: hTop}
}

func (a hstate) same(b hstate) bool {
	return a.kind == b.kind && a.saved == b.saved && a.plain == b.plain && a.copy == b.copy && a.w == b.w
}

// An hevent is what an instruction does to a field of an object of the
// helper: a write (perhaps of a copy, perhaps with a save) or a save.
type hevent struct {
	obj   int // the object's parameter index
	field string
	write bool
	val   hval
	known bool // the value is a constant or a parameter
	saves bool
	plain bool // saves with no expectation on the field
	copy  bool
	// where the assignment is: in this package, or as a fact says
	store *ssa.Store
	fn    string
	file  string
	line  int
	// a save of the object, perhaps with an expectation on field
	save    bool
	guarded bool
}

// compute returns the writes of the helper fn (SSA form sf), or nil.
func (h *helpers) compute(fn *types.Func, sf *ssa.Function) []helperWrite {
	if sf.Blocks == nil || sf.Recover != nil {
		return nil
	}
	sig := fn.Signature()
	// index maps an SSA parameter to its declared index.
	index := map[ssa.Value]int{}
	for i, p := range sf.Params {
		switch {
		case sig.Recv() != nil && i == 0:
			index[p] = receiverIndex
		case sig.Recv() != nil:
			index[p] = i - 1
		default:
			index[p] = i
		}
	}
	// The objects: a pointer to a struct parameter is the key of the
	// parameter; a struct parameter is the local copy it is spilled to.
	objects := map[place.Key]int{}
	direct := map[ssa.Value]int{} // struct parameters never spilled, passed on as they are
	byValue := map[int]bool{}
	copyIn := map[*ssa.Store]bool{}
	for _, p := range sf.Params {
		i := index[p]
		switch t := types.Unalias(p.Type()).Underlying().(type) {
		case *types.Pointer:
			if structOf(t) != nil {
				k, _ := place.PointerKey(p)
				objects[k] = i
			}
		case *types.Struct:
			direct[p] = i
			byValue[i] = true
			for _, r := range *p.Referrers() {
				if st, ok := r.(*ssa.Store); ok && st.Val == p {
					if a, ok := st.Addr.(*ssa.Alloc); ok {
						objects[place.Key{Root: a}] = i
						byValue[i] = true
						copyIn[st] = true
					}
				}
			}
		}
	}
	if len(objects) == 0 && len(direct) == 0 {
		return nil
	}
	valOf := func(v ssa.Value) (hval, bool) {
		v = place.Strip(v)
		if c, ok := v.(*ssa.Const); ok {
			if _, _, ok := constOf(c); ok {
				return hval{param: noParam, c: c}, true
			}
			return hval{}, false
		}
		if i, ok := index[v]; ok {
			return hval{param: i}, true
		}
		return hval{}, false
	}
	events := map[ssa.Instruction][]hevent{}
	invalid := map[[2]any]bool{} // (object, field) pairs no fact can describe
	name := fn.Name()
	if r := sig.Recv(); r != nil {
		name = recvName(r.Type()) + "." + name
	}
	for k, i := range objects {
		for _, w := range place.FieldWrites(sf, k, h.isState) {
			st := w.Store
			if copyIn[st] {
				continue
			}
			ev := hevent{obj: i, field: w.Field.Name(), write: true, store: st, fn: name}
			if w.Val != nil {
				ev.val, ev.known = valOf(w.Val)
			}
			if p := h.pass.Fset.Position(st.Pos()); p.IsValid() {
				ev.file, ev.line = filepath.Base(p.Filename), p.Line
			}
			events[w.At] = append(events[w.At], ev)
		}
	}
	for _, b := range sf.Blocks {
		for _, instr := range b.Instrs {
			ci, ok := instr.(ssa.CallInstruction)
			if !ok {
				continue
			}
			_, isCall := instr.(*ssa.Call)
			callee, recv, args := callTarget(ci.Common())
			if callee == nil {
				continue
			}
			arg := func(i int) ssa.Value {
				if i == receiverIndex {
					return recv
				}
				if i >= 0 && i < len(args) {
					return args[i]
				}
				return nil
			}
			objAt := func(i int) (int, bool) {
				if a := arg(i); a != nil {
					if o, ok := direct[place.Strip(a)]; ok {
						return o, true
					}
				}
				k, _, ok := place.ObjectOf(arg(i))
				if !ok {
					return 0, false
				}
				o, ok := objects[k]
				return o, ok
			}
			for _, hw := range h.writesOf(callee) {
				o, ok := objAt(hw.Object)
				if !ok {
					continue
				}
				if !isCall {
					// Deferred or spawned: not where it stands.
					invalid[[2]any{o, hw.Field}] = true
					continue
				}
				ev := hevent{obj: o, field: hw.Field, write: true, saves: hw.Saves, plain: hw.Saves && !hw.Guarded, copy: hw.Copy || byValueArg(arg(hw.Object)),
					store: hw.store, fn: hw.Func, file: hw.File, line: hw.Line}
				if hw.Param == noParam {
					if t := valueFieldType(arg(hw.Object), hw.Field); t != nil {
						ev.val = hval{param: noParam, c: decodeConst(hw.Kind, hw.Const, t)}
						ev.known = ev.val.c != nil
					}
				} else {
					ev.val, ev.known = valOf(arg(hw.Param))
				}
				if ev.copy && !ev.saves {
					continue // a copy nobody saves: nothing happens
				}
				events[instr] = append(events[instr], ev)
			}
			// A function of the package that writes a state field of a
			// parameter, but is no helper of it: the field may change.
			if callee.Pkg() == h.pass.Pkg && h.cands[callee.Origin()] {
				ws := h.writesOf(callee)
				csig := callee.Signature()
				for j := -1; j < csig.Params().Len(); j++ {
					if j == receiverIndex && csig.Recv() == nil {
						continue
					}
					o, ok := objAt(j)
					if !ok || byValueArg(arg(j)) {
						continue
					}
					for _, f := range stateFieldsOf(arg(j).Type(), h.isState) {
						if slices.ContainsFunc(ws, func(w helperWrite) bool { return w.Object == j && w.Field == f && !w.Copy }) {
							continue
						}
						if !isCall {
							invalid[[2]any{o, f}] = true
							continue
						}
						events[instr] = append(events[instr], hevent{obj: o, field: f, write: true})
					}
				}
			}
			if !isCall {
				continue
			}
			if s := h.rec.guardOf(callee); s != nil && s.kind == kindSave {
				if o, ok := objAt(s.object); ok {
					for _, f := range stateFieldsOf(arg(s.object).Type(), h.isState) {
						_, covered := s.guardOn(f)
						events[instr] = append(events[instr], hevent{obj: o, field: f, save: true, guarded: covered})
					}
				}
			}
		}
	}
	// The fields written, each object's in turn.
	type of struct {
		obj   int
		field string
	}
	var pairs []of
	seen := map[of]bool{}
	for _, b := range sf.Blocks {
		for _, instr := range b.Instrs {
			for _, ev := range events[instr] {
				p := of{ev.obj, ev.field}
				if ev.write && !seen[p] && !invalid[[2]any{ev.obj, ev.field}] {
					seen[p] = true
					pairs = append(pairs, p)
				}
			}
		}
	}
	var out []helperWrite
	for _, p := range pairs {
		st, ok := h.flow(sf, events, p.obj, p.field)
		if !ok || !st.val.equalKnown() {
			continue
		}
		copy := st.copy || byValue[p.obj]
		if copy && !st.saved {
			continue // the caller's object never sees the write
		}
		if st.val.param == p.obj {
			continue
		}
		w := helperWrite{HelperWrite: HelperWrite{
			Object: p.obj, Field: p.field, Param: st.val.param,
			Saves: st.saved, Guarded: st.saved && !st.plain, Copy: copy,
			Func: st.w.fn, File: st.w.file, Line: st.w.line,
		}, store: st.w.store}
		if st.val.param == noParam {
			w.Kind, w.Const, _ = constOf(st.val.c)
		}
		out = append(out, w)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if out[i].Object != out[j].Object {
			return out[i].Object < out[j].Object
		}
		return out[i].Field < out[j].Field
	})
	return out
}

func (v hval) equalKnown() bool { return v.param != noParam || v.c != nil }

// flow runs the forward analysis of one field of one object over sf and
// returns the state every normal return agrees on, or false.
func (h *helpers) flow(sf *ssa.Function, events map[ssa.Instruction][]hevent, obj int, field string) (hstate, bool) {
	in := make([]hstate, len(sf.Blocks))
	out := make([]hstate, len(sf.Blocks))
	in[0] = hstate{kind: hUnwritten}
	transfer := func(b *ssa.BasicBlock, s hstate) hstate {
		for _, instr := range b.Instrs {
			for i := range events[instr] {
				ev := &events[instr][i]
				if ev.obj != obj || ev.field != field {
					continue
				}
				switch {
				case ev.write && !ev.known:
					s = hstate{kind: hTop}
				case ev.write && ev.copy && s.kind == hWritten && !s.copy:
					// A copy saved after a write of the object itself: the
					// object holds one value, the row another.
					s = hstate{kind: hTop}
				case ev.write:
					s = hstate{kind: hWritten, val: ev.val, saved: ev.saves, plain: ev.plain, copy: ev.copy, w: ev}
				case ev.save && s.kind == hWritten:
					if s.copy {
						s = hstate{kind: hTop} // saves the object, which has not the copy's value
					} else {
						s.saved = true
						s.plain = s.plain || !ev.guarded
					}
				}
			}
		}
		return s
	}
	for iter := 0; ; iter++ {
		if iter > 4*len(sf.Blocks)+8 {
			return hstate{}, false
		}
		changed := false
		for _, b := range sf.Blocks {
			s := in[b.Index]
			if b.Index != 0 {
				s = hstate{}
				for _, p := range b.Preds {
					s = s.meet(out[p.Index])
				}
			}
			if s.kind == hBottom {
				continue
			}
			in[b.Index] = s
			o := transfer(b, s)
			if !o.same(out[b.Index]) {
				out[b.Index] = o
				changed = true
			}
		}
		if !changed {
			break
		}
	}
	var res hstate
	returns := 0
	for _, b := range sf.Blocks {
		if len(b.Instrs) == 0 {
			continue
		}
		if _, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); !ok || out[b.Index].kind == hBottom {
			continue
		}
		returns++
		res = res.meet(out[b.Index])
	}
	return res, returns > 0 && res.kind == hWritten
}

// byValueArg reports whether an argument is a struct passed by value.
func byValueArg(v ssa.Value) bool {
	if v == nil {
		return false
	}
	_, ok := v.Type().Underlying().(*types.Struct)
	return ok
}

// fieldOf returns the field named name of the struct (or pointer to a
// struct) type t, promoted fields included, shallowest first, or nil.
func fieldOf(t types.Type, name string) *types.Var {
	for _, f := range fieldsOf(structOf(t)) {
		if f.Name() == name {
			return f
		}
	}
	return nil
}

// valueFieldType returns the type of the field name of v's struct, or nil.
func valueFieldType(v ssa.Value, name string) types.Type {
	if v == nil {
		return nil
	}
	if f := fieldOf(v.Type(), name); f != nil {
		return f.Type()
	}
	return nil
}

// stateFieldsOf returns the names of the state fields of t's struct.
func stateFieldsOf(t types.Type, isState func(*types.Var) bool) []string {
	var out []string
	for _, f := range fieldsOf(structOf(t)) {
		if isState(f) && !slices.Contains(out, f.Name()) {
			out = append(out, f.Name())
		}
	}
	return out
}

// recvName returns the name of a receiver's type, without the pointer.
func recvName(t types.Type) string {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	if n, ok := types.Unalias(t).(*types.Named); ok {
		return n.Obj().Name()
	}
	return types.TypeString(t, func(*types.Package) string { return "" })
}

// --- at the call sites ---

// A helperCall is a call of a helper in a function of the package, as
// the call-site checks see it.
type helperCall struct {
	call   *ssa.Call
	callee *types.Func
	recv   ssa.Value
	args   []ssa.Value
	writes []helperWrite
}

func (hc *helperCall) arg(i int) ssa.Value {
	if i == receiverIndex {
		return hc.recv
	}
	if i >= 0 && i < len(hc.args) {
		return hc.args[i]
	}
	return nil
}

// helperCalls returns the calls of helpers in fn (a deferred or spawned
// one writes nothing where it stands), in instruction order.
func (c *callChecker) helperCalls(fn *ssa.Function) []*helperCall {
	if c.helpers == nil {
		return nil
	}
	if hc, ok := c.hcalls[fn]; ok {
		return hc
	}
	var out []*helperCall
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			call, ok := instr.(*ssa.Call)
			if !ok {
				continue
			}
			callee, recv, args := callTarget(call.Common())
			if callee == nil {
				continue
			}
			if ws := c.helpers.writesOf(callee); len(ws) > 0 {
				out = append(out, &helperCall{call, callee.Origin(), recv, args, ws})
			}
		}
	}
	if c.hcalls == nil {
		c.hcalls = map[*ssa.Function][]*helperCall{}
	}
	c.hcalls[fn] = out
	return out
}

// helperVia describes where a helper's write comes from, for messages.
type helperVia struct {
	callee string // the helper called
	w      HelperWrite
}

// helperWrites returns the writes that calls of helpers in fn make to
// fields of the object key: each a place.Write whose At is the call,
// whose Store is the assignment when it is in this package (when it is
// in another one, a Store with no position and the object as its Addr:
// describeWrite, related and onPath say where it is), whose
// Val is the constant or the argument passed for the parameter the
// helper writes, and whose Loads are those of the object's key at the
// call. The write to a copy a helper saves is no write of the object,
// and a write the helper saves is stored at the call: neither is here.
func (c *callChecker) helperWrites(fn *ssa.Function, key place.Key) []place.Write {
	return c.helperWritesOf(fn, key, false)
}

// helperWritesOf is helperWrites, with the writes the helpers save too
// when saved is true: all the writes helpers make to the object itself.
func (c *callChecker) helperWritesOf(fn *ssa.Function, key place.Key, saved bool) []place.Write {
	var out []place.Write
	for _, hc := range c.helperCalls(fn) {
		for _, hw := range hc.writes {
			// A write the helper saves is stored where it is made: it
			// reaches no later save. (helperSaves gives it.)
			if hw.Copy || hw.Saves && !saved {
				continue
			}
			if w, ok := c.helperWrite(hc, hw, key); ok {
				out = append(out, w)
			}
		}
	}
	return out
}

// helperWrite returns the place.Write of one write of a helper call to
// the object key, or false.
func (c *callChecker) helperWrite(hc *helperCall, hw helperWrite, key place.Key) (place.Write, bool) {
	objArg := hc.arg(hw.Object)
	k, loads, ok := place.ObjectOf(objArg)
	if !ok || k != key {
		return place.Write{}, false
	}
	f := fieldOf(objArg.Type(), hw.Field)
	if f == nil {
		return place.Write{}, false
	}
	var val ssa.Value
	if hw.Param == noParam {
		if k := decodeConst(hw.Kind, hw.Const, f.Type()); k != nil {
			val = k
		}
	} else {
		val = hc.arg(hw.Param)
	}
	if c.vias == nil {
		c.vias = map[helperAt]helperVia{}
	}
	c.vias[helperAt{hc.call, f}] = helperVia{hc.callee.Name(), hw.HelperWrite}
	st := hw.store
	if st == nil {
		// The assignment is in another package: a store with no
		// position and no function stands for it, the object as its
		// address (messages name it through via).
		st = &ssa.Store{Addr: objArg, Val: val}
	}
	return place.Write{At: hc.call, Store: st, Field: f, Val: val, Src: token.NoPos, Loads: loads}, true
}

// helperAt names a helper's write at a call.
type helperAt struct {
	call  ssa.Instruction
	field *types.Var
}

// A helperSave is a call of a helper that writes fields of its object
// and saves it, with no expectation on them (helperSaves; helperSavesOf
// includes the guarded saves): at the call, both those writes and a save
// of the object.
type helperSave struct {
	Object int             // the parameter saved (receiverIndex: the receiver)
	Arg    ssa.Value       // the value passed for it
	Key    place.Key       // the object's key at the call
	Loads  place.Loads     // and the loads of its chain
	Writes []place.Write   // the writes the call makes to the object and saves (At: the call)
	Copies []place.Write   // those it makes to a copy of the object and saves (At: the call)
	Err    ssa.Value       // the error the call returns, or nil
	Callee *types.Func     // the helper
	Call   ssa.Instruction // the call
}

// helperSaves returns the objects a call saves as a helper that writes
// and saves them, or nil: the save sites a helper makes where it is
// called.
func (c *callChecker) helperSaves(ci ssa.CallInstruction) []helperSave {
	return c.helperSavesOf(ci, false)
}

// helperSavesOf is helperSaves, with the guarded saves too when guarded.
func (c *callChecker) helperSavesOf(ci ssa.CallInstruction, guarded bool) []helperSave {
	call, ok := ci.(*ssa.Call)
	if !ok || c.helpers == nil {
		return nil
	}
	var hc *helperCall
	for _, x := range c.helperCalls(call.Parent()) {
		if x.call == call {
			hc = x
			break
		}
	}
	if hc == nil {
		return nil
	}
	var out []helperSave
	for _, hw := range hc.writes {
		if !hw.Saves || hw.Guarded && !guarded {
			continue
		}
		k, loads, ok := place.ObjectOf(hc.arg(hw.Object))
		if !ok {
			continue
		}
		w, ok := c.helperWrite(hc, hw, k)
		if !ok {
			continue
		}
		i := slices.IndexFunc(out, func(s helperSave) bool { return s.Object == hw.Object })
		if i < 0 {
			out = append(out, helperSave{Object: hw.Object, Arg: hc.arg(hw.Object), Key: k, Loads: loads,
				Err: errResult(call), Callee: hc.callee, Call: call})
			i = len(out) - 1
		}
		if hw.Copy {
			out[i].Copies = append(out[i].Copies, w)
		} else {
			out[i].Writes = append(out[i].Writes, w)
		}
	}
	return out
}

// withHelperWrites returns the writes of fn to the object key's fields
// for which keep is true, its own (ws) and its helpers', in instruction
// order.
//
// The copy of a struct parameter into the variable the function works on
// (t0 = local T (p); *t0 = p) is the object arriving, not a write.
func (c *callChecker) withHelperWrites(fn *ssa.Function, key place.Key, ws []place.Write, keep func(*types.Var) bool) []place.Write {
	ws = slices.DeleteFunc(slices.Clone(ws), func(w place.Write) bool {
		if w.Store == nil {
			return false
		}
		_, isParam := w.Store.Val.(*ssa.Parameter)
		_, isAlloc := w.Store.Addr.(*ssa.Alloc)
		return isParam && isAlloc && w.At == w.Store
	})
	hws := c.helperWrites(fn, key)
	if len(hws) == 0 {
		return ws
	}
	out := slices.Clone(ws)
	for _, w := range hws {
		if keep(w.Field) {
			out = append(out, w)
		}
	}
	order := map[ssa.Instruction]int{}
	n := 0
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			order[instr] = n
			n++
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return order[out[i].At] < order[out[j].At] })
	return out
}

// helperSaved adds the saves helpers make in fn to saved, by object.
func (c *callChecker) helperSaved(fn *ssa.Function, saved map[place.Key]place.Saves) {
	for _, hc := range c.helperCalls(fn) {
		for _, s := range c.helperSavesOf(hc.call, true) {
			if saved[s.Key] == nil {
				saved[s.Key] = place.Saves{}
			}
			saved[s.Key][s.Call] = s.Err
		}
	}
}

// via returns how a helper makes the write w, for messages ("by
// MarkDraining (node.go:12)"), or "" for a write of the function itself.
func (c *callChecker) via(w place.Write) string {
	v, ok := c.vias[helperAt{w.At, w.Field}]
	if !ok {
		return ""
	}
	s := " by " + v.callee
	if v.w.File == "" {
		return s
	}
	if v.w.Func != "" && v.w.Func != v.callee && !strings.HasSuffix(v.w.Func, "."+v.callee) {
		return fmt.Sprintf("%s (in %s, %s:%d)", s, v.w.Func, v.w.File, v.w.Line)
	}
	return fmt.Sprintf("%s (%s:%d)", s, v.w.File, v.w.Line)
}
