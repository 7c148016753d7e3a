package analyzer

import (
	"go/ast"
	"go/types"
	"sync/atomic"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/ssa"
)

// ssaBuilds counts the packages whose SSA form was built, for the test
// that holds the prefilter to its promise.
var ssaBuilds atomic.Int64

// buildSSA builds the SSA form of the package under analysis, with the
// calls the buildssa pass makes but without Requiring it (which would run
// ctrlflow, a pass with facts, over every dependency), and returns its
// source functions: every declared function and method, the package
// initializer (whose anonymous functions are the package-level function
// literals, missing from buildssa's SrcFuncs: golang/go#61699), and every
// anonymous function nested in them, in source order. Generic functions
// are built once, over their type parameters.
func buildSSA(pass *analysis.Pass) []*ssa.Function {
	ssaBuilds.Add(1)
	prog := ssa.NewProgram(pass.Fset, 0)
	for _, p := range pass.Pkg.Imports() {
		prog.CreatePackage(p, nil, nil, true)
	}
	pkg := prog.CreatePackage(pass.Pkg, pass.Files, pass.TypesInfo, false)
	pkg.Build()

	var funcs []*ssa.Function
	var add func(f *ssa.Function)
	add = func(f *ssa.Function) {
		if f == nil {
			return
		}
		funcs = append(funcs, f)
		for _, anon := range f.AnonFuncs {
			add(anon)
		}
	}
	for _, file := range pass.Files {
		for _, decl := range file.Decls {
			d, ok := decl.(*ast.FuncDecl)
			if !ok {
				continue
			}
			fn, ok := pass.TypesInfo.Defs[d.Name].(*types.Func)
			if !ok {
				continue
			}
			add(prog.FuncValue(fn))
		}
	}
	// Package-level var initializers, function literals among them.
	if init := pkg.Func("init"); init != nil {
		add(init)
	}
	return funcs
}
