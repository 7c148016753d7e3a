package analyzer

import (
	"go/types"
	"reflect"
	"strings"
	"unicode"
)

// guardPath is the import path of the guard package. The analyzer knows
// guard's API by this path and by names, without importing guard.
const guardPath = "github.com/stateguard/stateguard/guard"

// inGuard reports whether obj is declared in the guard package.
func inGuard(obj types.Object) bool {
	return obj != nil && obj.Pkg() != nil && obj.Pkg().Path() == guardPath
}

// guardNamed returns the name of the named guard type under t or *t (Table,
// Row, Field, Option), with its type arguments, or "".
func guardNamed(t types.Type) (string, *types.TypeList) {
	if t == nil {
		return "", nil
	}
	if p, ok := types.Unalias(t).(*types.Pointer); ok {
		t = p.Elem()
	}
	n, ok := types.Unalias(t).(*types.Named)
	if !ok || !inGuard(n.Obj()) {
		return "", nil
	}
	return n.Obj().Name(), n.TypeArgs()
}

// tableMethod returns the name of fn when it is a method of guard.Table
// (Save, Update, Field, MustField, Load, ...), else "".
func tableMethod(fn *types.Func) string {
	if fn == nil || !inGuard(fn) {
		return ""
	}
	sig, ok := fn.Type().(*types.Signature)
	if !ok || sig.Recv() == nil {
		return ""
	}
	if name, _ := guardNamed(sig.Recv().Type()); name != "Table" {
		return ""
	}
	return fn.Name()
}

// A gField is one field of a struct type as guard maps it to a column.
type gField struct {
	v                   *types.Var
	name, column        string
	key, state, version bool
}

// A gTable is the mapping guard.NewTable builds for a struct type T, as
// the analyzer sees it in T's declaration.
type gTable struct {
	typ    types.Type
	fields []gField
	byName map[string]int // Go names and column names
}

// lookup resolves a name as guard's Table.lookup does: a Go field name or
// a column name.
func (t *gTable) lookup(name string) (int, bool) {
	i, ok := t.byName[name]
	return i, ok
}

// fieldOfVar returns the index of the mapped field v, or -1.
func (t *gTable) fieldOfVar(v *types.Var) int {
	for i, f := range t.fields {
		if f.v == v {
			return i
		}
	}
	return -1
}

// names lists the Go names of the mapped fields, for messages.
func (t *gTable) names() string {
	out := make([]string, len(t.fields))
	for i, f := range t.fields {
		out[i] = f.name
	}
	return strings.Join(out, ", ")
}

// A visField is a field reflect.VisibleFields would return.
type visField struct {
	v          *types.Var
	tag        string
	index      []int
	viaPointer bool // promoted through an embedded pointer
}

// visibleFields returns the fields of st that reflect.VisibleFields
// returns for the same struct, in its order: the fields of embedded
// structs (by value or pointer) follow the embedding field, and a name is
// dropped when a shallower field has it, or when two fields at its
// shallowest depth have it.
func visibleFields(st *types.Struct) []visField {
	type entry struct {
		visField
		name string
	}
	var out []entry
	byName := map[string]int{}
	visiting := map[*types.Struct]bool{}
	var index []int
	var ptrs []bool
	var walk func(st *types.Struct)
	walk = func(st *types.Struct) {
		if visiting[st] {
			return
		}
		visiting[st] = true
		for i := range st.NumFields() {
			f := st.Field(i)
			index = append(index, i)
			add := true
			if old, ok := byName[f.Name()]; ok {
				o := &out[old]
				switch {
				case len(index) == len(o.index):
					o.name = ""
					add = false
				case len(index) < len(o.index):
					o.name = ""
				default:
					add = false
				}
			}
			if add {
				via := false
				for _, p := range ptrs {
					via = via || p
				}
				byName[f.Name()] = len(out)
				out = append(out, entry{visField{f, st.Tag(i), append([]int(nil), index...), via}, f.Name()})
			}
			if f.Embedded() {
				t := f.Type()
				isPtr := false
				if p, ok := types.Unalias(t).(*types.Pointer); ok {
					t, isPtr = p.Elem(), true
				}
				if s, ok := t.Underlying().(*types.Struct); ok {
					ptrs = append(ptrs, isPtr)
					walk(s)
					ptrs = ptrs[:len(ptrs)-1]
				}
			}
			index = index[:len(index)-1]
		}
		delete(visiting, st)
	}
	walk(st)
	var vis []visField
	for _, e := range out {
		if e.name != "" {
			vis = append(vis, e.visField)
		}
	}
	return vis
}

// mapTable returns the mapping guard.NewTable[T] builds, or false when
// NewTable would refuse T (then no save of T can run, and the analyzer
// says nothing about it). It follows NewTable's rules: a field is mapped
// by its `guard` tag; an untagged field, one tagged "-", and an embedded
// struct with an empty tag are not (the latter's fields are); the column
// is the tag's name, else the Go name in snake_case; the options are key,
// state and version.
func mapTable(t types.Type) (*gTable, bool) {
	st, ok := t.Underlying().(*types.Struct)
	if !ok {
		return nil, false
	}
	tb := &gTable{typ: t, byName: map[string]int{}}
	hasKey := false
	for _, vf := range visibleFields(st) {
		f := vf.v
		tag, ok := reflect.StructTag(vf.tag).Lookup("guard")
		if !ok || tag == "-" {
			continue
		}
		if f.Embedded() && tag == "" {
			if _, isStruct := f.Type().Underlying().(*types.Struct); isStruct {
				continue
			}
		}
		if !f.Exported() || vf.viaPointer {
			return nil, false
		}
		col, opts, _ := strings.Cut(tag, ",")
		g := gField{v: f, name: f.Name(), column: col}
		if g.column == "" {
			g.column = snake(f.Name())
		}
		if opts != "" {
			for o := range strings.SplitSeq(opts, ",") {
				switch strings.TrimSpace(o) {
				case "key":
					g.key = true
				case "state":
					g.state = true
				case "version":
					g.version = true
				default:
					return nil, false
				}
			}
		}
		if g.key && (g.state || g.version) || g.state && g.version {
			return nil, false
		}
		for _, n := range []string{g.name, g.column} {
			if j, dup := tb.byName[n]; dup && tb.fields[j].name != g.name {
				return nil, false
			}
		}
		for _, h := range tb.fields {
			if h.column == g.column {
				return nil, false
			}
		}
		i := len(tb.fields)
		tb.fields = append(tb.fields, g)
		tb.byName[g.name] = i
		tb.byName[g.column] = i
		hasKey = hasKey || g.key
	}
	if !hasKey {
		return nil, false
	}
	return tb, true
}

// snake is guard's default column name of a Go field name: TaskState ->
// task_state, VMState -> vm_state, ID -> id. It is guard's rule, which a
// test holds the two to.
func snake(s string) string {
	r := []rune(s)
	var b strings.Builder
	for i, c := range r {
		if unicode.IsUpper(c) {
			if i > 0 && (unicode.IsLower(r[i-1]) || i+1 < len(r) && unicode.IsLower(r[i+1]) && unicode.IsUpper(r[i-1])) {
				b.WriteByte('_')
			}
			c = unicode.ToLower(c)
		}
		b.WriteRune(c)
	}
	return b.String()
}
