package analyzer

import (
	"fmt"
	"go/types"
	"strings"

	"golang.org/x/tools/go/analysis"
)

// factTypes are the facts stateguard exports, so that call sites in other
// packages are checked too.
var factTypes = []analysis.Fact{new(guardFact), new(stateFact), new(helperFact)}

// guardFact marks a function or method recognized as a guarded save or a
// transition, by convention, by directive, or because it forwards its
// object and expectation to another guarded save.
type guardFact struct {
	Transition bool         // a transition call rather than a save
	Object     int          // save: the object parameter, -1 for the receiver
	Guards     []FieldGuard // save: the guarded fields and their expectations
	From       int          // transition: the from parameter
	To         int          // transition: the to parameter
	How        string       // how it was recognized
	Refusal    int          // the result that refuses besides the error, -1 for none
}

// FieldGuard is one guarded field of a guardFact. (Exported for gob.)
type FieldGuard struct {
	Field  string // the field's name
	Expect int    // the parameter carrying its expected values
}

// AFact marks guardFact as an analysis fact.
func (*guardFact) AFact() {}

func (f *guardFact) String() string {
	refuses := ""
	if f.Refusal >= 0 {
		refuses = fmt.Sprintf(", refuses by result #%d", f.Refusal)
	}
	if f.Transition {
		return fmt.Sprintf("transition(from=#%d to=#%d) by %s%s", f.From, f.To, f.How, refuses)
	}
	obj := "receiver"
	if f.Object != receiverIndex {
		obj = fmt.Sprintf("#%d", f.Object)
	}
	if len(f.Guards) == 0 {
		return fmt.Sprintf("save(%s) by %s", obj, f.How)
	}
	parts := make([]string, len(f.Guards))
	for i, g := range f.Guards {
		parts[i] = fmt.Sprintf("%s of %s, expect=#%d", g.Field, obj, g.Expect)
	}
	return fmt.Sprintf("save(%s) by %s%s", strings.Join(parts, "; "), f.How, refuses)
}

func factOf(s *guardSpec) *guardFact {
	f := &guardFact{
		Transition: s.kind == kindTransition,
		Object:     s.object,
		From:       s.from,
		To:         s.to,
		How:        s.how,
		Refusal:    s.refusal,
	}
	for _, g := range s.guards {
		f.Guards = append(f.Guards, FieldGuard{g.field, g.expect})
	}
	return f
}

func (f *guardFact) spec() *guardSpec {
	k := kindSave
	if f.Transition {
		k = kindTransition
	}
	s := &guardSpec{kind: k, object: f.Object, from: f.From, to: f.To, how: f.How, refusal: f.Refusal}
	for _, g := range f.Guards {
		s.guards = append(s.guards, fieldGuard{g.Field, g.Expect})
	}
	return s
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
