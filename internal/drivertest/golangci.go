package drivertest

import (
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
)

const golangciModule = "github.com/golangci/golangci-lint/v2"

// pluginsFile is the file that links the stateguard plugin into
// golangci-lint, as `golangci-lint custom` would write it.
const pluginsFile = `package main

import _ "github.com/stateguard/stateguard/plugin"
`

var (
	golangciOnce sync.Once
	golangciBin  string
	golangciErr  error
)

// Golangci returns the path of a golangci-lint GolangciVersion binary that
// includes the stateguard plugin. It skips t unless GolangciEnv is set to 1.
//
// `golangci-lint custom` clones golangci-lint with git; this builds the same
// binary from the module proxy alone: it copies the golangci-lint module
// from the module cache, adds a file with a blank import of the plugin,
// points the stateguard requirement at this work tree and builds. The
// prepared source tree lives in CacheDir, keyed by the golangci-lint
// version and this module's go.mod and go.sum, and survives between runs;
// the build itself is incremental (seconds once the go build cache is
// warm, about 150 s cold on two cores), so the binary always has the
// current analyzer.
func Golangci(t testing.TB) string {
	t.Helper()
	if os.Getenv(GolangciEnv) != "1" {
		t.Skipf("set %s=1 to build golangci-lint %s with the plugin and run it", GolangciEnv, GolangciVersion)
	}
	golangciOnce.Do(func() {
		golangciBin, golangciErr = BuildGolangci(os.Stderr)
	})
	if golangciErr != nil {
		t.Fatal(golangciErr)
	}
	return golangciBin
}

// CacheDir is where the golangci-lint source trees are kept:
// $STATEGUARD_CACHE, else the user cache directory's stateguard folder.
func CacheDir() (string, error) {
	if d := os.Getenv("STATEGUARD_CACHE"); d != "" {
		return d, nil
	}
	d, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(d, "stateguard"), nil
}

// BuildGolangci prepares (once) and builds golangci-lint with the plugin,
// logging the slow steps to log, and returns the binary's path.
func BuildGolangci(log io.Writer) (string, error) {
	root, err := RepoRoot()
	if err != nil {
		return "", err
	}
	// One tree per work tree (the replace directive names it) and per
	// go.mod and go.sum (tidy resolved them).
	where, err := shortHash(func(w io.Writer) error {
		_, err := fmt.Fprintln(w, root)
		return err
	})
	if err != nil {
		return "", err
	}
	key, err := shortHash(func(w io.Writer) error {
		for _, f := range []string{"go.mod", "go.sum"} {
			data, err := os.ReadFile(filepath.Join(root, f))
			if err != nil {
				return err
			}
			w.Write(data)
		}
		return nil
	})
	if err != nil {
		return "", err
	}
	base, err := CacheDir()
	if err != nil {
		return "", err
	}
	prefix := "golangci-lint-" + GolangciVersion + "-" + where + "-"
	dir := filepath.Join(base, prefix+key)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	unlock, err := lock(filepath.Join(dir, "lock"))
	if err != nil {
		return "", err
	}
	defer unlock()

	src := filepath.Join(dir, "src")
	if _, err := os.Stat(filepath.Join(dir, "ready")); err != nil {
		fmt.Fprintf(log, "drivertest: preparing golangci-lint %s with the stateguard plugin in %s\n", GolangciVersion, dir)
		if err := prepare(src, root); err != nil {
			return "", fmt.Errorf("preparing golangci-lint: %w", err)
		}
		if err := os.WriteFile(filepath.Join(dir, "ready"), nil, 0o644); err != nil {
			return "", err
		}
		removeStale(log, filepath.Join(base, prefix+"*"), dir)
	}
	bin := filepath.Join(dir, "golangci-lint"+exe())
	tmp := bin + ".tmp"
	fmt.Fprintf(log, "drivertest: building %s\n", bin)
	if err := goCmd(src, "build", "-o", tmp,
		"-ldflags=-X main.version="+strings.TrimPrefix(GolangciVersion, "v")+" -X main.commit=custom-stateguard -X main.date=module-proxy-build",
		"./cmd/golangci-lint"); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, bin); err != nil {
		return "", err
	}
	return bin, nil
}

// prepare writes the golangci-lint source tree with the plugin into src.
func prepare(src, root string) error {
	out, err := exec.Command("go", "mod", "download", "-json", golangciModule+"@"+GolangciVersion).Output()
	if err != nil {
		return fmt.Errorf("go mod download %s@%s: %w", golangciModule, GolangciVersion, err)
	}
	var mod struct{ Dir, Error string }
	if err := json.Unmarshal(out, &mod); err != nil {
		return err
	}
	if mod.Error != "" || mod.Dir == "" {
		return fmt.Errorf("go mod download %s@%s: %s", golangciModule, GolangciVersion, mod.Error)
	}
	tmp := src + ".tmp"
	if err := os.RemoveAll(tmp); err != nil {
		return err
	}
	if err := copyTree(tmp, mod.Dir); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(tmp, "cmd", "golangci-lint", "plugins.go"), []byte(pluginsFile), 0o644); err != nil {
		return err
	}
	const self = "github.com/stateguard/stateguard"
	if err := goCmd(tmp, "mod", "edit", "-require="+self+"@v0.0.0", "-replace="+self+"="+root); err != nil {
		return err
	}
	if err := goCmd(tmp, "mod", "tidy"); err != nil {
		return err
	}
	if err := os.RemoveAll(src); err != nil {
		return err
	}
	return os.Rename(tmp, src)
}

// copyTree copies the regular files of from (a read-only module cache
// directory) to a new writable tree at to.
func copyTree(to, from string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		target := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, 0o644)
	})
}

func goCmd(dir string, args ...string) error {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=-mod=mod")
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("go %s (in %s): %v\n%s", strings.Join(args, " "), dir, err, out)
	}
	return nil
}

// removeStale removes the trees matching pattern but keep: those of this
// work tree that a changed go.mod or go.sum left behind, unless another
// test binary is using one.
func removeStale(log io.Writer, pattern, keep string) {
	old, _ := filepath.Glob(pattern)
	for _, d := range old {
		if d == keep {
			continue
		}
		unlock, err := tryLock(filepath.Join(d, "lock"))
		if err != nil {
			continue
		}
		fmt.Fprintf(log, "drivertest: removing the stale %s\n", d)
		os.RemoveAll(d)
		unlock()
	}
}
