package analyzer_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/stateguard/stateguard/analyzer"
)

// guardModule copies the module testdata/guardmod into a temporary
// directory with a go.mod that requires the guard package of this
// repository through a replace: of the repository's root module when
// guard is a package of it, of guard's own module when guard/go.mod
// exists. It returns the module's directory.
func guardModule(t testing.TB) string {
	t.Helper()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := filepath.Join(root, "testdata", "guardmod")
	err = filepath.WalkDir(src, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		if d.IsDir() {
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	var mod strings.Builder
	mod.WriteString("module guardmod\n\ngo 1.26.0\n\n")
	var sums [][]byte
	addSum := func(path string) {
		if b, err := os.ReadFile(path); err == nil {
			sums = append(sums, b)
		}
	}
	if _, err := os.Stat(filepath.Join(root, "guard", "go.mod")); err == nil {
		mod.WriteString("require github.com/stateguard/stateguard/guard v0.0.0\n\n")
		mod.WriteString("replace github.com/stateguard/stateguard/guard => " + filepath.Join(root, "guard") + "\n")
		addSum(filepath.Join(root, "guard", "go.sum"))
		// guard's own requirement of the root module, if it has one, is
		// replaced here too: a dependency's replace does not apply.
		if b, _ := os.ReadFile(filepath.Join(root, "guard", "go.mod")); strings.Contains(string(b), "github.com/stateguard/stateguard ") {
			mod.WriteString("require github.com/stateguard/stateguard v0.0.0\n\n")
			mod.WriteString("replace github.com/stateguard/stateguard => " + root + "\n")
			addSum(filepath.Join(root, "go.sum"))
		}
	} else {
		mod.WriteString("require github.com/stateguard/stateguard v0.0.0\n\n")
		mod.WriteString("replace github.com/stateguard/stateguard => " + root + "\n")
		addSum(filepath.Join(root, "go.sum"))
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte(mod.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	var sum []byte
	for _, s := range sums {
		sum = append(sum, s...)
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sum, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GOWORK", "off")
	t.Setenv("GOFLAGS", "-mod=mod")
	t.Setenv("GOPROXY", "off")
	return dir
}

// TestGuardAPI runs the analyzer over code that calls the real guard
// package: Table.Save and Table.Update with every option form, and the
// saves after a failed guarded save.
func TestGuardAPI(t *testing.T) {
	dir := guardModule(t)
	results := analysistest.Run(t, dir, analyzer.Analyzer, "guardmod/api", "guardmod/conflict")
	if len(results) != 2 {
		t.Fatalf("analyzed %d packages, want 2", len(results))
	}
	n := 0
	for _, r := range results {
		n += len(r.Diagnostics)
		for _, d := range r.Diagnostics {
			if len(d.Related) == 0 {
				t.Errorf("%v: %s finding with no related information", r.Action.Package.Fset.Position(d.Pos), d.Category)
			}
		}
	}
	if n == 0 {
		t.Fatal("no findings at all")
	}
}

// TestSaveAfterConflict runs save-after-conflict over saves recognized by
// convention, directive and wrapper.
func TestSaveAfterConflict(t *testing.T) {
	results := analysistest.Run(t, testdata(t), analyzer.Analyzer, "conflict")
	n := 0
	for _, r := range results {
		for _, d := range r.Diagnostics {
			if d.Category == "save-after-conflict" {
				n++
				if len(d.Related) < 2 {
					t.Errorf("%v: want related information at the failed save and at the write", r.Action.Package.Fset.Position(d.Pos))
				}
			}
		}
	}
	if n == 0 {
		t.Fatal("no save-after-conflict finding")
	}
}
