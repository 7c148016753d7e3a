package analyzer

import (
	"go/constant"
	"go/token"
	"go/types"

	"golang.org/x/tools/go/ssa"

	"github.com/stateguard/stateguard/analyzer/internal/place"
)

// A gVal is a value given to guard, known at compile time: NULL, or a
// constant.
type gVal struct {
	null bool
	c    *ssa.Const // the constant (nil when null)
}

// equal reports whether guard compares a and b as the same value: both
// NULL, or constants of one kind with one value (guard compares the
// canonical forms, so a TaskState and an untyped string constant of the
// same text are the same state).
func (a gVal) equal(b gVal) bool {
	if a.null || b.null {
		return a.null == b.null
	}
	x, y := a.c.Value, b.c.Value
	if x == nil || y == nil || x.Kind() != y.Kind() {
		return false
	}
	return constant.Compare(x, token.EQL, y)
}

// A gOpt is one guard.Option as the source builds it.
type gOpt struct {
	kind   string // Expect, Fence, Preempt, Reentrant, Retries
	name   string // the field as given (a Go name or a column)
	vals   []gVal // Expect and Fence: the values
	known  bool   // vals are known (else some value is unknown)
	noVals bool   // Expect or Fence was given no value at all
	pos    token.Pos
}

// optEval evaluates guard Options and values in the SSA form of one
// package: through calls of guard's constructors, Field methods, slice
// literals, package variables and small helpers of the same package.
type optEval struct {
	pkg     *types.Package
	globals map[*ssa.Global][]ssa.Value // the values stored into each package variable
}

// env maps the parameters of a helper being inlined to the arguments of
// its call.
type env map[*ssa.Parameter]ssa.Value

const maxInline = 3

// options returns the options a []guard.Option value holds, and whether
// all of them are known.
func (e *optEval) options(v ssa.Value, en env, depth int) ([]gOpt, bool) {
	v = place.Strip(v)
	if p, ok := v.(*ssa.Parameter); ok && en[p] != nil {
		return e.options(en[p], nil, depth)
	}
	switch v := v.(type) {
	case *ssa.Const:
		if v.IsNil() {
			return nil, true
		}
	case *ssa.Slice:
		elems, ok := sliceLiteral(v)
		if !ok {
			return nil, false
		}
		var out []gOpt
		all := true
		for _, el := range elems {
			o, ok := e.option(el, en, depth)
			if !ok {
				all = false
				continue
			}
			out = append(out, o)
		}
		return out, all
	case *ssa.Call:
		// A small helper of this package that returns the options.
		if fn, inner, ok := e.inline(v, en, depth); ok {
			return e.options(onlyReturn(fn).Results[0], inner, depth+1)
		}
	}
	return nil, false
}

// inline returns the function a call of a small helper of this package
// calls, with one return of one result, and the environment that maps its
// parameters to the call's arguments.
func (e *optEval) inline(call *ssa.Call, en env, depth int) (*ssa.Function, env, bool) {
	fn := calledFunc(call.Common())
	if fn == nil || depth >= maxInline || fn.Pkg == nil || fn.Pkg.Pkg != e.pkg || len(fn.Blocks) == 0 || len(fn.FreeVars) > 0 {
		return nil, nil, false
	}
	ret := onlyReturn(fn)
	if ret == nil || len(ret.Results) != 1 {
		return nil, nil, false
	}
	inner := env{}
	for i, p := range fn.Params {
		if i < len(call.Call.Args) {
			inner[p] = resolveIn(call.Call.Args[i], en)
		}
	}
	return fn, inner, true
}

// option evaluates one guard.Option value.
func (e *optEval) option(v ssa.Value, en env, depth int) (gOpt, bool) {
	v = place.Strip(v)
	if p, ok := v.(*ssa.Parameter); ok && en[p] != nil {
		return e.option(en[p], nil, depth)
	}
	call, ok := v.(*ssa.Call)
	if !ok {
		return gOpt{}, false
	}
	fn := calledFunc(call.Common())
	if fn == nil {
		return gOpt{}, false
	}
	obj, _ := fn.Object().(*types.Func)
	args := call.Call.Args
	if obj != nil && inGuard(obj) {
		sig := obj.Type().(*types.Signature)
		o := gOpt{kind: obj.Name(), pos: call.Pos(), known: true}
		if sig.Recv() != nil {
			// A method of guard.Field.
			if name, _ := guardNamed(sig.Recv().Type()); name != "Field" || len(args) == 0 {
				return gOpt{}, false
			}
			n, ok := e.field(args[0], en, depth)
			if !ok {
				return gOpt{}, false
			}
			o.name, args = n, args[1:]
		} else {
			if obj.Name() == "Retries" {
				return gOpt{kind: "Retries", pos: call.Pos(), known: true}, true
			}
			if len(args) == 0 {
				return gOpt{}, false
			}
			n, ok := e.str(args[0], en)
			if !ok {
				return gOpt{}, false
			}
			o.name, args = n, args[1:]
		}
		switch o.kind {
		case "Expect", "Fence":
			if len(args) != 1 {
				return gOpt{}, false
			}
			o.vals, o.known, o.noVals = e.values(args[0], en, depth)
			return o, true
		case "Preempt", "Reentrant":
			return o, true
		}
		return gOpt{}, false
	}
	// A small helper of this package that builds the option from its
	// parameters.
	fn, inner, ok := e.inline(call, en, depth)
	if !ok {
		return gOpt{}, false
	}
	o, ok := e.option(onlyReturn(fn).Results[0], inner, depth+1)
	if ok && !o.pos.IsValid() {
		o.pos = call.Pos()
	}
	return o, ok
}

// resolveIn replaces a parameter of the helper being inlined by its
// argument.
func resolveIn(v ssa.Value, en env) ssa.Value {
	if p, ok := place.Strip(v).(*ssa.Parameter); ok && en[p] != nil {
		return en[p]
	}
	return v
}

// onlyReturn returns the one return instruction of fn, or nil when it has
// several (a helper that chooses its option is not evaluated).
func onlyReturn(fn *ssa.Function) *ssa.Return {
	var ret *ssa.Return
	for _, b := range fn.Blocks {
		if r, ok := b.Instrs[len(b.Instrs)-1].(*ssa.Return); ok {
			if ret != nil {
				return nil
			}
			ret = r
		}
	}
	return ret
}

// calledFunc returns the function a static call calls.
func calledFunc(c *ssa.CallCommon) *ssa.Function {
	if c.IsInvoke() {
		return nil
	}
	switch v := c.Value.(type) {
	case *ssa.Function:
		return v
	case *ssa.MakeClosure:
		f, _ := v.Fn.(*ssa.Function)
		return f
	}
	return nil
}

// str returns the constant string v is.
func (e *optEval) str(v ssa.Value, en env) (string, bool) {
	v = place.Strip(resolveIn(v, en))
	k, ok := v.(*ssa.Const)
	if !ok || k.Value == nil || k.Value.Kind() != constant.String {
		return "", false
	}
	return constant.StringVal(k.Value), true
}

// field returns the name a guard.Field value was resolved from:
// tbl.MustField("X") or tbl.Field("X"), directly, in a local, or in a
// package variable stored once.
func (e *optEval) field(v ssa.Value, en env, depth int) (string, bool) {
	v = place.Strip(resolveIn(v, en))
	switch x := v.(type) {
	case *ssa.Extract:
		if x.Index != 0 {
			return "", false
		}
		if c, ok := x.Tuple.(*ssa.Call); ok {
			return e.fieldCall(c, en)
		}
	case *ssa.Call:
		return e.fieldCall(x, en)
	case *ssa.UnOp:
		g, ok := x.X.(*ssa.Global)
		if x.Op != token.MUL || !ok || depth >= maxInline {
			return "", false
		}
		if stored := e.globals[g]; len(stored) == 1 {
			return e.field(stored[0], nil, depth+1)
		}
	}
	return "", false
}

func (e *optEval) fieldCall(c *ssa.Call, en env) (string, bool) {
	fn := calledFunc(c.Common())
	if fn == nil {
		return "", false
	}
	obj, _ := fn.Object().(*types.Func)
	if m := tableMethod(obj); (m != "Field" && m != "MustField") || len(c.Call.Args) != 2 {
		return "", false
	}
	return e.str(c.Call.Args[1], en)
}

// values returns the values of a ...any argument: known is false when
// one cannot be known at compile time; none is true when no value at all
// was given.
func (e *optEval) values(v ssa.Value, en env, depth int) (vals []gVal, known, none bool) {
	v = place.Strip(resolveIn(v, en))
	switch x := v.(type) {
	case *ssa.Const:
		if x.IsNil() {
			return nil, true, true
		}
	case *ssa.Slice:
		elems, ok := sliceLiteral(x)
		if !ok {
			return nil, false, false
		}
		known = true
		for _, el := range elems {
			gv, ok := e.value(el, en)
			if !ok {
				known = false
				continue
			}
			vals = append(vals, gv)
		}
		return vals, known, len(elems) == 0
	}
	return nil, false, false
}

// value returns the value v is when it is known: a constant, nil (NULL),
// guard.Ptr(C), or the address of a variable that holds only the constant
// C.
func (e *optEval) value(v ssa.Value, en env) (gVal, bool) {
	v = place.Strip(resolveIn(v, en))
	switch x := v.(type) {
	case *ssa.Const:
		if x.IsNil() {
			return gVal{null: true}, true
		}
		if x.Value == nil {
			return gVal{}, false
		}
		return gVal{c: x}, true
	case *ssa.Call:
		fn := calledFunc(x.Common())
		if fn == nil || len(x.Call.Args) != 1 {
			return gVal{}, false
		}
		if obj, _ := fn.Object().(*types.Func); obj != nil && inGuard(obj) && obj.Name() == "Ptr" {
			if k, ok := place.Strip(resolveIn(x.Call.Args[0], en)).(*ssa.Const); ok && k.Value != nil {
				return gVal{c: k}, true
			}
		}
	case *ssa.Alloc:
		if k := onlyConst(x); k != nil {
			return gVal{c: k}, true
		}
	}
	return gVal{}, false
}

// onlyConst returns the constant a variable holds when it is stored once,
// with a constant, and its address is only loaded or handed on as a
// value (never to a call, which could store through it).
func onlyConst(a *ssa.Alloc) *ssa.Const {
	var k *ssa.Const
	for _, r := range *a.Referrers() {
		switch r := r.(type) {
		case *ssa.Store:
			if r.Addr != a {
				continue // the pointer itself is stored: handed on
			}
			c, ok := place.Strip(r.Val).(*ssa.Const)
			if k != nil || !ok || c.Value == nil {
				return nil
			}
			k = c
		case *ssa.UnOp:
			if r.Op != token.MUL {
				return nil
			}
		case *ssa.MakeInterface, *ssa.ChangeType:
			for _, r2 := range *r.(ssa.Value).Referrers() {
				if _, isCall := r2.(ssa.CallInstruction); isCall {
					if c, ok := r2.(*ssa.Call); !ok || !isGuardCtor(c) {
						return nil
					}
				}
			}
		case *ssa.Slice, *ssa.IndexAddr, *ssa.FieldAddr:
			return nil
		default:
			if _, isCall := r.(ssa.CallInstruction); isCall {
				return nil
			}
		}
	}
	return k
}

// isGuardCtor reports whether c calls a function of guard (which reads the
// values it is given and stores through none).
func isGuardCtor(c *ssa.Call) bool {
	fn := calledFunc(c.Common())
	if fn == nil {
		return false
	}
	obj, _ := fn.Object().(*types.Func)
	return obj != nil && inGuard(obj)
}

// globalStores returns, for every package variable of pkg's functions, the
// values stored into it.
func globalStores(funcs []*ssa.Function) map[*ssa.Global][]ssa.Value {
	out := map[*ssa.Global][]ssa.Value{}
	for _, fn := range funcs {
		for _, b := range fn.Blocks {
			for _, instr := range b.Instrs {
				if st, ok := instr.(*ssa.Store); ok {
					if g, ok := st.Addr.(*ssa.Global); ok {
						out[g] = append(out[g], st.Val)
					}
				}
			}
		}
	}
	return out
}
