package analyzer

import (
	"go/ast"
	"go/token"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"

	"github.com/stateguard/stateguard/analyzer/internal/place"
)

// howPlain is the how of a plain save: a save that carries no
// expectation at all.
const howPlain = "plain save"

// plainPrefixes name the functions that write an object: a plain save's
// name starts with one, followed by the end of the name or a new word
// (UpdatePipeline, Save, save_job; not Settle, Updater, Storage). The
// first letter may be lower-case (saveJob), except for write and set:
// unexported write... functions write frames and buffers onto
// connections (writeHeaders), set... ones set fields in memory.
var plainPrefixes = []string{"Update", "Save", "Put", "Store", "Write", "Persist", "Upsert", "Set"}

// isSaveName reports whether name starts with a word of plainPrefixes.
func isSaveName(name string) bool {
	for _, p := range plainPrefixes {
		rest, ok := strings.CutPrefix(name, p)
		if !ok && p != "Write" && p != "Set" {
			rest, ok = strings.CutPrefix(name, strings.ToLower(p[:1])+p[1:])
		}
		if !ok {
			continue
		}
		if rest == "" {
			return true
		}
		if c := rest[0]; c == '_' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
			return true
		}
	}
	return false
}

// isPlain reports whether s is a plain save: a save with no guarded
// field, so no expectation.
func (s *guardSpec) isPlain() bool { return s.kind == kindSave && len(s.guards) == 0 }

// plainSource recognizes the plain saves of the package under analysis
// by their names and types (plainSave), after every other source: a
// function that forwards a guard is a wrapper whatever its name. Those of
// other packages come as facts, from the analysis that saw their bodies:
// a function whose body saves through a guard (a guarded save, a
// transition, the guard package) is no plain save, whatever its name.
type plainSource struct {
	r      *recognizer
	bodies map[*types.Func]*ast.BlockStmt // this package's, built on first use
	busy   map[*types.Func]bool           // being recognized: no guard while it is
}

func newPlainSource(r *recognizer) *plainSource {
	return &plainSource{r: r, busy: map[*types.Func]bool{}}
}

func (p *plainSource) guardOf(fn *types.Func) *guardSpec {
	if fn.Pkg() != p.r.pass.Pkg || inGuard(fn) || p.busy[fn] {
		return nil
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok {
		return nil
	}
	s := plainSave(fn, sig)
	if s == nil {
		return nil
	}
	if p.bodies == nil {
		p.bodies = map[*types.Func]*ast.BlockStmt{}
		for _, d := range p.r.decls {
			if f, ok := p.r.pass.TypesInfo.Defs[d.Name].(*types.Func); ok {
				p.bodies[f] = d.Body
			}
		}
	}
	if body := p.bodies[fn]; body != nil {
		p.busy[fn] = true
		guarded := p.savesThroughGuard(body) || p.savesRewrittenCopy(fn, s.object, body)
		delete(p.busy, fn)
		if guarded {
			return nil
		}
	}
	return s
}

// savesThroughGuard reports whether body calls a guarded save, a
// transition or a function of the guard package.
func (p *plainSource) savesThroughGuard(body *ast.BlockStmt) bool {
	info := p.r.pass.TypesInfo
	found := false
	ast.Inspect(body, func(n ast.Node) bool {
		if found {
			return false
		}
		call, ok := n.(*ast.CallExpr)
		if !ok {
			return true
		}
		if callee := funcOf(info, call); callee != nil {
			if inGuard(callee) {
				found = true
			} else if s := p.r.guardOf(callee); s != nil && !s.isPlain() {
				found = true
			}
		}
		return !found
	})
	return found
}

// plainSave recognizes a plain save by convention: a function or
// method (an interface method too: stores are called through interfaces)
// whose name says it writes (isSaveName), that returns an error, has no
// expectation parameter (no other source recognized it), and takes an object:
// a struct or a pointer to one with a state field (hasStateField). The
// object is the one parameter that is such an object, else the receiver
// of a method named for saving itself (savesItself).
// A function that also takes the bytes it writes or a writer to write
// them to ([]byte, io.Writer, anything with a Write([]byte) method)
// encodes the object onto a stream: no save (http.Response.Write); nor
// is a Write... method of a receiver that holds such a writer (a
// connection writing a message).
func plainSave(fn *types.Func, sig *types.Signature) *guardSpec {
	if !isSaveName(fn.Name()) || !canRefuse(sig, false) {
		return nil
	}
	if strings.HasPrefix(fn.Name(), "Write") && sig.Recv() != nil && holdsStream(sig.Recv().Type()) {
		return nil // a connection writing a message (httputil.ServerConn.Write)
	}
	params := sig.Params()
	obj, n := 0, 0
	for i := range params.Len() {
		t := params.At(i).Type()
		if isStream(t) {
			return nil
		}
		if hasStateField(t) {
			obj, n = i, n+1
		}
	}
	switch {
	case n == 1:
	case n == 0 && sig.Recv() != nil && hasStateField(sig.Recv().Type()) && savesItself(fn.Name(), sig.Recv().Type()):
		obj = receiverIndex
	default:
		return nil // no object, or several: which one is saved?
	}
	return &guardSpec{kind: kindSave, object: obj, how: howPlain}
}

// savesItself reports whether a method named name of a receiver of type
// recv is named for saving its receiver: a save word alone (Save, Update,
// Persist) or followed by the receiver type's name (SaveJob on *Job). A
// method named for something else that it writes (SetReadDeadline,
// WriteString, UpdateCounters) or a setter (Set...) changes the receiver
// in memory, or elsewhere: it does not save it.
func savesItself(name string, recv types.Type) bool {
	tn, _ := namedOf(recv)
	for _, p := range plainPrefixes {
		if p == "Set" {
			continue
		}
		lower := strings.ToLower(p[:1]) + p[1:]
		for _, w := range []string{p, lower} {
			if name == w || tn != "" && name == w+tn {
				return true
			}
		}
	}
	return false
}

// hasStateField reports whether t is a struct, or a pointer to one, with
// a state field (plainStateFields).
func hasStateField(t types.Type) bool {
	return len(plainStateFields(t)) > 0
}

// plainStateFields returns the state fields of the struct t or *t: those whose
// name ends in a state word and whose type is a state type, promoted
// fields included.
func plainStateFields(t types.Type) []*types.Var {
	st := structOf(t)
	if st == nil {
		return nil
	}
	var out []*types.Var
	for _, f := range fieldsOf(st) {
		if isStateName(f.Name()) && isStateType(f.Type()) {
			out = append(out, f)
		}
	}
	return out
}

// holdsStream reports whether t is, or is a struct or pointer to struct
// with a field (promoted ones included) that is, a writer of bytes.
func holdsStream(t types.Type) bool {
	if isStream(t) {
		return true
	}
	if st := structOf(t); st != nil {
		for _, f := range fieldsOf(st) {
			if isStream(f.Type()) {
				return true
			}
		}
	}
	return false
}

// isStream reports whether a parameter of type t carries bytes or a
// writer of bytes rather than a store: []byte, or a type with the method
// Write([]byte) (int, error).
func isStream(t types.Type) bool {
	if s, ok := t.Underlying().(*types.Slice); ok {
		if b, ok := s.Elem().Underlying().(*types.Basic); ok && b.Kind() == types.Byte {
			return true
		}
	}
	obj, _, _ := types.LookupFieldOrMethod(t, true, nil, "Write")
	m, ok := obj.(*types.Func)
	if !ok {
		return false
	}
	ms := m.Type().(*types.Signature)
	if ms.Params().Len() != 1 || ms.Results().Len() != 2 {
		return false
	}
	s, ok := ms.Params().At(0).Type().Underlying().(*types.Slice)
	if !ok {
		return false
	}
	b, ok := s.Elem().Underlying().(*types.Basic)
	return ok && b.Kind() == types.Byte
}

// plainSaveDirective applies //stateguard:save object=PARAM [field=F]
// with no expect=: a plain save of object (a parameter or the receiver),
// which must be a struct or a pointer to one; field, when given, must be
// one of its state fields.
func plainSaveDirective(pkg *types.Package, name string, sig *types.Signature, args map[string]string) (*guardSpec, string) {
	objName, ok := args["object"]
	if !ok {
		if _, hasField := args["field"]; hasField || sig.Recv() == nil {
			return nil, "a guarded save names its expectation with expect=PARAM; a plain save (no expectation) names its object with object=PARAM"
		}
		objName = sig.Recv().Name()
	}
	obj, ok := paramIndex(sig, objName)
	ov := (*types.Var)(nil)
	what := "parameter " + objName
	switch {
	case ok:
		ov = sig.Params().At(obj)
	case sig.Recv() != nil && sig.Recv().Name() == objName:
		obj, ov, what = receiverIndex, sig.Recv(), "the receiver"
	default:
		return nil, "object=" + objName + " names no parameter or receiver of " + name + "; " + paramList(sig)
	}
	typ := types.TypeString(ov.Type(), types.RelativeTo(pkg))
	if structOf(ov.Type()) == nil {
		return nil, what + " is of type " + typ + ", not a struct or a pointer to one: no object with fields to save"
	}
	if field, ok := args["field"]; ok {
		f, ambiguous := directiveField(pkg, ov.Type(), field)
		switch {
		case ambiguous:
			return nil, field + " is ambiguous in " + typ + " (" + what + "): it is promoted from more than one embedded field at the same depth"
		case f == nil:
			return nil, what + " (of type " + typ + ") has no field " + field + "; name the field the state is in"
		case !isStateType(f.Type()):
			return nil, "field " + field + " of " + typ + " is of type " + types.TypeString(f.Type(), types.RelativeTo(pkg)) + ", not a state; " + stateTypeRule
		}
	}
	return &guardSpec{kind: kindSave, object: obj, how: "directive, " + howPlain}, ""
}

// plainSavesMatter is the prefilter of the packages that call plain saves
// only (no guarded save, no transition): the checks that judge a plain
// save need the package to compare a state field (check-then-save) or to
// write a declared state (unguarded-transition), both visible in the
// syntax; without either, no SSA is built for them.
func plainSavesMatter(pass *analysis.Pass, rec *recognizer) bool {
	info := pass.TypesInfo
	field := func(e ast.Expr) *types.Var {
		sel, ok := ast.Unparen(e).(*ast.SelectorExpr)
		if !ok {
			return nil
		}
		s := info.Selections[sel]
		if s == nil || s.Kind() != types.FieldVal {
			return nil
		}
		v, _ := s.Obj().(*types.Var)
		return v
	}
	isState := func(v *types.Var) bool {
		return v != nil && isStateName(v.Name()) && isStateType(v.Type())
	}
	found := false
	for _, f := range pass.Files {
		ast.Inspect(f, func(n ast.Node) bool {
			if found {
				return false
			}
			switch n := n.(type) {
			case *ast.BinaryExpr:
				if (n.Op == token.EQL || n.Op == token.NEQ) && (isState(field(n.X)) || isState(field(n.Y))) {
					found = true
				}
			case *ast.SwitchStmt:
				if n.Tag != nil && isState(field(n.Tag)) {
					found = true
				}
			case *ast.AssignStmt:
				for _, l := range n.Lhs {
					if v := field(l); v != nil && rec.isStateField(v) {
						found = true
					}
				}
			case *ast.IncDecStmt:
				if v := field(n.X); v != nil && rec.isStateField(v) {
					found = true
				}
			case *ast.CompositeLit:
				// A literal sets every field, those it omits to their zero value.
				if tv, ok := info.Types[n]; ok {
					if st, ok := tv.Type.Underlying().(*types.Struct); ok {
						for _, f := range fieldsOf(st) {
							if rec.isStateField(f) {
								found = true
								break
							}
						}
					}
				}
			}
			return !found
		})
		if found {
			return true
		}
	}
	return false
}

// conditionalSaveHint names the forms of a conditional save, for messages.
const conditionalSaveHint = "guard's Expect, a parameter expected<Field>, or UPDATE ... WHERE status = ? with the rows affected checked"

// createdHere reports whether the object key is made in the function and
// saved as it was made: a variable or a new struct (&Job{...}) whose
// only uses are its fields and the calls that save it. A plain save of
// it creates the object (an insert, an upsert of a new row): no state it
// leaves, so no transition to guard. A copy of another object (cp :=
// *p), or one handed to any other call (json.Unmarshal, a load), holds
// a stored state.
func createdHere(key place.Key, saves place.Saves) bool {
	alloc, ok := key.Root.(*ssa.Alloc)
	if !ok || key.Path.Len() != 0 {
		return false
	}
	for _, r := range *alloc.Referrers() {
		switch r := r.(type) {
		case *ssa.FieldAddr, *ssa.DebugRef:
		case *ssa.Store:
			if r.Addr == ssa.Value(alloc) {
				return false // a whole struct stored into it
			}
		case ssa.CallInstruction:
			if _, ok := saves[r]; !ok {
				return false // a call that may fill it
			}
		default:
			return false
		}
	}
	return true
}
