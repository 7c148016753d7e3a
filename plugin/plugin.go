// Package plugin makes stateguard a golangci-lint v2 module plugin.
//
// Build a golangci-lint that includes it with a .custom-gcl.yml:
//
//	version: v2.15.0
//	plugins:
//	  - module: github.com/stateguard/stateguard
//	    import: github.com/stateguard/stateguard/plugin
//	    version: latest
//
// and enable it in .golangci.yml:
//
//	version: "2"
//	linters:
//	  enable:
//	    - stateguard
//	  settings:
//	    custom:
//	      stateguard:
//	        type: module
//	        description: finds state guards that cannot catch a concurrent duplicate
//	        settings:
//	          checks: [all, -reentrant-guard]
//	          generated: false
//
// The settings are those of the stateguard command's flags (see
// analyzer.Config): checks lists the checks by name ("all", "name",
// "-name"), generated also reports findings in generated files. An unknown
// key is an error that names it.
package plugin

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"go/token"
	"path/filepath"
	"strings"

	"github.com/golangci/plugin-module-register/register"
	"golang.org/x/tools/go/analysis"

	"github.com/stateguard/stateguard/analyzer"
)

// Name is the linter's name in .golangci.yml and in //nolint comments.
const Name = "stateguard"

func init() {
	register.Plugin(Name, New)
}

// Plugin is the stateguard linter with its settings.
type Plugin struct {
	cfg *analyzer.Config
}

var _ register.LinterPlugin = (*Plugin)(nil)

// New decodes settings (the map golangci-lint read from
// linters.settings.custom.stateguard.settings; nil means none) onto the
// defaults of analyzer.DefaultConfig, strictly, and validates the result.
func New(settings any) (register.LinterPlugin, error) {
	cfg, err := decode(settings)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", Name, err)
	}
	return &Plugin{cfg: cfg}, nil
}

// decode is New without the plugin: settings onto a fresh default Config.
func decode(settings any) (*analyzer.Config, error) {
	cfg := analyzer.DefaultConfig()
	if settings != nil {
		var buf bytes.Buffer
		if err := json.NewEncoder(&buf).Encode(settings); err != nil {
			return nil, fmt.Errorf("settings: %w", err)
		}
		dec := json.NewDecoder(&buf)
		dec.DisallowUnknownFields()
		if err := dec.Decode(cfg); err != nil {
			return nil, fmt.Errorf("settings: %s", describe(err))
		}
	}
	if err := cfg.Validate(); err != nil {
		return nil, fmt.Errorf("settings: %w", err)
	}
	return cfg, nil
}

// describe rewrites encoding/json's errors in the words of a YAML file.
func describe(err error) string {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return fmt.Sprintf("%s: cannot use a %s here, want %s", te.Field, te.Value, jsonKind(te.Type.String()))
	}
	msg := err.Error()
	if key, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		return fmt.Sprintf("unknown setting %s (known: checks, generated)", key)
	}
	return strings.TrimPrefix(msg, "json: ")
}

func jsonKind(goType string) string {
	switch {
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case goType == "bool":
		return "true or false"
	case goType == "string":
		return "a string"
	}
	return goType
}

// BuildAnalyzers returns the stateguard analyzer with the plugin's
// settings. A panic inside it becomes an error of the analysis, naming the
// package (an *analyzer.InternalError).
//
// golangci-lint turns each related position of a diagnostic into an
// issue of its own at that position, which //nolint:stateguard on the
// finding's line does not silence. So the analyzer built here reports
// the related positions in the finding's message instead (see
// inlineRelated): a finding is one issue, silenced as a whole.
func (p *Plugin) BuildAnalyzers() ([]*analysis.Analyzer, error) {
	a := analyzer.New(p.cfg)
	run := a.Run
	a.Run = func(pass *analysis.Pass) (any, error) {
		inner := *pass
		inner.Report = func(d analysis.Diagnostic) { pass.Report(inlineRelated(pass.Fset, d)) }
		return run(&inner)
	}
	return []*analysis.Analyzer{a}, nil
}

// inlineRelated returns d with its related positions appended to its
// message ("...; related: line 7: Status is set to X here", the file's
// base name too when it is another file) and removed from Related.
func inlineRelated(fset *token.FileSet, d analysis.Diagnostic) analysis.Diagnostic {
	if len(d.Related) == 0 {
		return d
	}
	at := fset.Position(d.Pos)
	var parts []string
	for _, r := range d.Related {
		rp := fset.Position(r.Pos)
		where := fmt.Sprintf("line %d", rp.Line)
		if rp.Filename != at.Filename {
			where = fmt.Sprintf("%s:%d", filepath.Base(rp.Filename), rp.Line)
		}
		parts = append(parts, where+": "+r.Message)
	}
	d.Message += " (related: " + strings.Join(parts, "; ") + ")"
	d.Related = nil
	return d
}

// GetLoadMode returns register.LoadModeTypesInfo: the checks need types.
func (p *Plugin) GetLoadMode() string {
	return register.LoadModeTypesInfo
}
