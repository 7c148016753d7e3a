package place

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"slices"
	"testing"

	"golang.org/x/tools/go/ssa"
	"golang.org/x/tools/go/ssa/ssautil"
)

// header declares the types and functions the test bodies use: obj and
// save take objects, helper writes a job elsewhere.
const header = `package p

import "errors"

type J struct {
	S     string
	T     int
	Inner struct{ S string }
}

type E struct{ J }

type H struct {
	J  *J
	Js [2]*J
	Vs []J
	Ar [2]J
}

func obj(a, b *J)         {}
func one(a *J)            {}
func val(a, b J)          {}
func save(j *J) error     { return nil }
func helper(j *J)         { j.S = "h" }
func touch(h *H)          {}
func cond() bool          { return false }

var errConflict = errors.New("conflict")
`

// build type-checks and builds src (header plus bodies) and returns the
// function named name.
func build(t *testing.T, body, name string) (*ssa.Function, *token.FileSet) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", header+body, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg := types.NewPackage("p", "p")
	conf := &types.Config{Importer: stubImporter{}}
	sp, _, err := ssautil.BuildPackage(conf, fset, pkg, []*ast.File{f}, ssa.SanityCheckFunctions)
	if err != nil {
		t.Fatal(err)
	}
	fn := sp.Func(name)
	if fn == nil {
		t.Fatalf("no function %s", name)
	}
	return fn, fset
}

// stubImporter provides a package errors with Is and New, type-checked
// from a stub: what FailureSucc looks for, without the standard library's
// source.
type stubImporter struct{}

func (stubImporter) Import(path string) (*types.Package, error) {
	if path != "errors" {
		return nil, fmt.Errorf("no package %s", path)
	}
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "errors.go", `package errors
func New(s string) error { return nil }
func Is(err, target error) bool { return err == target }
`, 0)
	if err != nil {
		return nil, err
	}
	return new(types.Config).Check("errors", fset, []*ast.File{f}, nil)
}

// callsTo returns the calls of fn to the function named name, in
// instruction order.
func callsTo(fn *ssa.Function, name string) []*ssa.Call {
	var out []*ssa.Call
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if c, ok := instr.(*ssa.Call); ok {
				if f, ok := c.Call.Value.(*ssa.Function); ok && f.Name() == name {
					out = append(out, c)
				}
			}
		}
	}
	return out
}

func TestPath(t *testing.T) {
	v := ssa.NewConst(nil, types.Typ[types.Int])
	p := PathOf(Step{Kind: Field, Field: 2}, Step{Kind: Index, Index: 3}, Step{Kind: Deref})
	if got := p.String(); got != ".2[3]*" {
		t.Errorf("String = %q", got)
	}
	if p.Len() != 3 || len(p.Steps()) != 3 {
		t.Errorf("Len = %d, Steps = %v", p.Len(), p.Steps())
	}
	if p != PathOf(Step{Kind: Field, Field: 2}, Step{Kind: Index, Index: 3}, Step{Kind: Deref}) {
		t.Error("two paths of the same steps are not ==")
	}
	if p == PathOf(Step{Kind: Field, Field: 2}, Step{Kind: Index, Index: 4}, Step{Kind: Deref}) {
		t.Error("paths of different indices are ==")
	}
	last, parent, ok := p.Last()
	if !ok || last.Kind != Deref || parent.String() != ".2[3]" || !p.endsInDeref() {
		t.Errorf("Last = %v, %v, %v", last, parent, ok)
	}
	if _, _, ok := (Path{}).Last(); ok || (Path{}).Len() != 0 || (Path{}).String() != "" {
		t.Error("the empty path has a step")
	}
	if !PathOf(Step{Kind: Value}, Step{Kind: Field, Field: 1}).startsWithValue() || p.startsWithValue() {
		t.Error("startsWithValue")
	}
	// Keys are usable as map keys.
	m := map[Key]int{{Root: v, Path: p}: 1}
	if m[Key{Root: v, Path: PathOf(p.Steps()...)}] != 1 {
		t.Error("a key rebuilt from the same steps is another map key")
	}

	idx := func(k int64) Step { return Step{Kind: Index, Index: k} }
	some := Step{Kind: IndexOf, Value: v}
	for _, tc := range []struct {
		p, slot []Step
		want    bool
	}{
		{nil, []Step{idx(0)}, true},
		{[]Step{idx(0)}, []Step{idx(0), {Kind: Field, Field: 1}}, true},
		{[]Step{idx(0)}, []Step{idx(1)}, false},
		{[]Step{some}, []Step{idx(1)}, true},
		{[]Step{idx(1)}, []Step{{Kind: AnyIndex}}, true},
		{[]Step{{Kind: Field, Field: 0}}, []Step{{Kind: Field, Field: 1}}, false},
		{[]Step{{Kind: Field, Field: 0}}, []Step{some}, false},
		{[]Step{idx(0), idx(0)}, []Step{idx(0)}, false},
	} {
		if got := mayHold(tc.p, tc.slot); got != tc.want {
			t.Errorf("mayHold(%v, %v) = %v, want %v", tc.p, tc.slot, got, tc.want)
		}
	}
}

// TestObjectOf checks which two arguments of one call are the same object.
func TestObjectOf(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		same       bool
		key        string // of the first argument
	}{
		{"same pointer", "func f(j *J) { obj(j, j) }", true, "j"},
		{"one place loaded twice", "func f(h *H) { obj(h.J, h.J) }", true, "h.0*"},
		{"other places", "func f(h *H) { obj(h.Js[0], h.Js[1]) }", false, "h.1[0]*"},
		{"same slice, same index value", "func f(vs []J, i int) { obj(&vs[i], &vs[i]) }", true, "vs[@i]"},
		{"same slice, other index values", "func f(vs []J, i, k int) { obj(&vs[i], &vs[k]) }", false, ""},
		// An element of a slice is named by the slice value: two loads of
		// the slice are two slices.
		{"a slice loaded twice", "func f(h *H, i int) { obj(&h.Vs[i], &h.Vs[i]) }", false, ""},
		{"element of an array held by value", "func f(h *H) { obj(&h.Ar[1], &h.Ar[1]) }", true, "h.3[1]"},
		{"embedded selection stripped", "func f(e *E) { obj(&e.J, &e.J) }", true, "e"},
		{"a variable", "func f() { var x *J; obj(x, x) }", true, ""},
		{"struct value of a parameter", "func f(a, b J) { val(a, b) }", false, ""},
		{"field of a returned struct", "func g() H { return H{} }\nfunc f() { h := g(); obj(h.J, h.J) }", true, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fn, _ := build(t, tc.body, "f")
			cs := append(callsTo(fn, "obj"), callsTo(fn, "val")...)
			if len(cs) != 1 {
				t.Fatalf("%d calls", len(cs))
			}
			args := cs[0].Call.Args
			if tc.name == "struct value of a parameter" {
				// A struct passed by value is no object unless loaded from a place.
				if _, _, ok := ObjectOf(args[0]); ok {
					t.Error("a struct parameter passed by value is an object")
				}
				return
			}
			k1, _, ok1 := ObjectOf(args[0])
			k2, _, ok2 := ObjectOf(args[1])
			if !ok1 || !ok2 {
				t.Fatalf("ObjectOf: %v, %v", ok1, ok2)
			}
			if (k1 == k2) != tc.same {
				t.Errorf("keys %v and %v: same = %v, want %v", k1, k2, k1 == k2, tc.same)
			}
			if tc.key != "" && k1.String() != tc.key {
				t.Errorf("key %v, want %s", k1, tc.key)
			}
		})
	}
}

// TestRebinds checks that a store to the place a pointer is loaded from,
// or a call given its holder, lies between the two loads.
func TestRebinds(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		rebound    bool
	}{
		{"nothing between", "func f(h *H) { a := h.J; b := h.J; obj(a, b) }", false},
		{"a store to the place", "func f(h *H, o *J) { a := h.J; h.J = o; b := h.J; obj(a, b) }", true},
		{"a store to another field", "func f(h *H, o *J) { a := h.J; h.Js[0] = o; b := h.J; obj(a, b) }", false},
		{"a store of the whole holder", "func f(h *H, o H) { a := h.J; *h = o; b := h.J; obj(a, b) }", true},
		{"an element at another index", "func f(h *H, o *J) { a := h.Js[0]; h.Js[1] = o; b := h.Js[0]; obj(a, b) }", false},
		{"an element at an unknown index", "func f(h *H, o *J, i int) { a := h.Js[0]; h.Js[i] = o; b := h.Js[0]; obj(a, b) }", true},
		{"the holder's variable handed to a call", "func f(o *J) { var h H; a := h.J; touch(&h); b := h.J; obj(a, b) }", true},
		{"the holder's pointer handed to a call", "func f(h *H) { a := h.J; touch(h); b := h.J; obj(a, b) }", false},
		{"on one branch", "func f(h *H, o *J) { a := h.J; if cond() { h.J = o }; b := h.J; obj(a, b) }", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fn, _ := build(t, tc.body, "f")
			c := callsTo(fn, "obj")[0]
			ka, la, _ := ObjectOf(c.Call.Args[0])
			kb, lb, _ := ObjectOf(c.Call.Args[1])
			if ka != kb {
				t.Fatalf("keys %v and %v differ", ka, kb)
			}
			rb := RebindsOf(fn, ka)
			if got := rb.Between(la.Last, lb.Last); got != tc.rebound {
				t.Errorf("Between = %v, want %v (rebinds %v)", got, tc.rebound, rb)
			}
		})
	}
	// A key that follows no place has no rebinds.
	fn, _ := build(t, "func f(j *J) { obj(j, j) }", "f")
	k, _, _ := ObjectOf(callsTo(fn, "obj")[0].Call.Args[0])
	if rb := RebindsOf(fn, k); len(rb) != 0 {
		t.Errorf("rebinds of a parameter: %v", rb)
	}
}

// reaching returns the lines of the writes to S (and T) of the object
// saved by the n-th save call of f that reach that save.
func reaching(t *testing.T, body string, n int, extra func(fn *ssa.Function, key Key, ws []Write) []Write) []int {
	t.Helper()
	fn, fset := build(t, body, "f")
	saves := callsTo(fn, "save")
	s := saves[n]
	key, load, ok := ObjectOf(s.Call.Args[0])
	if !ok {
		t.Fatal("no object")
	}
	ws := FieldWrites(fn, key, func(f *types.Var) bool { return f.Name() == "S" || f.Name() == "T" })
	if extra != nil {
		ws = extra(fn, key, ws)
	}
	sv := Saves{}
	for _, o := range saves {
		if k, _, _ := ObjectOf(o.Call.Args[0]); k == key {
			sv[o] = o
		}
	}
	var lines []int
	for _, w := range ReachingWrites(ws, Use{At: s, Loads: load}, sv, RebindsOf(fn, key)) {
		lines = append(lines, fset.Position(w.Store.Pos()).Line-headerLines)
	}
	return lines
}

var headerLines = len(slices.Collect(func(yield func(int) bool) {
	for i, c := range header {
		if c == '\n' && !yield(i) {
			return
		}
	}
}))

func TestReachingWrites(t *testing.T) {
	for _, tc := range []struct {
		name, body string
		save       int
		want       []int
	}{
		{"a write reaches the save", `
func f(j *J) {
	j.S = "a"
	_ = save(j)
}`, 0, []int{3}},
		{"an overwrite hides the first write", `
func f(j *J) {
	j.S = "a"
	j.S = "b"
	_ = save(j)
}`, 0, []int{4}},
		{"writes on two branches", `
func f(j *J) {
	if cond() {
		j.S = "a"
	} else {
		j.S = "b"
	}
	_ = save(j)
}`, 0, []int{4, 6}},
		{"a successful save stores the write", `
func f(j *J) {
	j.S = "a"
	if err := save(j); err != nil {
		return
	}
	_ = save(j)
}`, 1, nil},
		{"a failed save leaves it pending", `
func f(j *J) {
	j.S = "a"
	if err := save(j); err == nil {
		return
	}
	_ = save(j)
}`, 1, []int{3}},
		{"errors.Is tells the failure", `
func f(j *J) {
	j.S = "a"
	if err := save(j); !errors.Is(err, errConflict) {
		return
	}
	_ = save(j)
}`, 1, []int{3}},
		{"a write after the save", `
func f(j *J) {
	_ = save(j)
	j.S = "a"
}`, 0, nil},
		{"another field is tracked too", `
func f(j *J) {
	j.T = 1
	_ = save(j)
}`, 0, []int{3}},
		{"a composite literal writes every field", `
func f(j *J) {
	*j = J{T: 2}
	_ = save(j)
}`, 0, []int{3, 3}},
		{"the place rebound between write and save", `
func f(h *H, o *J) {
	h.J.S = "a"
	h.J = o
	_ = save(h.J)
}`, 0, nil},
		{"the same place, not rebound", `
func f(h *H) {
	h.J.S = "a"
	_ = save(h.J)
}`, 0, []int{3}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := reaching(t, tc.body, tc.save, nil); !slices.Equal(got, tc.want) {
				t.Errorf("reaching writes at lines %v, want %v", got, tc.want)
			}
		})
	}
}

// TestWriteAtACall plugs a write made by a helper in as a Write at the
// call, as a new source of writes does: it reaches the save, and a later
// write of the function hides it.
func TestWriteAtACall(t *testing.T) {
	atHelper := func(fn *ssa.Function, key Key, ws []Write) []Write {
		for _, c := range callsTo(fn, "helper") {
			k, loads, ok := ObjectOf(c.Call.Args[0])
			if !ok || k != key {
				continue
			}
			hf := c.Call.Value.(*ssa.Function)
			hk, _, _ := ObjectOf(hf.Params[0])
			for _, w := range FieldWrites(hf, hk, func(f *types.Var) bool { return f.Name() == "S" }) {
				w.At, w.Loads = c, loads
				ws = append(ws, w)
			}
		}
		slices.SortFunc(ws, func(a, b Write) int { return int(a.At.Pos() - b.At.Pos()) })
		return ws
	}
	// The helper's store is on line -headerLines+N of the header: report
	// lines relative to the body, so a helper write shows as a negative
	// line; test only how many writes reach.
	for _, tc := range []struct {
		name, body string
		n          int
	}{
		{"the helper's write reaches", `
func f(j *J) {
	helper(j)
	_ = save(j)
}`, 1},
		{"a later write hides it", `
func f(j *J) {
	helper(j)
	j.S = "b"
	_ = save(j)
}`, 1},
		{"a helper of another object", `
func f(j, k *J) {
	helper(k)
	_ = save(j)
}`, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := reaching(t, tc.body, 0, atHelper)
			if len(got) != tc.n {
				t.Errorf("%d writes reach (%v), want %d", len(got), got, tc.n)
			}
			if tc.name == "a later write hides it" && (len(got) != 1 || got[0] != 4) {
				t.Errorf("the write that reaches is at %v, want line 4", got)
			}
		})
	}
}

func TestReadBack(t *testing.T) {
	fn, _ := build(t, `
func f(j *J) {
	j.S = "a"
	v := j.S
	one(j)
	_ = v
}`, "f")
	key, _, _ := ObjectOf(callsTo(fn, "one")[0].Call.Args[0])
	ws := FieldWrites(fn, key, func(f *types.Var) bool { return f.Name() == "S" })
	var load *ssa.UnOp
	for _, b := range fn.Blocks {
		for _, instr := range b.Instrs {
			if u, ok := instr.(*ssa.UnOp); ok && u.Op == token.MUL {
				load = u
			}
		}
	}
	l := ReadBack(load, key, "S", nil)
	if l == nil {
		t.Fatal("j.S after the write is no read back")
	}
	if ReadBack(load, key, "T", nil) != nil {
		t.Error("a read of S is a read back of T")
	}
	if len(ws) != 1 || !ReadsWrite(ws[0], ws, l, nil, nil) {
		t.Errorf("the read back does not read the write (%d writes)", len(ws))
	}
}
