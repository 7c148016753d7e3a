package analyzer

import (
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"testing"
)

// TestRefusalOf holds refusalOf to its rules on a table of signatures:
// which result refuses, by shape and name, and when none does.
func TestRefusalOf(t *testing.T) {
	const src = `package p

import "database/sql"

type Version int64
type Tag struct{}
type Obj struct{ Status string }

func (Tag) RowsAffected() int64 { return 0 }

func errOnly() error                                  { return nil }
func boolErr() (bool, error)                          { return false, nil }
func errBool() (error, bool)                          { return nil, false }
func countErr() (int64, error)                        { return 0, nil }
func intOnly() int                                    { return 0 }
func result() (sql.Result, error)                     { return nil, nil }
func tag() (Tag, error)                               { return Tag{}, nil }
func boolAndCount() (int64, bool, error)              { return 0, false, nil }
func twoBools() (bool, bool, error)                   { return false, false, nil }
func named() (ok bool, err error)                     { return }
func rowsAffected() (rowsAffected int64, err error)   { return }
func created() (created bool, err error)              { return }
func version() (version int64, err error)             { return }
func namedType() (Version, error)                     { return 0, nil }
func object() (*Obj, error)                           { return nil, nil }
func tagPtr() (*Tag, error) { return nil, nil }
func none()                                           {}
`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	conf := types.Config{Importer: importer.Default()}
	pkg, err := conf.Check("p", fset, []*ast.File{f}, nil)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]int{
		"errOnly": -1, "boolErr": 0, "errBool": 1, "countErr": 0, "intOnly": 0, "result": 0, "tag": 0,
		"boolAndCount": 1, "twoBools": -1, "named": 0, "rowsAffected": 0, "created": -1, "version": -1,
		"namedType": -1, "object": -1, "tagPtr": 0, "none": -1,
	}
	for name, w := range want {
		fn := pkg.Scope().Lookup(name).(*types.Func)
		if got := refusalOf(fn.Signature()); got != w {
			t.Errorf("refusalOf(%s) = %d, want %d", name, got, w)
		}
	}
}

func TestIsPredicateName(t *testing.T) {
	for name, want := range map[string]bool{
		"CanTransition": true, "canMove": true, "IsAllowed": true, "is_ok": true, "ValidMove": true,
		"HasStatus": true, "AllowStart": true, "ShouldRun": true, "MayClaim": true,
		"Isolate": false, "Validate": false, "Hash": false, "Is": false, "allowed": false, "Maybe": false,
		"UpdateOptimistically": false, "Cancel": false, "Shift": false,
	} {
		if got := isPredicateName(name); got != want {
			t.Errorf("isPredicateName(%q) = %v, want %v", name, got, want)
		}
	}
}
