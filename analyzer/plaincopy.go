package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
)

// A function named for saving whose body hands a copy of its object (*p
// for a pointer p, or a struct parameter as it is) to a function that
// writes a state field of that copy saves, if it saves at all, a copy
// whose state is not the one its caller wrote: a plain save of it would
// say the caller's value is saved. Such a function is no plain save (its
// call is then a helper's save when the helper facts can say what it
// saves, else no save at all).

// savesRewrittenCopy reports whether body, the body of the plain save fn
// of object obj, passes a copy of its object to a function that writes a
// state field of the copy.
func (p *plainSource) savesRewrittenCopy(fn *types.Func, obj int, body *ast.BlockStmt) bool {
	sig := fn.Signature()
	var ov *types.Var
	switch {
	case obj == receiverIndex && sig.Recv() != nil:
		ov = sig.Recv()
	case obj >= 0 && obj < sig.Params().Len():
		ov = sig.Params().At(obj)
	default:
		return false
	}
	return p.copiesTo(body, ov, map[paramOf]bool{{fn, obj}: true})
}

// copiesTo reports whether body passes a copy of the struct held by v (a
// pointer to a struct or a struct) to a function that writes a state
// field of the parameter (or receiver) the copy is given for.
func (p *plainSource) copiesTo(body *ast.BlockStmt, v *types.Var, seen map[paramOf]bool) bool {
	info := p.r.pass.TypesInfo
	_, byValue := types.Unalias(v.Type()).Underlying().(*types.Struct)
	is := func(e ast.Expr) bool {
		id, ok := ast.Unparen(e).(*ast.Ident)
		return ok && info.Uses[id] == v
	}
	// copyOf reports whether e is a copy of v's struct: *v, or v itself
	// when v is a struct.
	copyOf := func(e ast.Expr) bool {
		e = ast.Unparen(e)
		if st, ok := e.(*ast.StarExpr); ok && !byValue {
			return is(st.X)
		}
		return byValue && is(e)
	}
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		callee := funcOf(info, call)
		if callee == nil {
			return true
		}
		csig := callee.Signature()
		if sel, ok := ast.Unparen(call.Fun).(*ast.SelectorExpr); ok && csig.Recv() != nil {
			if _, ptr := types.Unalias(csig.Recv().Type()).Underlying().(*types.Pointer); !ptr {
				// A method of a struct value called on v: a copy.
				if (is(sel.X) || copyOf(sel.X)) && structOf(csig.Recv().Type()) != nil && p.writesParam(callee, receiverIndex, seen) {
					found = true
				}
			}
		}
		for i, a := range call.Args {
			if i >= csig.Params().Len() || !copyOf(a) {
				continue
			}
			if p.writesParam(callee, i, seen) {
				found = true
			}
		}
		return !found
	})
	return found
}

// writesParam reports whether fn writes a state field of its parameter i
// (receiverIndex: the receiver), given by value or by pointer: an assignment
// in its body, a copy passed on to a function that writes it, or, for a
// function of another package, a helper fact that says so.
func (p *plainSource) writesParam(fn *types.Func, i int, seen map[paramOf]bool) bool {
	fn = fn.Origin()
	if seen[paramOf{fn, i}] {
		return false
	}
	seen[paramOf{fn, i}] = true
	if fn.Pkg() != p.r.pass.Pkg {
		var f helperFact
		if fn.Pkg() == nil || !p.r.pass.ImportObjectFact(fn, &f) {
			return false
		}
		for _, w := range f.Writes {
			if w.Object == i {
				return true
			}
		}
		return false
	}
	body := p.bodies[fn]
	if body == nil {
		return false
	}
	sig := fn.Signature()
	var v *types.Var
	switch {
	case i == receiverIndex && sig.Recv() != nil:
		v = sig.Recv()
	case i >= 0 && i < sig.Params().Len():
		v = sig.Params().At(i)
	default:
		return false
	}
	info := p.r.pass.TypesInfo
	written := false
	ast.Inspect(body, func(n ast.Node) bool {
		if written {
			return false
		}
		switch n := n.(type) {
		case *ast.AssignStmt:
			if n.Tok == token.DEFINE {
				return true
			}
			for _, l := range n.Lhs {
				sel, ok := ast.Unparen(l).(*ast.SelectorExpr)
				if !ok {
					continue
				}
				id, ok := ast.Unparen(sel.X).(*ast.Ident)
				if !ok || info.Uses[id] != v {
					continue
				}
				if s := info.Selections[sel]; s != nil && s.Kind() == types.FieldVal {
					if f, _ := s.Obj().(*types.Var); f != nil && (isStateName(f.Name()) && isStateType(f.Type()) || p.r.isStateField(f)) {
						written = true
					}
				}
			}
		case *ast.CallExpr:
			// The parameter passed on, by value or by its address: the
			// callee may write the same copy.
			callee := funcOf(info, n)
			if callee == nil {
				return true
			}
			csig := callee.Signature()
			if sel, ok := ast.Unparen(n.Fun).(*ast.SelectorExpr); ok && csig.Recv() != nil {
				if id, ok := ast.Unparen(sel.X).(*ast.Ident); ok && info.Uses[id] == v && p.writesParam(callee, receiverIndex, seen) {
					written = true
				}
			}
			for j, a := range n.Args {
				if j >= csig.Params().Len() {
					continue
				}
				a = ast.Unparen(a)
				if u, ok := a.(*ast.UnaryExpr); ok && u.Op == token.AND {
					a = ast.Unparen(u.X)
				}
				if id, ok := a.(*ast.Ident); ok && info.Uses[id] == v && p.writesParam(callee, j, seen) {
					written = true
				}
			}
		}
		return !written
	})
	return written
}

// paramOf names one parameter (receiverIndex: the receiver) of a function.
type paramOf struct {
	fn *types.Func
	i  int
}
