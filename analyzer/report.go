package analyzer

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"strings"

	"golang.org/x/tools/go/analysis"

	"github.com/stateguard/stateguard/internal/check"
)

// A reporter is the one way out for the diagnostics of a pass. It applies
// the configuration (-checks, -generated), honours //stateguard:ignore
// directives, attaches Category and URL, and reports the directives
// themselves when they are malformed, misplaced, unexplained or unused.
type reporter struct {
	pass    *analysis.Pass
	enabled map[string]bool // checks to report
	allOn   bool            // every analyzer check is enabled

	reportGenerated bool
	generated       map[*token.File]bool

	ignores map[lineKey]*ignoreDirective // by the line they cover
	ignored []*ignoreDirective           // in source order, for finish
	seen    map[diagKey]bool             // reported diagnostics, to drop duplicates
}

// lineKey is one line of one file. Lines are the file's own (not adjusted
// by //line directives), so a directive and the code it covers agree even
// in generated files.
type lineKey struct {
	file *token.File
	line int
}

type diagKey struct {
	pos   token.Pos
	check string
	msg   string
}

// An ignoreDirective is a well-formed //stateguard:ignore REASON.
type ignoreDirective struct {
	directive
	end   token.Pos
	lines []int // the lines it covers
	used  bool
}

// newReporter returns the reporter of one pass. It validates cfg and scans
// every file's comments once, reporting malformed and misplaced
// directives.
func newReporter(pass *analysis.Pass, cfg *Config) (*reporter, error) {
	enabled, err := cfg.enabledChecks()
	if err != nil {
		return nil, fmt.Errorf("stateguard configuration: %w", err)
	}
	r := &reporter{
		pass:            pass,
		enabled:         enabled,
		allOn:           true,
		reportGenerated: cfg.Generated,
		generated:       make(map[*token.File]bool),
		ignores:         make(map[lineKey]*ignoreDirective),
		seen:            make(map[diagKey]bool),
	}
	for _, name := range analyzerCheckNames() {
		if !enabled[name] {
			r.allOn = false
		}
	}
	for _, f := range pass.Files {
		tf := pass.Fset.File(f.FileStart)
		if tf == nil {
			continue
		}
		if ast.IsGenerated(f) {
			r.generated[tf] = true
		}
		r.scanFile(f, tf)
	}
	return r, nil
}

// report reports msg for check at [pos, end) with related positions, as
// "NAME: msg" (the one place that prefixes a message with its check), unless
// the check is disabled, pos is in a generated file (and Config.Generated
// is false), or a //stateguard:ignore directive covers pos's line.
// Identical diagnostics are reported once.
func (r *reporter) report(name string, pos, end token.Pos, msg string, related ...analysis.RelatedInformation) {
	var tf *token.File
	if pos.IsValid() {
		tf = r.pass.Fset.File(pos)
	}
	if tf != nil {
		if r.generated[tf] && !r.reportGenerated {
			return
		}
		// An ignore directive covering the line is used even when the
		// check is disabled: the finding exists, it is just not wanted.
		// A broken directive is fixed, not silenced.
		if ig := r.ignores[lineKey{tf, tf.Line(pos)}]; ig != nil && name != check.Directive {
			ig.used = true
			return
		}
	}
	if !r.enabled[name] {
		return
	}
	k := diagKey{pos, name, msg}
	if r.seen[k] {
		return
	}
	r.seen[k] = true
	r.pass.Report(analysis.Diagnostic{
		Pos:      pos,
		End:      end,
		Category: name,
		URL:      check.DocURL(name),
		Message:  name + ": " + msg,
		Related:  related,
	})
}

// finish reports the //stateguard:ignore directives that silenced nothing.
// It is called once, after every check has run. When some checks are
// disabled, a directive may be meant for one of them, so none is reported.
func (r *reporter) finish() {
	if !r.allOn {
		return
	}
	for _, ig := range r.ignored {
		if ig.used {
			continue
		}
		lines := fmt.Sprint(ig.lines[0])
		if len(ig.lines) > 1 {
			lines = fmt.Sprintf("%d or %d", ig.lines[0], ig.lines[1])
		}
		r.reportDirective(ig.pos, ig.end, fmt.Sprintf(
			"this //stateguard:ignore silences nothing: stateguard reports no finding on line %s; "+
				"remove the directive, or put it on the reported line or alone on the line above it", lines))
	}
}

// reportDirective reports a problem with a directive.
func (r *reporter) reportDirective(pos, end token.Pos, msg string) {
	r.report(check.Directive, pos, end, msg)
}

// scanFile parses every //stateguard: comment of f: it records ignore
// directives, reports malformed ones, and checks where save, transition
// and state directives sit.
func (r *reporter) scanFile(f *ast.File, tf *token.File) {
	var placed []*ast.Comment // well-formed save, transition and state directives
	var src []byte            // f's source, read when an ignore directive needs it
	srcRead := false
	for _, cg := range f.Comments {
		for _, c := range cg.List {
			if !strings.Contains(c.Text, "stateguard:") {
				continue // cheap prefilter: most files have no directive
			}
			d, ok, err := parseComment(c)
			if !ok {
				continue
			}
			if err != nil {
				r.reportDirective(c.Slash, c.End(), "malformed directive: "+err.Error())
				continue
			}
			if d.kind != dirIgnore {
				placed = append(placed, c)
				continue
			}
			if !srcRead {
				src, srcRead = r.readSource(tf), true
			}
			r.addIgnore(d, c, cg, tf, src)
		}
	}
	if len(placed) > 0 {
		checkPlacement(r, f, placed)
	}
}

// readSource returns the content of tf, or nil when it cannot be read or
// does not match what was parsed.
func (r *reporter) readSource(tf *token.File) []byte {
	read := r.pass.ReadFile
	if read == nil {
		read = os.ReadFile
	}
	src, err := read(tf.Name())
	if err != nil || len(src) != tf.Size() {
		return nil
	}
	return src
}

// addIgnore records an ignore directive. As a trailing comment it covers
// its own line; alone on its line it covers the line after its comment
// block. When the source is unavailable, it covers both.
func (r *reporter) addIgnore(d directive, c *ast.Comment, cg *ast.CommentGroup, tf *token.File, src []byte) {
	line := tf.Line(c.Slash)
	next := tf.Line(cg.End()) + 1
	ig := &ignoreDirective{directive: d, end: c.End()}
	switch alone, known := aloneOnLine(tf, src, c.Slash); {
	case !known:
		ig.lines = []int{line, next}
	case alone:
		ig.lines = []int{next}
	default:
		ig.lines = []int{line}
	}
	for _, l := range ig.lines {
		k := lineKey{tf, l}
		if prev := r.ignores[k]; prev != nil && len(ig.lines) == 1 && len(prev.lines) == 1 {
			r.reportDirective(c.Slash, c.End(), fmt.Sprintf(
				"line %d is already covered by the //stateguard:ignore on line %d; keep one directive", l, tf.Line(prev.pos)))
			return
		}
		r.ignores[k] = ig
	}
	r.ignored = append(r.ignored, ig)
}

// aloneOnLine reports whether only blanks precede pos on its line; known is
// false when src is unavailable.
func aloneOnLine(tf *token.File, src []byte, pos token.Pos) (alone, known bool) {
	if src == nil {
		return false, false
	}
	off := tf.Offset(pos)
	start := tf.Offset(tf.LineStart(tf.Line(pos)))
	return len(bytes.TrimLeft(src[start:off], " \t")) == 0, true
}
