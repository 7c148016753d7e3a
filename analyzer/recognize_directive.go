package analyzer

import (
	"go/ast"
	"go/types"
)

// funcDirectives records the save or transition a //stateguard:save or
// //stateguard:transition directive declares on d (rules 2 and 4).
// Directives naming parameters that do not exist are reported by the
// reporter and ignored here.
func (r *recognizer) funcDirectives(d *ast.FuncDecl) {
	if d.Doc == nil {
		return
	}
	fn, _ := r.pass.TypesInfo.Defs[d.Name].(*types.Func)
	if fn == nil {
		return
	}
	sig := fn.Type().(*types.Signature)
	for _, dir := range directivesOf(d.Doc) {
		var s *guardSpec
		switch dir.kind {
		case dirSave:
			s = directiveSave(sig, dir.args)
		case dirTransition:
			s = directiveTransition(sig, dir.args)
		}
		if s != nil {
			r.local[fn] = s
			return
		}
	}
}

// paramByName returns the index of the parameter (or receiver) named name.
func paramByName(sig *types.Signature, name string) (int, bool) {
	if name == "" || name == "_" {
		return 0, false
	}
	if r := sig.Recv(); r != nil && r.Name() == name {
		return receiverIndex, true
	}
	for i := range sig.Params().Len() {
		if sig.Params().At(i).Name() == name {
			return i, true
		}
	}
	return 0, false
}

// hasField reports whether t (a struct or pointer to struct) has a field
// named name, promoted fields included.
func hasField(t types.Type, name string) bool {
	for _, f := range fieldsOf(structOf(t)) {
		if f.Name() == name {
			return true
		}
	}
	return false
}

// directiveSave builds the spec of //stateguard:save field=F expect=PARAM
// [object=PARAM]; the object defaults to the receiver of a method, else to
// the one parameter with a field F.
func directiveSave(sig *types.Signature, args map[string]string) *guardSpec {
	field := args["field"]
	exp, ok := paramByName(sig, args["expect"])
	if !ok || exp == receiverIndex || field == "" {
		return nil
	}
	obj := 0
	if name, ok := args["object"]; ok {
		if obj, ok = paramByName(sig, name); !ok {
			return nil
		}
	} else if r := sig.Recv(); r != nil {
		obj = receiverIndex
	} else {
		n := 0
		for i := range sig.Params().Len() {
			if i != exp && hasField(sig.Params().At(i).Type(), field) {
				obj, n = i, n+1
			}
		}
		if n != 1 {
			return nil
		}
	}
	if obj == exp {
		return nil
	}
	return &guardSpec{kind: kindSave, object: obj, guards: []fieldGuard{{field, exp}}, how: "directive"}
}

// directiveTransition builds the spec of //stateguard:transition
// from=PARAM to=PARAM.
func directiveTransition(sig *types.Signature, args map[string]string) *guardSpec {
	from, ok1 := paramByName(sig, args["from"])
	to, ok2 := paramByName(sig, args["to"])
	if !ok1 || !ok2 || from == to || from == receiverIndex || to == receiverIndex {
		return nil
	}
	return &guardSpec{kind: kindTransition, from: from, to: to, how: "directive"}
}

// typeDirectives records the types and struct fields declared
// //stateguard:state.
func (r *recognizer) typeDirectives(d *ast.GenDecl) {
	for _, spec := range d.Specs {
		ts, ok := spec.(*ast.TypeSpec)
		if !ok {
			continue
		}
		doc := ts.Doc
		if doc == nil && len(d.Specs) == 1 {
			doc = d.Doc
		}
		if _, ok := directiveOf(doc, dirState); ok {
			if tn, ok := r.pass.TypesInfo.Defs[ts.Name].(*types.TypeName); ok {
				r.stateTypes[tn] = true
			}
		}
		r.fieldDirectives(ts.Type)
	}
}

// fieldDirectives records the fields of struct type expressions (nested
// ones included) declared //stateguard:state, in their doc or line comment.
func (r *recognizer) fieldDirectives(e ast.Expr) {
	ast.Inspect(e, func(n ast.Node) bool {
		st, ok := n.(*ast.StructType)
		if !ok || st.Fields == nil {
			return true
		}
		for _, f := range st.Fields.List {
			_, ok1 := directiveOf(f.Doc, dirState)
			_, ok2 := directiveOf(f.Comment, dirState)
			if !ok1 && !ok2 {
				continue
			}
			for _, name := range f.Names {
				if v, ok := r.pass.TypesInfo.Defs[name].(*types.Var); ok {
					r.stateFields[v] = true
				}
			}
		}
		return true
	})
}
