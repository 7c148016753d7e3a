package analyzer

import (
	"encoding/json"
	"flag"
	"fmt"
	"go/ast"
	"go/doc/comment"
	"go/parser"
	"go/token"
	"io"
	"maps"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/stateguard/stateguard/internal/check"
)

func TestParseDirective(t *testing.T) {
	tests := []struct {
		text    string
		ok      bool
		kind    directiveKind
		args    map[string]string
		reason  string
		checks  []string
		wantErr string // substring of the error; "" means no error
	}{
		// Not directives at all.
		{text: "// Save saves the task.", ok: false},
		{text: "//go:noinline", ok: false},
		{text: "// stateguard: finds state guards", ok: false},
		{text: "// stateguard:frobnicate", ok: false},
		{text: "/* stateguard is great */", ok: false},
		{text: "//stateguardx:save", ok: false},
		{text: "//lint:ignore SA1000 reason", ok: false},

		// save
		{
			text: "//stateguard:save field=TaskState expect=expected",
			ok:   true, kind: dirSave,
			args: map[string]string{"field": "TaskState", "expect": "expected"},
		},
		{
			text: "//stateguard:save  object=inst\tfield=Status   expect=want ",
			ok:   true, kind: dirSave,
			args: map[string]string{"field": "Status", "expect": "want", "object": "inst"},
		},
		{
			text: "//stateguard:save field=TaskState expect=old // the row's version column",
			ok:   true, kind: dirSave,
			args: map[string]string{"field": "TaskState", "expect": "old"},
		},
		{text: "//stateguard:state // want \"x\"", ok: true, kind: dirState},
		{text: "//stateguard:ignore why // and more", ok: true, kind: dirIgnore, reason: "why"},
		{text: "//stateguard:ignore see https://example.com/a//b", ok: true, kind: dirIgnore, reason: "see https://example.com/a//b"},
		{text: "//stateguard:ignore // want `x`", ok: true, kind: dirIgnore, wantErr: "needs a reason"},
		{text: "//stateguard:save field=A expect=b//c", ok: true, kind: dirSave, wantErr: "not a Go identifier"},
		{text: "//stateguard:save field=TaskState", ok: true, kind: dirSave, wantErr: "missing the key expect"},
		{text: "//stateguard:save", ok: true, kind: dirSave, wantErr: "missing the keys field and expect"},
		{text: "//stateguard:save field=A expect=b colour=red", ok: true, kind: dirSave, wantErr: `unknown key "colour"`},
		{text: "//stateguard:save field=A expect", ok: true, kind: dirSave, wantErr: `"expect" is not key=value`},
		{text: "//stateguard:save field=A expect=", ok: true, kind: dirSave, wantErr: "expect= has no value"},
		{text: "//stateguard:save field=A expect=b field=C", ok: true, kind: dirSave, wantErr: `key "field" given twice`},
		{text: "//stateguard:save field=A expect=s.State", ok: true, kind: dirSave, wantErr: "not a Go identifier"},
		{text: "//stateguard:save field=A expect=1x", ok: true, kind: dirSave, wantErr: "not a Go identifier"},
		{text: "//stateguard:save field=A expect=func", ok: true, kind: dirSave, wantErr: "not a Go identifier"},
		{text: "//stateguard:save field=A expect=_", ok: true, kind: dirSave, wantErr: "not a Go identifier"},
		{
			text: "//stateguard:save field=État expect=précédent",
			ok:   true, kind: dirSave,
			args: map[string]string{"field": "État", "expect": "précédent"},
		},

		// transition
		{
			text: "//stateguard:transition from=old to=new",
			ok:   true, kind: dirTransition,
			args: map[string]string{"from": "old", "to": "new"},
		},
		{text: "//stateguard:transition to=next", ok: true, kind: dirTransition, wantErr: "missing the key from"},
		{text: "//stateguard:transition from=a to=b field=C", ok: true, kind: dirTransition, wantErr: `unknown key "field"`},

		// state
		{text: "//stateguard:state", ok: true, kind: dirState},
		{text: "//stateguard:state   ", ok: true, kind: dirState},
		{text: "//stateguard:state field=X", ok: true, kind: dirState, wantErr: "takes no arguments"},

		// ignore
		{text: "//stateguard:ignore fences only; the write is for the audit log", ok: true, kind: dirIgnore, reason: "fences only; the write is for the audit log"},
		{text: "//stateguard:ignore\tbecause", ok: true, kind: dirIgnore, reason: "because"},
		{text: "//stateguard:ignore", ok: true, kind: dirIgnore, wantErr: "needs a reason"},
		{text: "//stateguard:ignore   ", ok: true, kind: dirIgnore, wantErr: "needs a reason"},
		{text: "//stateguard:ignore ineffective-guard,reentrant-guard a fence", ok: true, kind: dirIgnore, checks: []string{"ineffective-guard", "reentrant-guard"}, reason: "a fence"},
		{text: "//stateguard:ignore shortcut-save\tstubs", ok: true, kind: dirIgnore, checks: []string{"shortcut-save"}, reason: "stubs"},
		{text: "//stateguard:ignore ineffective-guard", ok: true, kind: dirIgnore, wantErr: "needs a reason after the checks"},
		{text: "//stateguard:ignore ineffective-guard // why", ok: true, kind: dirIgnore, wantErr: "needs a reason after the checks"},
		{text: "//stateguard:ignore shortcut-sav typo", ok: true, kind: dirIgnore, wantErr: `unknown check "shortcut-sav"`},
		{text: "//stateguard:ignore shortcut-save,shortcut-save twice", ok: true, kind: dirIgnore, wantErr: "names shortcut-save twice"},
		{text: "//stateguard:ignore re-entry is intended", ok: true, kind: dirIgnore, wantErr: `unknown check "re-entry"`},
		{text: "//stateguard:ignore reentry is intended", ok: true, kind: dirIgnore, reason: "reentry is intended"},
		{text: "//stateguard:file-ignore shortcut-save stubs", ok: true, kind: dirFileIgnore, checks: []string{"shortcut-save"}, reason: "stubs"},
		{text: "//stateguard:file-ignore stubs return early", ok: true, kind: dirFileIgnore, wantErr: "needs the checks it silences"},
		{text: "//stateguard:file-ignore", ok: true, kind: dirFileIgnore, wantErr: "needs a reason"},

		// malformed verbs and near misses
		{text: "//stateguard:", ok: true, wantErr: "missing its verb"},
		{text: "//stateguard: ignore why", ok: true, wantErr: "missing its verb"},
		{text: "//stateguard:saved field=A expect=b", ok: true, wantErr: "unknown directive //stateguard:saved"},
		{text: "//stateguard:Ignore reason", ok: true, wantErr: "unknown directive //stateguard:Ignore"},
		{text: "// stateguard:ignore reason", ok: true, wantErr: "no space after the slashes: write //stateguard:ignore reason"},
		{text: "//\tstateguard:state", ok: true, wantErr: "no space after the slashes"},
		{text: "/*stateguard:state*/", ok: true, wantErr: "must be a line comment: write //stateguard:state"},
		{text: "/* stateguard:ignore why */", ok: true, wantErr: "must be a line comment: write //stateguard:ignore why"},
	}
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			d, ok, err := parseDirective(tt.text)
			if ok != tt.ok {
				t.Fatalf("ok = %v, want %v (err %v)", ok, tt.ok, err)
			}
			if !ok {
				if err != nil {
					t.Errorf("not a directive, but err = %v", err)
				}
				return
			}
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("unexpected error: %v", err)
				}
			} else if err == nil {
				t.Fatalf("no error, want one containing %q", tt.wantErr)
			} else if !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("error %q does not contain %q", err, tt.wantErr)
			}
			if d.kind != tt.kind {
				t.Errorf("kind = %v, want %v", d.kind, tt.kind)
			}
			if err != nil {
				return
			}
			if !maps.Equal(d.args, tt.args) {
				t.Errorf("args = %v, want %v", d.args, tt.args)
			}
			if d.reason != tt.reason {
				t.Errorf("reason = %q, want %q", d.reason, tt.reason)
			}
			if !slices.Equal(d.checks, tt.checks) {
				t.Errorf("checks = %q, want %q", d.checks, tt.checks)
			}
		})
	}
}

// TestParseDirectiveErrorsNameTheForm checks that every error about a known
// verb shows the form to write, so the message is actionable on its own.
func TestParseDirectiveErrorsNameTheForm(t *testing.T) {
	for _, text := range []string{
		"//stateguard:save field=A",
		"//stateguard:save field=A expect=b x=y",
		"//stateguard:transition from=a",
		"//stateguard:state now",
		"//stateguard:ignore",
		"//stateguard:ignore shortcut-save",
		"//stateguard:file-ignore because",
	} {
		d, ok, err := parseDirective(text)
		if !ok || err == nil {
			t.Fatalf("%s: ok=%v err=%v, want a malformed directive", text, ok, err)
		}
		if u := d.usage(); u == "" || !strings.Contains(err.Error(), u) {
			t.Errorf("%s: error %q does not show the form %q", text, err, u)
		}
	}
}

func TestDirectiveKindString(t *testing.T) {
	for k, want := range map[directiveKind]string{
		dirSave: "save", dirTransition: "transition", dirState: "state", dirIgnore: "ignore", dirFileIgnore: "file-ignore", dirInvalid: "invalid",
	} {
		if got := k.String(); got != want {
			t.Errorf("%d.String() = %q, want %q", k, got, want)
		}
	}
}

func TestDirectivesOf(t *testing.T) {
	const src = `package p

// Save writes t, expecting its state to be old.
//
//stateguard:save field=Status expect=old
//stateguard:bogus
//stateguard:ignore
//stateguard:transition from=old to=new
func Save(t *T, old, new string) {}

// T is a task.
type T struct {
	// Status is where the task is.
	//
	//stateguard:state
	Status string
}

func Plain() {}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	fn := f.Decls[0].(*ast.FuncDecl)
	ds := directivesOf(fn.Doc)
	if len(ds) != 2 {
		t.Fatalf("directivesOf(Save.Doc) = %d directives, want 2 (the malformed ones dropped): %+v", len(ds), ds)
	}
	if ds[0].kind != dirSave || ds[0].args["field"] != "Status" || ds[0].args["expect"] != "old" {
		t.Errorf("first directive = %+v, want save field=Status expect=old", ds[0])
	}
	if got := fset.Position(ds[0].pos); got.Line != 5 || got.Column != 1 {
		t.Errorf("first directive at %v, want p.go:5:1", got)
	}
	if ds[1].kind != dirTransition || ds[1].args["from"] != "old" || ds[1].args["to"] != "new" {
		t.Errorf("second directive = %+v, want transition from=old to=new", ds[1])
	}
	if got := fset.Position(ds[1].pos); got.Line != 8 {
		t.Errorf("second directive at line %d, want 8", got.Line)
	}
	if d, ok := directiveOf(fn.Doc, dirTransition); !ok || d.args["to"] != "new" {
		t.Errorf("directiveOf(transition) = %+v, %v", d, ok)
	}
	if _, ok := directiveOf(fn.Doc, dirState); ok {
		t.Errorf("directiveOf(state) found one in Save's doc")
	}

	field := f.Decls[1].(*ast.GenDecl).Specs[0].(*ast.TypeSpec).Type.(*ast.StructType).Fields.List[0]
	if ds := directivesOf(field.Doc); len(ds) != 1 || ds[0].kind != dirState {
		t.Errorf("directivesOf(Status.Doc) = %+v, want one state directive", ds)
	}
	if ds := directivesOf(f.Decls[2].(*ast.FuncDecl).Doc); ds != nil {
		t.Errorf("directivesOf(nil) = %+v, want nil", ds)
	}
}

func TestIsIdent(t *testing.T) {
	for s, want := range map[string]bool{
		"a": true, "_x": true, "x1": true, "État": true,
		"": false, "_": false, "1x": false, "a.b": false, "a-b": false, "type": false, "\xff": false,
	} {
		if got := isIdent(s); got != want {
			t.Errorf("isIdent(%q) = %v, want %v", s, got, want)
		}
	}
}

func TestConfigChecks(t *testing.T) {
	all := []string{check.IneffectiveGuard, check.ReentrantGuard, check.UnguardedTransition, check.ShortcutSave,
		check.NoTransition, check.InvalidOption, check.SaveAfterConflict, check.Directive}
	tests := []struct {
		checks []string
		want   []string
	}{
		{nil, all},
		{[]string{}, all},
		{[]string{"all"}, all},
		{[]string{" all ", ""}, all},
		{[]string{"all", "-reentrant-guard"}, []string{check.IneffectiveGuard, check.UnguardedTransition, check.ShortcutSave,
			check.NoTransition, check.InvalidOption, check.SaveAfterConflict, check.Directive}},
		{[]string{"-reentrant-guard", "-directive"}, []string{check.IneffectiveGuard, check.UnguardedTransition, check.ShortcutSave,
			check.NoTransition, check.InvalidOption, check.SaveAfterConflict}},
		{[]string{"no-transition", "save-after-conflict"}, []string{check.NoTransition, check.SaveAfterConflict}},
		{[]string{"ineffective-guard"}, []string{check.IneffectiveGuard}},
		{[]string{"ineffective-guard", "shortcut-save"}, []string{check.IneffectiveGuard, check.ShortcutSave}},
		{[]string{"-all"}, nil},
		{[]string{"-all", "directive"}, []string{check.Directive}},
		{[]string{"all", "-all", "shortcut-save"}, []string{check.ShortcutSave}},
		{[]string{"shortcut-save", "-shortcut-save"}, nil},
	}
	for _, tt := range tests {
		cfg := &Config{Checks: tt.checks}
		if err := cfg.Validate(); err != nil {
			t.Errorf("Checks %q: Validate: %v", tt.checks, err)
			continue
		}
		enabled, err := cfg.enabledChecks()
		if err != nil {
			t.Fatalf("Checks %q: %v", tt.checks, err)
		}
		var got []string
		for _, name := range all {
			if enabled[name] {
				got = append(got, name)
			}
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("Checks %q enable %q, want %q", tt.checks, got, tt.want)
		}
	}
}

func TestConfigValidateErrors(t *testing.T) {
	tests := []struct {
		checks []string
		want   []string // substrings of the error
	}{
		{[]string{"ineffective-gaurd"}, []string{`unknown check "ineffective-gaurd"`, "all, ineffective-guard, reentrant-guard, unguarded-transition, shortcut-save, no-transition, invalid-option, save-after-conflict, ignored-conflict, directive"}},
		{[]string{"all", "-nope", "zzz"}, []string{`unknown check "nope"`, `unknown check "zzz"`}},
		{[]string{"-"}, []string{`unknown check ""`}},
	}
	for _, tt := range tests {
		err := (&Config{Checks: tt.checks}).Validate()
		if err == nil {
			t.Errorf("Checks %q: Validate succeeded, want an error", tt.checks)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("Checks %q: error %q does not contain %q", tt.checks, err, w)
			}
		}
	}
}

func TestDefaultConfig(t *testing.T) {
	cfg := DefaultConfig()
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	if cfg.Generated {
		t.Error("DefaultConfig reports in generated files")
	}
	if cfg == DefaultConfig() {
		t.Error("DefaultConfig returns a shared value")
	}
}

func TestConfigFlags(t *testing.T) {
	cfg := DefaultConfig()
	fs := flag.NewFlagSet("stateguard", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	cfg.RegisterFlags(fs)
	if err := fs.Parse([]string{"-checks= all, -reentrant-guard,", "-generated"}); err != nil {
		t.Fatal(err)
	}
	if want := []string{"all", "-reentrant-guard"}; !slices.Equal(cfg.Checks, want) {
		t.Errorf("Checks = %q, want %q", cfg.Checks, want)
	}
	if !cfg.Generated {
		t.Error("-generated did not set Generated")
	}
	if got := fs.Lookup("checks").Value.String(); got != "all,-reentrant-guard" {
		t.Errorf("-checks reads back as %q", got)
	}
	if got := fs.Lookup("checks").Value.(flag.Getter).Get(); !slices.Equal(got.([]string), cfg.Checks) {
		t.Errorf("-checks Get = %v", got)
	}

	// A bad name fails at parse time and leaves the setting alone.
	err := fs.Parse([]string{"-checks=all,-reentrant-gaurd"})
	if err == nil || !strings.Contains(err.Error(), `unknown check "reentrant-gaurd"`) {
		t.Errorf("Parse(-checks=all,-reentrant-gaurd) = %v, want an unknown check error", err)
	}
	if want := []string{"all", "-reentrant-guard"}; !slices.Equal(cfg.Checks, want) {
		t.Errorf("after a failed Set, Checks = %q, want %q", cfg.Checks, want)
	}

	// The usage text lists every analyzer check and the defaults print.
	var usage strings.Builder
	fs.SetOutput(&usage)
	fs.PrintDefaults()
	for _, name := range analyzerCheckNames() {
		if !strings.Contains(usage.String(), name) {
			t.Errorf("usage does not mention %s:\n%s", name, usage.String())
		}
	}
}

// TestConfigJSON checks the settings the golangci-lint plugin decodes.
func TestConfigJSON(t *testing.T) {
	var cfg Config
	dec := json.NewDecoder(strings.NewReader(`{"checks": ["all", "-directive"], "generated": true}`))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(cfg.Checks, []string{"all", "-directive"}) || !cfg.Generated {
		t.Errorf("decoded %+v", cfg)
	}
	b, err := json.Marshal(DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "{}" {
		t.Errorf("DefaultConfig marshals to %s, want {}", b)
	}
}

// TestDirectiveFindings runs the analyzer over malformed and misplaced
// directives. The facts recognition exports for the valid directives are
// not this test's business (checks_test.go asserts them), so it ignores
// unexpected facts; every diagnostic must still be wanted.
func TestDirectiveFindings(t *testing.T) {
	analysistest.Run(ignoreFacts{t}, testdataDir(t), New(DefaultConfig()), "directive")
}

// ignoreFacts is an analysistest.Testing that drops complaints about
// unexpected facts.
type ignoreFacts struct{ *testing.T }

func (t ignoreFacts) Errorf(format string, args ...any) {
	t.Helper()
	if msg := fmt.Sprintf(format, args...); !strings.Contains(msg, "unexpected fact:") {
		t.T.Error(msg)
	}
}

// testdataDir returns the repository's testdata directory, which holds the
// GOPATH-style testdata/src packages.
func testdataDir(t *testing.T) string {
	t.Helper()
	dir, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// markAnalyzer returns an analyzer that sends every call mark("CHECK") in
// the package through the reporter, twice (the reporter keeps one), as a
// finding of CHECK with the message "marked", which the reporter reports
// as "CHECK: marked". It tests the reporter independently of the checks.
func markAnalyzer(cfg *Config) *analysis.Analyzer {
	return &analysis.Analyzer{
		Name: "mark",
		Doc:  "reports mark(CHECK) calls through the stateguard reporter",
		Run: func(pass *analysis.Pass) (any, error) {
			r, err := newReporter(pass, cfg)
			if err != nil {
				return nil, err
			}
			for _, f := range pass.Files {
				ast.Inspect(f, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok || len(call.Args) != 1 {
						return true
					}
					if id, ok := call.Fun.(*ast.Ident); !ok || id.Name != "mark" {
						return true
					}
					lit, ok := call.Args[0].(*ast.BasicLit)
					if !ok {
						return true
					}
					name, err := strconv.Unquote(lit.Value)
					if err != nil {
						return true
					}
					for range 2 {
						r.report(name, call.Pos(), call.End(), "marked")
					}
					return true
				})
			}
			r.finish()
			return nil, nil
		},
	}
}

func TestReportIgnore(t *testing.T) {
	results := analysistest.Run(t, testdataDir(t), markAnalyzer(DefaultConfig()), "ignore")
	// Every finding carries its check as Category and its documentation URL.
	n := 0
	for _, res := range results {
		for _, d := range res.Diagnostics {
			n++
			name, _, _ := strings.Cut(d.Message, ":")
			if d.Category != name {
				t.Errorf("%s: Category = %q, want %q", res.Pass.Fset.Position(d.Pos), d.Category, name)
			}
			if d.URL != check.DocURL(name) {
				t.Errorf("%s: URL = %q, want %q", res.Pass.Fset.Position(d.Pos), d.URL, check.DocURL(name))
			}
		}
	}
	if n == 0 {
		t.Error("no diagnostics")
	}
}

func TestReportChecksFlag(t *testing.T) {
	analysistest.Run(t, testdataDir(t), markAnalyzer(&Config{Checks: []string{"-reentrant-guard"}}), "config")
}

func TestReportGenerated(t *testing.T) {
	analysistest.Run(t, testdataDir(t), markAnalyzer(DefaultConfig()), "generated")
	analysistest.Run(t, testdataDir(t), markAnalyzer(&Config{Generated: true}), "generatedon")
}

// TestIgnoreRealFindings silences findings of the real checks.
func TestIgnoreRealFindings(t *testing.T) {
	analysistest.Run(ignoreFacts{t}, testdataDir(t), New(DefaultConfig()), "ignoresave", "ignorefile")
}

// TestChecksFlagRealFindings switches a real check off through the
// analyzer's own -checks flag.
func TestChecksFlagRealFindings(t *testing.T) {
	cfg := DefaultConfig()
	a := New(cfg)
	cfg.RegisterFlags(&a.Flags)
	if err := a.Flags.Parse([]string{"-checks=-ineffective-guard"}); err != nil {
		t.Fatal(err)
	}
	analysistest.Run(ignoreFacts{t}, testdataDir(t), a, "configsave")
}

// TestReportBadConfig checks that an invalid configuration fails the pass
// with an error naming the bad check, rather than reporting nothing.
func TestReportBadConfig(t *testing.T) {
	fset := token.NewFileSet()
	pass := &analysis.Pass{Fset: fset, Report: func(analysis.Diagnostic) { t.Error("reported a diagnostic") }}
	_, err := newReporter(pass, &Config{Checks: []string{"all", "-reentrant"}})
	if err == nil || !strings.Contains(err.Error(), `unknown check "reentrant"`) {
		t.Errorf("newReporter with a bad check = %v, want an unknown check error", err)
	}
}

// TestDocumentation checks that the package documentation has a section
// for every check, with a wrong and a right example for those the analyzer
// reports, that Diagnostic.URL points at that section's anchor, and that
// Analyzer.Doc is the "Analyzer stateguard" section with a one-line
// summary.
func TestDocumentation(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", docGo, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	var p comment.Parser
	d := p.Parse(f.Doc.Text())
	sections := make(map[string][]comment.Block) // heading id -> blocks until the next heading
	var id string
	for _, b := range d.Content {
		if h, ok := b.(*comment.Heading); ok {
			id = h.DefaultID()
			sections[id] = nil
			continue
		}
		sections[id] = append(sections[id], b)
	}
	for _, c := range check.All {
		url := check.DocURL(c.Name)
		_, anchor, _ := strings.Cut(url, "#")
		blocks, ok := sections[anchor]
		if !ok {
			t.Errorf("check %s: DocURL %s: no heading with id %q in doc.go", c.Name, url, anchor)
			continue
		}
		if !c.Analyzer {
			continue
		}
		var text strings.Builder
		codes := 0
		for _, b := range blocks {
			switch b := b.(type) {
			case *comment.Paragraph:
				for _, x := range b.Text {
					if p, ok := x.(comment.Plain); ok {
						text.WriteString(string(p))
					}
				}
			case *comment.Code:
				codes++
			}
		}
		if !strings.Contains(text.String(), "Wrong:") || !strings.Contains(text.String(), "Right") || codes < 2 {
			t.Errorf("check %s: its section needs a Wrong: and a Right: example (found %d code blocks)", c.Name, codes)
		}
	}
	if Analyzer.Doc != doc || doc == "" {
		t.Fatalf("Analyzer.Doc = %q", Analyzer.Doc)
	}
	summary, rest, _ := strings.Cut(doc, "\n")
	if summary != "find state guards that cannot catch a concurrent duplicate" {
		t.Errorf("summary line = %q", summary)
	}
	if strings.Contains(rest, "# ") {
		t.Errorf("Analyzer.Doc runs into the next section:\n%s", doc)
	}
	for _, name := range analyzerCheckNames() {
		if !strings.Contains(doc, name) {
			t.Errorf("Analyzer.Doc does not name the check %s", name)
		}
	}
}

// docText reads doc comments by lines; the parser is the judge of what
// they say.
func TestDocText(t *testing.T) {
	for _, src := range []string{
		docGo,
		"// Package p.\npackage p\n",
		"// Copyright.\n\n// Package p\n//\n//\n//   says   \n//go:generate x\n//\tcode\n//\n\npackage p\n",
		"//go:build linux\n\n// Package p.\n//line x:1\n// # H\n//\n//\n// b\npackage p // trailing\n",
		"package p\n",
		"// Not a doc comment.\n\npackage p\n",
	} {
		f, err := parser.ParseFile(token.NewFileSet(), "p.go", src, parser.ParseComments|parser.PackageClauseOnly)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := docText(src), f.Doc.Text(); got != want {
			t.Errorf("docText(%.40q...) =\n%s\nwant (go/parser)\n%s", src, got, want)
		}
	}
	body, _ := strings.CutPrefix(strings.TrimSpace(docSections()["Analyzer stateguard"]), "stateguard:")
	if got, want := mustExtractDoc(docGo, "stateguard"), strings.TrimSpace(body); got != want {
		t.Errorf("mustExtractDoc(doc.go) =\n%s\nwant the parsed section\n%s", got, want)
	}
}

func TestMustExtractDoc(t *testing.T) {
	const src = "// Package p.\n//\n// # Analyzer x\n//\n// x: do a thing\n//\n// More.\n//\n// # Other\n//\n// Not this.\npackage p\n"
	if got, want := mustExtractDoc(src, "x"), "do a thing\n\nMore."; got != want {
		t.Errorf("mustExtractDoc = %q, want %q", got, want)
	}
	for _, bad := range []string{"package p\n", "// # Analyzer y\n//\n// y: z\npackage p\n", "// # Analyzer x\n//\n// no summary\npackage p\n", "not go"} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("mustExtractDoc(%q) did not panic", bad)
				}
			}()
			mustExtractDoc(bad, "x")
		}()
	}
}
