package analyzer

import (
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"testing"

	"golang.org/x/tools/go/ssa"
)

// stateTypes type-checks decls and returns the type of each declared
// variable by name.
func stateTypes(t *testing.T, decls string) map[string]types.Type {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", "package p\n"+decls, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := new(types.Config).Check("p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]types.Type{}
	for _, name := range pkg.Scope().Names() {
		if v, ok := pkg.Scope().Lookup(name).(*types.Var); ok {
			out[name] = v.Type()
		}
	}
	return out
}

const stateDecls = `
type Status string
type Level int
type Flag bool
type Alias = Status
type Rec struct{ Status Status }
type Iface interface{ State() string }
type Ptr *Status

var (
	str     string
	integer uint8
	boolean bool
	named   Status
	level   Level
	flag    Flag
	alias   Alias
	nullable *Status
	nullstr *string

	float   float64
	rec     Rec
	recPtr  *Rec
	iface   Iface
	anyv    any
	err     error
	slice   []Status
	mp      map[string]Status
	fn      func() Status
	ch      chan Status
	ptrptr  **Status
)
`

func TestIsStateType(t *testing.T) {
	ts := stateTypes(t, stateDecls)
	for name, want := range map[string]bool{
		"str": true, "integer": true, "boolean": true, "named": true, "level": true, "flag": true,
		"alias": true, "nullable": true, "nullstr": true,
		"float": false, "rec": false, "recPtr": false, "iface": false, "anyv": false, "err": false,
		"slice": false, "mp": false, "fn": false, "ch": false, "ptrptr": false,
	} {
		if got := isStateType(ts[name]); got != want {
			t.Errorf("isStateType(%s %v) = %v, want %v", name, ts[name], got, want)
		}
	}
}

func TestIsStateTypeParams(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", `package p
type Rec struct{}
func F[A comparable, B ~string | ~int, C any, D interface{ ~string | Rec }, E interface{ *Rec }]() {}
`, 0)
	if err != nil {
		t.Fatal(err)
	}
	pkg, err := new(types.Config).Check("p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	tps := pkg.Scope().Lookup("F").Type().(*types.Signature).TypeParams()
	want := map[string]bool{"A": true, "B": true, "C": true, "D": false, "E": false}
	for i := range tps.Len() {
		tp := tps.At(i)
		if got := isStateType(tp); got != want[tp.Obj().Name()] {
			t.Errorf("isStateType(%s %v) = %v, want %v", tp.Obj().Name(), tp.Constraint(), got, want[tp.Obj().Name()])
		}
	}
}

// nil is the same state as nil only for a pointer to a state.
func TestEqualConstNil(t *testing.T) {
	ts := stateTypes(t, stateDecls)
	for name, want := range map[string]bool{
		"nullable": true, "nullstr": true,
		"recPtr": false, "iface": false, "err": false, "slice": false, "mp": false, "fn": false, "ch": false, "ptrptr": false,
	} {
		a, b := ssa.NewConst(nil, ts[name]), ssa.NewConst(nil, ts[name])
		if got := equalConst(a, b); got != want {
			t.Errorf("equalConst(nil, nil) of %s %v = %v, want %v", name, ts[name], got, want)
		}
	}
	if equalConst(ssa.NewConst(nil, ts["nullable"]), ssa.NewConst(nil, ts["nullstr"])) {
		t.Error("nils of two types are equal")
	}
}
