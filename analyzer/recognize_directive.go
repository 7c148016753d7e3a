package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"strings"
)

// funcDirectives records the save or transition a //stateguard:save or
// //stateguard:transition directive declares on d (rules 2 and 4), by the
// same rules that report the directives that declare nothing
// (funcDirective).
func (r *recognizer) funcDirectives(d *ast.FuncDecl) {
	fn, _ := r.pass.TypesInfo.Defs[d.Name].(*types.Func)
	if fn == nil {
		return
	}
	if s, _ := funcDirective(r.pass.Pkg, r.pass.Fset, d, fn); s != nil {
		r.local[fn] = s
	}
}

// A directiveProblem is a save or transition directive that declares
// nothing, and why.
type directiveProblem struct {
	c   *ast.Comment
	msg string
}

// funcDirective is the one implementation of the rules of the
// //stateguard:save and //stateguard:transition directives in the doc
// comment of decl, the declaration of fn: it returns the guard they
// declare (the first valid directive's), and a problem for each of them
// that declares nothing (invalid, or a second guard). Recognition uses the
// guard, the reporter reports the problems, so a directive reported as
// having no effect has none, and one that is not reported applies.
func funcDirective(pkg *types.Package, fset *token.FileSet, decl *ast.FuncDecl, fn *types.Func) (*guardSpec, []directiveProblem) {
	if decl.Doc == nil {
		return nil, nil
	}
	sig := fn.Signature()
	var (
		spec     *guardSpec
		first    *ast.Comment
		problems []directiveProblem
	)
	for _, c := range decl.Doc.List {
		d, ok, err := parseComment(c)
		if !ok || err != nil || (d.kind != dirSave && d.kind != dirTransition) {
			continue
		}
		var s *guardSpec
		var problem string
		if d.kind == dirSave {
			s, problem = saveDirective(pkg, decl.Name.Name, sig, d.args)
		} else {
			s, problem = transitionDirective(pkg, decl.Name.Name, sig, d.args)
		}
		switch {
		case problem != "":
			problems = append(problems, directiveProblem{c, fmt.Sprintf("//stateguard:%s has no effect: %s", d.kind, problem)})
		case first != nil:
			problems = append(problems, directiveProblem{c, fmt.Sprintf(
				"//stateguard:%s has no effect: %s already declares its guard with the directive on line %d; a function has one",
				d.kind, decl.Name.Name, fset.Position(first.Slash).Line)})
		default:
			first, spec = c, s
		}
	}
	return spec, problems
}

// saveDirective applies //stateguard:save field=F expect=PARAM
// [object=PARAM] (without expect=, a plain save: plainSaveDirective)
// to a function name with signature sig: the spec it
// declares, or what is wrong with it. The object is object, else the
// receiver of a method, else the one parameter with a field F. F is
// looked up in the object's type as the selector x.F would be from pkg
// (promoted fields at any depth, none when ambiguous), and its type must
// be a state type.
func saveDirective(pkg *types.Package, name string, sig *types.Signature, args map[string]string) (*guardSpec, string) {
	if _, ok := args["expect"]; !ok {
		return plainSaveDirective(pkg, name, sig, args)
	}
	field, expect := args["field"], args["expect"]
	exp, ok := paramIndex(sig, expect)
	switch {
	case !ok && sig.Recv() != nil && sig.Recv().Name() == expect:
		return nil, fmt.Sprintf("expect=%s names the receiver; name the parameter that carries the expected %s", expect, field)
	case !ok:
		return nil, fmt.Sprintf("expect=%s names no parameter of %s; %s", expect, name, paramList(sig))
	}
	obj := receiverIndex
	if objName, ok := args["object"]; ok {
		if obj, ok = paramIndex(sig, objName); !ok {
			if sig.Recv() == nil || sig.Recv().Name() != objName {
				return nil, fmt.Sprintf("object=%s names no parameter or receiver of %s; %s", objName, name, paramList(sig))
			}
			obj = receiverIndex
		}
		if obj == exp {
			return nil, fmt.Sprintf("object and expect both name %s; the object is the value saved, the expectation the %s it must still have", objName, field)
		}
	} else if sig.Recv() == nil || isInterfaceMethod(sig) {
		var with, ambiguous []string
		for i := range sig.Params().Len() {
			p := sig.Params().At(i)
			if i == exp {
				continue
			}
			switch f, amb := directiveField(pkg, p.Type(), field); {
			case f != nil:
				obj = i
				with = append(with, p.Name())
			case amb:
				ambiguous = append(ambiguous, p.Name())
			}
		}
		switch {
		case len(with) == 1:
		case len(with) > 1:
			return nil, fmt.Sprintf("parameters %s all have a field %s; say which one is saved with object=PARAM", strings.Join(with, ", "), field)
		case len(ambiguous) > 0:
			obj, _ = paramIndex(sig, ambiguous[0])
		default:
			return nil, fmt.Sprintf("no parameter of %s has a field %s; name the field the state is in, or the object with object=PARAM", name, field)
		}
	}
	ov := sig.Recv()
	what := "the receiver"
	if obj != receiverIndex {
		ov = sig.Params().At(obj)
		what = "parameter " + ov.Name()
	}
	typ := types.TypeString(ov.Type(), types.RelativeTo(pkg))
	f, ambiguous := directiveField(pkg, ov.Type(), field)
	switch {
	case ambiguous:
		return nil, fmt.Sprintf("%s is ambiguous in %s (%s): it is promoted from more than one embedded field at the same depth; "+
			"name a field the object has once, or guard it with a save of the embedded struct", field, typ, what)
	case f == nil:
		return nil, fmt.Sprintf("%s (of type %s) has no field %s; name the field the state is in, or the object with object=PARAM", what, typ, field)
	case !isStateType(f.Type()):
		return nil, fmt.Sprintf("field %s of %s is of type %s, not a state; %s", field, typ, types.TypeString(f.Type(), types.RelativeTo(pkg)), stateTypeRule)
	}
	return &guardSpec{kind: kindSave, object: obj, guards: []fieldGuard{{field, exp}}, how: "directive"}, ""
}

// transitionDirective applies //stateguard:transition from=PARAM to=PARAM
// to a function name with signature sig: the spec it declares, or what is
// wrong with it. to must be of a state type T, and from of type T, []T or
// ...T.
func transitionDirective(pkg *types.Package, name string, sig *types.Signature, args map[string]string) (*guardSpec, string) {
	idx := map[string]int{}
	for _, key := range []string{"from", "to"} {
		i, ok := paramIndex(sig, args[key])
		if !ok {
			return nil, fmt.Sprintf("%s=%s names no parameter of %s; %s", key, args[key], name, paramList(sig))
		}
		idx[key] = i
	}
	if args["from"] == args["to"] {
		return nil, fmt.Sprintf("from and to both name %s; a transition has two ends", args["from"])
	}
	from, to := sig.Params().At(idx["from"]), sig.Params().At(idx["to"])
	qual := types.RelativeTo(pkg)
	if !isStateType(to.Type()) {
		return nil, fmt.Sprintf("%s is of type %s, not a state; %s", to.Name(), types.TypeString(to.Type(), qual), stateTypeRule)
	}
	if !acceptsValuesOf(from.Type(), to.Type()) {
		return nil, fmt.Sprintf("%s (of type %s) carries no value of %s's type %s; from is of the type of to, a slice of it, or ... of it",
			from.Name(), types.TypeString(from.Type(), qual), to.Name(), types.TypeString(to.Type(), qual))
	}
	return &guardSpec{kind: kindTransition, from: idx["from"], to: idx["to"], how: "directive"}, ""
}

// stateTypeRule says what a state type is, for messages.
const stateTypeRule = "a state is a string, an integer or a bool, a named type over one, or a pointer to one (a nullable state)"

// paramIndex returns the index of the parameter of sig named name (not
// the receiver).
func paramIndex(sig *types.Signature, name string) (int, bool) {
	if name == "" || name == "_" {
		return 0, false
	}
	for i := range sig.Params().Len() {
		if sig.Params().At(i).Name() == name {
			return i, true
		}
	}
	return 0, false
}

// paramList describes the named parameters of sig for a message.
func paramList(sig *types.Signature) string {
	var names []string
	for p := range sig.Params().Variables() {
		if p.Name() != "" && p.Name() != "_" {
			names = append(names, p.Name())
		}
	}
	if len(names) == 0 {
		return "it has no named parameters"
	}
	return "its parameters are " + strings.Join(names, ", ")
}

// directiveField returns the field name of t, a struct or pointer to
// struct, as the selector x.name would find it from pkg: a field of t or
// promoted from an embedded one at any depth, the shallowest. ambiguous
// is true when several fields of that name are equally shallow (x.name
// does not compile).
func directiveField(pkg *types.Package, t types.Type, name string) (f *types.Var, ambiguous bool) {
	if structOf(t) == nil {
		return nil, false
	}
	obj, index, _ := types.LookupFieldOrMethod(t, true, pkg, name)
	if obj == nil {
		return nil, index != nil
	}
	v, ok := obj.(*types.Var)
	if !ok || !v.IsField() {
		return nil, false
	}
	return v, false
}

// typeDirectives records the types and struct fields declared
// //stateguard:state, by the rules that report those that declare nothing
// (stateDirectives).
func (r *recognizer) typeDirectives(d *ast.GenDecl) {
	stateDirectives(r.pass.Pkg, r.pass.TypesInfo, d, func(obj types.Object) {
		switch obj := obj.(type) {
		case *types.TypeName:
			r.stateTypes[obj] = true
		case *types.Var:
			r.stateFields[obj] = true
		}
	}, nil)
}

// stateDirectives is the one implementation of the rules of
// //stateguard:state in the type declaration d: it calls declare for each
// type (a type spec's doc comment, or the declaration's for a lone spec)
// and each struct field (its doc or line comment, in nested struct types
// too) that a directive declares a state, and problem, when not nil, for
// each directive there that declares nothing because its type is not a
// state type (isStateType).
func stateDirectives(pkg *types.Package, info *types.Info, d *ast.GenDecl, declare func(types.Object), problem func(*ast.Comment, string)) {
	qual := types.RelativeTo(pkg)
	for _, spec := range d.Specs {
		ts, ok := spec.(*ast.TypeSpec)
		if !ok {
			continue
		}
		doc := ts.Doc
		if doc == nil && len(d.Specs) == 1 {
			doc = d.Doc
		}
		if c := stateComment(doc); c != nil {
			if tn, ok := info.Defs[ts.Name].(*types.TypeName); ok {
				if isStateType(tn.Type()) {
					declare(tn)
				} else if problem != nil {
					problem(c, fmt.Sprintf("//stateguard:state has no effect: %s is %s, not a state; %s",
						tn.Name(), kindOf(tn.Type(), qual), stateTypeRule))
				}
			}
		}
		ast.Inspect(ts.Type, func(n ast.Node) bool {
			st, ok := n.(*ast.StructType)
			if !ok || st.Fields == nil {
				return true
			}
			for _, f := range st.Fields.List {
				c := stateComment(f.Doc)
				if c == nil {
					c = stateComment(f.Comment)
				}
				if c == nil {
					continue
				}
				for _, name := range f.Names {
					v, ok := info.Defs[name].(*types.Var)
					switch {
					case !ok:
					case isStateType(v.Type()):
						declare(v)
					case problem != nil:
						problem(c, fmt.Sprintf("//stateguard:state has no effect: field %s is of type %s, not a state; %s",
							v.Name(), types.TypeString(v.Type(), qual), stateTypeRule))
					}
				}
			}
			return true
		})
	}
}

// stateComment returns the first well-formed //stateguard:state comment
// of cg, or nil.
func stateComment(cg *ast.CommentGroup) *ast.Comment {
	if cg == nil {
		return nil
	}
	for _, c := range cg.List {
		if d, ok, err := parseComment(c); ok && err == nil && d.kind == dirState {
			return c
		}
	}
	return nil
}

// kindOf names what kind of type t is, for a message: "a struct", "an
// interface", ..., else "of type T".
func kindOf(t types.Type, qual types.Qualifier) string {
	switch t.Underlying().(type) {
	case *types.Struct:
		return "a struct"
	case *types.Interface:
		return "an interface"
	case *types.Pointer:
		return "a pointer to " + types.TypeString(t.Underlying().(*types.Pointer).Elem(), qual)
	case *types.Slice:
		return "a slice"
	case *types.Map:
		return "a map"
	case *types.Signature:
		return "a func type"
	case *types.Chan:
		return "a channel"
	case *types.Array:
		return "an array"
	}
	return "of type " + types.TypeString(t.Underlying(), qual)
}
