package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/stateguard/stateguard/analyzer"
)

// analyze loads the packages named by patterns, runs the analyzer over them
// and prints the findings as opts asks. It returns the exit status.
func analyze(patterns []string, opts *options, stdout, stderr io.Writer) int {
	exit := 0
	atLeast := func(code int) { exit = max(exit, code) }

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
		fmt.Fprintf(stderr, "stateguard: %v\n", err)
		return 1
	}
	if n := printErrors(stderr, initial); n > 0 {
		atLeast(1)
	}

	graph, err := checker.Analyze([]*analysis.Analyzer{analyzer.Analyzer}, initial, nil)
	if err != nil {
		fmt.Fprintf(stderr, "stateguard: %v\n", err)
		return 1
	}
	if failed := reportErrors(stderr, graph); failed {
		atLeast(1)
	}

	if opts.sarif.set && !opts.sarif.toStdout() {
		if err := writeSARIFFile(opts.sarif.path, graph); err != nil {
			fmt.Fprintf(stderr, "stateguard: %v\n", err)
			atLeast(1)
		}
	}
	switch {
	case opts.json:
		if err := graph.PrintJSON(stdout); err != nil {
			fmt.Fprintf(stderr, "stateguard: %v\n", err)
			atLeast(1)
		}
		return exit
	case opts.sarif.toStdout():
		if err := writeSARIF(stdout, graph); err != nil {
			fmt.Fprintf(stderr, "stateguard: %v\n", err)
			atLeast(1)
		}
		return exit
	}

	if err := printText(stderr, graph, opts.contextLn); err != nil {
		fmt.Fprintf(stderr, "stateguard: %v\n", err)
		atLeast(1)
	}
	if len(findings(graph)) > 0 {
		atLeast(3)
	}
	return exit
}

// printErrors prints the load and type errors of the initial packages and
// their dependencies, once each, and returns how many it printed.
func printErrors(w io.Writer, initial []*packages.Package) int {
	n := 0
	seen := map[string]bool{}
	packages.Visit(initial, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			s := e.Error()
			if seen[s] {
				continue
			}
			seen[s] = true
			fmt.Fprintln(w, s)
			n++
		}
	})
	return n
}

// reportErrors prints the analysis errors of every action (an internal
// error of the analyzer on a dependency matters too: its facts are missing)
// and reports whether there were any. Actions skipped because their package
// does not type-check are not printed again: printErrors showed why.
func reportErrors(w io.Writer, graph *checker.Graph) bool {
	failed, skipped := false, 0
	for act := range graph.All() {
		if act.Err == nil {
			continue
		}
		failed = true
		switch {
		case isInternal(act.Err):
		case strings.HasPrefix(act.Err.Error(), "failed prerequisites"):
			skipped++
			continue
		case len(act.Package.Errors) > 0:
			continue
		}
		fmt.Fprintf(w, "stateguard: %s: %v\n", act.Package.PkgPath, act.Err)
	}
	if skipped > 0 {
		fmt.Fprintf(w, "stateguard: %d packages not analyzed because a dependency could not be analyzed\n", skipped)
	}
	return failed
}

// printText prints one line per finding, file:line:col: message, then a
// tab-indented line per related position, like go vet, without duplicates
// from test variants.
func printText(w io.Writer, graph *checker.Graph, contextLines int) error {
	for _, f := range findings(graph) {
		if _, err := fmt.Fprintf(w, "%s: %s\n", f.posn, f.diag.Message); err != nil {
			return err
		}
		for _, r := range f.related {
			if _, err := fmt.Fprintf(w, "%s: \t%s\n", r.posn, r.message); err != nil {
				return err
			}
		}
		if contextLines >= 0 {
			printContext(w, f, contextLines)
		}
	}
	return nil
}

// printContext prints the lines around a finding, as x/tools' -c flag does.
func printContext(w io.Writer, f finding, n int) {
	data, err := os.ReadFile(f.posn.Filename)
	if err != nil {
		return
	}
	lines := strings.Split(string(data), "\n")
	for i := f.posn.Line - n; i <= f.end.Line+n; i++ {
		if 1 <= i && i <= len(lines) {
			fmt.Fprintf(w, "%d\t%s\n", i, lines[i-1])
		}
	}
}

// isInternal reports whether err is (or wraps) a panic of the analyzer.
func isInternal(err error) bool {
	var ie *analyzer.InternalError
	return errors.As(err, &ie)
}
