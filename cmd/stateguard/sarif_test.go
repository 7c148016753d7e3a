package main_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/stateguard/stateguard/internal/check"
	"github.com/stateguard/stateguard/internal/drivertest"
)

// sarif is the part of a SARIF 2.1.0 log the test checks, decoded loosely
// so that a missing field shows up as a zero value.
type sarif struct {
	Schema  string `json:"$schema"`
	Version string
	Runs    []struct {
		Tool struct {
			Driver struct {
				Name, InformationURI string
				Rules                []struct {
					ID, Name, HelpURI                 string
					ShortDescription, FullDescription struct{ Text string }
					Help                              struct{ Text string }
					DefaultConfiguration              struct{ Level string }
				}
			}
		}
		OriginalURIBaseIDs map[string]struct{ URI string } `json:"originalUriBaseIds"`
		Results            []struct {
			RuleID           string
			RuleIndex        int
			Level            string
			Message          struct{ Text string }
			Locations        []struct{ PhysicalLocation sarifPhysical }
			RelatedLocations []struct {
				ID               int
				PhysicalLocation sarifPhysical
				Message          struct{ Text string }
			}
			PartialFingerprints map[string]string
		}
		Invocations []struct{ ExecutionSuccessful bool }
	}
}

type sarifPhysical struct {
	ArtifactLocation struct{ URI, URIBaseID string }
	Region           struct{ StartLine, StartColumn, EndLine, EndColumn int }
}

// jsonPositions maps "file:line" of each finding of the -json output to its
// "posn" and "end", to check SARIF regions against the driver's own output.
func jsonPositions(t *testing.T, corpus, out string) map[string][2]string {
	t.Helper()
	var tree map[string]map[string][]struct{ Posn, End, Category string }
	if err := json.Unmarshal([]byte(out), &tree); err != nil {
		t.Fatal(err)
	}
	m := map[string][2]string{}
	for _, byAnalyzer := range tree {
		for _, diags := range byAnalyzer {
			for _, d := range diags {
				m[d.Category+" "+d.Posn] = [2]string{d.Posn, d.End}
			}
		}
	}
	return m
}

func TestSARIF(t *testing.T) {
	corpus := drivertest.Corpus(t)
	bin := drivertest.Stateguard(t)
	res := drivertest.Run(t, corpus, nil, bin, "-sarif", "./...")
	if res.Exit != 0 {
		t.Fatalf("-sarif: exit %d, want 0\n%s", res.Exit, res.Stderr)
	}
	var log sarif
	if err := json.Unmarshal([]byte(res.Stdout), &log); err != nil {
		t.Fatalf("-sarif output is not JSON: %v\n%s", err, res.Stdout)
	}
	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif-2.1.0") || len(log.Runs) != 1 {
		t.Fatalf("version %q, $schema %q, %d runs; want 2.1.0, the 2.1.0 schema and one run", log.Version, log.Schema, len(log.Runs))
	}
	run := log.Runs[0]
	drv := run.Tool.Driver
	if drv.Name != "stateguard" || drv.InformationURI == "" {
		t.Errorf("tool.driver name %q informationUri %q", drv.Name, drv.InformationURI)
	}

	// A rule for every check, with its metadata.
	if len(drv.Rules) != len(check.All) {
		t.Fatalf("%d rules, want one per check (%d)", len(drv.Rules), len(check.All))
	}
	for i, c := range check.All {
		r := drv.Rules[i]
		if r.ID != c.Name || r.HelpURI != check.DocURL(c.Name) || r.ShortDescription.Text != c.Title ||
			r.FullDescription.Text == "" || r.Name == "" || r.DefaultConfiguration.Level == "" {
			t.Errorf("rule %d = %+v, want id %s, helpUri %s, shortDescription %q, a fullDescription, name and level", i, r, c.Name, check.DocURL(c.Name), c.Title)
		}
		// The help is the check's whole documentation, examples included.
		if c.Analyzer && (!strings.Contains(r.Help.Text, "Wrong:") || !strings.HasPrefix(r.Help.Text, r.FullDescription.Text[:20])) {
			t.Errorf("rule %s: help %q, want the check's documentation with its examples", c.Name, r.Help.Text)
		}
	}

	// %SRCROOT% is the root of the repository that holds the corpus
	// module (this one), or the module's root when there is none.
	base, ok := run.OriginalURIBaseIDs["%SRCROOT%"]
	u, err := url.Parse(base.URI)
	if !ok || err != nil || u.Scheme != "file" {
		t.Fatalf("originalUriBaseIds[%%SRCROOT%%] = %q, want a file URI", base.URI)
	}
	root := filepath.Clean(u.Path)
	if rel, err := filepath.Rel(root, corpus); err != nil || !filepath.IsLocal(rel) && rel != "." {
		t.Errorf("%%SRCROOT%% is %s, which does not hold the corpus %s", root, corpus)
	}
	checkSARIFShape(t, []byte(res.Stdout))

	// Results: the annotated findings, at the positions of the -json output.
	js := drivertest.Run(t, corpus, nil, bin, "-json", "./...")
	posns := jsonPositions(t, corpus, js.Stdout)
	var got []drivertest.Finding
	for _, r := range run.Results {
		if r.RuleIndex < 0 || r.RuleIndex >= len(drv.Rules) || drv.Rules[r.RuleIndex].ID != r.RuleID {
			t.Errorf("result %q has ruleIndex %d that does not name its rule", r.RuleID, r.RuleIndex)
			continue
		}
		if r.Level != drv.Rules[r.RuleIndex].DefaultConfiguration.Level || !strings.HasPrefix(r.Message.Text, r.RuleID+": ") {
			t.Errorf("result %s: level %q, message %q", r.RuleID, r.Level, r.Message.Text)
		}
		if len(r.Locations) != 1 {
			t.Errorf("result %s: %d locations, want 1", r.RuleID, len(r.Locations))
			continue
		}
		pl := r.Locations[0].PhysicalLocation
		file := checkPhysical(t, root, corpus, pl)
		reg := pl.Region
		posn := filepath.Join(corpus, file) + ":" + strconv.Itoa(reg.StartLine) + ":" + strconv.Itoa(reg.StartColumn)
		end := filepath.Join(corpus, file) + ":" + strconv.Itoa(reg.EndLine) + ":" + strconv.Itoa(reg.EndColumn)
		if p, ok := posns[r.RuleID+" "+posn]; !ok || p[1] != end {
			t.Errorf("result %s at %s-%s: no such finding in the -json output (json end %q)", r.RuleID, posn, end, p[1])
		}
		for _, rl := range r.RelatedLocations {
			checkPhysical(t, root, corpus, rl.PhysicalLocation)
			if rl.ID <= 0 || rl.Message.Text == "" {
				t.Errorf("result %s: related location id %d message %q", r.RuleID, rl.ID, rl.Message.Text)
			}
		}
		got = append(got, drivertest.Finding{File: file, Line: reg.StartLine, Category: r.RuleID})
	}
	if d := drivertest.Diff(got, drivertest.Want(t, corpus, defaultDirs...)); d != "" {
		t.Errorf("SARIF results differ from the corpus annotations:\n%s", d)
	}
	if len(run.Invocations) != 1 || !run.Invocations[0].ExecutionSuccessful {
		t.Errorf("invocations = %+v, want one successful", run.Invocations)
	}
}

// checkPhysical checks a location relative to %SRCROOT% (root) with a sane
// region and returns its file, relative to the corpus.
func checkPhysical(t *testing.T, root, corpus string, pl sarifPhysical) string {
	t.Helper()
	al, reg := pl.ArtifactLocation, pl.Region
	if al.URIBaseID != "%SRCROOT%" || al.URI == "" || strings.HasPrefix(al.URI, "/") || strings.Contains(al.URI, "\\") {
		t.Errorf("artifactLocation %+v: want a relative uri with uriBaseId %%SRCROOT%%", al)
	}
	if reg.StartLine < 1 || reg.StartColumn < 1 || reg.EndLine < reg.StartLine ||
		(reg.EndLine == reg.StartLine && reg.EndColumn < reg.StartColumn) {
		t.Errorf("%s: bad region %+v", al.URI, reg)
	}
	abs := filepath.Join(root, filepath.FromSlash(al.URI))
	if _, err := os.Stat(abs); err != nil {
		t.Errorf("artifactLocation %q: %v", al.URI, err)
	}
	rel, err := filepath.Rel(corpus, abs)
	if err != nil {
		t.Fatal(err)
	}
	return filepath.ToSlash(rel)
}

// -sarif=FILE writes the log and still prints the findings, failing the run.
func TestSARIFFile(t *testing.T) {
	corpus := drivertest.Corpus(t)
	out := filepath.Join(t.TempDir(), "stateguard.sarif")
	res := drivertest.Run(t, corpus, nil, drivertest.Stateguard(t), "-sarif="+out, "./orders")
	if res.Exit != 3 || res.Stdout != "" {
		t.Errorf("-sarif=FILE: exit %d (want 3), stdout %q (want empty)", res.Exit, res.Stdout)
	}
	text, _ := drivertest.ParseText(t, corpus, res.Stderr)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var log sarif
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 || len(log.Runs[0].Results) != len(text) || len(text) == 0 {
		t.Errorf("SARIF file has %d runs; want 1 with the %d findings printed as text", len(log.Runs), len(text))
	}
}

// -json and -sarif=FILE together: JSON on stdout, SARIF in the file.
func TestJSONAndSARIFFile(t *testing.T) {
	corpus := drivertest.Corpus(t)
	out := filepath.Join(t.TempDir(), "stateguard.sarif")
	res := drivertest.Run(t, corpus, nil, drivertest.Stateguard(t), "-json", "-sarif="+out, "./orders")
	if res.Exit != 0 {
		t.Errorf("exit %d, want 0\n%s", res.Exit, res.Stderr)
	}
	js := drivertest.ParseJSON(t, corpus, res.Stdout)
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var log sarif
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	if len(js) == 0 || len(log.Runs) != 1 || len(log.Runs[0].Results) != len(js) {
		t.Errorf("JSON has %d findings, SARIF file %+v runs; want the same findings in both", len(js), len(log.Runs))
	}
}

// An unwritable -sarif=FILE is an error, not a silent loss of the report.
func TestSARIFFileError(t *testing.T) {
	corpus := drivertest.Corpus(t)
	out := filepath.Join(t.TempDir(), "missing", "dir", "x.sarif")
	res := drivertest.Run(t, corpus, nil, drivertest.Stateguard(t), "-sarif="+out, "./clean")
	if res.Exit != 1 || !strings.Contains(res.Stderr, "x.sarif") {
		t.Errorf("exit %d, want 1 and an error naming the file:\n%s", res.Exit, res.Stderr)
	}
}

// checkSARIFShape checks the log against the parts of the SARIF 2.1.0
// schema that GitHub code scanning reads: version, a tool name per run,
// rules with ids, and for each result a ruleId, a message text, a
// location with a relative uri and a 1-based region, string partial
// fingerprints, and related locations with distinct non-negative ids,
// every one of which the message links to (and no link to any other).
func checkSARIFShape(t *testing.T, data []byte) {
	t.Helper()
	var log map[string]any
	if err := json.Unmarshal(data, &log); err != nil {
		t.Fatal(err)
	}
	obj := func(v any, what string) map[string]any {
		m, ok := v.(map[string]any)
		if !ok {
			t.Fatalf("%s is %T, want an object", what, v)
		}
		return m
	}
	arr := func(v any, what string) []any {
		a, ok := v.([]any)
		if !ok {
			t.Fatalf("%s is %T, want an array", what, v)
		}
		return a
	}
	str := func(v any, what string) string {
		s, ok := v.(string)
		if !ok || s == "" {
			t.Fatalf("%s is %v, want a non-empty string", what, v)
		}
		return s
	}
	num := func(v any, what string, min float64) int {
		n, ok := v.(float64)
		if !ok || n != float64(int(n)) || n < min {
			t.Fatalf("%s is %v, want an integer >= %v", what, v, min)
		}
		return int(n)
	}
	if log["version"] != "2.1.0" {
		t.Errorf("version %v", log["version"])
	}
	link := regexp.MustCompile(`(^|[^\\])\[[^\]]*\]\((\d+)\)`)
	for i, r := range arr(log["runs"], "runs") {
		run := obj(r, fmt.Sprintf("runs[%d]", i))
		driver := obj(obj(run["tool"], "tool")["driver"], "tool.driver")
		str(driver["name"], "tool.driver.name")
		for j, rule := range arr(driver["rules"], "rules") {
			str(obj(rule, "rule")["id"], fmt.Sprintf("rules[%d].id", j))
		}
		for j, x := range arr(run["results"], "results") {
			res := obj(x, fmt.Sprintf("results[%d]", j))
			where := fmt.Sprintf("results[%d]", j)
			str(res["ruleId"], where+".ruleId")
			text := str(obj(res["message"], where+".message")["text"], where+".message.text")
			locs := arr(res["locations"], where+".locations")
			if len(locs) == 0 {
				t.Fatalf("%s has no location", where)
			}
			phys := func(v any, what string) {
				pl := obj(obj(v, what)["physicalLocation"], what+".physicalLocation")
				uri := str(obj(pl["artifactLocation"], what+".artifactLocation")["uri"], what+".uri")
				if u, err := url.Parse(uri); err != nil || u.IsAbs() || strings.HasPrefix(uri, "/") {
					t.Errorf("%s.uri %q is not relative", what, uri)
				}
				reg := obj(pl["region"], what+".region")
				num(reg["startLine"], what+".startLine", 1)
				num(reg["startColumn"], what+".startColumn", 1)
			}
			phys(locs[0], where+".locations[0]")
			fps := obj(res["partialFingerprints"], where+".partialFingerprints")
			if len(fps) == 0 {
				t.Errorf("%s has no partial fingerprint", where)
			}
			for k, v := range fps {
				str(v, where+".partialFingerprints."+k)
			}
			ids := map[int]bool{}
			if rl, ok := res["relatedLocations"]; ok {
				for k, l := range arr(rl, where+".relatedLocations") {
					w := fmt.Sprintf("%s.relatedLocations[%d]", where, k)
					id := num(obj(l, w)["id"], w+".id", 0)
					if ids[id] {
						t.Errorf("%s: id %d twice", w, id)
					}
					ids[id] = true
					phys(l, w)
				}
			}
			linked := map[int]bool{}
			for _, m := range link.FindAllStringSubmatch(text, -1) {
				id, _ := strconv.Atoi(m[2])
				linked[id] = true
				if !ids[id] {
					t.Errorf("%s: message links to %d, which is no related location: %q", where, id, text)
				}
			}
			for id := range ids {
				if !linked[id] {
					t.Errorf("%s: related location %d is not linked from the message %q", where, id, text)
				}
			}
		}
	}
}

// A module in a subdirectory of a repository: SARIF paths are relative to
// the repository's root, which GitHub reads them from.
func TestSARIFNestedModule(t *testing.T) {
	repo := t.TempDir()
	if out, err := exec.Command("git", "init", "-q", repo).CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	svc := filepath.Join(repo, "svc")
	root, err := drivertest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.CopyFS(svc, os.DirFS(filepath.Join(root, "testdata", "vetmod"))); err != nil {
		t.Fatal(err)
	}
	log := runSARIF(t, svc)
	results := log.Runs[0].Results
	if len(results) != 1 {
		t.Fatalf("%d results, want the one of svc/bad", len(results))
	}
	r := results[0]
	if got := r.Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "svc/bad/bad.go" {
		t.Errorf("uri %q, want svc/bad/bad.go, relative to the repository", got)
	}
	if got := r.RelatedLocations[0].PhysicalLocation.ArtifactLocation.URI; got != "svc/bad/bad.go" {
		t.Errorf("related uri %q, want svc/bad/bad.go", got)
	}
	base := log.Runs[0].OriginalURIBaseIDs["%SRCROOT%"].URI
	if u, err := url.Parse(base); err != nil || filepath.Clean(u.Path) != repo {
		t.Errorf("%%SRCROOT%% = %q, want the repository %s", base, repo)
	}
	if !strings.Contains(r.Message.Text, "[the write](1)") || len(r.RelatedLocations) != 1 || r.RelatedLocations[0].ID != 1 {
		t.Errorf("message %q and related locations %+v: want the write linked as [the write](1), id 1", r.Message.Text, r.RelatedLocations)
	}

	// Without a repository, the module's root.
	plain := t.TempDir()
	if err := os.CopyFS(plain, os.DirFS(filepath.Join(root, "testdata", "vetmod"))); err != nil {
		t.Fatal(err)
	}
	if got := runSARIF(t, plain).Runs[0].Results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != "bad/bad.go" {
		t.Errorf("outside a repository: uri %q, want bad/bad.go, relative to the module", got)
	}
}

// The fingerprint of a finding survives lines added above it and changes
// when the finding does.
func TestSARIFFingerprints(t *testing.T) {
	root, err := drivertest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(root, "testdata", "vetmod"))); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "bad", "bad.go")
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	fingerprint := func() (string, int) {
		t.Helper()
		rs := runSARIF(t, dir).Runs[0].Results
		if len(rs) != 1 || len(rs[0].PartialFingerprints) != 1 {
			t.Fatalf("results %+v, want one with one partial fingerprint", rs)
		}
		for _, v := range rs[0].PartialFingerprints {
			return v, rs[0].Locations[0].PhysicalLocation.Region.StartLine
		}
		return "", 0
	}
	before, line := fingerprint()

	moved := strings.Replace(string(src), "// Shelve starts", "// An unrelated comment,\n// over three lines,\n// above the finding.\n\n// Shelve starts", 1)
	write(t, file, moved)
	after, movedLine := fingerprint()
	if movedLine != line+4 || after != before {
		t.Errorf("4 lines added above: line %d to %d, fingerprint %s to %s; want the line moved and the same fingerprint", line, movedLine, before, after)
	}

	changed := strings.Replace(moved, "return s.Save(ctx, server.TaskShelving)", "return s.Save(ctx, s.TaskState)", 1)
	if changed == moved {
		t.Fatal("bad/bad.go no longer has the call this test changes")
	}
	write(t, file, changed)
	if other, _ := fingerprint(); other == before {
		t.Errorf("the finding changed, its fingerprint %s did not", other)
	}
}

// runSARIF runs stateguard -sarif ./... in dir and decodes the log.
func runSARIF(t *testing.T, dir string) sarif {
	t.Helper()
	res := drivertest.Run(t, dir, nil, drivertest.Stateguard(t), "-sarif", "./...")
	if res.Exit != 0 {
		t.Fatalf("-sarif: exit %d\n%s", res.Exit, res.Stderr)
	}
	checkSARIFShape(t, []byte(res.Stdout))
	var log sarif
	if err := json.Unmarshal([]byte(res.Stdout), &log); err != nil || len(log.Runs) != 1 {
		t.Fatalf("%v, %d runs\n%s", err, len(log.Runs), res.Stdout)
	}
	return log
}
