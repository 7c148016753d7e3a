package guard

import (
	"errors"
	"fmt"
	"strings"
)

// Names of the mistakes a save is refused for (RuleError.Check). They are
// the names the stateguard analyzer gives the same mistakes in source code,
// so that a runtime refusal and a vet finding read alike. guard declares
// them itself instead of importing the analyzer's table
// (github.com/stateguard/stateguard/internal/check): that table lives in
// the tool module, and a dependency on it would bring the analyzer's
// requirements into every service that imports guard. They are exported,
// rather than kept in an internal package, because RuleError.Check is
// public: a caller compares it with these. The tool module's tests parse
// this package and fail when a name here is not the analyzer's.
const (
	CheckIneffectiveGuard    = "ineffective-guard"
	CheckReentrantGuard      = "reentrant-guard"
	CheckUnguardedTransition = "unguarded-transition"
	CheckNoTransition        = "no-transition"
	CheckInvalidOption       = "invalid-option"
)

// Errors of the guard package, for errors.Is. ErrNotFound, ErrExists,
// ErrOutcomeUnknown and ErrUnknownColumn, which stores also return, are
// declared with the Store interface.
var (
	// ErrConflict matches every *ConflictError: the row exists but a
	// guarded field does not hold an expected value.
	ErrConflict = errors.New("guard: conflict")

	// ErrInvalid matches errors caused by bad input: a nil row, a struct
	// without a key, an unknown field, an empty expected set, an expected
	// value of the wrong type. Fix the call; retrying cannot help.
	ErrInvalid = errors.New("guard: invalid input")

	// ErrNoTransition matches a *RuleError: an expectation (Expect) on a
	// field this save does not change. A transition changes its field; a
	// precondition on a field that stays is a Fence.
	ErrNoTransition = errors.New("guard: " + CheckNoTransition)

	// ErrIneffectiveGuard matches a *RuleError: the expected set holds only
	// the value being written, so a concurrent duplicate passes the guard.
	ErrIneffectiveGuard = errors.New("guard: " + CheckIneffectiveGuard)

	// ErrReentrantGuard matches a *RuleError: the value being written is
	// one of several expected values and the save was not marked
	// Reentrant, so a concurrent duplicate passes the guard.
	ErrReentrantGuard = errors.New("guard: " + CheckReentrantGuard)

	// ErrUnguardedTransition matches a *RuleError: a field tagged state
	// changes with no expectation and no Preempt, so the last writer wins.
	ErrUnguardedTransition = errors.New("guard: " + CheckUnguardedTransition)

	// ErrInvalidOption matches a *RuleError: an option names a field the
	// table does not map, an Expect or Fence has no values, or a Fence is
	// on a field that changes. It also matches ErrInvalid.
	ErrInvalidOption = errors.New("guard: " + CheckInvalidOption)
)

var ruleSentinels = map[string]error{
	CheckNoTransition:        ErrNoTransition,
	CheckIneffectiveGuard:    ErrIneffectiveGuard,
	CheckReentrantGuard:      ErrReentrantGuard,
	CheckUnguardedTransition: ErrUnguardedTransition,
	CheckInvalidOption:       ErrInvalidOption,
}

// A RuleError is a save refused before any I/O because its expectations
// cannot serialise the action. Check is the name the stateguard analyzer
// gives the same mistake in source code (one of the Check constants), so a
// runtime refusal and a vet finding read alike. It matches the sentinel of
// its check with errors.Is, and ErrInvalid.
type RuleError struct {
	Check string // ineffective-guard, reentrant-guard, unguarded-transition, no-transition or invalid-option
	Table string
	Field string // the Go field name (as given, when the option names no mapped field)
	msg   string
}

func (e *RuleError) Error() string { return "guard: " + e.Check + ": " + e.msg }

// Is reports whether target is the sentinel of e's check, or ErrInvalid.
func (e *RuleError) Is(target error) bool {
	return target == ErrInvalid || target == ruleSentinels[e.Check]
}

// A ConflictError reports a guarded save that found the row in a state it
// did not expect. errors.Is(err, ErrConflict) holds for every one.
type ConflictError struct {
	Table string
	Key   []any  // the row's key values
	Field string // the Go name of the field that did not match; "" when Unknown
	// Column is the column of Field.
	Column string
	// Expected lists the accepted values; nil stands for NULL.
	Expected []any
	// Actual is the value found (nil for NULL), converted to the field's
	// type without its pointer (a *TaskState field reports a TaskState).
	Actual any
	// Local is set when the save was refused without any I/O because the
	// value loaded into the row was not expected: the store was not
	// asked and nothing was written. Actual is then the loaded value.
	Local bool
	// Unknown is set when the store matched no row although the values it
	// read back satisfy every condition, on every attempt: the cause is
	// unknown, and the save was retried with the same conditions before
	// giving up. Field, Expected and Actual are empty; Compared says what
	// was compared.
	Unknown bool
	// Compared, when Unknown, lists every condition of the last attempt
	// with the value the store read back for it, in the Write's order.
	Compared []Comparison
	// Attempts is how many times the write was sent to the store (0 when
	// Local).
	Attempts int
}

func (e *ConflictError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "guard: conflict: %s%s", e.Table, formatKey(e.Key))
	switch {
	case e.Unknown:
		fmt.Fprintf(&b, ": the store matched no row although the values it read satisfy every condition (%d attempts with the same conditions); cause unknown", e.Attempts)
		for i, c := range e.Compared {
			sep := "; "
			if i == 0 {
				sep = "; compared "
			}
			fmt.Fprintf(&b, "%s%s: expected %s, read %s", sep, c.Column, formatSet(c.Expected), formatValue(c.Actual))
		}
	default:
		fmt.Fprintf(&b, ".%s is %s, expected %s", e.Field, formatValue(e.Actual), formatSet(e.Expected))
		if e.Local {
			b.WriteString(" (as loaded; nothing was sent)")
		}
	}
	return b.String()
}

// A Comparison is one condition of a save and the value the store read
// back for it.
type Comparison struct {
	Field    string // the Go field name
	Column   string
	Expected []any // the accepted values; nil stands for NULL
	Actual   any   // the value read back (nil for NULL), in the field's type without its pointer
}

// Is reports whether target is ErrConflict.
func (e *ConflictError) Is(target error) bool { return target == ErrConflict }

func formatKey(key []any) string {
	parts := make([]string, len(key))
	for i, k := range key {
		parts[i] = fmt.Sprint(k)
	}
	return "[" + strings.Join(parts, ",") + "]"
}

func formatValue(v any) string {
	switch v := v.(type) {
	case nil:
		return "NULL"
	case string:
		return fmt.Sprintf("%q", v)
	case fmt.Stringer:
		return fmt.Sprintf("%q", v.String())
	}
	if s, ok := stringKind(v); ok {
		return fmt.Sprintf("%q", s)
	}
	return fmt.Sprint(v)
}

func formatSet(vals []any) string {
	if len(vals) == 1 {
		return formatValue(vals[0])
	}
	parts := make([]string, len(vals))
	for i, v := range vals {
		parts[i] = formatValue(v)
	}
	return "one of [" + strings.Join(parts, " ") + "]"
}

const (
	checkNoTransition        = CheckNoTransition
	checkIneffectiveGuard    = CheckIneffectiveGuard
	checkReentrantGuard      = CheckReentrantGuard
	checkUnguardedTransition = CheckUnguardedTransition
	checkInvalidOption       = CheckInvalidOption
)

func (t *Table[T]) ruleError(name string, f *field, msg string) error {
	return &RuleError{Check: name, Table: t.name, Field: f.name, msg: msg}
}
