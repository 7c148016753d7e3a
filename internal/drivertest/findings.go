package drivertest

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stateguard/stateguard/internal/check"
)

// A Finding is what the drivers must agree on: where, and which check.
type Finding struct {
	File     string // slash-separated, relative to the corpus root
	Line     int
	Category string
}

func (f Finding) String() string { return fmt.Sprintf("%s:%d: %s", f.File, f.Line, f.Category) }

// Sort sorts fs by file, line and category, and removes duplicates.
func Sort(fs []Finding) []Finding {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Category, b.Category))
	})
	return slices.Compact(fs)
}

// Filter returns the findings of fs for which keep is true.
func Filter(fs []Finding, keep func(Finding) bool) []Finding {
	var out []Finding
	for _, f := range fs {
		if keep(f) {
			out = append(out, f)
		}
	}
	return out
}

// InDirs returns a keep function for Filter: findings in files under one of
// the corpus directories dirs.
func InDirs(dirs ...string) func(Finding) bool {
	return func(f Finding) bool {
		for _, d := range dirs {
			if strings.HasPrefix(f.File, d+"/") {
				return true
			}
		}
		return false
	}
}

// Diff describes the difference between got and want, or returns "".
func Diff(got, want []Finding) string {
	got, want = Sort(slices.Clone(got)), Sort(slices.Clone(want))
	var b strings.Builder
	for _, f := range want {
		if !slices.Contains(got, f) {
			fmt.Fprintf(&b, "\tmissing:    %s\n", f)
		}
	}
	for _, f := range got {
		if !slices.Contains(want, f) {
			fmt.Fprintf(&b, "\tunexpected: %s\n", f)
		}
	}
	return b.String()
}

var annotation = regexp.MustCompile(`//\s*finding\s+([a-z-]+(?:\s*,\s*[a-z-]+)*)\s*$`)

// Want returns the findings annotated in the Go files of the corpus
// directories dirs: `// finding CATEGORY[, CATEGORY]` at the end of a line
// is a finding on that line; alone on a line, on the next line.
func Want(t testing.TB, corpus string, dirs ...string) []Finding {
	t.Helper()
	var out []Finding
	for _, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(corpus, dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, file := range files {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			rel := filepath.ToSlash(filepath.Join(dir, filepath.Base(file)))
			sc := bufio.NewScanner(bytes.NewReader(data))
			for n := 1; sc.Scan(); n++ {
				line := sc.Text()
				m := annotation.FindStringSubmatch(line)
				if m == nil {
					continue
				}
				at := n
				if strings.HasPrefix(strings.TrimSpace(line), "//") {
					at = n + 1
				}
				for c := range strings.SplitSeq(m[1], ",") {
					c = strings.TrimSpace(c)
					if _, ok := check.Lookup(c); !ok {
						t.Fatalf("%s:%d: annotation names unknown check %q", rel, n, c)
					}
					out = append(out, Finding{rel, at, c})
				}
			}
		}
	}
	return Sort(out)
}

// rel makes an absolute file name relative to the corpus root.
func rel(t testing.TB, corpus, file string) string {
	t.Helper()
	if !filepath.IsAbs(file) {
		file = filepath.Join(corpus, file)
	}
	r, err := filepath.Rel(corpus, file)
	if err != nil || !filepath.IsLocal(r) {
		t.Fatalf("finding in %s, outside the corpus %s", file, corpus)
	}
	return filepath.ToSlash(r)
}

// splitPosn splits "file:line:col" (file may contain colons).
func splitPosn(posn string) (file string, line int, ok bool) {
	i := strings.LastIndex(posn, ":")
	if i < 0 {
		return "", 0, false
	}
	j := strings.LastIndex(posn[:i], ":")
	if j < 0 {
		return "", 0, false
	}
	line, err := strconv.Atoi(posn[j+1 : i])
	if err != nil {
		return "", 0, false
	}
	return posn[:j], line, true
}

// categoryOf derives the check from a message, which starts with the
// check's name and a colon: for outputs that do not carry the category.
func categoryOf(msg string) string {
	name, _, ok := strings.Cut(msg, ":")
	if _, known := check.Lookup(name); ok && known {
		return name
	}
	return ""
}

// ParseJSON parses the JSON of go/analysis drivers (the standalone -json
// output, or go vet -json, which writes one object per package, each
// perhaps preceded by a "# package" line): a map from package to analyzer
// to a list of diagnostics or an error. An error fails t. A diagnostic's
// category must agree with its message.
func ParseJSON(t testing.TB, corpus string, out string) []Finding {
	t.Helper()
	var clean strings.Builder
	for line := range strings.Lines(out) {
		if !strings.HasPrefix(line, "#") {
			clean.WriteString(line)
		}
	}
	dec := json.NewDecoder(strings.NewReader(clean.String()))
	var fs []Finding
	for {
		var tree map[string]map[string]json.RawMessage
		if err := dec.Decode(&tree); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("parsing JSON output: %v\n%s", err, out)
		}
		for pkg, byAnalyzer := range tree {
			for name, raw := range byAnalyzer {
				if name != "stateguard" {
					t.Fatalf("JSON output has results of analyzer %q", name)
				}
				var e struct{ Error string }
				if json.Unmarshal(raw, &e) == nil && e.Error != "" {
					t.Fatalf("%s: analysis error: %s", pkg, e.Error)
				}
				var diags []struct {
					Category, Posn, End, Message string
				}
				if err := json.Unmarshal(raw, &diags); err != nil {
					t.Fatalf("%s: parsing diagnostics: %v", pkg, err)
				}
				for _, d := range diags {
					file, line, ok := splitPosn(d.Posn)
					if !ok {
						t.Fatalf("%s: bad posn %q", pkg, d.Posn)
					}
					if d.Category == "" || d.Category != categoryOf(d.Message) {
						t.Errorf("%s: category %q does not match message %q", d.Posn, d.Category, d.Message)
					}
					fs = append(fs, Finding{rel(t, corpus, file), line, d.Category})
				}
			}
		}
	}
	return Sort(fs)
}

var textLine = regexp.MustCompile(`^(.+?\.go):(\d+):(\d+): (.*)$`)

// ParseText parses "file:line:col: message" lines, skipping the
// tab-indented related positions that follow a finding; other lines are
// returned separately.
func ParseText(t testing.TB, corpus, out string) (fs []Finding, other []string) {
	t.Helper()
	for line := range strings.Lines(out) {
		line = strings.TrimRight(line, "\n")
		m := textLine.FindStringSubmatch(line)
		if m == nil {
			if strings.TrimSpace(line) != "" {
				other = append(other, line)
			}
			continue
		}
		if strings.HasPrefix(m[4], "\t") {
			continue // related information of the finding above
		}
		n, _ := strconv.Atoi(m[2])
		c := categoryOf(m[4])
		if c == "" {
			t.Errorf("finding without a check name: %s", line)
		}
		fs = append(fs, Finding{rel(t, corpus, m[1]), n, c})
	}
	return Sort(fs), other
}

// ParseGolangci parses golangci-lint's JSON output (--output.json.path):
// the issues of the stateguard linter, categories derived from messages,
// without any extra issue golangci-lint makes of a related position (the
// plugin puts them in the message, so there should be none).
func ParseGolangci(t testing.TB, corpus, out string) []Finding {
	t.Helper()
	// golangci-lint may print a trailing summary after the JSON document.
	dec := json.NewDecoder(strings.NewReader(out))
	var doc struct {
		Issues []struct {
			FromLinter string
			Text       string
			Pos        struct {
				Filename string
				Line     int
			}
		}
	}
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("parsing golangci-lint JSON: %v\n%s", err, out)
	}
	var fs []Finding
	for _, is := range doc.Issues {
		if is.FromLinter != "stateguard" {
			t.Errorf("issue of linter %q: %s", is.FromLinter, is.Text)
			continue
		}
		if strings.HasPrefix(is.Text, "stateguard(related information): ") {
			continue // golangci-lint shows each related position as an issue
		}
		c := categoryOf(is.Text)
		if c == "" {
			t.Errorf("%s:%d: issue without a check name: %s", is.Pos.Filename, is.Pos.Line, is.Text)
		}
		fs = append(fs, Finding{rel(t, corpus, is.Pos.Filename), is.Pos.Line, c})
	}
	return Sort(fs)
}
