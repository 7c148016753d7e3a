package main

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"

	"github.com/stateguard/stateguard/analyzer"
)

// analyze runs the analyzer over the packages named by patterns and
// returns what it found and what went wrong. It prints nothing but
// progress (when prog is not nil).
//
// The analysis is go vet's: the command runs
//
//	go vet -vettool=<itself> -json -standalone [-test=false] [analyzer flags] -- patterns
//
// so that each package is analyzed in its own process from the export
// data and facts of its dependencies, and the go command caches each
// package's result: memory stays that of one package at a time, and a
// second run over unchanged code analyzes nothing. Each unit writes a
// record (unit.go) that go vet passes through on its stdout; the go
// command's own errors (packages that do not load, compile or
// type-check) come on its stderr, one "# package" block each.
func analyze(patterns []string, opts *options, prog *progress) *result {
	res := &result{}
	exe, err := os.Executable()
	if err != nil {
		res.failures = append(res.failures, failure{msg: "stateguard: cannot find its own executable for go vet: " + err.Error()})
		return res
	}
	prog.start(patterns)
	defer prog.stop()
	recs, failures, loadFailed := runVet(exe, patterns, opts, prog)
	if loadFailed {
		// go vet analyzes nothing when a package of the patterns does
		// not load (an import no module provides, a missing module): it
		// stops before the first unit. Analyze the packages that do
		// load, and report each one that does not.
		if good, bad, ok := loadable(patterns, opts.tests, failures); ok && len(bad) > 0 {
			failures = bad
			if len(good) > 0 {
				var more []failure
				recs, more, _ = runVet(exe, good, opts, prog)
				failures = append(failures, more...)
			}
		}
	}
	res.failures = failures
	fill(res, recs)
	return res
}

// runVet runs go vet with the command as its vet tool over patterns and
// returns the unit records and what went wrong. loadFailed reports that
// go vet failed before it analyzed any unit.
func runVet(exe string, patterns []string, opts *options, prog *progress) (recs []*unitRecord, failures []failure, loadFailed bool) {
	args := []string{"vet", "-vettool=" + exe, "-json", "-standalone"}
	if !opts.tests {
		args = append(args, "-test=false")
	}
	args = append(args, opts.vetFlags...)
	args = append(args, "--")
	args = append(args, patterns...)

	cmd := exec.Command("go", args...)
	cmd.Env = append(os.Environ(), driverEnv+"="+driverStandalone)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, []failure{{msg: "stateguard: " + err.Error()}}, false
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		return nil, []failure{{msg: "stateguard: running go vet: " + err.Error()}}, false
	}
	recs, readErr := readRecords(stdout, prog)
	waitErr := cmd.Wait()

	if readErr != nil {
		failures = append(failures, failure{msg: "stateguard: reading go vet's output: " + readErr.Error()})
	}
	var exitErr *exec.ExitError
	vetFailed := waitErr != nil
	if waitErr != nil && !errors.As(waitErr, &exitErr) {
		failures = append(failures, failure{msg: "stateguard: go vet: " + waitErr.Error()})
	}
	if vetFailed {
		failures = append(failures, vetErrors(stderr.String())...)
	} else {
		// Notes of the go command (module downloads): pass them on.
		prog.note(stderr.String())
	}
	if vetFailed && len(failures) == 0 {
		// go vet failed and said nothing: never pass that silently.
		failures = append(failures, failure{msg: "stateguard: go vet " + strings.Join(patterns, " ") + ": " + waitErr.Error()})
	}
	return recs, failures, vetFailed && len(recs) == 0 && exitErr != nil
}

// loadable lists the packages patterns name (with their tests when tests
// is set) and splits them into the import paths of those that load and
// the failures of those that do not, or a package that one of them
// imports. Some errors stop go vet but not go list -e (a //go:embed
// pattern that matches no file): a package in whose directory one of
// vetFailures points at a file is left out too. ok is false when go list
// itself failed.
func loadable(patterns []string, tests bool, vetFailures []failure) (good []string, bad []failure, ok bool) {
	args := []string{"list", "-e", "-json=ImportPath,Dir,ForTest,Incomplete,Error,DepsErrors,Deps"}
	if tests {
		args = append(args, "-test")
	}
	args = append(args, "--")
	args = append(args, patterns...)
	out, err := exec.Command("go", args...).Output()
	if err != nil {
		return nil, nil, false
	}
	type listErr struct{ Pos, Err string }
	type pkg struct {
		ImportPath, Dir, ForTest string
		Deps                     []string
		Incomplete               bool
		Error                    *listErr
		DepsErrors               []*listErr
	}
	broken := map[string][]string{} // package (tests included) -> its errors
	deps := map[string][]string{}   // package (tests included) -> what it imports
	var order []string
	// The directories vet's errors point into, with those errors.
	inDir := map[string][]string{}
	for _, f := range vetFailures {
		for line := range strings.Lines(f.msg) {
			file, _, found := strings.Cut(line, ".go:")
			if !found || strings.ContainsAny(file, " \t") {
				continue
			}
			if abs, err := filepath.Abs(file + ".go"); err == nil {
				d := filepath.Dir(abs)
				inDir[d] = append(inDir[d], strings.TrimSpace(line))
			}
		}
	}
	dec := json.NewDecoder(bytes.NewReader(out))
	for {
		var p pkg
		if err := dec.Decode(&p); err == io.EOF {
			break
		} else if err != nil {
			return nil, nil, false
		}
		// p, "p [p.test]", "p_test [p.test]" and p.test all stand for p.
		path := strings.Fields(p.ImportPath)[0]
		if p.ForTest != "" {
			path = p.ForTest
		} else if base, isTest := strings.CutSuffix(path, ".test"); isTest && tests {
			path = base
		}
		if _, seen := broken[path]; !seen {
			broken[path] = nil
			order = append(order, path)
		}
		var msgs []string
		for _, e := range append([]*listErr{p.Error}, p.DepsErrors...) {
			if e == nil {
				continue
			}
			msg := e.Err
			if e.Pos != "" && !strings.HasPrefix(msg, e.Pos) {
				msg = e.Pos + ": " + msg
			}
			if !slices.Contains(broken[path], msg) {
				msgs = append(msgs, msg)
			}
		}
		if p.ForTest == "" && !strings.HasSuffix(p.ImportPath, ".test") {
			for _, msg := range inDir[p.Dir] {
				if !slices.Contains(broken[path], msg) && !slices.Contains(msgs, msg) {
					msgs = append(msgs, msg)
				}
			}
		}
		if p.Incomplete && len(msgs) == 0 && len(broken[path]) == 0 {
			msgs = append(msgs, "the package or one of its dependencies does not load")
		}
		broken[path] = append(broken[path], msgs...)
		deps[path] = append(deps[path], p.Deps...)
	}
	// What go list -e does not flag, it does not flag in the packages
	// that import it either; go vet stops on those too.
	for _, path := range order {
		if len(broken[path]) > 0 {
			continue
		}
		for _, d := range deps[path] {
			if d != path && len(broken[d]) > 0 {
				broken[path] = []string{"it imports " + d + ", which does not load"}
				break
			}
		}
	}
	for _, path := range order {
		if msgs := broken[path]; len(msgs) > 0 {
			bad = append(bad, failure{pkg: path, msg: "stateguard: " + path + " not analyzed: " + strings.Join(msgs, "\n\t")})
		} else {
			good = append(good, path)
		}
	}
	return good, bad, true
}

// readRecords reads the JSON values go vet prints on its stdout and returns
// the unit records among them (the other values are unitchecker's own
// JSON of each root package, which the records repeat in full).
func readRecords(r io.Reader, prog *progress) ([]*unitRecord, error) {
	var recs []*unitRecord
	dec := json.NewDecoder(bufio.NewReader(r))
	for {
		var v map[string]json.RawMessage
		err := dec.Decode(&v)
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			io.Copy(io.Discard, r) // let go vet finish
			return recs, err
		}
		raw, ok := v[recordKey]
		if !ok {
			continue
		}
		rec := new(unitRecord)
		if err := json.Unmarshal(raw, rec); err != nil {
			io.Copy(io.Discard, r)
			return recs, err
		}
		recs = append(recs, rec)
		prog.unit(rec)
	}
}

// vetErrors turns what a failed go vet printed on its stderr into
// failures: each "# package" block is that package's (the compiler's or the
// type checker's errors), anything else is the go command's own.
func vetErrors(stderr string) []failure {
	var out []failure
	var cur *failure
	var lines []string
	flush := func() {
		if cur != nil && len(lines) > 0 {
			cur.msg = strings.Join(lines, "\n")
			out = append(out, *cur)
		}
		cur, lines = nil, nil
	}
	for line := range strings.Lines(stderr) {
		line = strings.TrimRight(line, "\r\n")
		if pkg, ok := strings.CutPrefix(line, "# "); ok {
			flush()
			cur = &failure{pkg: strings.Fields(pkg + " ")[0]}
			continue
		}
		if cur == nil {
			if strings.TrimSpace(line) == "" {
				continue
			}
			cur = &failure{}
		}
		lines = append(lines, line)
	}
	flush()
	return out
}

// fill turns the unit records into the findings and failures of res.
// Findings are keyed by the IDs go/packages gives (p, "p [p.test]" for
// findings in p's own test files, "p_test [p.test]" for the external test
// package), which the JSON output shows.
func fill(res *result, recs []*unitRecord) {
	type key struct {
		file           string
		offset, endOff int
		category, msg  string
	}
	seen := map[key]bool{}
	var internal, errs []failure
	for _, rec := range recs {
		if rec.Err != "" {
			f := failure{pkg: rec.ID, msg: fmt.Sprintf("stateguard: %s: %s", rec.Path, rec.Err)}
			if rec.Internal {
				internal = append(internal, f)
			} else {
				errs = append(errs, f)
			}
			continue
		}
		if rec.VetxOnly || rec.Skipped {
			continue
		}
		if res.moduleDir == "" && rec.ModuleDir != "" {
			res.moduleDir = rec.ModuleDir
		}
		for _, d := range rec.Findings {
			k := key{d.Posn.Filename, d.Posn.Offset, d.End.Offset, d.Category, d.Message}
			if seen[k] {
				continue
			}
			seen[k] = true
			f := finding{
				pkg:      findingPkg(rec, d.Posn.Filename),
				category: d.Category,
				message:  d.Message,
				url:      d.URL,
				posn:     d.Posn,
				end:      d.End,
			}
			for _, r := range d.Related {
				f.related = append(f.related, relatedPosn{posn: r.Posn, end: r.End, message: r.Message})
			}
			res.findings = append(res.findings, f)
		}
	}
	slices.SortFunc(res.findings, func(a, b finding) int {
		return cmp.Or(
			cmp.Compare(a.posn.Filename, b.posn.Filename),
			cmp.Compare(a.posn.Offset, b.posn.Offset),
			cmp.Compare(a.category, b.category),
			cmp.Compare(a.message, b.message),
		)
	})
	byPkg := func(a, b failure) int { return cmp.Compare(a.pkg, b.pkg) }
	slices.SortFunc(internal, byPkg)
	slices.SortFunc(errs, byPkg)
	res.failures = append(res.failures, internal...)
	res.failures = append(res.failures, errs...)
}

// findingPkg is the go/packages ID of the package a finding of rec's unit
// belongs to: go vet analyzes p with its test files as one unit.
func findingPkg(rec *unitRecord, file string) string {
	switch {
	case rec.XTest:
		return rec.Path + " [" + strings.TrimSuffix(rec.Path, "_test") + ".test]"
	case strings.HasSuffix(file, "_test.go"):
		return rec.Path + " [" + rec.Path + ".test]"
	}
	return rec.Path
}

// isInternal reports whether err is (or wraps) a panic of the analyzer.
func isInternal(err error) bool {
	var ie *analyzer.InternalError
	return errors.As(err, &ie)
}
