package guard

import (
	"context"
	"errors"
	"reflect"
	"strconv"
)

// A Store applies guarded writes to rows. The guard package turns a typed
// object and its expectations into a Write, validates it, and hands it to a
// Store; a Store never decides whether a write is allowed, it only applies it
// atomically and tells what it found.
//
// Implementations: the in-memory store in this package, and the SQL stores
// in guard/sqlitestore, guard/pgstore and guard/mysqlstore. The conformance
// suite in guard/guardtest checks any Store against this contract.
type Store interface {
	// Apply performs w as one atomic compare-and-swap on the row named by
	// w.Key: the assignments in w.Set take effect if and only if every
	// condition in w.Where holds at the moment of the write. With an empty
	// w.Set it still checks w.Where atomically against the row (a fence or
	// a pure guard); it never returns Applied without having looked.
	//
	// When the write does not apply, Apply tells why from a read that is
	// not stale (under a row lock, or in a fresh transaction): NotFound if
	// the row does not exist, or Mismatch with the current values of
	// w.Read. If those values still satisfy w.Where the cause is unknown
	// and the caller may retry the very same Write.
	//
	// Errors: ErrOutcomeUnknown is wrapped when, and only when, the write
	// may have committed: a context done, a connection lost or a commit
	// failed after the statement was sent, with no word on how it ended.
	// Any other error means that nothing was written: a context done before
	// anything was sent, or while the statement waited for a lock it never
	// got, is returned wrapping ctx.Err(); a statement the server rejected
	// or confirms cancelled is returned as is. A table or column the store
	// lacks wraps ErrUnknownColumn and writes nothing.
	Apply(ctx context.Context, w *Write) (Result, error)

	// Load reads cols of the row named by key, each scanned into a new
	// value of its Column.Type, in order. A missing row wraps ErrNotFound.
	Load(ctx context.Context, table string, key []Value, cols []Column) ([]any, error)

	// Insert creates a row. A row with the same key wraps ErrExists.
	Insert(ctx context.Context, table string, values []Value) error
}

// Value is a column and the value written to or compared with it. A nil
// Value is SQL NULL.
type Value struct {
	Column string
	Value  any
}

// Cond requires the stored value of Column to be one of Values, or NULL when
// Null is set. A Cond with no Values and Null unset matches nothing and is
// refused before it reaches a Store.
type Cond struct {
	Column string
	Values []any
	Null   bool
}

// Column names a column and the Go type its value is read into.
type Column struct {
	Name string
	Type reflect.Type
}

// Write is one conditional write of one row. A Store must not modify it: a
// retry reuses the same Write, with exactly the same conditions.
type Write struct {
	Table string
	Key   []Value  // the row; every key column must be equal
	Set   []Value  // the assignments; may be empty
	Where []Cond   // every condition must hold
	Read  []Column // what a Mismatch reports
}

// Outcome says what Apply found.
type Outcome int

const (
	Applied  Outcome = iota + 1 // the conditions held and Set was written
	NotFound                    // no row has the key
	Mismatch                    // the row exists; Result.Actual holds its Read columns
)

// Result is what Apply found.
type Result struct {
	Outcome Outcome
	Actual  []any // with Mismatch: the current values of Write.Read, in order
}

// Errors every Store uses, so that callers can test them with errors.Is
// whatever the store.
var (
	ErrNotFound = errors.New("guard: not found")
	ErrExists   = errors.New("guard: row exists")
	// ErrOutcomeUnknown: the write may have committed, or not; only
	// reading the row tells. No other error leaves that doubt.
	ErrOutcomeUnknown = errors.New("guard: outcome unknown")
	ErrUnknownColumn  = errors.New("guard: unknown table or column")
)

// String returns the name of o.
func (o Outcome) String() string {
	switch o {
	case Applied:
		return "Applied"
	case NotFound:
		return "NotFound"
	case Mismatch:
		return "Mismatch"
	}
	return "Outcome(" + strconv.Itoa(int(o)) + ")"
}
