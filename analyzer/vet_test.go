package analyzer

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestVetTool builds cmd/stateguard and runs it under go vet -vettool over
// testdata/vetmod, a module of three packages: server declares a guarded
// save, bad calls it with an ineffective guard (checked through the fact
// server exports), clean calls it correctly.
func TestVetTool(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the command and runs go vet; skipped with -short")
	}
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Skip("go is not on PATH")
	}
	bin := filepath.Join(t.TempDir(), "stateguard")
	build := exec.Command(goCmd, "build", "-o", bin, "github.com/stateguard/stateguard/cmd/stateguard")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/stateguard: %v\n%s", err, out)
	}
	mod, err := filepath.Abs(filepath.Join("..", "testdata", "vetmod"))
	if err != nil {
		t.Fatal(err)
	}
	vet := func(args ...string) (string, int) {
		t.Helper()
		cmd := exec.Command(goCmd, append([]string{"vet", "-vettool=" + bin}, args...)...)
		cmd.Dir = mod
		// The module has no dependencies: nothing is downloaded, and the
		// work tree's go.work, if any, stays out of it.
		cmd.Env = append(os.Environ(), "GOWORK=off", "GOFLAGS=", "GOPROXY=off", "GOTOOLCHAIN=local")
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		var exit *exec.ExitError
		switch {
		case err == nil:
			return out.String(), 0
		case errors.As(err, &exit):
			return out.String(), exit.ExitCode()
		}
		t.Fatalf("go vet %s: %v\n%s", strings.Join(args, " "), err, &out)
		return "", 0
	}

	// The finding's position, from the marked line of bad/bad.go.
	line, col := markedCall(t, filepath.Join(mod, "bad", "bad.go"), "// finding: ineffective-guard", "s.Save(")
	want := regexp.MustCompile(fmt.Sprintf(`(?m)^(\./)?bad[/\\]bad\.go:%d:%d: ineffective-guard: TaskState is set to server\.TaskShelving and this save expects only server\.TaskShelving`, line, col))

	out, code := vet("./...")
	if code == 0 {
		t.Errorf("go vet ./... exited 0, want a failure for bad/bad.go\n%s", out)
	}
	if !want.MatchString(out) {
		t.Errorf("go vet ./... output lacks bad/bad.go:%d:%d: ineffective-guard: ...:\n%s", line, col, out)
	}
	if strings.Contains(out, "clean.go") || strings.Contains(out, "server.go") {
		t.Errorf("go vet ./... reported in a clean package:\n%s", out)
	}

	if out, code := vet("./clean", "./server"); code != 0 || out != "" {
		t.Errorf("go vet ./clean ./server = exit %d, output:\n%s\nwant exit 0 and no output", code, out)
	}

	// The analyzer's flags reach it through go vet.
	if out, code := vet("-checks=-ineffective-guard", "./..."); code != 0 || out != "" {
		t.Errorf("go vet -checks=-ineffective-guard ./... = exit %d, output:\n%s\nwant exit 0 and no output", code, out)
	}
	if out, code := vet("-checks=ineffective-gaurd", "./bad"); code == 0 || !strings.Contains(out, `unknown check "ineffective-gaurd"`) {
		t.Errorf("go vet -checks=ineffective-gaurd = exit %d, output:\n%s\nwant a failure naming the unknown check", code, out)
	}
}

// markedCall returns the line and column (1-based, in bytes) of the first
// occurrence of call on the line of file that contains marker.
func markedCall(t *testing.T, file, marker, call string) (line, col int) {
	t.Helper()
	src, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	for i, l := range strings.Split(string(src), "\n") {
		if strings.Contains(l, marker) {
			if c := strings.Index(l, call); c >= 0 {
				return i + 1, c + 1
			}
		}
	}
	t.Fatalf("%s: no line with %q and %q", file, marker, call)
	return 0, 0
}
