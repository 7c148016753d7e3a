// Package check names the mistakes stateguard knows, once, for every part of
// the project: the analyzer reports them as Diagnostic categories, the guard
// package refuses them at run time under the same names, and the SARIF
// output, the golangci-lint plugin and the documentation describe them from
// this table. guard, a module of its own that must not require this one,
// declares its runtime names again (guard.Check*); TestGuardNames holds
// them to this table.
package check

// Names of the checks. A name is stable: it appears in -checks flags,
// golangci-lint settings, SARIF rule ids and runtime error messages.
const (
	// IneffectiveGuard: the expected state equals the state being written,
	// so a concurrent duplicate of the same action passes the guard.
	IneffectiveGuard = "ineffective-guard"
	// ReentrantGuard: the state being written is one of several expected
	// states, so a concurrent duplicate passes the guard.
	ReentrantGuard = "reentrant-guard"
	// UnguardedTransition: a state field checked in Go (or declared a
	// state) is written and saved with no expectation on it, so two
	// concurrent requests both pass the check, and the last writer wins.
	UnguardedTransition = "unguarded-transition"
	// ShortcutSave: a guarded save has a path that reports success without
	// looking at the expectation.
	ShortcutSave = "shortcut-save"
	// NoTransition: an expectation on a field that does not change is not a
	// transition; a fence must say so. The analyzer reports it for guard's
	// own API.
	NoTransition = "no-transition"
	// InvalidOption: a guard option names a field or column the table does
	// not map, has no values, or fences a field the save changes.
	InvalidOption = "invalid-option"
	// SaveAfterConflict: after a guarded save of an object failed, the
	// object, still holding the state it tried to write, is saved again
	// with no expectation on that state (Nova bug 1848666).
	SaveAfterConflict = "save-after-conflict"
	// IgnoredConflict: the result through which a guarded save refuses (a
	// bool, a count of rows, a sql.Result) is discarded, so the loser of a
	// concurrent race carries on as if it had won. Only the analyzer sees
	// it: guard's Save refuses through its error alone.
	IgnoredConflict = "ignored-conflict"
	// Directive: a malformed, unexplained or unused //stateguard: directive.
	Directive = "directive"
)

// Info describes one check for documentation, SARIF rule metadata and
// Diagnostic.URL.
type Info struct {
	Name     string // stable identifier, one of the constants above
	Title    string // one line, sentence case, no final period
	Analyzer bool   // reported by the analyzer (false: only refused at run time)
	Default  bool   // enabled when no -checks flag is given
}

// All lists every check in documentation order.
var All = []Info{
	{IneffectiveGuard, "Guard expects the state it writes", true, true},
	{ReentrantGuard, "Guard accepts the state it writes among others", true, true},
	{UnguardedTransition, "State checked in Go, or declared, then written and saved with no expectation", true, true},
	{ShortcutSave, "Guarded save returns success without checking the expectation", true, true},
	{NoTransition, "Expectation on a field that does not change", true, true},
	{InvalidOption, "Guard option that guard refuses", true, true},
	{SaveAfterConflict, "Object saved without its expectation after a guarded save of it failed", true, true},
	{IgnoredConflict, "Refusal of a guarded save discarded", true, true},
	{Directive, "Malformed, unexplained or unused stateguard directive", true, true},
}

// Lookup returns the check named name.
func Lookup(name string) (Info, bool) {
	for _, c := range All {
		if c.Name == name {
			return c, true
		}
	}
	return Info{}, false
}

// DocURL is where a check is documented; Diagnostic.URL and SARIF helpUri
// point here. The anchor is the id go/doc gives the heading "# Check NAME"
// of the analyzer's package documentation: "hdr-" and the heading text
// with every byte other than an ASCII letter, digit or underscore replaced
// by an underscore.
func DocURL(name string) string {
	id := []byte("hdr-Check_" + name)
	for i, b := range id[len("hdr-"):] {
		if !('a' <= b && b <= 'z' || 'A' <= b && b <= 'Z' || '0' <= b && b <= '9' || b == '_') {
			id[len("hdr-")+i] = '_'
		}
	}
	return "https://pkg.go.dev/github.com/stateguard/stateguard/analyzer#" + string(id)
}
