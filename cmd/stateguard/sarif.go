package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"go/token"
	"io"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"

	"github.com/stateguard/stateguard/analyzer"
	"github.com/stateguard/stateguard/internal/check"
)

// A finding is one diagnostic of a root package, with resolved positions.
type finding struct {
	diag       analysis.Diagnostic
	posn, end  token.Position
	related    []relatedPosn
	moduleRoot string // directory of the package's module, or ""
}

type relatedPosn struct {
	posn, end token.Position
	message   string
}

// findings returns the diagnostics of the root packages, sorted by position,
// without the duplicates that a file in both p and p's test variant yields.
func findings(graph *checker.Graph) []finding {
	type key struct {
		posn, end token.Position
		category  string
		message   string
	}
	seen := map[key]bool{}
	var out []finding
	for _, act := range graph.Roots {
		if act.Err != nil {
			continue
		}
		fset := act.Package.Fset
		root := ""
		if m := act.Package.Module; m != nil {
			root = m.Dir
		}
		for _, d := range act.Diagnostics {
			f := finding{
				diag:       d,
				posn:       fset.Position(d.Pos),
				end:        fset.Position(cmp.Or(d.End, d.Pos)),
				moduleRoot: root,
			}
			k := key{f.posn, f.end, d.Category, d.Message}
			if seen[k] {
				continue
			}
			seen[k] = true
			for _, r := range d.Related {
				f.related = append(f.related, relatedPosn{
					posn:    fset.Position(r.Pos),
					end:     fset.Position(cmp.Or(r.End, r.Pos)),
					message: r.Message,
				})
			}
			out = append(out, f)
		}
	}
	slices.SortFunc(out, func(a, b finding) int {
		return cmp.Or(
			cmp.Compare(a.posn.Filename, b.posn.Filename),
			cmp.Compare(a.posn.Offset, b.posn.Offset),
			cmp.Compare(a.diag.Category, b.diag.Category),
			cmp.Compare(a.diag.Message, b.diag.Message),
		)
	})
	return out
}

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
func writeSARIFFile(path string, graph *checker.Graph) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := writeSARIF(f, graph); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// writeSARIF writes one SARIF 2.1.0 run: a rule for every check, a result
// for every finding with its location relative to the module root, and the
// analysis errors as notifications.
func writeSARIF(w io.Writer, graph *checker.Graph) error {
	log := buildSARIF(graph)
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(log)
}

func buildSARIF(graph *checker.Graph) *sarifLog {
	rules, index := sarifRules()
	fs := findings(graph)

	// The main module's root is %SRCROOT%: the first root package with a
	// module decides it (patterns name packages of one module in practice).
	root := ""
	for _, act := range graph.Roots {
		if m := act.Package.Module; m != nil && m.Dir != "" {
			root = m.Dir
			break
		}
	}

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
	for _, f := range fs {
		ruleID := f.diag.Category
		i, ok := index[ruleID]
		if !ok {
			// Every stateguard diagnostic has a check's name as its
			// category; anything else is a bug, but keep the finding.
			ruleID, i = check.Directive, index[check.Directive]
		}
		res := sarifResult{
			RuleID:    ruleID,
			RuleIndex: i,
			Level:     rules[i].DefaultConfiguration.Level,
			Message:   sarifMessage{Text: f.diag.Message},
			Locations: []sarifLocation{{PhysicalLocation: physical(root, f.posn, f.end)}},
		}
		for j, r := range f.related {
			res.RelatedLocations = append(res.RelatedLocations, sarifRelatedLocation{
				ID:               j + 1,
				PhysicalLocation: physical(root, r.posn, r.end),
				Message:          sarifMessage{Text: r.message},
			})
		}
		run.Results = append(run.Results, res)
	}

	inv := sarifInvocation{ExecutionSuccessful: true}
	for act := range graph.All() {
		if act.Err != nil {
			inv.ExecutionSuccessful = false
			inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, sarifNotification{
				Level:   "error",
				Message: sarifMessage{Text: fmt.Sprintf("%s: %v", act.Package.PkgPath, act.Err)},
			})
		}
	}
	run.Invocations = []sarifInvocation{inv}

	return &sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	}
}

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
			Help:                 sarifMessage{Text: full + "\n\n" + check.DocURL(c.Name)},
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
