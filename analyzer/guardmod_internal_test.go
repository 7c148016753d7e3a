package analyzer

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"
)

// GuardModule is guardModule, for the tests outside the package.
var GuardModule = guardModule

// guardModule copies the module testdata/guardmod into a temporary
// directory with a go.mod that requires the guard package of the
// repository at root (this one when root is "") through a replace: of the
// repository's root module when guard is a package of it, of guard's own
// module when guard/go.mod exists. It returns the module's directory.
func guardModule(t testing.TB, root string) string {
	t.Helper()
	if root == "" {
		var err error
		if root, err = filepath.Abs(".."); err != nil {
			t.Fatal(err)
		}
	}
	testdata, err := filepath.Abs(filepath.Join("..", "testdata"))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	src := filepath.Join(testdata, "guardmod")
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

// splitRepo builds, in a temporary directory, the layout of this
// repository with guard in its own module: a root module holding
// internal/check, and guard/ (the guard package only) with its own go.mod
// that requires the root module. It returns the root.
func splitRepo(t testing.TB) string {
	t.Helper()
	repo, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	root := t.TempDir()
	copyGo := func(from, to string) {
		if err := os.MkdirAll(to, 0o755); err != nil {
			t.Fatal(err)
		}
		ents, err := os.ReadDir(from)
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if e.IsDir() || !strings.HasSuffix(e.Name(), ".go") || strings.HasSuffix(e.Name(), "_test.go") {
				continue
			}
			b, err := os.ReadFile(filepath.Join(from, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(to, e.Name()), b, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	copyGo(filepath.Join(repo, "guard"), filepath.Join(root, "guard"))
	copyGo(filepath.Join(repo, "internal", "check"), filepath.Join(root, "internal", "check"))
	files := map[string]string{
		"go.mod":       "module github.com/stateguard/stateguard\n\ngo 1.26.0\n",
		"guard/go.mod": "module github.com/stateguard/stateguard/guard\n\ngo 1.26.0\n\nrequire github.com/stateguard/stateguard v0.0.0\n",
	}
	for name, content := range files {
		if err := os.WriteFile(filepath.Join(root, name), []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// The testdata module that imports guard works when guard is a package of
// the root module (as now) and when it is a module of its own.
func TestGuardModuleSplit(t *testing.T) {
	dir := guardModule(t, splitRepo(t))
	mod, err := os.ReadFile(filepath.Join(dir, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(mod), "github.com/stateguard/stateguard/guard =>") {
		t.Fatalf("go.mod does not replace guard's own module:\n%s", mod)
	}
	results := analysistest.Run(t, dir, Analyzer, "guardmod/api")
	if len(results) != 1 || len(results[0].Diagnostics) == 0 {
		t.Fatalf("analyzed %d packages with guard in its own module, want 1 with findings", len(results))
	}
}
