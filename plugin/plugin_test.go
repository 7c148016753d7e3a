package plugin

import (
	"errors"
	"fmt"
	"go/token"
	"go/types"
	"path/filepath"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/stateguard/stateguard/analyzer"
)

func TestRegistered(t *testing.T) {
	newPlugin, err := register.GetPlugin(Name)
	if err != nil {
		t.Fatal(err)
	}
	p, err := newPlugin(map[string]any{"checks": []any{"all", "-reentrant-guard"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := p.GetLoadMode(); got != register.LoadModeTypesInfo {
		t.Errorf("GetLoadMode() = %q, want %q", got, register.LoadModeTypesInfo)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	if len(as) != 1 || as[0].Name != Name {
		t.Fatalf("BuildAnalyzers() = %v, want one analyzer named %s", as, Name)
	}
	if as[0].Run == nil || as[0].Doc == "" {
		t.Errorf("analyzer is incomplete: Run or Doc missing")
	}
}

func TestSettings(t *testing.T) {
	for _, tc := range []struct {
		name      string
		settings  any
		checks    []string
		generated bool
		err       string // substring of the error; "" means none
	}{
		{name: "nil", settings: nil},
		{name: "empty", settings: map[string]any{}},
		{name: "checks", settings: map[string]any{"checks": []any{"ineffective-guard"}}, checks: []string{"ineffective-guard"}},
		{name: "disable", settings: map[string]any{"checks": []any{"-directive"}}, checks: []string{"-directive"}},
		{name: "generated", settings: map[string]any{"generated": true}, generated: true},
		{name: "both", settings: map[string]any{"checks": []any{"all"}, "generated": false}, checks: []string{"all"}},
		{name: "unknown key", settings: map[string]any{"check": []any{"all"}}, err: `unknown setting "check"`},
		{name: "unknown nested key", settings: map[string]any{"checks": []any{"all"}, "severity": "error"}, err: `"severity"`},
		{name: "unknown check", settings: map[string]any{"checks": []any{"ineffective-gaurd"}}, err: `unknown check "ineffective-gaurd"`},
		{name: "runtime-only check", settings: map[string]any{"checks": []any{"no-transition"}}, err: `no-transition`},
		{name: "checks not a list", settings: map[string]any{"checks": "all"}, err: "checks: cannot use a string here, want a list"},
		{name: "generated not a bool", settings: map[string]any{"generated": "yes"}, err: "generated: cannot use a string here, want true or false"},
		{name: "not a map", settings: []any{"all"}, err: "settings"},
		{name: "unencodable", settings: map[string]any{"checks": func() {}}, err: "settings"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p, err := New(tc.settings)
			if tc.err != "" {
				if err == nil {
					t.Fatalf("New(%v) succeeded, want error containing %q", tc.settings, tc.err)
				}
				if !strings.Contains(err.Error(), tc.err) || !strings.HasPrefix(err.Error(), Name+": ") {
					t.Fatalf("New(%v) error = %q, want it to start with %q and contain %q", tc.settings, err, Name+": ", tc.err)
				}
				return
			}
			if err != nil {
				t.Fatalf("New(%v): %v", tc.settings, err)
			}
			cfg := p.(*Plugin).cfg
			if strings.Join(cfg.Checks, ",") != strings.Join(tc.checks, ",") || cfg.Generated != tc.generated {
				t.Errorf("New(%v) config = %+v, want Checks=%v Generated=%v", tc.settings, *cfg, tc.checks, tc.generated)
			}
		})
	}
}

// Each plugin gets its own configuration: settings of one never leak into
// another or into the command's analyzer.
func TestIndependentConfigs(t *testing.T) {
	a, err := New(map[string]any{"generated": true})
	if err != nil {
		t.Fatal(err)
	}
	b, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	if !a.(*Plugin).cfg.Generated || b.(*Plugin).cfg.Generated {
		t.Errorf("configs are shared: a.Generated=%v b.Generated=%v", a.(*Plugin).cfg.Generated, b.(*Plugin).cfg.Generated)
	}
}

// The analyzer the plugin builds turns a panic into an error of the
// analysis: here, a pass without the syntax and types every real driver
// provides.
func TestPanicBecomesError(t *testing.T) {
	p, err := New(map[string]any{})
	if err != nil {
		t.Fatal(err)
	}
	as, err := p.(*Plugin).BuildAnalyzers()
	if err != nil || len(as) != 1 {
		t.Fatalf("BuildAnalyzers = %v, %v", as, err)
	}
	_, err = as[0].Run(&analysis.Pass{Pkg: types.NewPackage("example.com/p", "p")})
	var ie *analyzer.InternalError
	if !errors.As(err, &ie) || ie.Pkg != "example.com/p" {
		t.Fatalf("Run error = %v, want an *analyzer.InternalError naming the package", err)
	}
}

// factsAllowed is an analysistest.Testing that drops complaints about
// facts the corpus does not annotate.
type factsAllowed struct{ *testing.T }

func (t factsAllowed) Errorf(format string, args ...any) {
	t.Helper()
	if msg := fmt.Sprintf(format, args...); !strings.Contains(msg, "unexpected fact:") {
		t.T.Error(msg)
	}
}

// The plugin's analyzer reports the related write in the message, not as
// Related information, which golangci-lint would make an issue of its own
// that //nolint on the finding's line does not silence.
func TestRelatedInMessage(t *testing.T) {
	p, err := New(nil)
	if err != nil {
		t.Fatal(err)
	}
	as, err := p.BuildAnalyzers()
	if err != nil {
		t.Fatal(err)
	}
	dir, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	results := analysistest.Run(factsAllowed{t}, dir, as[0], "ignoresave")
	found := false
	for _, res := range results {
		for _, d := range res.Diagnostics {
			if len(d.Related) > 0 {
				t.Errorf("%s: diagnostic with Related information: %q", res.Pass.Fset.Position(d.Pos), d.Message)
			}
			if strings.HasPrefix(d.Message, "ineffective-guard: ") {
				write := res.Pass.Fset.Position(d.Pos).Line - 1
				found = true
				if want := fmt.Sprintf(" (related: line %d: TaskState is set to TaskShelving here)", write); !strings.HasSuffix(d.Message, want) {
					t.Errorf("message %q does not end with %q", d.Message, want)
				}
			}
		}
	}
	if !found {
		t.Fatal("no ineffective-guard finding in ignoresave")
	}
}

func TestInlineRelated(t *testing.T) {
	fset := token.NewFileSet()
	a := fset.AddFile("/x/a.go", -1, 100)
	a.SetLines([]int{0, 10, 20, 30})
	b := fset.AddFile("/x/b.go", -1, 100)
	b.SetLines([]int{0, 10, 20})
	d := analysis.Diagnostic{Pos: a.Pos(35), Message: "m", Related: []analysis.RelatedInformation{
		{Pos: a.Pos(12), Message: "w1"}, {Pos: b.Pos(25), Message: "w2"},
	}}
	got := inlineRelated(fset, d)
	if want := "m (related: line 2: w1; b.go:3: w2)"; got.Message != want || got.Related != nil {
		t.Errorf("inlineRelated = %q, %v; want %q and no Related", got.Message, got.Related, want)
	}
	if plain := (analysis.Diagnostic{Message: "m"}); inlineRelated(fset, plain).Message != "m" {
		t.Error("a diagnostic without related positions changed")
	}
}
