package analyzer

import (
	"go/ast"
	"go/types"
	"slices"
	"strings"
)

// A guardKind tells a guarded save from a transition call.
type guardKind int

const (
	kindSave       guardKind = iota + 1 // writes an object and expects values of one of its fields
	kindTransition                      // carries both ends of a transition
)

// receiverIndex is the parameter index that stands for the receiver.
const receiverIndex = -1

// A guardSpec describes how a recognized function guards a state: which
// parameter holds the object, which the expectation, which field it guards.
// Parameter indices count the declared parameters from zero; receiverIndex
// names the receiver.
type guardSpec struct {
	kind   guardKind
	object int          // save: the object parameter (or receiverIndex)
	guards []fieldGuard // save: the guarded fields, each with its expectation
	from   int          // transition: the from parameter
	to     int          // transition: the to parameter
	how    string       // how it was recognized, for messages and facts: "convention", "directive", "wrapper", ...
	// refusal is the result through which the call refuses besides its
	// error (a bool, a count of rows, a sql.Result), -1 for none; set by
	// recognizer.guardOf from the signature, whatever the source.
	refusal int
}

// A fieldGuard is one guarded field F of a save's object and the parameter
// that carries the values F may hold beforehand.
type fieldGuard struct {
	field  string
	expect int
}

// expectParams returns the indices of the parameters that carry the
// expectations (save) or the source state (transition), each once: a
// condition carries the expectations of several fields.
func (s *guardSpec) expectParams() []int {
	if s.kind == kindTransition {
		return []int{s.from}
	}
	var out []int
	for _, g := range s.guards {
		if !slices.Contains(out, g.expect) {
			out = append(out, g.expect)
		}
	}
	return out
}

// guardOn returns the guard of field, or false.
func (s *guardSpec) guardOn(field string) (fieldGuard, bool) {
	for _, g := range s.guards {
		if g.field == field {
			return g, true
		}
	}
	return fieldGuard{}, false
}

// A guardSource recognizes guarded saves and transitions. Recognition is a
// list of sources consulted in order; the guard package's own API can be
// one more source.
type guardSource interface {
	// guardOf returns the spec of fn, which is an origin (never an
	// instantiation), or nil.
	guardOf(fn *types.Func) *guardSpec
}

// stateWords are the endings that make a name a state name.
var stateWords = []string{"state", "status", "phase", "stage"}

// isStateName reports whether name ends in State, Status, Phase or Stage,
// in any case.
func isStateName(name string) bool {
	l := strings.ToLower(name)
	for _, w := range stateWords {
		if strings.HasSuffix(l, w) {
			return true
		}
	}
	return false
}

var (
	savePrefixes = []string{"expected", "current", "old", "prev", "previous", "from"}
	fromPrefixes = []string{"from", "old", "prev", "previous", "current", "expected"}
	toPrefixes   = []string{"to", "new", "next", "target", "desired"}
)

// splitPrefix returns the rest of name after the longest prefix of
// prefixes it starts with, and whether one matched. The rest is empty or
// starts with an upper-case letter or an underscore (fromState, from_state,
// from; not fromage).
func splitPrefix(name string, prefixes []string) (string, bool) {
	best, ok := "", false
	bestLen := -1
	for _, p := range prefixes {
		if !strings.HasPrefix(name, p) || len(p) <= bestLen {
			continue
		}
		rest := name[len(p):]
		if rest != "" {
			c := rest[0]
			if c == '_' {
				rest = rest[1:]
			} else if !(c >= 'A' && c <= 'Z') {
				continue
			}
		}
		best, ok, bestLen = rest, true, len(p)
	}
	return best, ok
}

// structOf returns the struct under t or *t, or nil.
func structOf(t types.Type) *types.Struct {
	if t == nil {
		return nil
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	s, _ := t.Underlying().(*types.Struct)
	return s
}

// fieldsOf returns the fields of s, promoted fields of embedded structs
// included (shallowest first, at most a few levels deep).
func fieldsOf(s *types.Struct) []*types.Var {
	var out []*types.Var
	seen := map[*types.Struct]bool{}
	var walk func(s *types.Struct, depth int)
	walk = func(s *types.Struct, depth int) {
		if s == nil || seen[s] || depth > 4 {
			return
		}
		seen[s] = true
		for f := range s.Fields() {
			out = append(out, f)
		}
		for f := range s.Fields() {
			if f.Embedded() {
				walk(structOf(f.Type()), depth+1)
			}
		}
	}
	walk(s, 0)
	return out
}

// elemOf returns the element type of a slice type, or nil.
func elemOf(t types.Type) types.Type {
	if s, ok := t.Underlying().(*types.Slice); ok {
		return s.Elem()
	}
	return nil
}

// acceptsValuesOf reports whether a parameter of type pt carries values of
// type ft: ft itself, a slice of it (which also covers ...ft).
func acceptsValuesOf(pt, ft types.Type) bool {
	if types.Identical(pt, ft) {
		return true
	}
	if e := elemOf(pt); e != nil && types.Identical(e, ft) {
		return true
	}
	return false
}

// errorType is the predeclared error type.
var errorType = types.Universe.Lookup("error").Type()

// conventionSource recognizes saves and transitions by their names and
// types alone (rules 1 and 3).
type conventionSource struct{}

func (conventionSource) guardOf(fn *types.Func) *guardSpec {
	sig, ok := fn.Type().(*types.Signature)
	if !ok {
		return nil
	}
	// Names first, types after: this runs for every function a package
	// calls. Rules 1 and 3 need a parameter named for the state it
	// expects or leaves (expectedStatus, fromState, expected); conditions
	// and callbacks need a name that says it writes.
	expects, writes := hasExpectParam(sig), saysWrites(fn.Name())
	if !expects && !writes || !canRefuse(sig, true) {
		return nil
	}
	if expects {
		if s := conventionSave(sig); s != nil {
			return s
		}
	}
	if writes {
		if s := conditionSave(fn.Name(), sig); s != nil { // condmap.go
			return s
		}
		if s := callbackSave(fn.Name(), sig); s != nil { // cascallback.go
			return s
		}
	}
	if !expects || !canRefuse(sig, false) {
		// validTransition(from, to T) bool checks a pair, it guards
		// nothing: its callers (tests among them) pass equal ends on
		// purpose.
		return nil
	}
	return conventionTransition(sig)
}

// hasExpectParam reports whether a parameter of sig is named as rules 1
// and 3 name an expected or a former state: a prefix of savePrefixes (the
// same words as fromPrefixes) alone or followed by a new word.
func hasExpectParam(sig *types.Signature) bool {
	for p := range sig.Params().Variables() {
		if _, ok := splitPrefix(p.Name(), savePrefixes); ok {
			return true
		}
	}
	return false
}

// canRefuse reports whether a function can tell its caller that the guard
// failed: it has an error result (or, when orBool, a bool one, or a count
// or sql.Result that refusalOf takes for a refusal). Names
// alone do not make a guard: MakeProcStateTransition(id, from, to)
// StateTransition in the standard library's internal/trace describes a
// transition, it does not guard one. A directive declares a guard whatever
// its results.
func canRefuse(sig *types.Signature, orBool bool) bool {
	for v := range sig.Results().Variables() {
		t := v.Type()
		if types.Identical(t, errorType) {
			return true
		}
		if b, ok := t.Underlying().(*types.Basic); ok && b.Kind() == types.Bool && orBool {
			return true
		}
	}
	// A save may refuse through a count of rows or a sql.Result alone.
	return orBool && refusalOf(sig) >= 0
}

// conventionSave applies rule 1: an object (the receiver, else a
// parameter) with a state-named field F, and a parameter named
// expected<F>, current<F>, ... (or exactly "expected" when F is the only
// field of its type) whose type is F's type or a slice of it.
func conventionSave(sig *types.Signature) *guardSpec {
	params := sig.Params()
	try := func(obj int, t types.Type) *guardSpec {
		st := structOf(t)
		if st == nil {
			return nil
		}
		fields := fieldsOf(st)
		var guards []fieldGuard
		has := func(f string) bool {
			for _, g := range guards {
				if g.field == f {
					return true
				}
			}
			return false
		}
	params:
		for i := range params.Len() {
			if i == obj {
				continue
			}
			p := params.At(i)
			name := p.Name()
			for _, f := range fields {
				if !isStateName(f.Name()) || !isStateType(f.Type()) || !acceptsValuesOf(p.Type(), f.Type()) {
					continue
				}
				if rest, ok := splitPrefix(name, savePrefixes); ok && rest != "" && strings.EqualFold(rest, f.Name()) && !has(f.Name()) {
					guards = append(guards, fieldGuard{f.Name(), i})
					continue params
				}
			}
			if name == "expected" {
				var only *types.Var
				n := 0
				et := p.Type()
				if e := elemOf(et); e != nil {
					et = e
				}
				for _, f := range fields {
					if types.Identical(f.Type(), et) || types.Identical(f.Type(), p.Type()) {
						only = f
						n++
					}
				}
				if n == 1 && isStateName(only.Name()) && isStateType(only.Type()) && !has(only.Name()) {
					guards = append(guards, fieldGuard{only.Name(), i})
				}
			}
		}
		if len(guards) == 0 {
			return nil
		}
		return &guardSpec{kind: kindSave, object: obj, guards: guards, how: "convention"}
	}
	if r := sig.Recv(); r != nil {
		if s := try(receiverIndex, r.Type()); s != nil {
			return s
		}
	}
	for i := range params.Len() {
		if s := try(i, params.At(i).Type()); s != nil {
			return s
		}
	}
	return nil
}

// conventionTransition applies rule 3: parameters (from|old|...)X and
// (to|new|...)X of one type T (the from side may be []T), where T is a
// state type (isStateType) and T's name or X is a state word.
func conventionTransition(sig *types.Signature) *guardSpec {
	params := sig.Params()
	for i := range params.Len() {
		from := params.At(i)
		x, ok := splitPrefix(from.Name(), fromPrefixes)
		if !ok {
			continue
		}
		for j := range params.Len() {
			if j == i {
				continue
			}
			to := params.At(j)
			y, ok := splitPrefix(to.Name(), toPrefixes)
			if !ok || !strings.EqualFold(x, y) {
				continue
			}
			t := to.Type()
			if !acceptsValuesOf(from.Type(), t) {
				continue
			}
			if isStateType(t) && ((x != "" && isStateName(x)) || hasStateName(t)) {
				return &guardSpec{kind: kindTransition, from: i, to: j, how: "convention"}
			}
		}
	}
	return nil
}

// hasStateName reports whether t is a named type (or an alias) whose name
// ends in a state word.
func hasStateName(t types.Type) bool {
	switch t := types.Unalias(t).(type) {
	case *types.Named:
		return isStateName(t.Obj().Name())
	case *types.TypeParam:
		return false
	}
	if a, ok := t.(*types.Alias); ok {
		return isStateName(a.Obj().Name())
	}
	return false
}

// isStateType reports whether a value of type t can be a state: a string,
// an integer or a bool, a named type over one, or a pointer to one of
// those (a nullable state, where nil is NULL). An interface, a struct, a
// pointer to either, a slice, a map, a func or a chan is an object or a
// container, not a state, whatever its name. A type parameter is a state
// type unless its constraint admits only types that are not. It is the one
// test of what a state is: conventions and directives, saves and
// transitions alike.
func isStateType(t types.Type) bool {
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	return isStateValueType(t, 0)
}

// isStateValueType is isStateType without the pointer.
func isStateValueType(t types.Type, depth int) bool {
	switch u := types.Unalias(t).(type) {
	case *types.TypeParam:
		if depth > 4 {
			return false
		}
		iface, ok := u.Constraint().Underlying().(*types.Interface)
		if !ok {
			return false
		}
		for i := range iface.NumEmbeddeds() {
			switch e := iface.EmbeddedType(i).(type) {
			case *types.Union:
				for j := range e.Len() {
					if !isStateValueType(e.Term(j).Type(), depth+1) {
						return false
					}
				}
			case *types.Interface:
			default:
				if !isStateValueType(e, depth+1) {
					return false
				}
			}
		}
		return true
	}
	b, ok := t.Underlying().(*types.Basic)
	return ok && b.Info()&(types.IsString|types.IsInteger|types.IsBoolean) != 0
}

// funcOf returns the function object a call expression calls statically
// (a function, a method, an interface method), as an origin, or nil.
func funcOf(info *types.Info, call *ast.CallExpr) *types.Func {
	fun := ast.Unparen(call.Fun)
	// Strip explicit instantiation: f[int](x).
	switch f := fun.(type) {
	case *ast.IndexExpr:
		fun = ast.Unparen(f.X)
	case *ast.IndexListExpr:
		fun = ast.Unparen(f.X)
	}
	var id *ast.Ident
	switch f := fun.(type) {
	case *ast.Ident:
		id = f
	case *ast.SelectorExpr:
		id = f.Sel
	default:
		return nil
	}
	fn, _ := info.Uses[id].(*types.Func)
	if fn == nil {
		return nil
	}
	return fn.Origin()
}
