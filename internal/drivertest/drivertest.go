// Package drivertest builds the programs that run stateguard (the
// stateguard command and a golangci-lint with the stateguard plugin) for the
// tests that run them over testdata/drivers, and parses what they print.
package drivertest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
)

// GolangciVersion is the golangci-lint release the plugin is built into.
const GolangciVersion = "v2.15.0"

// GolangciEnv is the environment variable that enables the tests that build
// and run golangci-lint (slow the first time: about 150 s on two cores).
const GolangciEnv = "STATEGUARD_GOLANGCI"

// RepoRoot returns the root of the stateguard module.
func RepoRoot() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", fmt.Errorf("cannot locate the drivertest source")
	}
	return filepath.Abs(filepath.Join(filepath.Dir(file), "..", ".."))
}

// Corpus returns the directory of the testdata/drivers module.
func Corpus(t testing.TB) string {
	t.Helper()
	root, err := RepoRoot()
	if err != nil {
		t.Fatal(err)
	}
	return filepath.Join(root, "testdata", "drivers")
}

var (
	stateguardOnce sync.Once
	stateguardBin  string
	stateguardErr  error
)

// Stateguard builds the stateguard command once per test binary and returns
// its path.
func Stateguard(t testing.TB) string {
	t.Helper()
	stateguardOnce.Do(func() {
		root, err := RepoRoot()
		if err != nil {
			stateguardErr = err
			return
		}
		dir, err := os.MkdirTemp("", "stateguard-bin-")
		if err != nil {
			stateguardErr = err
			return
		}
		bin := filepath.Join(dir, "stateguard"+exe())
		cmd := exec.Command("go", "build", "-o", bin, "./cmd/stateguard")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			stateguardErr = fmt.Errorf("go build ./cmd/stateguard: %v\n%s", err, out)
			return
		}
		stateguardBin = bin
	})
	if stateguardErr != nil {
		t.Fatal(stateguardErr)
	}
	return stateguardBin
}

func exe() string {
	if runtime.GOOS == "windows" {
		return ".exe"
	}
	return ""
}

// Result is what a program printed and how it exited.
type Result struct {
	Stdout, Stderr string
	Exit           int
}

// Run runs name with args in dir, with GOWORK off so
// that the corpus module is analyzed on its own, and returns its output and
// exit status. It fails t if the program could not be started.
func Run(t testing.TB, dir string, env []string, name string, args ...string) Result {
	t.Helper()
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOWORK=off")
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	res := Result{Stdout: stdout.String(), Stderr: stderr.String()}
	if err != nil {
		ee, ok := err.(*exec.ExitError)
		if !ok {
			t.Fatalf("%s %s: %v", name, strings.Join(args, " "), err)
		}
		res.Exit = ee.ExitCode()
	}
	return res
}

// shortHash is the first 12 hex digits of the SHA-256 of what fill writes.
func shortHash(fill func(io.Writer) error) (string, error) {
	h := sha256.New()
	if err := fill(h); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil))[:12], nil
}
