package plugin

import (
	"errors"
	"go/types"
	"strings"
	"testing"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

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
		{name: "check of guard's API", settings: map[string]any{"checks": []any{"no-transition", "-invalid-option"}}, checks: []string{"no-transition", "-invalid-option"}},
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
