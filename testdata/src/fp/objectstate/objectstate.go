// Package objectstate is a false finding of ineffective-guard seen on a
// workflow engine (docs/real-world.md): a method takes two objects whose
// interface type is named after a state, currentLedgerState and
// newLedgerState, and the transition convention takes them for the source
// and the target of a transition. Passing nil for both, or the same
// variable for both, or a variable that is nil on one path together with
// a literal nil, is then reported as a guard that expects what it writes.
// An interface (or any type with no comparable constants) is an object,
// not a state: nothing here may be reported.
//
// This package is not part of the corpus yet: it is reported today. The
// fix moves it under fp/.
package objectstate

import "context"

// LedgerState is an object (an interface), though its name ends in State.
type LedgerState interface {
	Balance() int64
	Apply(delta int64) LedgerState
}

// Book is a handle that can hand out its ledger.
type Book interface {
	Ledger() LedgerState
}

// Writer persists a reset ledger, optionally a new one and the current one.
type Writer interface {
	Replace(ctx context.Context, reset LedgerState, newLedgerState LedgerState, currentLedgerState LedgerState) error
}

// ReplaceOptional passes a new ledger only when there is one: on the path
// where next is nil, both the new and the current argument are nil.
func ReplaceOptional(ctx context.Context, w Writer, target, next Book) error {
	var newLedgerState LedgerState
	if next != nil {
		newLedgerState = next.Ledger()
	}
	return w.Replace(ctx, target.Ledger(), newLedgerState, nil)
}

// ReplaceAlone passes neither a new nor a current ledger.
func ReplaceAlone(ctx context.Context, w Writer, target Book) error {
	return w.Replace(ctx, target.Ledger(), nil, nil)
}

// ReplaceSame passes one ledger as both: an object handed twice, not a
// state expected and written.
func ReplaceSame(ctx context.Context, w Writer, target Book, l LedgerState) error {
	return w.Replace(ctx, target.Ledger(), l, l)
}
