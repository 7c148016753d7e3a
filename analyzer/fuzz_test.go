package analyzer_test

import (
	"bytes"
	"errors"
	"fmt"
	"go/ast"
	"go/format"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"hash/fnv"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/stateguard/stateguard/analyzer"
)

// FuzzAnalyzer takes a package of the corpus (testdata/src), edits its
// syntax trees as the fuzzer's bytes say (drop, duplicate or swap
// statements, swap identifiers or call arguments, rename a name everywhere,
// point a selector at another field, flip a comparison, unwrap an if, wrap
// a statement in a loop, cut or move a directive), keeps the result only
// if it still type-checks, and runs the analyzer over it and the corpus
// packages it imports: the analysis must not panic and must not fail.
//
// pkg names the package; a name that is not one (as the fuzzer makes them)
// picks one by its hash, so that every input analyzes something. The
// regular go test runs the seeds below and those in
// testdata/fuzz/FuzzAnalyzer; to search:
//
//	go test -run '^$' -fuzz FuzzAnalyzer -parallel 1 ./analyzer
func FuzzAnalyzer(f *testing.F) {
	c := loadFuzzCorpus(f)
	for i, p := range c.paths {
		f.Add(p, []byte{})
		f.Add(p, []byte{byte(i), 0, byte(i * 7), 1, byte(i * 3)})
		f.Add(p, []byte{byte(i), 9, 2, 10, byte(i), 3, 4})
	}
	f.Fuzz(func(t *testing.T, pkg string, ops []byte) {
		c.fuzzOne(t, pkg, ops)
	})
}

// fuzzCorpus holds what every input shares: the corpus's package paths and
// sources, the standard library's export data (imported once into base),
// and the corpus packages others import, type-checked once from their
// unedited source.
type fuzzCorpus struct {
	root  string   // testdata/src
	paths []string // corpus packages, sorted

	mu   sync.Mutex
	base *token.FileSet // the standard library's export data, the unedited dependencies
	std  types.Importer
	deps map[string]*packages.Package // unedited corpus packages, by path
}

func loadFuzzCorpus(tb testing.TB) *fuzzCorpus {
	tb.Helper()
	root, err := filepath.Abs(filepath.Join("..", "testdata", "src"))
	if err != nil {
		tb.Fatal(err)
	}
	c := &fuzzCorpus{root: root, base: token.NewFileSet(), deps: map[string]*packages.Package{}}
	c.std = importer.ForCompiler(c.base, "gc", nil)
	err = filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		rel, err := filepath.Rel(root, filepath.Dir(path))
		if err != nil {
			return err
		}
		rel = filepath.ToSlash(rel)
		if !slices.Contains(c.paths, rel) {
			c.paths = append(c.paths, rel)
		}
		return nil
	})
	if err != nil {
		tb.Fatal(err)
	}
	sort.Strings(c.paths)
	if len(c.paths) == 0 {
		tb.Fatal("no corpus packages under", root)
	}
	return c
}

// pick returns the corpus package named pkg, or one chosen by its hash.
func (c *fuzzCorpus) pick(pkg string) string {
	if i, ok := slices.BinarySearch(c.paths, pkg); ok {
		return c.paths[i]
	}
	h := fnv.New32a()
	h.Write([]byte(pkg))
	return c.paths[int(h.Sum32()%uint32(len(c.paths)))]
}

// sources reads the Go files of a corpus package, by name.
func (c *fuzzCorpus) sources(path string) (map[string][]byte, error) {
	dir := filepath.Join(c.root, filepath.FromSlash(path))
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	src := map[string][]byte{}
	for _, e := range ents {
		if !strings.HasSuffix(e.Name(), ".go") {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			return nil, err
		}
		src[filepath.Join(dir, e.Name())] = b
	}
	return src, nil
}

// importer imports the standard library from export data and the corpus's
// packages from their unedited source; c.mu is held.
type fuzzImporter struct{ c *fuzzCorpus }

func (imp fuzzImporter) Import(path string) (*types.Package, error) {
	if p, err := imp.c.dep(path); p != nil || err != nil {
		if err != nil {
			return nil, err
		}
		return p.Types, nil
	}
	return imp.c.std.Import(path)
}

// dep returns the unedited corpus package path, type-checking it the first
// time, or nil, nil when path is not a corpus package. c.mu is held.
func (c *fuzzCorpus) dep(path string) (*packages.Package, error) {
	if p, ok := c.deps[path]; ok {
		return p, nil
	}
	if _, ok := slices.BinarySearch(c.paths, path); !ok {
		return nil, nil
	}
	src, err := c.sources(path)
	if err != nil {
		return nil, err
	}
	p, err := c.check(c.base, path, src)
	if err != nil {
		return nil, fmt.Errorf("unedited corpus package %s: %v", path, err)
	}
	c.deps[path] = p
	return p, nil
}

// check parses and type-checks the files src of package path into fset.
func (c *fuzzCorpus) check(fset *token.FileSet, path string, src map[string][]byte) (*packages.Package, error) {
	names := make([]string, 0, len(src))
	for name := range src {
		names = append(names, name)
	}
	sort.Strings(names)
	var files []*ast.File
	for _, name := range names {
		f, err := parser.ParseFile(fset, name, src[name], parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	info := &types.Info{
		Types:        map[ast.Expr]types.TypeAndValue{},
		Instances:    map[*ast.Ident]types.Instance{},
		Defs:         map[*ast.Ident]types.Object{},
		Uses:         map[*ast.Ident]types.Object{},
		Implicits:    map[ast.Node]types.Object{},
		Selections:   map[*ast.SelectorExpr]*types.Selection{},
		Scopes:       map[ast.Node]*types.Scope{},
		FileVersions: map[*ast.File]string{},
	}
	conf := types.Config{Importer: fuzzImporter{c}, GoVersion: "go1.26", Sizes: types.SizesFor("gc", "amd64")}
	tpkg, err := conf.Check(path, fset, files, info)
	if err != nil {
		return nil, err
	}
	imports := map[string]*packages.Package{}
	for _, imp := range tpkg.Imports() {
		if d, _ := c.dep(imp.Path()); d != nil {
			imports[imp.Path()] = d
		}
	}
	return &packages.Package{
		ID:              path,
		Name:            tpkg.Name(),
		PkgPath:         path,
		GoFiles:         names,
		CompiledGoFiles: names,
		Fset:            fset,
		Syntax:          files,
		Types:           tpkg,
		TypesInfo:       info,
		TypesSizes:      conf.Sizes,
		Imports:         imports,
	}, nil
}

// fuzzOne edits package pkg as ops say and analyzes what type-checks.
func (c *fuzzCorpus) fuzzOne(t *testing.T, pkg string, ops []byte) {
	path := c.pick(pkg)
	src, err := c.sources(path)
	if err != nil {
		t.Fatal(err)
	}
	edited, err := mutate(src, ops)
	if err != nil {
		t.Skip(err) // an edit the printer cannot print: nothing to analyze
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	// The unedited dependencies are type-checked before the edited package
	// gets its own file set, which then holds every file of base too.
	for _, d := range importsOf(edited) {
		if _, err := c.dep(d); err != nil {
			t.Fatal(err)
		}
	}
	fset := token.NewFileSet()
	var baseFiles []*token.File
	c.base.Iterate(func(f *token.File) bool { baseFiles = append(baseFiles, f); return true })
	fset.AddExistingFiles(baseFiles...)
	p, err := c.check(fset, path, edited)
	if err != nil {
		if len(ops) == 0 {
			t.Fatalf("the unedited package %s does not type-check: %v", path, err)
		}
		return // does not type-check: not the analyzer's input
	}
	// Every package of the graph shares fset, as packages.Load gives them.
	graphPkgs := map[string]*packages.Package{}
	var withFset func(*packages.Package) *packages.Package
	withFset = func(q *packages.Package) *packages.Package {
		if r, ok := graphPkgs[q.PkgPath]; ok {
			return r
		}
		r := *q
		r.Fset = fset
		graphPkgs[q.PkgPath] = &r
		r.Imports = map[string]*packages.Package{}
		for ip, iq := range q.Imports {
			r.Imports[ip] = withFset(iq)
		}
		return &r
	}
	root := withFset(p)
	graph, err := checker.Analyze([]*analysis.Analyzer{analyzer.Analyzer}, []*packages.Package{root}, &checker.Options{SanityCheck: true})
	if err != nil {
		t.Fatalf("checker.Analyze: %v\n%s", err, dump(edited))
	}
	diags := 0
	for act := range graph.All() {
		diags += len(act.Diagnostics)
		if act.Err == nil {
			continue
		}
		var ie *analyzer.InternalError
		if errors.As(act.Err, &ie) {
			t.Fatalf("%s: %v\nthe edited package:\n%s", act.Package.PkgPath, act.Err, dump(edited))
		}
		t.Fatalf("%s: analysis failed: %v\nthe edited package:\n%s", act.Package.PkgPath, act.Err, dump(edited))
	}
	if all := bytes.Join(slices.Collect(maps.Values(src)), nil); len(ops) == 0 && diags == 0 &&
		wantFinding.Match(all) && !bytes.Contains(all, []byte("// Code generated")) {
		// The unedited package has findings (// want) in files not
		// skipped as generated: the harness must see them, or it is not
		// running the analyzer it means to.
		t.Fatalf("%s: no finding on the unedited package, which has // want comments", path)
	}
}

// importsOf returns the import paths of the files in src that parse.
func importsOf(src map[string][]byte) []string {
	var out []string
	fset := token.NewFileSet()
	for name, b := range src {
		f, err := parser.ParseFile(fset, name, b, parser.ImportsOnly)
		if err != nil {
			continue
		}
		for _, s := range f.Imports {
			out = append(out, strings.Trim(s.Path.Value, `"`))
		}
	}
	sort.Strings(out)
	return slices.Compact(out)
}

func dump(src map[string][]byte) string {
	names := make([]string, 0, len(src))
	for n := range src {
		names = append(names, n)
	}
	sort.Strings(names)
	var b strings.Builder
	for _, n := range names {
		fmt.Fprintf(&b, "--- %s\n%s\n", filepath.Base(n), src[n])
	}
	return b.String()
}

var wantFinding = regexp.MustCompile("// want [`\"]")

// byteStream hands out the fuzzer's bytes, then zeros.
type byteStream struct {
	b []byte
	i int
}

func (s *byteStream) more() bool { return s.i < len(s.b) }

func (s *byteStream) next() int {
	if s.i >= len(s.b) {
		return 0
	}
	s.i++
	return int(s.b[s.i-1])
}

// choose returns an index below n (n > 0).
func (s *byteStream) choose(n int) int { return s.next() % n }

// stateNames are names the analyzer's conventions look at; a rename may
// pick one, so that fields and parameters gain and lose their roles.
var stateNames = []string{"Status", "State", "Phase", "Stage", "TaskState", "VMState", "status", "expected", "expectedStatus", "from", "to", "Save", "Update", "nil", "true"}

// mutate parses the files of src, applies the edits ops encodes (each
// edit takes an opcode byte and a few operand bytes) and prints the result.
func mutate(src map[string][]byte, ops []byte) (map[string][]byte, error) {
	fset := token.NewFileSet()
	names := make([]string, 0, len(src))
	for n := range src {
		names = append(names, n)
	}
	sort.Strings(names)
	var files []*ast.File
	for _, n := range names {
		f, err := parser.ParseFile(fset, n, src[n], parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
	}
	s := &byteStream{b: ops}
	for edits := 0; s.more() && edits < 16; edits++ {
		f := files[s.choose(len(files))]
		edit(f, s)
	}
	out := map[string][]byte{}
	for i, f := range files {
		var buf bytes.Buffer
		if err := format.Node(&buf, fset, f); err != nil {
			return nil, err
		}
		out[names[i]] = buf.Bytes()
	}
	return out, nil
}

// stmtList is a statement list that an edit may change in place.
type stmtList struct{ list *[]ast.Stmt }

func collect(f *ast.File) (lists []stmtList, idents []*ast.Ident, sels []*ast.SelectorExpr, bins []*ast.BinaryExpr, calls []*ast.CallExpr) {
	ast.Inspect(f, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.BlockStmt:
			lists = append(lists, stmtList{&n.List})
		case *ast.CaseClause:
			lists = append(lists, stmtList{&n.Body})
		case *ast.CommClause:
			lists = append(lists, stmtList{&n.Body})
		case *ast.Ident:
			if n.Name != "_" {
				idents = append(idents, n)
			}
		case *ast.SelectorExpr:
			sels = append(sels, n)
		case *ast.BinaryExpr:
			bins = append(bins, n)
		case *ast.CallExpr:
			calls = append(calls, n)
		}
		return true
	})
	return
}

// edit applies one edit, read from s, to f.
func edit(f *ast.File, s *byteStream) {
	lists, idents, sels, bins, calls := collect(f)
	nonEmpty := func() *[]ast.Stmt {
		var ne []stmtList
		for _, l := range lists {
			if len(*l.list) > 0 {
				ne = append(ne, l)
			}
		}
		if len(ne) == 0 {
			return nil
		}
		return ne[s.choose(len(ne))].list
	}
	switch s.choose(11) {
	case 0: // drop a statement
		if l := nonEmpty(); l != nil {
			i := s.choose(len(*l))
			*l = slices.Delete(*l, i, i+1)
		}
	case 1: // duplicate a statement
		if l := nonEmpty(); l != nil {
			i := s.choose(len(*l))
			*l = slices.Insert(*l, i, (*l)[i])
		}
	case 2: // swap two statements of one list
		if l := nonEmpty(); l != nil {
			i, j := s.choose(len(*l)), s.choose(len(*l))
			(*l)[i], (*l)[j] = (*l)[j], (*l)[i]
		}
	case 3: // swap two identifiers (constants, variables, fields, functions)
		if len(idents) > 1 {
			a, b := idents[s.choose(len(idents))], idents[s.choose(len(idents))]
			a.Name, b.Name = b.Name, a.Name
		}
	case 4: // rename a name everywhere in the file
		if len(idents) > 0 {
			from := idents[s.choose(len(idents))].Name
			var to string
			if s.next()%2 == 0 {
				to = stateNames[s.choose(len(stateNames))]
			} else {
				to = idents[s.choose(len(idents))].Name
			}
			for _, id := range idents {
				if id.Name == from {
					id.Name = to
				}
			}
		}
	case 5: // point a selector at another selected name
		if len(sels) > 1 {
			a, b := sels[s.choose(len(sels))], sels[s.choose(len(sels))]
			a.Sel = &ast.Ident{NamePos: a.Sel.NamePos, Name: b.Sel.Name}
		}
	case 6: // flip a comparison or a logical operator, or swap its operands
		if len(bins) > 0 {
			b := bins[s.choose(len(bins))]
			switch b.Op {
			case token.EQL:
				b.Op = token.NEQ
			case token.NEQ:
				b.Op = token.EQL
			case token.LAND:
				b.Op = token.LOR
			case token.LOR:
				b.Op = token.LAND
			default:
				b.X, b.Y = b.Y, b.X
			}
		}
	case 7: // swap two arguments of a call
		if len(calls) > 0 {
			c := calls[s.choose(len(calls))]
			if len(c.Args) > 1 {
				i, j := s.choose(len(c.Args)), s.choose(len(c.Args))
				c.Args[i], c.Args[j] = c.Args[j], c.Args[i]
			}
		}
	case 8: // replace an if by its body, or by its else
		if l := nonEmpty(); l != nil {
			for i, st := range *l {
				is, ok := st.(*ast.IfStmt)
				if !ok || s.next()%2 == 1 {
					continue
				}
				body := is.Body.List
				if eb, ok := is.Else.(*ast.BlockStmt); ok && s.next()%2 == 1 {
					body = eb.List
				}
				*l = slices.Concat((*l)[:i], body, (*l)[i+1:])
				break
			}
		}
	case 9: // wrap a statement in a loop, a closure run later, or a block
		if l := nonEmpty(); l != nil {
			i := s.choose(len(*l))
			body := &ast.BlockStmt{List: []ast.Stmt{(*l)[i]}}
			var w ast.Stmt
			switch s.choose(3) {
			case 0:
				w = &ast.RangeStmt{Tok: token.ILLEGAL, X: &ast.BasicLit{Kind: token.INT, Value: "2"}, Body: body}
			case 1:
				w = &ast.DeferStmt{Call: &ast.CallExpr{Fun: &ast.FuncLit{Type: &ast.FuncType{Params: &ast.FieldList{}}, Body: body}}}
			default:
				w = body
			}
			(*l)[i] = w
		}
	case 10: // cut, duplicate or move a comment (directives are comments)
		if len(f.Comments) > 0 {
			g := f.Comments[s.choose(len(f.Comments))]
			c := g.List[s.choose(len(g.List))]
			switch s.choose(3) {
			case 0:
				if n := len(c.Text); n > 2 {
					c.Text = c.Text[:2+s.choose(n-2)]
				}
			case 1:
				other := f.Comments[s.choose(len(f.Comments))]
				c.Text = other.List[0].Text
			default:
				words := strings.Fields(c.Text)
				if len(words) > 1 {
					i, j := s.choose(len(words)), s.choose(len(words))
					if i != 0 && j != 0 {
						words[i], words[j] = words[j], words[i]
					}
					c.Text = strings.Join(words, " ")
				}
			}
		}
	}
}
