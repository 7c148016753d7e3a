package drivertest

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stateguard/stateguard/internal/check"
)

// golangciConfig is a .golangci.yml that runs stateguard alone with the
// given plugin settings (YAML flow mappings) and, unless lax, reports in
// generated files too (golangci-lint skips them by default on its own).
func golangciConfig(t *testing.T, settings string, generated string) string {
	t.Helper()
	cfg := fmt.Sprintf(`version: "2"
run:
  relative-path-mode: wd
linters:
  default: none
  enable:
    - stateguard
  settings:
    custom:
      stateguard:
        type: module
        description: finds state guards that cannot catch a concurrent duplicate
        settings: %s
  exclusions:
    generated: %s
issues:
  max-issues-per-linter: 0
  max-same-issues: 0
  uniq-by-line: false
`, settings, generated)
	path := filepath.Join(t.TempDir(), ".golangci.yml")
	if err := os.WriteFile(path, []byte(cfg), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

// runGolangci runs golangci-lint with the configuration over pkgs of the
// corpus and returns its stateguard findings.
func runGolangci(t *testing.T, bin, config string, pkgs ...string) []Finding {
	t.Helper()
	return ParseGolangci(t, Corpus(t), golangciJSON(t, bin, config, pkgs...))
}

// golangciJSON runs golangci-lint with the configuration over pkgs of the
// corpus and returns its JSON output.
func golangciJSON(t *testing.T, bin, config string, pkgs ...string) string {
	t.Helper()
	// Each run has a cache of its own, so it need not wait for, or fail
	// on, another golangci-lint running on the machine (which holds the
	// lock in the temporary directory shared by every user).
	args := append([]string{"run", "--config=" + config, "--output.json.path=stdout", "--show-stats=false", "--allow-parallel-runners"}, pkgs...)
	res := Run(t, Corpus(t), []string{"GOLANGCI_LINT_CACHE=" + t.TempDir()}, bin, args...)
	if res.Exit != 0 && res.Exit != 1 {
		t.Fatalf("golangci-lint %s: exit %d\n%s%s", strings.Join(args, " "), res.Exit, res.Stdout, res.Stderr)
	}
	return res.Stdout
}

type golangciIssue struct {
	Text string
	Pos  struct{ Line int }
}

// golangciIssues runs golangci-lint and returns every issue it printed,
// as printed.
func golangciIssues(t *testing.T, bin, config string, pkgs ...string) []golangciIssue {
	t.Helper()
	out := golangciJSON(t, bin, config, pkgs...)
	var doc struct{ Issues []golangciIssue }
	if err := json.NewDecoder(strings.NewReader(out)).Decode(&doc); err != nil {
		t.Fatalf("parsing golangci-lint JSON: %v\n%s", err, out)
	}
	return doc.Issues
}

// One corpus, three drivers: the standalone command, go vet -vettool and
// golangci-lint with the plugin report the same findings (file, line,
// check), and they are the ones the corpus annotates.
func TestThreeDrivers(t *testing.T) {
	corpus := Corpus(t)
	dirs := []string{"orders", "billing/repo", "billing/invoices", "ignores", "gen", "clean"}
	var pkgs []string
	for _, d := range dirs {
		pkgs = append(pkgs, "./"+d)
	}
	// By default every driver skips generated files.
	want := Filter(Want(t, corpus, dirs...), func(f Finding) bool { return !strings.HasPrefix(f.File, "gen/") })
	if len(want) == 0 {
		t.Fatal("the corpus annotates no findings")
	}
	sg := Stateguard(t)

	res := Run(t, corpus, nil, sg, append([]string{"-json"}, pkgs...)...)
	standalone := ParseJSON(t, corpus, res.Stdout)
	if d := Diff(standalone, want); d != "" {
		t.Errorf("standalone findings differ from the annotations:\n%s", d)
	}

	res = Run(t, corpus, nil, "go", append([]string{"vet", "-vettool=" + sg, "-json"}, pkgs...)...)
	vet := ParseJSON(t, corpus, res.Stdout+res.Stderr)
	if d := Diff(vet, standalone); d != "" {
		t.Errorf("go vet -vettool findings differ from the standalone ones:\n%s", d)
	}

	bin := Golangci(t)
	gcl := runGolangci(t, bin, golangciConfig(t, "{}", "lax"), pkgs...)
	if d := Diff(gcl, standalone); d != "" {
		t.Errorf("golangci-lint findings differ from the standalone ones:\n%s", d)
	}
}

// golangci-lint with the plugin: findings appear, //nolint:stateguard
// silences the function it annotates, and the settings take effect.
func TestGolangci(t *testing.T) {
	corpus := Corpus(t)
	bin := Golangci(t)
	all := Want(t, corpus, "nolint")
	// nolint.Rerun carries //nolint:stateguard: the findings inside it
	// are silenced.
	from, to := funcLines(t, filepath.Join(corpus, "nolint", "nolint.go"), "Rerun")
	// nolint.Retry carries it on the reported line only.
	retryFrom, retryTo := funcLines(t, filepath.Join(corpus, "nolint", "nolint.go"), "Retry")
	silenced := func(f Finding) bool {
		return f.File == "nolint/nolint.go" && (f.Line >= from && f.Line <= to || f.Line >= retryFrom && f.Line <= retryTo)
	}
	want := Filter(all, func(f Finding) bool { return !silenced(f) })
	if len(want) == 0 || len(want) == len(all) {
		t.Fatalf("the nolint package must annotate findings inside and outside Rerun: %v", all)
	}

	got := runGolangci(t, bin, golangciConfig(t, "{}", "lax"), "./nolint")
	if d := Diff(got, want); d != "" {
		t.Errorf("golangci-lint over ./nolint:\n%s", d)
	}

	t.Run("nolint silences the related position too", func(t *testing.T) {
		// //nolint:stateguard on Retry's reported line must leave no
		// issue at all in Retry, not even one at the write above it;
		// the finding of Run, not silenced, names its write.
		issues := golangciIssues(t, bin, golangciConfig(t, "{}", "lax"), "./nolint")
		runFrom, runTo := funcLines(t, filepath.Join(corpus, "nolint", "nolint.go"), "Run")
		named := false
		for _, is := range issues {
			if is.Pos.Line >= retryFrom && is.Pos.Line <= retryTo {
				t.Errorf("an issue in Retry, whose finding carries //nolint:stateguard: line %d: %s", is.Pos.Line, is.Text)
			}
			if strings.Contains(is.Text, "related information") {
				t.Errorf("a separate issue for a related position, which //nolint on the finding's line cannot silence: line %d: %s", is.Pos.Line, is.Text)
			}
			if is.Pos.Line >= runFrom && is.Pos.Line <= runTo && strings.HasPrefix(is.Text, check.IneffectiveGuard+": ") {
				named = strings.Contains(is.Text, fmt.Sprintf("(related: line %d: Stage is set to StageRunning here)", runFrom+2))
				if !named {
					t.Errorf("Run's finding does not name its write on line %d: %s", runFrom+2, is.Text)
				}
			}
		}
		if !named {
			t.Errorf("no ineffective-guard issue in Run: %v", issues)
		}
	})

	t.Run("checks", func(t *testing.T) {
		got := runGolangci(t, bin, golangciConfig(t, "{checks: [all, -directive]}", "lax"), "./nolint")
		want := Filter(want, func(f Finding) bool { return f.Category != check.Directive })
		if d := Diff(got, want); d != "" || len(want) == 0 {
			t.Errorf("golangci-lint with checks [all, -directive]:\n%s", d)
		}
	})

	t.Run("generated", func(t *testing.T) {
		// golangci-lint's own exclusion of generated files is off here,
		// so the plugin's setting decides.
		if got := runGolangci(t, bin, golangciConfig(t, "{}", "disable"), "./gen"); len(got) != 0 {
			t.Errorf("generated files are skipped by default, got %v", got)
		}
		got := runGolangci(t, bin, golangciConfig(t, "{generated: true}", "disable"), "./gen")
		if d := Diff(got, Want(t, corpus, "gen")); d != "" {
			t.Errorf("golangci-lint with generated: true:\n%s", d)
		}
	})

	t.Run("readme config", func(t *testing.T) {
		// The .golangci.yml the README tells users to copy, checked in
		// beside the corpus: it switches reentrant-guard off.
		cfg := filepath.Join(corpus, ".golangci.yml")
		data, err := os.ReadFile(cfg)
		if err != nil {
			t.Fatal(err)
		}
		root, err := RepoRoot()
		if err != nil {
			t.Fatal(err)
		}
		readme, err := os.ReadFile(filepath.Join(root, "README.md"))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(readme), "```yaml\n"+string(data)+"```") {
			t.Errorf("README.md does not show %s as it is:\n%s", cfg, data)
		}
		dirs := []string{"orders", "billing/repo", "billing/invoices"}
		var pkgs []string
		for _, d := range dirs {
			pkgs = append(pkgs, "./"+d)
		}
		if !slices.ContainsFunc(Want(t, corpus, dirs...), func(f Finding) bool { return f.Category == check.ReentrantGuard }) {
			t.Fatal("the corpus must annotate a reentrant-guard finding for the setting to matter")
		}
		// The same setting as a flag of the standalone command. (With a
		// check off, ignores that silence nothing are not reported.)
		res := Run(t, corpus, nil, Stateguard(t), append([]string{"-json", "-checks=all,-reentrant-guard"}, pkgs...)...)
		want := ParseJSON(t, corpus, res.Stdout)
		if len(want) == 0 || slices.ContainsFunc(want, func(f Finding) bool { return f.Category == check.ReentrantGuard }) {
			t.Fatalf("standalone -checks=all,-reentrant-guard: %v", want)
		}
		if d := Diff(runGolangci(t, bin, cfg, pkgs...), want); d != "" {
			t.Errorf("golangci-lint with the README's .golangci.yml against the standalone command with the same setting:\n%s", d)
		}
	})

	t.Run("unknown setting", func(t *testing.T) {
		res := Run(t, corpus, []string{"GOLANGCI_LINT_CACHE=" + t.TempDir()}, bin,
			"run", "--config="+golangciConfig(t, "{checkz: [all]}", "lax"), "./nolint")
		if res.Exit == 0 || !strings.Contains(res.Stdout+res.Stderr, `unknown setting "checkz"`) {
			t.Errorf("an unknown setting: exit %d, want failure naming it:\n%s%s", res.Exit, res.Stdout, res.Stderr)
		}
	})
}

// funcLines returns the first and last line of the declaration of the
// function name in file, its doc comment included.
func funcLines(t *testing.T, file, name string) (from, to int) {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, file, nil, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range f.Decls {
		if fd, ok := d.(*ast.FuncDecl); ok && fd.Recv == nil && fd.Name.Name == name {
			start := fd.Pos()
			if fd.Doc != nil {
				start = fd.Doc.Pos()
			}
			return fset.Position(start).Line, fset.Position(fd.End()).Line
		}
	}
	t.Fatalf("%s declares no function %s", file, name)
	return 0, 0
}
