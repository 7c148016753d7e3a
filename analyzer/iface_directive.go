package analyzer

import (
	"go/ast"
	"go/types"
)

// interfaceMethodDecls returns the methods declared in the interface types
// of the type declaration d that have a doc comment, each as a FuncDecl
// with no body (its Doc, Name and Type only), so that the rules of the
// //stateguard:save and //stateguard:transition directives on a func
// declaration (funcDirective) apply to them unchanged. Interface types
// nested in other types (a struct field's, a parameter's) are not
// declarations of methods a caller can name: their directives stay
// misplaced.
func interfaceMethodDecls(d *ast.GenDecl) []*ast.FuncDecl {
	var out []*ast.FuncDecl
	for _, spec := range d.Specs {
		ts, ok := spec.(*ast.TypeSpec)
		if !ok {
			continue
		}
		it, ok := ast.Unparen(ts.Type).(*ast.InterfaceType)
		if !ok || it.Methods == nil {
			continue
		}
		for _, f := range it.Methods.List {
			ft, ok := f.Type.(*ast.FuncType)
			if !ok || len(f.Names) != 1 || f.Doc == nil {
				continue
			}
			out = append(out, &ast.FuncDecl{Doc: f.Doc, Name: f.Names[0], Type: ft})
		}
	}
	return out
}

// ifaceDirectives records the saves and transitions declared by
// directives on the methods of the interface types of d: every call
// through the interface is then a call of that save or transition, and
// exportFacts carries them to other packages.
func (r *recognizer) ifaceDirectives(d *ast.GenDecl) {
	for _, m := range interfaceMethodDecls(d) {
		r.funcDirectives(m)
	}
}

// checkIfaceDirectives reports the directives on the methods of the
// interface types of d that declare nothing, as checkFuncDirectives does
// for a func declaration, and marks them used.
func checkIfaceDirectives(r *reporter, d *ast.GenDecl, used map[*ast.Comment]bool) {
	for _, m := range interfaceMethodDecls(d) {
		checkFuncDirectives(r, m, used)
	}
}

// isInterfaceMethod reports whether sig is the signature of a method
// declared in an interface, whose receiver is no object: an interface has
// no fields to save.
func isInterfaceMethod(sig *types.Signature) bool {
	if sig.Recv() == nil {
		return false
	}
	_, ok := sig.Recv().Type().Underlying().(*types.Interface)
	return ok
}
