package main

import (
	"cmp"
	"errors"
	"fmt"
	"go/token"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/stateguard/stateguard/analyzer"
)

// analyze loads the packages named by patterns and runs the analyzer over
// them. It prints nothing: what it found and what went wrong are in the
// result.
func analyze(patterns []string, opts *options) *result {
	res := &result{}
	// The analyzer exports facts, so dependencies are analyzed from source
	// too, as x/tools' own drivers do.
	cfg := &packages.Config{
		Mode:  packages.LoadAllSyntax | packages.NeedModule,
		Tests: opts.tests,
	}
	initial, err := packages.Load(cfg, patterns...)
	if err == nil && len(initial) == 0 {
		err = fmt.Errorf("%s matched no packages", strings.Join(patterns, " "))
	}
	if err != nil {
		res.failures = append(res.failures, failure{msg: "stateguard: " + err.Error()})
		return res
	}
	for _, p := range initial {
		if p.Module != nil && p.Module.Dir != "" {
			res.moduleDir = p.Module.Dir
			break
		}
	}
	res.failures = append(res.failures, loadErrors(initial)...)

	graph, err := checker.Analyze([]*analysis.Analyzer{analyzer.Analyzer}, initial, nil)
	if err != nil {
		res.failures = append(res.failures, failure{msg: "stateguard: " + err.Error()})
		return res
	}
	res.failures = append(res.failures, analysisErrors(graph)...)
	res.findings = findings(graph)
	return res
}

// loadErrors returns the load and type errors of the initial packages and
// their dependencies, once each.
func loadErrors(initial []*packages.Package) []failure {
	var out []failure
	seen := map[string]bool{}
	packages.Visit(initial, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			s := e.Error()
			if seen[s] {
				continue
			}
			seen[s] = true
			out = append(out, failure{pkg: p.ID, msg: s})
		}
	})
	return out
}

// analysisErrors returns the analysis errors of every action (an internal
// error of the analyzer on a dependency matters too: its facts are
// missing). Actions skipped because their package does not type-check are
// failures already reported by loadErrors; those skipped because a
// dependency failed are counted in one line.
func analysisErrors(graph *checker.Graph) []failure {
	var out []failure
	skipped := 0
	for act := range graph.All() {
		if act.Err == nil {
			continue
		}
		switch {
		case isInternal(act.Err):
		case strings.HasPrefix(act.Err.Error(), "failed prerequisites"):
			skipped++
			continue
		case len(act.Package.Errors) > 0:
			continue
		}
		out = append(out, failure{pkg: act.Package.ID, msg: fmt.Sprintf("stateguard: %s: %v", act.Package.PkgPath, act.Err)})
	}
	if skipped > 0 {
		out = append(out, failure{msg: fmt.Sprintf("stateguard: %d packages not analyzed because a dependency could not be analyzed", skipped)})
	}
	return out
}

// findings returns the diagnostics of the root packages, sorted by position,
// without the duplicates that a file in both p and p's test variant yields.
func findings(graph *checker.Graph) []finding {
	type key struct {
		posn, end token.Position
		category  string
		message   string
	}
	seen := map[key]bool{}
	var out []finding
	for _, act := range graph.Roots {
		if act.Err != nil {
			continue
		}
		fset := act.Package.Fset
		for _, d := range act.Diagnostics {
			f := finding{
				pkg:      act.Package.ID,
				category: d.Category,
				message:  d.Message,
				url:      d.URL,
				posn:     fset.Position(d.Pos),
				end:      fset.Position(cmp.Or(d.End, d.Pos)),
			}
			k := key{f.posn, f.end, d.Category, d.Message}
			if seen[k] {
				continue
			}
			seen[k] = true
			for _, r := range d.Related {
				f.related = append(f.related, relatedPosn{
					posn:    fset.Position(r.Pos),
					end:     fset.Position(cmp.Or(r.End, r.Pos)),
					message: r.Message,
				})
			}
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b finding) int {
		return cmp.Or(
			cmp.Compare(a.posn.Filename, b.posn.Filename),
			cmp.Compare(a.posn.Offset, b.posn.Offset),
			cmp.Compare(a.category, b.category),
			cmp.Compare(a.message, b.message),
		)
	})
	return out
}

// isInternal reports whether err is (or wraps) a panic of the analyzer.
func isInternal(err error) bool {
	var ie *analyzer.InternalError
	return errors.As(err, &ie)
}
