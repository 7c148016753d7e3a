package analyzer

import (
	"fmt"
	"go/ast"
	"go/token"
	"go/types"
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/stateguard/stateguard/internal/check"
)

// directivePrefix starts every stateguard directive. Like //go: directives,
// a directive is a line comment with no space after the slashes.
const directivePrefix = "//stateguard:"

// directiveKind is the verb of a //stateguard: directive.
type directiveKind int

const (
	dirInvalid    directiveKind = iota // not a known verb
	dirSave                            // //stateguard:save field=F expect=PARAM [object=PARAM], or object=PARAM alone (a plain save)
	dirTransition                      // //stateguard:transition from=PARAM to=PARAM
	dirState                           // //stateguard:state
	dirIgnore                          // //stateguard:ignore [CHECKS] REASON
	dirFileIgnore                      // //stateguard:file-ignore CHECKS REASON
)

// String returns the verb as written in source.
func (k directiveKind) String() string {
	switch k {
	case dirSave:
		return "save"
	case dirTransition:
		return "transition"
	case dirState:
		return "state"
	case dirIgnore:
		return "ignore"
	case dirFileIgnore:
		return "file-ignore"
	}
	return "invalid"
}

// directiveSpec describes the arguments a verb takes.
type directiveSpec struct {
	kind     directiveKind
	required []string // keys that must be present, in documentation order
	optional []string // keys that may be present
	reason   bool     // takes free text (a reason) instead of key=value pairs
	checks   int      // with reason: noChecks, or whether a list of checks may or must come first
	usage    string   // the full form, for error messages
	// plain, when set, is the key that makes the required keys optional
	// (save: object=PARAM with no expect= declares a plain save).
	plain string
}

// How an ignore directive names the checks it silences.
const (
	noChecks       = iota
	optionalChecks // //stateguard:ignore [CHECKS] REASON
	requiredChecks // //stateguard:file-ignore CHECKS REASON
)

var directiveSpecs = map[string]directiveSpec{
	"save": {
		kind:     dirSave,
		required: []string{"field", "expect"},
		optional: []string{"object"},
		usage:    "//stateguard:save field=FIELD expect=PARAM [object=PARAM] (a plain save, with no expectation: //stateguard:save object=PARAM)",
		// With object= and no expect=, a plain save: field is optional.
		plain: "object",
	},
	"transition": {
		kind:     dirTransition,
		required: []string{"from", "to"},
		usage:    "//stateguard:transition from=PARAM to=PARAM",
	},
	"state": {
		kind:  dirState,
		usage: "//stateguard:state",
	},
	"ignore": {
		kind:   dirIgnore,
		reason: true,
		checks: optionalChecks,
		usage:  "//stateguard:ignore [CHECK[,CHECK...]] REASON",
	},
	"file-ignore": {
		kind:   dirFileIgnore,
		reason: true,
		checks: requiredChecks,
		usage:  "//stateguard:file-ignore CHECK[,CHECK...] REASON",
	},
}

// directiveVerbs lists the verbs for error messages.
const directiveVerbs = "save, transition, state, ignore and file-ignore"

// A directive is one parsed //stateguard: comment.
type directive struct {
	kind   directiveKind
	pos    token.Pos         // of the comment
	args   map[string]string // key=value arguments (save: field, expect, object; transition: from, to)
	reason string            // ignore, file-ignore: the free text
	checks []string          // ignore, file-ignore: the checks silenced; nil: every check
}

// usage returns the documented form of d's verb.
func (d directive) usage() string {
	if s, ok := directiveSpecs[d.kind.String()]; ok {
		return s.usage
	}
	return ""
}

// parseDirective parses one comment text ("//stateguard:..."); ok is
// false when the comment is not a stateguard directive at all; err
// describes a malformed one (unknown verb, unknown or missing key,
// missing reason).
//
// A directive may end with a comment: a word starting with "//" and the
// rest of the line (so "//stateguard:ignore see https://example.com/x"
// keeps its URL).
//
// When err is not nil, d.kind is still set if the verb is known, so a caller
// can tell which directive was meant; a malformed directive has no effect.
// The returned d.pos is always zero: parseComment sets it.
func parseDirective(text string) (d directive, ok bool, err error) {
	rest, ok := strings.CutPrefix(text, directivePrefix)
	if !ok {
		return parseNearMiss(text)
	}
	verb, args := rest, ""
	if i := strings.IndexFunc(rest, unicode.IsSpace); i >= 0 {
		verb, args = rest[:i], strings.TrimSpace(rest[i:])
	}
	if verb == "" {
		return d, true, fmt.Errorf("%s is missing its verb (one of %s)", directivePrefix, directiveVerbs)
	}
	spec, known := directiveSpecs[verb]
	if !known {
		return d, true, fmt.Errorf("unknown directive %s%s; the directives are %s", directivePrefix, verb, directiveVerbs)
	}
	d.kind = spec.kind
	// A word starting with "//" starts a comment, as in
	// //stateguard:save field=Status expect=old // the row's version
	args = stripComment(args)
	if spec.reason {
		if args == "" {
			return d, true, fmt.Errorf("%s needs a reason: write %s, saying why the finding does not apply", directivePrefix+verb, spec.usage)
		}
		first, rest := args, ""
		if i := strings.IndexAny(args, " \t"); i >= 0 {
			first, rest = args[:i], strings.TrimSpace(args[i:])
		}
		switch {
		case spec.checks == requiredChecks && !looksLikeChecks(first):
			return d, true, fmt.Errorf("%s needs the checks it silences before its reason: write %s", directivePrefix+verb, spec.usage)
		case spec.checks == noChecks || !looksLikeChecks(first):
			d.reason = args
			return d, true, nil
		}
		checks, err := ignoreChecks(first)
		if err != nil {
			return d, true, fmt.Errorf("%s %s", directivePrefix+verb, err)
		}
		if rest == "" {
			return d, true, fmt.Errorf("%s needs a reason after the checks: write %s, saying why the finding does not apply", directivePrefix+verb, spec.usage)
		}
		d.checks, d.reason = checks, rest
		return d, true, nil
	}
	if len(spec.required) == 0 && len(spec.optional) == 0 {
		if args != "" {
			return d, true, fmt.Errorf("%s takes no arguments, got %q; write %s alone", directivePrefix+verb, args, spec.usage)
		}
		return d, true, nil
	}
	d.args = make(map[string]string)
	for _, field := range strings.Fields(args) {
		key, value, hasEq := strings.Cut(field, "=")
		switch {
		case !hasEq:
			return d, true, fmt.Errorf("%s: argument %q is not key=value; write %s", directivePrefix+verb, field, spec.usage)
		case !slices.Contains(spec.required, key) && !slices.Contains(spec.optional, key):
			return d, true, fmt.Errorf("%s: unknown key %q; the keys are %s; write %s", directivePrefix+verb, key, strings.Join(append(append([]string(nil), spec.required...), spec.optional...), ", "), spec.usage)
		case value == "":
			return d, true, fmt.Errorf("%s: %s= has no value; write %s", directivePrefix+verb, key, spec.usage)
		case !isIdent(value):
			return d, true, fmt.Errorf("%s: %s=%s is not a Go identifier; name a %s", directivePrefix+verb, key, value, keyNoun(key))
		}
		if _, dup := d.args[key]; dup {
			return d, true, fmt.Errorf("%s: key %q given twice", directivePrefix+verb, key)
		}
		d.args[key] = value
	}
	var missing []string
	_, expects := d.args["expect"]
	for _, key := range spec.required {
		if _, plain := d.args[spec.plain]; plain && spec.plain != "" && !expects {
			break
		}
		if _, ok := d.args[key]; !ok {
			missing = append(missing, key)
		}
	}
	if len(missing) > 0 {
		noun := "key"
		if len(missing) > 1 {
			noun = "keys"
		}
		return d, true, fmt.Errorf("%s is missing the %s %s; write %s", directivePrefix+verb, noun, strings.Join(missing, " and "), spec.usage)
	}
	return d, true, nil
}

// checkName is the shape of a check's name: lower-case words joined by
// hyphens.
var checkName = regexp.MustCompile(`^[a-z]+(-[a-z]+)+$`)

// looksLikeChecks reports whether the first word of an ignore directive is
// a list of checks rather than the start of its reason: comma-separated
// names of checks, or words shaped like one (lower-case, with a hyphen),
// so that a misspelt check is reported rather than taken for the reason.
func looksLikeChecks(word string) bool {
	for part := range strings.SplitSeq(word, ",") {
		if _, known := check.Lookup(part); !known && !checkName.MatchString(part) && !(part == "" && strings.Contains(word, ",")) {
			return false
		}
	}
	return true
}

// ignoreChecks parses the comma-separated checks of an ignore directive:
// each must be a check the analyzer reports, other than directive.
func ignoreChecks(word string) ([]string, error) {
	var names []string
	for part := range strings.SplitSeq(word, ",") {
		info, known := check.Lookup(part)
		switch {
		case part == "":
			return nil, fmt.Errorf("has an empty check name in %q: separate the checks with commas and no spaces", word)
		case !known && part == word:
			return nil, fmt.Errorf("names the unknown check %q; the checks it can silence are %s (a first word shaped like a check's name is read as the checks: if it starts the reason, reword it)", part, strings.Join(silenceableChecks(), ", "))
		case !known:
			return nil, fmt.Errorf("names the unknown check %q; the checks it can silence are %s", part, strings.Join(silenceableChecks(), ", "))
		case !info.Analyzer:
			return nil, fmt.Errorf("names %s, which the guard package refuses at run time; the analyzer reports no such finding", part)
		case part == check.Directive:
			return nil, fmt.Errorf("names directive, whose findings cannot be silenced: fix or remove the directive they are about")
		case slices.Contains(names, part):
			return nil, fmt.Errorf("names %s twice", part)
		}
		names = append(names, part)
	}
	return names, nil
}

// silenceableChecks are the checks an ignore directive may name.
func silenceableChecks() []string {
	var names []string
	for _, name := range analyzerCheckNames() {
		if name != check.Directive {
			names = append(names, name)
		}
	}
	return names
}

// stripComment cuts s before its first blank-separated word that starts
// with "//".
func stripComment(s string) string {
	for i := 0; i < len(s); i++ {
		if strings.HasPrefix(s[i:], "//") && (i == 0 || s[i-1] == ' ' || s[i-1] == '\t') {
			return strings.TrimSpace(s[:i])
		}
	}
	return s
}

// parseNearMiss recognizes comments that were meant as directives but are
// not written as one: "// stateguard:ignore ..." (a space after the slashes,
// which makes it prose for every other Go tool) and "/*stateguard:...*/".
// Only a known verb counts, so prose such as "// stateguard: finds ..." is
// left alone.
func parseNearMiss(text string) (d directive, ok bool, err error) {
	var body string
	switch {
	case strings.HasPrefix(text, "/*"):
		body = strings.TrimSuffix(strings.TrimPrefix(text, "/*"), "*/")
		body = strings.TrimSpace(body)
		if !strings.HasPrefix(body, "stateguard:") {
			return d, false, nil
		}
		if _, known := directiveSpecs[verbOf(body)]; !known {
			return d, false, nil
		}
		return d, true, fmt.Errorf("a stateguard directive must be a line comment: write //%s", stripComment(body))
	case strings.HasPrefix(text, "//"):
		body = strings.TrimLeft(strings.TrimPrefix(text, "//"), " \t")
		if len(body) == len(text)-2 || !strings.HasPrefix(body, "stateguard:") {
			return d, false, nil
		}
		if _, known := directiveSpecs[verbOf(body)]; !known {
			return d, false, nil
		}
		return d, true, fmt.Errorf("a stateguard directive has no space after the slashes: write //%s", stripComment(body))
	}
	return d, false, nil
}

// verbOf returns the verb of "stateguard:VERB ...".
func verbOf(body string) string {
	rest := strings.TrimPrefix(body, "stateguard:")
	if i := strings.IndexFunc(rest, unicode.IsSpace); i >= 0 {
		rest = rest[:i]
	}
	return rest
}

// parseComment parses c as parseDirective does and sets the directive's
// position to the comment's.
func parseComment(c *ast.Comment) (d directive, ok bool, err error) {
	d, ok, err = parseDirective(c.Text)
	d.pos = c.Slash
	return d, ok, err
}

// directivesOf returns the well-formed directives in a doc comment group.
func directivesOf(cg *ast.CommentGroup) []directive {
	if cg == nil {
		return nil
	}
	var ds []directive
	for _, c := range cg.List {
		if d, ok, err := parseComment(c); ok && err == nil {
			ds = append(ds, d)
		}
	}
	return ds
}

// directiveOf returns the first well-formed directive of kind k in cg.
func directiveOf(cg *ast.CommentGroup, k directiveKind) (directive, bool) {
	for _, d := range directivesOf(cg) {
		if d.kind == k {
			return d, true
		}
	}
	return directive{}, false
}

func keyNoun(key string) string {
	if key == "field" {
		return "field of the object"
	}
	return "parameter of the function"
}

// isIdent reports whether s is a Go identifier.
func isIdent(s string) bool {
	if s == "" || s == "_" {
		return false
	}
	for i, r := range s {
		if r == utf8.RuneError {
			return false
		}
		if !unicode.IsLetter(r) && r != '_' && (i == 0 || !unicode.IsDigit(r)) {
			return false
		}
	}
	return !token.IsKeyword(s)
}

// checkPlacement reports the save, transition and state directives among
// placed (well-formed directive comments of f) that recognition would not
// use: those outside the doc comment of a func declaration (save,
// transition) or of a type or struct field (state), and, by the rules
// recognition applies (funcDirective, stateDirectives), those that
// declare nothing where they are.
func checkPlacement(r *reporter, f *ast.File, placed []*ast.Comment) {
	used := make(map[*ast.Comment]bool)
	for _, decl := range f.Decls {
		switch decl := decl.(type) {
		case *ast.FuncDecl:
			checkFuncDirectives(r, decl, used)
		case *ast.GenDecl:
			if decl.Tok != token.TYPE {
				continue
			}
			stateDirectives(r.pass.Pkg, r.pass.TypesInfo, decl, func(types.Object) {}, func(c *ast.Comment, msg string) {
				r.reportDirective(c.Slash, c.End(), msg)
			})
			checkIfaceDirectives(r, decl, used)
			for _, spec := range decl.Specs {
				ts, ok := spec.(*ast.TypeSpec)
				if !ok {
					continue
				}
				doc := ts.Doc
				if doc == nil && len(decl.Specs) == 1 {
					doc = decl.Doc
				}
				markKind(doc, dirState, used)
				ast.Inspect(ts.Type, func(n ast.Node) bool {
					if st, ok := n.(*ast.StructType); ok && st.Fields != nil {
						for _, field := range st.Fields.List {
							markKind(field.Doc, dirState, used)
							markKind(field.Comment, dirState, used)
						}
					}
					return true
				})
			}
		}
	}
	for _, c := range placed {
		if used[c] {
			continue
		}
		d, _, _ := parseComment(c)
		var where string
		switch d.kind {
		case dirSave, dirTransition:
			where = "the doc comment of a func or method declaration, or of a method in an interface type declaration (the comment lines directly above it)"
		case dirState:
			where = "the doc comment of a type declaration (directly above type T), or the doc or line comment of a field in a struct type declaration"
		}
		r.reportDirective(c.Slash, c.End(), fmt.Sprintf(
			"//stateguard:%s has no effect here: it belongs in %s", d.kind, where))
	}
}

// markKind marks the directives of kind k in cg as used.
func markKind(cg *ast.CommentGroup, k directiveKind, used map[*ast.Comment]bool) {
	if cg == nil {
		return
	}
	for _, c := range cg.List {
		if d, ok, err := parseDirective(c.Text); ok && err == nil && d.kind == k {
			used[c] = true
		}
	}
}

// checkFuncDirectives reports the save and transition directives in the
// doc comment of fn that declare nothing, by the rules recognition applies
// (funcDirective), and marks them used.
func checkFuncDirectives(r *reporter, decl *ast.FuncDecl, used map[*ast.Comment]bool) {
	if decl.Doc == nil {
		return
	}
	for _, c := range decl.Doc.List {
		if d, ok, err := parseComment(c); ok && err == nil && (d.kind == dirSave || d.kind == dirTransition) {
			used[c] = true
		}
	}
	fn, _ := r.pass.TypesInfo.Defs[decl.Name].(*types.Func)
	if fn == nil {
		return // broken code: the type checker has said what is wrong
	}
	_, problems := funcDirective(r.pass.Pkg, r.pass.Fset, decl, fn)
	for _, p := range problems {
		r.reportDirective(p.c.Slash, p.c.End(), p.msg)
	}
}
