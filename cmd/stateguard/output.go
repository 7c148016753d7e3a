package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
)

// output prints res as opts asks and returns the exit status: 1 when
// anything failed (a package that does not load or type-check, an
// analysis error or panic, an output that cannot be written), whatever was
// found; otherwise 3 when findings were printed as text, else 0.
func output(res *result, opts *options, stdout, stderr io.Writer) int {
	failed := res.failed()
	for _, f := range res.failures {
		fmt.Fprintln(stderr, f.msg)
	}
	fail := func(err error) {
		fmt.Fprintf(stderr, "stateguard: %v\n", err)
		failed = true
	}
	if opts.sarif.set && !opts.sarif.toStdout() {
		if err := writeSARIFFile(opts.sarif.path, res); err != nil {
			fail(err)
		}
	}
	text := false
	switch {
	case opts.json:
		if err := writeJSON(stdout, res); err != nil {
			fail(err)
		}
	case opts.sarif.toStdout():
		if err := writeSARIF(stdout, res); err != nil {
			fail(err)
		}
	default:
		text = true
		if err := printText(stderr, res, opts.contextLn); err != nil {
			fail(err)
		}
	}
	switch {
	case failed:
		return 1
	case text && len(res.findings) > 0:
		return 3
	}
	return 0
}

// printText prints one line per finding, file:line:col: message, then a
// tab-indented line per related position, like go vet.
func printText(w io.Writer, res *result, contextLines int) error {
	for _, f := range res.findings {
		if _, err := fmt.Fprintf(w, "%s: %s\n", f.posn, f.message); err != nil {
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

// The JSON schema of every go/analysis driver (x/tools' -json): package
// ID, then analyzer name, then a list of diagnostics or an error.
type (
	jsonDiagnostic struct {
		Category string        `json:"category,omitempty"`
		Posn     string        `json:"posn"`
		End      string        `json:"end"`
		Message  string        `json:"message"`
		Related  []jsonRelated `json:"related,omitempty"`
	}
	jsonRelated struct {
		Posn    string `json:"posn"`
		End     string `json:"end"`
		Message string `json:"message"`
	}
	jsonError struct {
		Err string `json:"error"`
	}
)

// writeJSON writes res in the JSON of x/tools' drivers. A package whose
// loading or analysis failed has an error instead of diagnostics.
func writeJSON(w io.Writer, res *result) error {
	tree := map[string]map[string]any{}
	for _, f := range res.findings {
		d := jsonDiagnostic{Category: f.category, Posn: f.posn.String(), End: f.end.String(), Message: f.message}
		for _, r := range f.related {
			d.Related = append(d.Related, jsonRelated{Posn: r.posn.String(), End: r.end.String(), Message: r.message})
		}
		m := tree[f.pkg]
		if m == nil {
			m = map[string]any{"stateguard": []jsonDiagnostic{}}
			tree[f.pkg] = m
		}
		m["stateguard"] = append(m["stateguard"].([]jsonDiagnostic), d)
	}
	errs := map[string][]string{}
	for _, f := range res.failures {
		if f.pkg != "" {
			errs[f.pkg] = append(errs[f.pkg], f.msg)
		}
	}
	for pkg, msgs := range errs {
		tree[pkg] = map[string]any{"stateguard": jsonError{strings.Join(msgs, "\n")}}
	}
	data, err := json.MarshalIndent(tree, "", "\t")
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, "%s\n", data)
	return err
}
