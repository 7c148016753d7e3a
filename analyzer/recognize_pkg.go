package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// A recognizer answers "is this function a guarded save or a transition,
// and how?" for the package under analysis, from a list of sources, and
// knows which fields are declared states.
type recognizer struct {
	pass    *analysis.Pass
	sources []guardSource
	local   mapSource                  // this package: directives (and later other explicit sources)
	wraps   mapSource                  // this package: wrappers found by forwarding
	cache   map[*types.Func]*guardSpec // answers given, nil ones included

	stateFields map[*types.Var]bool      // this package: //stateguard:state fields
	stateTypes  map[*types.TypeName]bool // this package: //stateguard:state types
	decls       []*ast.FuncDecl          // this package's functions with bodies, in source order
}

func newRecognizer(pass *analysis.Pass) *recognizer {
	r := &recognizer{
		pass:        pass,
		local:       mapSource{},
		wraps:       mapSource{},
		cache:       map[*types.Func]*guardSpec{},
		stateFields: map[*types.Var]bool{},
		stateTypes:  map[*types.TypeName]bool{},
	}
	// Explicit declarations win over facts, facts over conventions,
	// conventions over forwarding, forwarding over plain saves.
	r.sources = []guardSource{r.local, factSource{pass}, conventionSource{}, r.wraps, newPlainSource(r)}
	return r
}

// guardOf returns the spec of fn (any function, method or interface
// method, instantiated or not), or nil.
func (r *recognizer) guardOf(fn *types.Func) *guardSpec {
	if fn == nil {
		return nil
	}
	// Every guard has a parameter for its expectation (a transition two),
	// and a plain save its object: no spec fits a function with neither
	// parameter nor receiver (specFits), whatever its source.
	if sig, ok := fn.Type().(*types.Signature); !ok || sig.Params().Len() == 0 && sig.Recv() == nil {
		return nil
	}
	fn = fn.Origin()
	if spec, ok := r.cache[fn]; ok {
		return spec
	}
	var spec *guardSpec
	for _, s := range r.sources {
		if spec = s.guardOf(fn); spec != nil {
			break
		}
	}
	if spec != nil && !specFits(fn, spec) {
		spec = nil
	}
	if spec != nil {
		spec = withRefusal(fn, spec)
	}
	r.cache[fn] = spec
	return spec
}

// specFits reports whether spec's parameter indices exist in fn's
// signature, so that a stale or foreign fact can never index out of range.
func specFits(fn *types.Func, s *guardSpec) bool {
	sig, ok := fn.Type().(*types.Signature)
	if !ok {
		return false
	}
	n := sig.Params().Len()
	in := func(i int, recvOK bool) bool {
		if i == receiverIndex {
			return recvOK && sig.Recv() != nil
		}
		return i >= 0 && i < n
	}
	if s.kind == kindTransition {
		return in(s.from, false) && in(s.to, false) && s.from != s.to
	}
	if !in(s.object, true) {
		return false
	}
	for _, g := range s.guards {
		if !in(g.expect, false) || g.field == "" || g.expect == s.object {
			return false
		}
	}
	return true
}

// scan reads the package's declarations: the functions with bodies,
// directive-declared saves, transitions and states.
func (r *recognizer) scan() {
	for _, f := range r.pass.Files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Body != nil {
					r.decls = append(r.decls, d)
				}
				r.funcDirectives(d)
			case *ast.GenDecl:
				if d.Tok == token.TYPE {
					r.typeDirectives(d)
					r.ifaceDirectives(d)
				}
			}
		}
	}
}

// isStateField reports whether the field v is a declared state: the field
// itself or its named type carries //stateguard:state, here or in the
// package that declares it.
func (r *recognizer) isStateField(v *types.Var) bool {
	if v == nil {
		return false
	}
	v = v.Origin()
	if r.stateFields[v] {
		return true
	}
	if v.Pkg() != nil && v.Pkg() != r.pass.Pkg && r.pass.ImportObjectFact(v, new(stateFact)) {
		return true
	}
	t := types.Unalias(v.Type())
	if p, ok := t.(*types.Pointer); ok {
		t = types.Unalias(p.Elem())
	}
	if n, ok := t.(*types.Named); ok {
		tn := n.Origin().Obj()
		if r.stateTypes[tn] {
			return true
		}
		if tn.Pkg() != nil && tn.Pkg() != r.pass.Pkg && r.pass.ImportObjectFact(tn, new(stateFact)) {
			return true
		}
	}
	return false
}

// exportFacts exports a guardFact for every recognized function and
// method of this package (interface methods included) and a stateFact for
// every declared state, so that other packages see them.
func (r *recognizer) exportFacts() {
	scope := r.pass.Pkg.Scope()
	for _, name := range scope.Names() { // sorted: deterministic
		obj := scope.Lookup(name)
		switch obj := obj.(type) {
		case *types.Func:
			r.exportFunc(obj)
		case *types.TypeName:
			if r.stateTypes[obj] {
				r.pass.ExportObjectFact(obj, new(stateFact))
			}
			named, ok := types.Unalias(obj.Type()).(*types.Named)
			if !ok || obj.IsAlias() {
				continue
			}
			for m := range named.Methods() {
				r.exportFunc(m)
			}
			switch u := named.Underlying().(type) {
			case *types.Interface:
				for m := range u.ExplicitMethods() {
					r.exportFunc(m)
				}
			case *types.Struct:
				r.exportStateFields(u, 0)
			}
		}
	}
}

func (r *recognizer) exportStateFields(s *types.Struct, depth int) {
	if depth > 3 {
		return
	}
	for f := range s.Fields() {
		if r.stateFields[f] {
			r.pass.ExportObjectFact(f, new(stateFact))
		}
		// Fields of anonymous struct types nested in this one.
		if st, ok := types.Unalias(f.Type()).(*types.Struct); ok {
			r.exportStateFields(st, depth+1)
		}
	}
}

func (r *recognizer) exportFunc(fn *types.Func) {
	// Only exported functions can be called from other packages.
	if fn.Pkg() != r.pass.Pkg || !fn.Exported() {
		return
	}
	if s := r.guardOf(fn); s != nil {
		r.pass.ExportObjectFact(fn, factOf(s))
	}
}

// findWrappers recognizes, as printf recognizes its wrappers, functions
// that forward their own object and expectation parameters unchanged into
// a guarded save (or their from and to parameters into a transition).
// Forwarding chains are followed to a fixed point.
func (r *recognizer) findWrappers() {
	for changed := true; changed; {
		changed = false
		for _, d := range r.decls {
			fn, _ := r.pass.TypesInfo.Defs[d.Name].(*types.Func)
			if fn == nil {
				continue
			}
			if s := r.guardOf(fn); s != nil && !s.isPlain() {
				continue // a wrapper may forward into a plain save's name
			}
			if s := r.forwards(fn, d); s != nil {
				r.wraps[fn] = s
				clear(r.cache)
				changed = true
			}
		}
	}
}

// forwards returns the spec of fn as a wrapper: the first call in its body
// to a recognized save or transition whose guarded arguments are fn's own
// parameters, never reassigned nor address-taken in the body.
func (r *recognizer) forwards(fn *types.Func, d *ast.FuncDecl) *guardSpec {
	info := r.pass.TypesInfo
	sig := fn.Type().(*types.Signature)
	paramIndex := map[*types.Var]int{}
	if sig.Recv() != nil {
		paramIndex[sig.Recv()] = receiverIndex
	}
	for i := range sig.Params().Len() {
		paramIndex[sig.Params().At(i)] = i
	}
	if len(paramIndex) < 2 || !callsAGuard(r, info, d.Body, fn) {
		return nil
	}
	// Parameters that are reassigned or whose address is taken are not
	// forwarded unchanged.
	tainted := map[*types.Var]bool{}
	ast.Inspect(d.Body, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.AssignStmt:
			for _, l := range n.Lhs {
				if id, ok := ast.Unparen(l).(*ast.Ident); ok {
					if v, ok := info.Uses[id].(*types.Var); ok {
						tainted[v] = true
					}
				}
			}
		case *ast.IncDecStmt:
			if id, ok := ast.Unparen(n.X).(*ast.Ident); ok {
				if v, ok := info.Uses[id].(*types.Var); ok {
					tainted[v] = true
				}
			}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				if id, ok := ast.Unparen(n.X).(*ast.Ident); ok {
					if v, ok := info.Uses[id].(*types.Var); ok {
						tainted[v] = true
					}
				}
			}
		}
		return true
	})
	param := func(e ast.Expr) (int, bool) {
		id, ok := ast.Unparen(e).(*ast.Ident)
		if !ok {
			return 0, false
		}
		v, ok := info.Uses[id].(*types.Var)
		if !ok || tainted[v] {
			return 0, false
		}
		i, ok := paramIndex[v]
		return i, ok
	}
	objVar := func(i int) *types.Var {
		if i == receiverIndex {
			return sig.Recv()
		}
		return sig.Params().At(i)
	}
	var found *guardSpec
	ast.Inspect(d.Body, func(n ast.Node) bool {
		if found != nil {
			return false
		}
		if _, ok := n.(*ast.FuncLit); ok {
			return false // a closure's call is not fn forwarding
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		callee := funcOf(info, call)
		if callee == nil || callee == fn {
			return true
		}
		s := r.guardOf(callee)
		if s == nil {
			return true
		}
		csig := callee.Type().(*types.Signature)
		arg := func(i int) (ast.Expr, bool) {
			if i == receiverIndex {
				sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr)
				if !ok || csig.Recv() == nil {
					return nil, false
				}
				if selection := info.Selections[sel]; selection == nil || selection.Kind() != types.MethodVal {
					return nil, false
				}
				return sel.X, true
			}
			if i >= len(call.Args) {
				return nil, false
			}
			if csig.Variadic() && i == csig.Params().Len()-1 && call.Ellipsis == token.NoPos && len(call.Args) != i+1 {
				return nil, false
			}
			return call.Args[i], true
		}
		get := func(i int) (int, bool) {
			e, ok := arg(i)
			if !ok {
				return 0, false
			}
			return param(e)
		}
		switch s.kind {
		case kindSave:
			o, ok := get(s.object)
			if !ok {
				break
			}
			// Every guard must be forwarded: a wrapper that drops one
			// is a different save.
			var guards []fieldGuard
			for _, g := range s.guards {
				e, ok := get(g.expect)
				if !ok || e == o || e == receiverIndex || writesField(info, d.Body, objVar(o), g.field) {
					guards = nil
					break
				}
				guards = append(guards, fieldGuard{g.field, e})
			}
			if len(guards) > 0 {
				found = &guardSpec{kind: kindSave, object: o, guards: guards, how: "wrapper"}
			}
		case kindTransition:
			f, ok1 := get(s.from)
			t, ok2 := get(s.to)
			if ok1 && ok2 && f != t && f != receiverIndex && t != receiverIndex {
				found = &guardSpec{kind: kindTransition, from: f, to: t, how: "wrapper"}
			}
		}
		return found == nil
	})
	return found
}

// writesField reports whether body assigns field (directly or through
// embedded fields) of the object obj designates. A function that sets the
// guarded field before it forwards the object does not forward its
// caller's write: its callers' writes never reach the save.
func writesField(info *types.Info, body *ast.BlockStmt, obj *types.Var, field string) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		var lhs []ast.Expr
		switch n := n.(type) {
		case *ast.AssignStmt:
			lhs = n.Lhs
		case *ast.IncDecStmt:
			lhs = []ast.Expr{n.X}
		case *ast.UnaryExpr:
			if n.Op == token.AND {
				lhs = []ast.Expr{n.X}
			}
		}
		for _, l := range lhs {
			sel, ok := ast.Unparen(l).(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != field {
				continue
			}
			x := ast.Unparen(sel.X)
			for {
				if s, ok := x.(*ast.SelectorExpr); ok {
					x = ast.Unparen(s.X)
					continue
				}
				if st, ok := x.(*ast.StarExpr); ok {
					x = ast.Unparen(st.X)
					continue
				}
				break
			}
			if id, ok := x.(*ast.Ident); ok && info.Uses[id] == obj {
				found = true
			}
		}
		return true
	})
	return found
}

// callsAGuard is the cheap first look of forwards: does body call a
// recognized save or transition other than fn itself?
func callsAGuard(r *recognizer, info *types.Info, body *ast.BlockStmt, fn *types.Func) bool {
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		if call, ok := n.(*ast.CallExpr); ok {
			if callee := funcOf(info, call); callee != nil && callee != fn && r.guardOf(callee) != nil {
				found = true
			}
		}
		return !found
	})
	return found
}
