package analyzer

import (
	"fmt"
	"go/types"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"golang.org/x/tools/go/packages"
)

// namingShapes are the types of testdata/guardmod/naming.
var namingShapes = []string{"Plain", "Embeds", "Ambiguous", "Shadow", "Deep", "ViaPointer", "NoKey", "DupColumn", "BadOption", "Unexported", "NameClash", "KeyState"}

// namingNames are the names looked up in each shape: Go names, columns and
// names that are neither.
var namingNames = []string{
	"ID", "id", "TaskState", "task_state", "VMState", "vm_state", "HTTPPort", "http_port", "URLPath", "url_path",
	"UserID", "user_id", "A", "a", "ABCDef", "abc_def", "Name", "name", "full_name", "Untagged", "untagged",
	"Skipped", "skipped", "Rev", "rev", "When", "when", "Base", "Stage", "stage", "Host", "host", "h", "x",
	"Zone", "zone", "zone2", "own_zone", "Phase", "phase", "Mid", "Inner", "note",
}

// TestNamingAgreesWithGuard holds the analyzer's reading of a struct
// (mapTable) to guard's own (NewTable, Table.Field) on a table of shapes:
// the same types refused, the same key and other columns in order, and
// every name resolved to the same field.
func TestNamingAgreesWithGuard(t *testing.T) {
	dir := guardModule(t, "")
	var prog strings.Builder
	prog.WriteString("package main\n\nimport (\n\t\"fmt\"\n\t\"strings\"\n\n\t\"github.com/stateguard/stateguard/guard\"\n\n\t\"guardmod/naming\"\n)\n\n")
	fmt.Fprintf(&prog, "var names = %#v\n\n", namingNames)
	prog.WriteString(`func show[T any](shape string) {
	t, err := guard.NewTable[T]("t")
	if err != nil {
		fmt.Println(shape, "refused")
		return
	}
	fmt.Println(shape, "key", strings.Join(t.KeyColumns(), ","), "columns", strings.Join(t.Columns(), ","))
	for _, n := range names {
		if f, err := t.Field(n); err == nil {
			fmt.Println(shape, n, "->", f.String())
		}
	}
}

func main() {
`)
	for _, s := range namingShapes {
		fmt.Fprintf(&prog, "\tshow[naming.%s](%q)\n", s, s)
	}
	prog.WriteString("}\n")
	main := filepath.Join(dir, "naming", "print")
	if err := os.MkdirAll(main, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(main, "main.go"), []byte(prog.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "run", "./naming/print")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, out)
	}
	want := strings.Split(strings.TrimSpace(string(out)), "\n")

	pkgs, err := packages.Load(&packages.Config{Mode: packages.NeedTypes | packages.NeedName, Dir: dir}, "guardmod/naming")
	if err != nil || len(pkgs) != 1 || len(pkgs[0].Errors) > 0 {
		t.Fatalf("loading guardmod/naming: %v %v", err, pkgs)
	}
	var got []string
	for _, s := range namingShapes {
		obj := pkgs[0].Types.Scope().Lookup(s)
		if obj == nil {
			t.Fatalf("no type %s", s)
		}
		tb, ok := mapTable(obj.(*types.TypeName).Type())
		if !ok {
			got = append(got, s+" refused")
			continue
		}
		var keys, cols []string
		for _, f := range tb.fields {
			if f.key {
				keys = append(keys, f.column)
			} else {
				cols = append(cols, f.column)
			}
		}
		got = append(got, fmt.Sprintf("%s key %s columns %s", s, strings.Join(keys, ","), strings.Join(cols, ",")))
		for _, n := range namingNames {
			if i, ok := tb.lookup(n); ok {
				got = append(got, fmt.Sprintf("%s %s -> %s", s, n, tb.fields[i].name))
			}
		}
	}
	if !slices.Equal(got, want) {
		t.Errorf("the analyzer and guard map the shapes differently:\nanalyzer:\n\t%s\nguard:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	if len(want) < len(namingShapes) {
		t.Fatalf("guard printed %d lines for %d shapes", len(want), len(namingShapes))
	}
}
