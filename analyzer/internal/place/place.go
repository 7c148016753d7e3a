package place

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"
)

// A Key identifies the object a pointer designates: the pointer value
// itself (an empty Path), or the place the pointer was loaded from (a
// variable, an element of an array, a field of a struct) as a root value
// and a path ending in Deref, or the place that holds the object by value
// (an element of a slice or an array of structs, a struct field), with
// the embedded-field selections of the object pointer itself stripped.
// Two loads of one place give the same pointer unless a store to the
// place lies between them: a rebinding breaks the link (see Rebinds and
// ReachingWrites). Keys are comparable.
type Key struct {
	Root ssa.Value
	Path Path
}

func (k Key) String() string {
	root := "<nil>"
	if k.Root != nil {
		root = k.Root.Name()
	}
	return root + k.Path.String()
}

// Loads are the first and the last load of the chain a Key follows from
// its root: the load of the place nearest the root and the load that
// gives the object pointer itself (nil when the key follows no load). Two
// pointers of one key with the same Last load are one SSA value: the same
// object, whatever happens to the place afterwards.
type Loads struct {
	First, Last ssa.Instruction
}

// set records load in a chain: the first load recorded is the one nearest
// the root (the recursion records it first), the last one is the load of
// the object pointer.
func (l *Loads) set(load ssa.Instruction) {
	if l == nil {
		return
	}
	if l.First == nil {
		l.First = load
	}
	l.Last = load
}

// maxDepth bounds the recursion over chains of places.
const maxDepth = 8

// PointerKey returns the key of the struct object the pointer p points to
// and the loads of the chain the key follows.
func PointerKey(p ssa.Value) (Key, Loads) {
	var loads Loads
	k := keyOf(p, 0, &loads)
	return k, loads
}

func keyOf(p ssa.Value, depth int, loads *Loads) Key {
	if depth > maxDepth {
		return Key{Root: p}
	}
	for range 16 {
		switch x := p.(type) {
		case *ssa.ChangeType:
			p = x.X
			continue
		case *ssa.FieldAddr:
			if f := FieldOf(x); f != nil && f.Embedded() {
				p = x.X
				continue
			}
			// A struct held by value in a field: the object is the place.
			if k, ok := location(x, depth+1, loads); ok {
				return k
			}
		case *ssa.IndexAddr:
			// A struct held by value in an element.
			if k, ok := location(x, depth+1, loads); ok {
				return k
			}
		case *ssa.UnOp:
			if x.Op != token.MUL {
				break
			}
			if y, ok := x.X.(*ssa.FieldAddr); ok {
				if f := FieldOf(y); f != nil && f.Embedded() {
					p = y.X
					continue
				}
			}
			if k, ok := location(x.X, depth+1, loads); ok {
				loads.set(x)
				return Key{k.Root, k.Path.Append(Step{Kind: Deref})}
			}
		case *ssa.Field:
			// A pointer held in a field of a struct value.
			if k, ok := valueKey(x.X, depth+1, loads); ok {
				return Key{k.Root, k.Path.Append(Step{Kind: Field, Field: x.Field}).Append(Step{Kind: Deref})}
			}
		}
		break
	}
	return Key{Root: p}
}

// valueKey returns the key of the place a struct value was loaded from,
// or of the value itself (a parameter, a call result).
func valueKey(v ssa.Value, depth int, loads *Loads) (Key, bool) {
	if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
		if k, ok := location(u.X, depth, loads); ok {
			loads.set(u)
			return k, true
		}
		return Key{}, false
	}
	return Key{v, PathOf(Step{Kind: Value})}, true
}

// location returns the root and path of an address: a variable, a field
// or a constant-index element of another location or of an object. An
// element at a non-constant index is an IndexOf step of the index value.
// A field of a struct held in a field keeps every step, embedded ones
// included: o.Inner.J is not o.N.
func location(a ssa.Value, depth int, loads *Loads) (Key, bool) {
	if depth > maxDepth {
		return Key{}, false
	}
	switch a := a.(type) {
	case *ssa.Alloc, *ssa.Global, *ssa.FreeVar:
		return Key{Root: a}, true
	case *ssa.FieldAddr:
		field := Step{Kind: Field, Field: a.Field}
		if inner, ok := a.X.(*ssa.FieldAddr); ok {
			k, ok := location(inner, depth+1, loads)
			return Key{k.Root, k.Path.Append(field)}, ok
		}
		k := keyOf(a.X, depth+1, loads)
		return Key{k.Root, k.Path.Append(field)}, true
	case *ssa.IndexAddr:
		// A constant index, or the same index value.
		idx := Step{Kind: IndexOf, Value: a.Index}
		if c, ok := a.Index.(*ssa.Const); ok {
			if c.Value == nil {
				return Key{}, false
			}
			i, exact := constant.Int64Val(constant.ToInt(c.Value))
			if !exact {
				return Key{}, false
			}
			idx = Step{Kind: Index, Index: i}
		}
		if _, isSlice := a.X.Type().Underlying().(*types.Slice); isSlice {
			return Key{a.X, PathOf(idx)}, true
		}
		k, ok := location(a.X, depth+1, loads)
		return Key{k.Root, k.Path.Append(idx)}, ok
	}
	return Key{Root: a}, true
}

// PlaceOf returns the root and path of the place an address or a slice
// designates; an element of a re-sliced slice or array is at an unknown
// index of the one it slices.
func PlaceOf(a ssa.Value) (Key, bool) {
	a = Strip(a)
	for range 8 {
		sl, ok := a.(*ssa.Slice)
		if !ok {
			break
		}
		a = Strip(sl.X)
	}
	if ia, ok := a.(*ssa.IndexAddr); ok {
		if sl, ok := ia.X.(*ssa.Slice); ok {
			k, ok := PlaceOf(sl.X)
			return Key{k.Root, k.Path.Append(Step{Kind: AnyIndex})}, ok
		}
	}
	return location(a, 0, nil)
}

// ObjectOf returns the key of the object an argument designates, a
// pointer to a struct or a struct value loaded from a place, and the loads
// of the key's chain (see PointerKey); ok is false for any other value.
func ObjectOf(v ssa.Value) (k Key, loads Loads, ok bool) {
	if v == nil {
		return Key{}, Loads{}, false
	}
	v = Strip(v)
	switch t := v.Type().Underlying().(type) {
	case *types.Pointer:
		if structOf(t) == nil {
			return Key{}, Loads{}, false
		}
		k, l := PointerKey(v)
		return k, l, true
	case *types.Struct:
		if u, ok := v.(*ssa.UnOp); ok && u.Op == token.MUL {
			k, l := PointerKey(u.X)
			return k, l, true
		}
	}
	return Key{}, Loads{}, false
}

// Strip removes conversions that do not change a value (ChangeType,
// MakeInterface).
func Strip(v ssa.Value) ssa.Value {
	for range 8 {
		switch x := v.(type) {
		case *ssa.ChangeType:
			v = x.X
		case *ssa.MakeInterface:
			v = x.X
		default:
			return v
		}
	}
	return v
}

// FieldOf returns the field a FieldAddr selects, or nil.
func FieldOf(fa *ssa.FieldAddr) *types.Var {
	st := structOf(fa.X.Type())
	if st == nil || fa.Field >= st.NumFields() {
		return nil
	}
	return st.Field(fa.Field)
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
