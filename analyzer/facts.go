package analyzer

import (
	"fmt"
	"go/types"

	"golang.org/x/tools/go/analysis"
)

// factTypes are the facts stateguard exports, so that call sites in other
// packages are checked too.
var factTypes = []analysis.Fact{new(guardFact), new(stateFact)}

// guardFact marks a function or method recognized as a guarded save or a
// transition, by convention, by directive, or because it forwards its
// object and expectation to another guarded save.
type guardFact struct {
	Transition bool   // a transition call rather than a save
	Object     int    // save: the object parameter, -1 for the receiver
	Expect     int    // save: the expectation; transition: the from parameter
	To         int    // transition: the to parameter
	Field      string // save: the guarded field
	How        string // how it was recognized
}

// AFact marks guardFact as an analysis fact.
func (*guardFact) AFact() {}

func (f *guardFact) String() string {
	if f.Transition {
		return fmt.Sprintf("transition(from=#%d to=#%d) by %s", f.Expect, f.To, f.How)
	}
	obj := "receiver"
	if f.Object != receiverIndex {
		obj = fmt.Sprintf("#%d", f.Object)
	}
	return fmt.Sprintf("save(%s of %s, expect=#%d) by %s", f.Field, obj, f.Expect, f.How)
}

func factOf(s *guardSpec) *guardFact {
	return &guardFact{
		Transition: s.kind == kindTransition,
		Object:     s.object,
		Expect:     s.expect,
		To:         s.to,
		Field:      s.field,
		How:        s.how,
	}
}

func (f *guardFact) spec() *guardSpec {
	k := kindSave
	if f.Transition {
		k = kindTransition
	}
	return &guardSpec{kind: k, object: f.Object, expect: f.Expect, to: f.To, field: f.Field, how: f.How}
}

// stateFact marks a struct field, or a named type, declared
// //stateguard:state: writing it and saving with no expectation on it is
// an unguarded transition.
type stateFact struct{}

// AFact marks stateFact as an analysis fact.
func (*stateFact) AFact() {}

func (*stateFact) String() string { return "state" }

// factSource recognizes functions of other packages by the facts their
// analysis exported.
type factSource struct{ pass *analysis.Pass }

func (s factSource) guardOf(fn *types.Func) *guardSpec {
	if fn.Pkg() == nil || fn.Pkg() == s.pass.Pkg {
		return nil
	}
	var f guardFact
	if s.pass.ImportObjectFact(fn, &f) {
		return f.spec()
	}
	return nil
}

// mapSource recognizes the functions of the package under analysis whose
// spec has already been computed (by directive, or as wrappers).
type mapSource map[*types.Func]*guardSpec

func (m mapSource) guardOf(fn *types.Func) *guardSpec { return m[fn] }
