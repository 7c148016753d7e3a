package main

import (
	"go/types"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis"

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
		{[]string{"-fix", "./..."}, true},
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

func TestPanicBecomesError(t *testing.T) {
	a := &analysis.Analyzer{Name: "stateguard", Run: func(*analysis.Pass) (any, error) { panic("boom") }}
	guardPanics(a)
	_, err := a.Run(&analysis.Pass{Pkg: types.NewPackage("example.com/p", "p")})
	if err == nil || !isInternal(err) || !strings.Contains(err.Error(), "internal error analyzing example.com/p: boom") {
		t.Fatalf("Run error = %v, want an internal error naming the package and the panic", err)
	}
}

func TestRuleName(t *testing.T) {
	if got := ruleName("ineffective-guard"); got != "IneffectiveGuard" {
		t.Errorf("ruleName = %q", got)
	}
}

func TestFullDescriptions(t *testing.T) {
	for _, c := range check.All {
		if d := fullDescriptions[c.Name]; len(d) < len(c.Title) {
			t.Errorf("check %s has no full description", c.Name)
		}
	}
	if len(fullDescriptions) != len(check.All) {
		t.Errorf("%d full descriptions for %d checks", len(fullDescriptions), len(check.All))
	}
}
