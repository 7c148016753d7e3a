package modgraph_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stateguard/stateguard/internal/drivertest"
)

const guardPath = "github.com/stateguard/stateguard/guard"

// goCmd runs the go command in dir with extra environment and returns its
// standard output.
func goCmd(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("go %s (in %s): %v\n%s", strings.Join(args, " "), dir, err, stderr.String())
	}
	return stdout.String()
}

func root(t *testing.T) string {
	t.Helper()
	r, err := drivertest.RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return r
}

type goMod struct {
	Module  struct{ Path string }
	Require []struct {
		Path     string
		Version  string
		Indirect bool
	}
	Replace []struct {
		Old, New struct{ Path, Version string }
	}
}

func readGoMod(t *testing.T, dir string) goMod {
	t.Helper()
	var m goMod
	if err := json.Unmarshal([]byte(goCmd(t, dir, []string{"GOWORK=off"}, "mod", "edit", "-json")), &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// guard's go.mod has no requirement at all, direct, indirect or for its
// tests: importing it adds no module to a service.
func TestGuardRequiresNothing(t *testing.T) {
	dir := filepath.Join(root(t), "guard")
	m := readGoMod(t, dir)
	if m.Module.Path != guardPath {
		t.Fatalf("guard/go.mod declares module %q, want %q", m.Module.Path, guardPath)
	}
	for _, r := range m.Require {
		t.Errorf("guard/go.mod requires %s %s: the runtime library must depend on the standard library alone", r.Path, r.Version)
	}
	if len(m.Replace) > 0 {
		t.Errorf("guard/go.mod has replace directives: %v", m.Replace)
	}
	// Nothing in the module imports outside it and the standard library,
	// tests included (an import would need a requirement, or fail).
	out := goCmd(t, dir, []string{"GOWORK=off", "GOFLAGS="}, "list", "-deps", "-test", "-f", "{{if not .Standard}}{{.ImportPath}}{{\"\\n\"}}{{end}}", "./...")
	for line := range strings.Lines(out) {
		// "p", "p [p.test]", "p_test [p.test]" or "p.test".
		p := strings.Fields(line)[0]
		p = strings.TrimSuffix(strings.TrimSuffix(p, ".test"), "_test")
		if p != guardPath && !strings.HasPrefix(p, guardPath+"/") {
			t.Errorf("package %s of the guard module's build or tests is outside it and the standard library", p)
		}
	}
}

// No go.mod of the repository has a replace directive: `go install
// ...@latest` refuses a module with one, and consumers ignore them. The
// workspace (go.work) points the modules at each other.
func TestNoReplace(t *testing.T) {
	r := root(t)
	for _, dir := range modules(t, r) {
		if m := readGoMod(t, filepath.Join(r, dir)); len(m.Replace) > 0 {
			t.Errorf("%s/go.mod has replace directives: %v", dir, m.Replace)
		}
	}
}

// modules lists the directories of go.work's modules, relative to root.
func modules(t *testing.T, root string) []string {
	t.Helper()
	var w struct{ Use []struct{ DiskPath string } }
	if err := json.Unmarshal([]byte(goCmd(t, root, nil, "work", "edit", "-json", filepath.Join(root, "go.work"))), &w); err != nil {
		t.Fatal(err)
	}
	var dirs []string
	for _, u := range w.Use {
		dirs = append(dirs, filepath.Clean(u.DiskPath))
	}
	if len(dirs) < 2 {
		t.Fatalf("go.work uses %v", dirs)
	}
	return dirs
}

// TestServiceModules builds a service that imports guard and one store in
// a temporary module, resolved through a workspace of that module and the
// repository's guard and store modules, and lists its module graph (go
// list -m all). guard alone adds only itself; guard and a store add only
// themselves to the graph of a service that imports the store's driver
// directly: nothing of the tool module (x/tools, the golangci-lint plugin
// register), no other store's driver, no test suite. Run with -v to print
// the graphs.
func TestServiceModules(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the go command over the store modules")
	}
	r := root(t)
	v := version(t, r)
	// Modules of the tool module, of the test suite and of the other
	// stores' drivers.
	foreign := []string{"github.com/stateguard/", "golang.org/x/tools", "github.com/golangci/", "github.com/anishathalye/",
		"modernc.org/", "github.com/jackc/", "github.com/go-sql-driver/"}
	for _, tc := range []struct {
		store  string // "" for guard alone
		driver string // the package the store's users would import without it
	}{
		{"", ""},
		{"sqlitestore", "modernc.org/sqlite"},
		{"pgstore", "github.com/jackc/pgx/v5/stdlib"},
		{"pgxstore", "github.com/jackc/pgx/v5/pgxpool"},
		{"mysqlstore", "github.com/go-sql-driver/mysql"},
	} {
		name := tc.store
		if name == "" {
			name = "guard"
		}
		t.Run(name, func(t *testing.T) {
			imports := []string{guardPath}
			use := []string{filepath.Join(r, "guard")}
			require := []string{guardPath + " " + v}
			var driverRequire []string
			if tc.store != "" {
				imports = append(imports, guardPath+"/"+tc.store)
				use = append(use, filepath.Join(r, "guard", tc.store))
				require = append(require, guardPath+"/"+tc.store+" "+v)
				for _, req := range readGoMod(t, use[1]).Require {
					if req.Path == guardPath {
						continue
					}
					driverRequire = append(driverRequire, req.Path+" "+req.Version)
					for _, f := range foreign {
						if strings.HasPrefix(req.Path, f) && !strings.HasPrefix(tc.driver, f) {
							t.Errorf("guard/%s/go.mod requires %s", tc.store, req.Path)
						}
					}
				}
			}
			dir := t.TempDir()
			service(t, dir, imports, require)
			work := "go 1.26.0\n\nuse (\n\t.\n"
			for _, u := range use {
				work += "\t" + u + "\n"
			}
			work += ")\n"
			for _, u := range use {
				work += "\nreplace " + readGoMod(t, u).Module.Path + " " + v + " => " + u + "\n"
			}
			write(t, filepath.Join(dir, "go.work"), work)
			env := []string{"GOWORK=" + filepath.Join(dir, "go.work"), "GOFLAGS="}
			goCmd(t, dir, env, "build", "-o", os.DevNull, ".")
			graph := strings.Fields(goCmd(t, dir, env, "list", "-m", "-f", "{{.Path}}", "all"))
			t.Logf("a service importing %s:\n\t%s", strings.Join(imports, " and "), strings.Join(graph, "\n\t"))

			// The same service importing the driver alone, with the
			// store's requirements.
			want := []string{"example.com/service"}
			if tc.store != "" {
				bare := t.TempDir()
				service(t, bare, []string{tc.driver}, driverRequire)
				sum, err := os.ReadFile(filepath.Join(use[1], "go.sum"))
				if err != nil {
					t.Fatal(err)
				}
				write(t, filepath.Join(bare, "go.sum"), string(sum))
				want = strings.Fields(goCmd(t, bare, []string{"GOWORK=off", "GOFLAGS="}, "list", "-m", "-f", "{{.Path}}", "all"))
			}
			want = append(want, require...)
			for i := range want {
				want[i] = strings.Fields(want[i])[0]
			}
			slices.Sort(graph)
			slices.Sort(want)
			if !slices.Equal(graph, want) {
				t.Errorf("a service importing %s has the modules\n\t%s\nwant those of its driver and %s:\n\t%s",
					strings.Join(imports, " and "), strings.Join(graph, "\n\t"), strings.Join(require, ", "), strings.Join(want, "\n\t"))
			}
		})
	}
}

// service writes a module example.com/service in dir whose main package
// imports imports, with the requirements require ("path version").
func service(t *testing.T, dir string, imports, require []string) {
	t.Helper()
	mod := "module example.com/service\n\ngo 1.26.0\n"
	if len(require) > 0 {
		mod += "\nrequire (\n\t" + strings.Join(require, "\n\t") + "\n)\n"
	}
	write(t, filepath.Join(dir, "go.mod"), mod)
	src := "package main\n\n"
	for _, p := range imports {
		src += "import _ \"" + p + "\"\n"
	}
	write(t, filepath.Join(dir, "main.go"), src+"\nfunc main() {}\n")
}

// version is the version at which the repository's modules require each
// other (that of guard in sqlitestore's go.mod).
func version(t *testing.T, root string) string {
	t.Helper()
	for _, r := range readGoMod(t, filepath.Join(root, "guard", "sqlitestore")).Require {
		if r.Path == guardPath {
			return r.Version
		}
	}
	t.Fatal("guard/sqlitestore/go.mod does not require guard")
	return ""
}

func write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// go.work lists every module of the repository (but the test inputs under
// testdata), so that the workspace's pattern github.com/stateguard/stateguard/...
// covers them all, and every module's path is its directory's.
func TestWorkspaceListsEveryModule(t *testing.T) {
	r := root(t)
	used := modules(t, r)
	var found []string
	err := filepath.WalkDir(r, func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".")) && path != r {
			return filepath.SkipDir
		}
		if d.Name() == "go.mod" {
			rel, err := filepath.Rel(r, filepath.Dir(path))
			if err != nil {
				return err
			}
			found = append(found, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(found)
	slices.Sort(used)
	if !slices.Equal(found, used) {
		t.Errorf("go.work uses %v; the repository's modules are %v", used, found)
	}
	for _, dir := range found {
		want := "github.com/stateguard/stateguard"
		if dir != "." {
			want += "/" + filepath.ToSlash(dir)
		}
		if got := readGoMod(t, filepath.Join(r, dir)).Module.Path; got != want {
			t.Errorf("%s/go.mod declares module %s, want %s", dir, got, want)
		}
	}
}
