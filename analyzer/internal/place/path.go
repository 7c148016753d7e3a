package place

import (
	"fmt"
	"strings"
	"unique"

	"golang.org/x/tools/go/ssa"
)

// A StepKind is the kind of one step of a Path.
type StepKind uint8

const (
	// Field is field number Step.Field of the struct held so far.
	Field StepKind = iota + 1
	// Index is the element at the constant index Step.Index.
	Index
	// IndexOf is the element at the index value Step.Value: the same
	// value is the same element, another one may be.
	IndexOf
	// AnyIndex is an element at an unknown index (an element of a slice
	// or array that was re-sliced).
	AnyIndex
	// Deref is the pointer loaded from the place designated so far: the
	// object that pointer points to.
	Deref
	// Value is the struct value the root is (a parameter, a call result)
	// rather than a place it was loaded from. It is only ever the first
	// step.
	Value
)

// A Step is one step of a Path. Steps are comparable: two steps are equal
// when they designate the same thing.
type Step struct {
	Kind  StepKind
	Field int       // Field: the field's index in its struct
	Index int64     // Index: the constant index
	Value ssa.Value // IndexOf: the index value
}

func (s Step) String() string {
	switch s.Kind {
	case Field:
		return fmt.Sprintf(".%d", s.Field)
	case Index:
		return fmt.Sprintf("[%d]", s.Index)
	case IndexOf:
		if s.Value != nil {
			return "[@" + s.Value.Name() + "]"
		}
		return "[@]"
	case AnyIndex:
		return "[@?]"
	case Deref:
		return "*"
	case Value:
		return "="
	}
	return "?"
}

// isIndex reports whether s selects an element.
func (s Step) isIndex() bool {
	return s.Kind == Index || s.Kind == IndexOf || s.Kind == AnyIndex
}

// mayBeSame reports whether s and t may select the same thing: they are
// equal, or both select elements and one of the indices is not constant.
func (s Step) mayBeSame(t Step) bool {
	if s == t {
		return true
	}
	return s.isIndex() && t.isIndex() && (s.Kind != Index || t.Kind != Index)
}

// A Path is the sequence of steps from a root value to a place or an
// object. Paths are interned: two paths are == exactly when they have the
// same steps, so a Key can be compared and used as a map key. The zero
// Path is empty.
type Path struct{ h unique.Handle[pathNode] }

type pathNode struct {
	parent Path
	step   Step
	len    int
}

// PathOf returns the path of steps.
func PathOf(steps ...Step) Path {
	var p Path
	for _, s := range steps {
		p = p.Append(s)
	}
	return p
}

// Append returns p followed by s.
func (p Path) Append(s Step) Path {
	return Path{unique.Make(pathNode{parent: p, step: s, len: p.Len() + 1})}
}

// Len returns the number of steps of p.
func (p Path) Len() int {
	if p == (Path{}) {
		return 0
	}
	return p.h.Value().len
}

// Last returns the last step of p and the path before it; ok is false for
// the empty path.
func (p Path) Last() (last Step, parent Path, ok bool) {
	if p == (Path{}) {
		return Step{}, Path{}, false
	}
	n := p.h.Value()
	return n.step, n.parent, true
}

// Steps returns the steps of p, from the root.
func (p Path) Steps() []Step {
	out := make([]Step, p.Len())
	for i := len(out) - 1; i >= 0; i-- {
		n := p.h.Value()
		out[i] = n.step
		p = n.parent
	}
	return out
}

// String spells p as .N, [K], [@v], [@?], * and = steps, for tests and
// debugging.
func (p Path) String() string {
	var b strings.Builder
	for _, s := range p.Steps() {
		b.WriteString(s.String())
	}
	return b.String()
}

// endsInDeref reports whether the last step of p is Deref.
func (p Path) endsInDeref() bool {
	s, _, ok := p.Last()
	return ok && s.Kind == Deref
}

// startsWithValue reports whether the first step of p is Value.
func (p Path) startsWithValue() bool {
	if p.Len() == 0 {
		return false
	}
	for {
		s, parent, _ := p.Last()
		if parent.Len() == 0 {
			return s.Kind == Value
		}
		p = parent
	}
}

// mayHold reports whether the place of path p is, or may be, the place of
// path slot or one that holds it: p is a prefix of slot, step by step,
// where an element at a non-constant index may be any element.
func mayHold(p, slot []Step) bool {
	if len(p) > len(slot) {
		return false
	}
	for i, s := range p {
		if !s.mayBeSame(slot[i]) {
			return false
		}
	}
	return true
}
