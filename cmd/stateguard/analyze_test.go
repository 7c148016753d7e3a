package main

import (
	"reflect"
	"testing"
)

// go vet's stderr: a block per package that failed, and the go command's
// own lines.
func TestVetErrors(t *testing.T) {
	stderr := "# example.com/m/b\nb/b.go:3:23: cannot use \"x\"\nb/b.go:4:1: missing return\n" +
		"# example.com/m/c [example.com/m/c.test]\nc/c_test.go:1:1: expected 'package'\n"
	got := vetErrors(stderr)
	want := []failure{
		{pkg: "example.com/m/b", msg: "b/b.go:3:23: cannot use \"x\"\nb/b.go:4:1: missing return"},
		{pkg: "example.com/m/c", msg: "c/c_test.go:1:1: expected 'package'"},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("vetErrors = %#v, want %#v", got, want)
	}
	got = vetErrors("go: warning: \"./x/...\" matched no packages\nno packages to vet\n")
	if len(got) != 1 || got[0].pkg != "" || got[0].msg != "go: warning: \"./x/...\" matched no packages\nno packages to vet" {
		t.Errorf("the go command's own error: %#v", got)
	}
}

func TestFindingPkg(t *testing.T) {
	for _, tc := range []struct {
		rec  unitRecord
		file string
		want string
	}{
		{unitRecord{Path: "m/p"}, "/src/p/p.go", "m/p"},
		{unitRecord{Path: "m/p", TestFiles: true}, "/src/p/p.go", "m/p"},
		{unitRecord{Path: "m/p", TestFiles: true}, "/src/p/p_test.go", "m/p [m/p.test]"},
		{unitRecord{Path: "m/p_test", TestFiles: true, XTest: true}, "/src/p/x_test.go", "m/p_test [m/p.test]"},
	} {
		if got := findingPkg(&tc.rec, tc.file); got != tc.want {
			t.Errorf("findingPkg(%+v, %s) = %q, want %q", tc.rec, tc.file, got, tc.want)
		}
	}
}

func TestBoolFlag(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want bool
	}{
		{nil, true},
		{[]string{"-json", "-test=false"}, false},
		{[]string{"--test=0"}, false},
		{[]string{"-test=false", "-test"}, true},
		{[]string{"-test=maybe"}, true},
		{[]string{"-testing=false"}, true},
	} {
		if got := boolFlag(tc.args, "test", true); got != tc.want {
			t.Errorf("boolFlag(%q) = %v, want %v", tc.args, got, tc.want)
		}
	}
}
