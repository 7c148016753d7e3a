package main

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stateguard/stateguard/analyzer"
	"github.com/stateguard/stateguard/internal/check"
)

func TestVetMode(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"-V=full"}, true},
		{[]string{"-flags"}, true},
		{[]string{"--flags"}, true},
		{[]string{"-checks=all", "-json", "/tmp/go-build1/b001/vet.cfg"}, true},
		{[]string{"-fix", "./..."}, false},
		{[]string{"./...", "-flags"}, false},
		{[]string{"./..."}, false},
		{[]string{"-json", "./..."}, false},
		{[]string{"-sarif=out.sarif", "std"}, false},
		{[]string{"--", "-fix"}, false},
		{nil, false},
	} {
		if got := vetMode(tc.args); got != tc.want {
			t.Errorf("vetMode(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

func TestSARIFFileArg(t *testing.T) {
	for _, tc := range []struct{ args, want []string }{
		{[]string{"-sarif", "out.sarif", "./..."}, []string{"-sarif=out.sarif", "./..."}},
		{[]string{"--sarif", "x/out.sarif", "-json", "./..."}, []string{"--sarif=x/out.sarif", "-json", "./..."}},
		{[]string{"-sarif", "./..."}, []string{"-sarif", "./..."}},
		{[]string{"-sarif=a.sarif", "./..."}, []string{"-sarif=a.sarif", "./..."}},
		{[]string{"./...", "-sarif", "b.sarif"}, []string{"./...", "-sarif", "b.sarif"}},
		{[]string{"-sarif"}, []string{"-sarif"}},
	} {
		if got := sarifFileArg(tc.args); strings.Join(got, " ") != strings.Join(tc.want, " ") {
			t.Errorf("sarifFileArg(%q) = %q, want %q", tc.args, got, tc.want)
		}
	}
}

func TestFixRequested(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{[]string{"-fix", "vet.cfg"}, true},
		{[]string{"-diff", "vet.cfg"}, true},
		{[]string{"--fix=true", "vet.cfg"}, true},
		{[]string{"-fix=false", "vet.cfg"}, false},
		{[]string{"-json", "vet.cfg"}, false},
	} {
		if got := fixRequested(tc.args); got != tc.want {
			t.Errorf("fixRequested(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}

func TestCheckAnalyzerFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		err  string
	}{
		{[]string{"-checks=all,-directive", "-json", "vet.cfg"}, ""},
		{[]string{"-checks", "ineffective-gaurd", "vet.cfg"}, `-checks=ineffective-gaurd: unknown check "ineffective-gaurd"`},
		{[]string{"-generated=maybe", "vet.cfg"}, "-generated=maybe"},
		{[]string{"-generated", "-checks=x", "vet.cfg"}, `unknown check "x"`},
	} {
		err := checkAnalyzerFlags(tc.args)
		if (err == nil) != (tc.err == "") || err != nil && !strings.Contains(err.Error(), tc.err) {
			t.Errorf("checkAnalyzerFlags(%q) = %v, want %q", tc.args, err, tc.err)
		}
	}
	if analyzer.Analyzer.Flags.Lookup("checks").Value.String() != "" {
		t.Error("checkAnalyzerFlags changed the analyzer's own flags")
	}
}

func TestIsInternal(t *testing.T) {
	ie := &analyzer.InternalError{Pkg: "example.com/p", Value: "boom"}
	if !isInternal(fmt.Errorf("analysis of p: %w", ie)) {
		t.Error("a wrapped *analyzer.InternalError is not internal")
	}
	if isInternal(errors.New("internal error analyzing example.com/p: boom")) {
		t.Error("a plain error that reads like one is internal")
	}
}

func TestRuleName(t *testing.T) {
	if got := ruleName("ineffective-guard"); got != "IneffectiveGuard" {
		t.Errorf("ruleName = %q", got)
	}
}

func TestFullDescriptions(t *testing.T) {
	for _, c := range check.All {
		if d := analyzer.CheckDescription(c.Name); len(d) < len(c.Title) || strings.Contains(d, "\n") {
			t.Errorf("check %s: full description %q, want its documentation's first paragraph on one line", c.Name, d)
		}
	}
	const want = "The value written to the guarded field is the only value the save expects, on some path,"
	if d := analyzer.CheckDescription(check.IneffectiveGuard); !strings.HasPrefix(d, want) {
		t.Errorf("ineffective-guard: %q, want the first paragraph of its section in doc.go", d)
	}
	if d := analyzer.CheckDescription("no-such-check"); d != "" {
		t.Errorf("an unknown check has the description %q", d)
	}
}
