package main_test

import (
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
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
	}

	// %SRCROOT% is the corpus module's root.
	base, ok := run.OriginalURIBaseIDs["%SRCROOT%"]
	if u, err := url.Parse(base.URI); !ok || err != nil || u.Scheme != "file" || filepath.Clean(u.Path) != corpus {
		t.Errorf("originalUriBaseIds[%%SRCROOT%%] = %q, want file://%s/", base.URI, corpus)
	}

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
		file := checkPhysical(t, corpus, pl)
		reg := pl.Region
		posn := filepath.Join(corpus, file) + ":" + strconv.Itoa(reg.StartLine) + ":" + strconv.Itoa(reg.StartColumn)
		end := filepath.Join(corpus, file) + ":" + strconv.Itoa(reg.EndLine) + ":" + strconv.Itoa(reg.EndColumn)
		if p, ok := posns[r.RuleID+" "+posn]; !ok || p[1] != end {
			t.Errorf("result %s at %s-%s: no such finding in the -json output (json end %q)", r.RuleID, posn, end, p[1])
		}
		for _, rl := range r.RelatedLocations {
			checkPhysical(t, corpus, rl.PhysicalLocation)
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

// checkPhysical checks a location relative to %SRCROOT% with a sane region
// and returns its file.
func checkPhysical(t *testing.T, corpus string, pl sarifPhysical) string {
	t.Helper()
	al, reg := pl.ArtifactLocation, pl.Region
	if al.URIBaseID != "%SRCROOT%" || al.URI == "" || strings.HasPrefix(al.URI, "/") || strings.Contains(al.URI, "\\") {
		t.Errorf("artifactLocation %+v: want a relative uri with uriBaseId %%SRCROOT%%", al)
	}
	if reg.StartLine < 1 || reg.StartColumn < 1 || reg.EndLine < reg.StartLine ||
		(reg.EndLine == reg.StartLine && reg.EndColumn < reg.StartColumn) {
		t.Errorf("%s: bad region %+v", al.URI, reg)
	}
	if _, err := os.Stat(filepath.Join(corpus, filepath.FromSlash(al.URI))); err != nil {
		t.Errorf("artifactLocation %q: %v", al.URI, err)
	}
	return al.URI
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
