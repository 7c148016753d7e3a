package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"runtime/debug"
	"strings"

	"github.com/stateguard/stateguard/analyzer"
	"github.com/stateguard/stateguard/internal/check"
)

// The subset of SARIF 2.1.0 that stateguard writes. Field names follow the
// specification (https://docs.oasis-open.org/sarif/sarif/v2.1.0/).
type (
	sarifLog struct {
		Schema  string     `json:"$schema"`
		Version string     `json:"version"`
		Runs    []sarifRun `json:"runs"`
	}
	sarifRun struct {
		Tool               sarifTool                   `json:"tool"`
		OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
		Results            []sarifResult               `json:"results"`
		Invocations        []sarifInvocation           `json:"invocations"`
	}
	sarifTool struct {
		Driver sarifDriver `json:"driver"`
	}
	sarifDriver struct {
		Name           string      `json:"name"`
		InformationURI string      `json:"informationUri"`
		Version        string      `json:"version,omitempty"`
		Rules          []sarifRule `json:"rules"`
	}
	sarifRule struct {
		ID                   string          `json:"id"`
		Name                 string          `json:"name"`
		ShortDescription     sarifMessage    `json:"shortDescription"`
		FullDescription      sarifMessage    `json:"fullDescription"`
		HelpURI              string          `json:"helpUri"`
		Help                 sarifMessage    `json:"help"`
		DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
		Properties           sarifRuleProps  `json:"properties"`
	}
	sarifRuleConfig struct {
		Enabled bool   `json:"enabled"`
		Level   string `json:"level"`
	}
	sarifRuleProps struct {
		Tags []string `json:"tags"`
	}
	sarifMessage struct {
		Text string `json:"text"`
	}
	sarifResult struct {
		RuleID           string                 `json:"ruleId"`
		RuleIndex        int                    `json:"ruleIndex"`
		Level            string                 `json:"level"`
		Message          sarifMessage           `json:"message"`
		Locations        []sarifLocation        `json:"locations"`
		RelatedLocations []sarifRelatedLocation `json:"relatedLocations,omitempty"`
		// PartialFingerprints identify a result across runs (GitHub
		// matches alerts by them); see fingerprints.
		PartialFingerprints map[string]string `json:"partialFingerprints"`
	}
	sarifLocation struct {
		PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
	}
	sarifRelatedLocation struct {
		ID               int                   `json:"id"`
		PhysicalLocation sarifPhysicalLocation `json:"physicalLocation"`
		Message          sarifMessage          `json:"message"`
	}
	sarifPhysicalLocation struct {
		ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
		Region           sarifRegion      `json:"region"`
	}
	sarifArtifactLoc struct {
		URI       string `json:"uri"`
		URIBaseID string `json:"uriBaseId,omitempty"`
	}
	sarifRegion struct {
		StartLine   int `json:"startLine"`
		StartColumn int `json:"startColumn"`
		EndLine     int `json:"endLine"`
		EndColumn   int `json:"endColumn"`
	}
	sarifInvocation struct {
		ExecutionSuccessful        bool                `json:"executionSuccessful"`
		ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
	}
	sarifNotification struct {
		Level   string       `json:"level"`
		Message sarifMessage `json:"message"`
	}
)

const srcRoot = "%SRCROOT%"

// writeSARIFFile writes the SARIF log of graph to path.
func writeSARIFFile(path string, res *result) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := writeSARIF(f, res); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeSARIF writes one SARIF 2.1.0 run: a rule for every check, a result
// for every finding with its location relative to the module root, and the
// analysis errors as notifications.
func writeSARIF(w io.Writer, res *result) error {
	log := buildSARIF(res)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

func buildSARIF(res *result) *sarifLog {
	rules, index := sarifRules()
	fs := res.findings
	root := sourceRoot(res.moduleDir)
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "stateguard",
			InformationURI: "https://github.com/stateguard/stateguard",
			Version:        version(),
			Rules:          rules,
		}},
		Results: []sarifResult{},
	}
	if root != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{
			srcRoot: {URI: fileURI(root) + "/"},
		}
	}
	prints := fingerprints(root, fs)
	for k, f := range fs {
		ruleID := f.category
		i, ok := index[ruleID]
		if !ok {
			// Every stateguard diagnostic has a check's name as its
			// category; anything else is a bug, but keep the finding.
			ruleID, i = check.Directive, index[check.Directive]
		}
		out := sarifResult{
			RuleID:              ruleID,
			RuleIndex:           i,
			Level:               rules[i].DefaultConfiguration.Level,
			Message:             sarifMessage{Text: messageWithLinks(f)},
			Locations:           []sarifLocation{{PhysicalLocation: physical(root, f.posn, f.end)}},
			PartialFingerprints: map[string]string{fingerprintKey: prints[k]},
		}
		for j, r := range f.related {
			out.RelatedLocations = append(out.RelatedLocations, sarifRelatedLocation{
				ID:               j + 1,
				PhysicalLocation: physical(root, r.posn, r.end),
				Message:          sarifMessage{Text: r.message},
			})
		}
		run.Results = append(run.Results, out)
	}

	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, f := range res.failures {
		inv.ExecutionSuccessful = false
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
			Level:   "error",
			Message: sarifMessage{Text: f.msg},
		})
	}
	run.Invocations = []sarifInvocation{inv}

	return &sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	}
}

// sourceRoot is the directory SARIF paths are relative to: the root of
// the version control repository that holds moduleDir (or the working
// directory, when moduleDir is ""), found by its .git, .hg, .svn, .bzr or
// .jj entry; else moduleDir itself; else the working directory. GitHub
// code scanning reads each path as relative to the repository's root,
// whatever uriBaseId says, so a module in a subdirectory must not be the
// root.
func sourceRoot(moduleDir string) string {
	start := moduleDir
	if start == "" {
		start, _ = os.Getwd()
	}
	if start == "" {
		return ""
	}
	for dir := start; ; {
		for _, marker := range []string{".git", ".hg", ".svn", ".bzr", ".jj"} {
			if _, err := os.Lstat(filepath.Join(dir, marker)); err == nil {
				return dir
			}
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return start
		}
		dir = parent
	}
}

// messageWithLinks is a finding's message for SARIF: the text with its
// square brackets escaped, then a link to each related location by id,
// the form GitHub needs to show related locations.
func messageWithLinks(f finding) string {
	text := strings.NewReplacer("[", `\[`, "]", `\]`).Replace(f.message)
	switch len(f.related) {
	case 0:
		return text
	case 1:
		return text + " (see [the write](1))"
	}
	links := make([]string, len(f.related))
	for i := range f.related {
		links[i] = fmt.Sprintf("[%d](%d)", i+1, i+1)
	}
	return text + " (see the writes " + strings.Join(links, ", ") + ")"
}

// fingerprintKey names stateguard's partial fingerprint; the version
// changes if what goes into it does.
const fingerprintKey = "stateguardFingerprint/v1"

// fingerprints returns a fingerprint for each finding of fs (in fs's
// order, which is by file and position) that lines added or removed
// elsewhere in the file do not change: a hash of the check, the file's
// path relative to root, the text of the finding's first line (blanks
// collapsed) and its message with numbers (line numbers some messages
// cite) left out, then the rank of the finding among those of the file
// with the same hash.
func fingerprints(root string, fs []finding) []string {
	lines := map[string][]string{} // file -> its lines, read once
	seen := map[string]int{}       // hash -> findings so far with it
	out := make([]string, len(fs))
	for i, f := range fs {
		src, ok := lines[f.posn.Filename]
		if !ok {
			if data, err := os.ReadFile(f.posn.Filename); err == nil {
				src = strings.Split(string(data), "\n")
			}
			lines[f.posn.Filename] = src
		}
		text := ""
		if 1 <= f.posn.Line && f.posn.Line <= len(src) {
			text = strings.Join(strings.Fields(src[f.posn.Line-1]), " ")
		}
		path := filepath.ToSlash(f.posn.Filename)
		if root != "" {
			if rel, err := filepath.Rel(root, f.posn.Filename); err == nil && filepath.IsLocal(rel) {
				path = filepath.ToSlash(rel)
			}
		}
		h := sha256.New()
		for _, part := range []string{f.category, path, text, digits.ReplaceAllString(f.message, "N")} {
			h.Write([]byte(part))
			h.Write([]byte{0})
		}
		sum := hex.EncodeToString(h.Sum(nil))[:32]
		out[i] = fmt.Sprintf("%s:%d", sum, seen[sum]+1)
		seen[sum]++
	}
	return out
}

var digits = regexp.MustCompile(`[0-9]+`)

// sarifRules describes every check of internal/check, in its order, and
// returns the index of each rule by id.
func sarifRules() ([]sarifRule, map[string]int) {
	var rules []sarifRule
	index := map[string]int{}
	for _, c := range check.All {
		level := "error"
		if c.Name == check.Directive {
			level = "warning"
		}
		tags := []string{"correctness", "concurrency"}
		if !c.Analyzer {
			tags = append(tags, "runtime-only")
		}
		full := analyzer.CheckDescription(c.Name)
		index[c.Name] = len(rules)
		rules = append(rules, sarifRule{
			ID:                   c.Name,
			Name:                 ruleName(c.Name),
			ShortDescription:     sarifMessage{Text: c.Title},
			FullDescription:      sarifMessage{Text: full},
			HelpURI:              check.DocURL(c.Name),
			Help:                 sarifMessage{Text: analyzer.CheckDoc(c.Name) + "\n\n" + check.DocURL(c.Name)},
			DefaultConfiguration: sarifRuleConfig{Enabled: c.Default && c.Analyzer, Level: level},
			Properties:           sarifRuleProps{Tags: tags},
		})
	}
	return rules, index
}

// ruleName turns a check name into the PascalCase name SARIF viewers show:
// ineffective-guard becomes IneffectiveGuard.
func ruleName(id string) string {
	var b strings.Builder
	for part := range strings.SplitSeq(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

// physical is the SARIF location of [posn, end): relative to root when the
// file lies inside it, else an absolute file URI. Columns are 1-based byte
// columns, as go/token counts them; endColumn is exclusive, as SARIF wants.
func physical(root string, posn, end token.Position) sarifPhysicalLocation {
	loc := sarifArtifactLoc{URI: fileURI(posn.Filename)}
	if root != "" {
		if rel, err := filepath.Rel(root, posn.Filename); err == nil && filepath.IsLocal(rel) {
			loc = sarifArtifactLoc{URI: relURI(rel), URIBaseID: srcRoot}
		}
	}
	if !end.IsValid() || end.Line < posn.Line {
		end = posn
	}
	return sarifPhysicalLocation{
		ArtifactLocation: loc,
		Region: sarifRegion{
			StartLine:   posn.Line,
			StartColumn: max(posn.Column, 1),
			EndLine:     end.Line,
			EndColumn:   max(end.Column, 1),
		},
	}
}

func relURI(rel string) string {
	parts := strings.Split(filepath.ToSlash(rel), "/")
	for i, p := range parts {
		parts[i] = url.PathEscape(p)
	}
	return strings.Join(parts, "/")
}

func fileURI(path string) string {
	u := url.URL{Scheme: "file", Path: filepath.ToSlash(path)}
	if !strings.HasPrefix(u.Path, "/") {
		u.Path = "/" + u.Path // Windows: file:///C:/...
	}
	return u.String()
}

// version is the module version of the binary ("(devel)" when built from a
// work tree).
func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
