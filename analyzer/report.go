package analyzer

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/token"
	"os"
	"slices"
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

	ignores     map[lineKey]*ignoreDirective       // by the line they cover
	fileIgnores map[*token.File][]*ignoreDirective // //stateguard:file-ignore, by file
	ignored     []*ignoreDirective                 // in source order, for finish
	seen        map[diagKey]bool                   // reported diagnostics, to drop duplicates
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

// An ignoreDirective is a well-formed //stateguard:ignore [CHECKS] REASON
// or //stateguard:file-ignore CHECKS REASON.
type ignoreDirective struct {
	directive
	end   token.Pos
	lines []int           // the lines it covers; none for a file-ignore
	used  map[string]bool // the checks whose findings it silenced
}

// covers reports whether ig silences findings of the check name.
func (ig *ignoreDirective) covers(name string) bool {
	return ig.checks == nil || slices.Contains(ig.checks, name)
}

// silence records that ig silenced a finding of the check name.
func (ig *ignoreDirective) silence(name string) {
	if ig.used == nil {
		ig.used = make(map[string]bool)
	}
	ig.used[name] = true
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
		fileIgnores:     make(map[*token.File][]*ignoreDirective),
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

// enabledCheck reports whether findings of check are reported at all, so a
// caller may skip the work of computing them. Skipping is optional: report
// drops findings of disabled checks anyway.
func (r *reporter) enabledCheck(name string) bool {
	return r.enabled[name]
}

// report reports msg for check at [pos, end) with related positions, unless
// the check is disabled, pos is in a generated file (and Config.Generated
// is false), a //stateguard:ignore directive for the check covers pos's
// line, or a //stateguard:file-ignore for the check is in pos's file.
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
		if ig := r.ignoreFor(name, tf, pos); ig != nil {
			ig.silence(name)
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
		Message:  msg,
		Related:  related,
	})
}

// ignoreFor returns the ignore directive that silences a finding of the
// check name at pos in tf, or nil: the line's ignore if it names the check
// (or none), else a file-ignore of tf that names it. Findings of directive
// are never silenced.
func (r *reporter) ignoreFor(name string, tf *token.File, pos token.Pos) *ignoreDirective {
	if name == check.Directive {
		return nil
	}
	if ig := r.ignores[lineKey{tf, tf.Line(pos)}]; ig != nil && ig.covers(name) {
		return ig
	}
	for _, ig := range r.fileIgnores[tf] {
		if ig.covers(name) {
			return ig
		}
	}
	return nil
}

// finish reports the ignore directives that silenced nothing. It is called
// once, after every check has run. A directive that names its checks is
// reported for those of them that are enabled and silenced nothing; one
// that names none is reported only when every check is enabled, as it may
// be meant for a disabled one.
func (r *reporter) finish() {
	for _, ig := range r.ignored {
		var stale []string
		switch {
		case ig.checks == nil && len(ig.used) == 0 && r.allOn:
		case ig.checks == nil:
			continue
		default:
			for _, name := range ig.checks {
				if r.enabled[name] && !ig.used[name] {
					stale = append(stale, name)
				}
			}
			if len(stale) == 0 {
				continue
			}
		}
		r.reportDirective(ig.pos, ig.end, staleMessage(ig, stale))
	}
}

// staleMessage says what an ignore directive does not silence: anything
// (stale is nil: it names no check) or the checks of stale.
func staleMessage(ig *ignoreDirective, stale []string) string {
	what, list := "finding", strings.Join(stale, " or ")
	if stale != nil {
		what = list + " finding"
	}
	if ig.kind == dirFileIgnore {
		if len(stale) < len(ig.checks) {
			return fmt.Sprintf("this //stateguard:file-ignore names %s, but stateguard reports no %s in this file; remove %s from the list", list, what, list)
		}
		return fmt.Sprintf("this //stateguard:file-ignore silences nothing: stateguard reports no %s in this file; remove the directive", what)
	}
	lines := fmt.Sprint(ig.lines[0])
	if len(ig.lines) > 1 {
		lines = fmt.Sprintf("%d or %d", ig.lines[0], ig.lines[1])
	}
	if stale != nil && len(stale) < len(ig.checks) {
		return fmt.Sprintf("this //stateguard:ignore names %s, but stateguard reports no %s on line %s; remove %s from the list", list, what, lines, list)
	}
	return fmt.Sprintf("this //stateguard:ignore silences nothing: stateguard reports no %s on line %s; "+
		"remove the directive, or put it on the reported line or alone on the line above it", what, lines)
}

// reportDirective reports a problem with a directive.
func (r *reporter) reportDirective(pos, end token.Pos, msg string) {
	r.report(check.Directive, pos, end, check.Directive+": "+msg)
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
			if d.kind == dirFileIgnore {
				ig := &ignoreDirective{directive: d, end: c.End()}
				r.fileIgnores[tf] = append(r.fileIgnores[tf], ig)
				r.ignored = append(r.ignored, ig)
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
