// Package saves holds guarded save and transition implementations that
// read their expectation on every path that returns success: no
// shortcut-save.
package saves

import (
	"context"
	"errors"
	"slices"
)

// Status is a state.
type Status string

// Item is an object with a state.
type Item struct {
	ID     int
	Status Status
	dirty  bool
	stored Status
}

var errConflict = errors.New("status changed concurrently")

// CheckFirst checks the expectation, then returns early when clean.
func (it *Item) CheckFirst(ctx context.Context, expectedStatus ...Status) error { // want CheckFirst:`save\(Status of receiver, expect=#1\) by convention`
	if !slices.Contains(expectedStatus, it.stored) {
		return errConflict
	}
	if !it.dirty {
		return nil
	}
	it.stored = it.Status
	return ctx.Err()
}

// RefuseEarly returns an error, not success, before reading the
// expectation.
func (it *Item) RefuseEarly(ctx context.Context, expectedStatus Status) error { // want RefuseEarly:`save\(Status of receiver, expect=#1\) by convention`
	if it == nil {
		return errors.New("saves: nil item")
	}
	if it.stored != expectedStatus {
		return errConflict
	}
	it.stored = it.Status
	return nil
}

// Delegate returns the result of another call that receives the
// expectation.
func (it *Item) Delegate(ctx context.Context, expectedStatus Status) error { // want Delegate:`save\(Status of receiver, expect=#1\) by convention`
	return it.RefuseEarly(ctx, expectedStatus)
}

// InSwitch reads the expectation in a switch tag.
func (it *Item) InSwitch(ctx context.Context, previousStatus Status) error { // want InSwitch:`save\(Status of receiver, expect=#1\) by convention`
	switch previousStatus {
	case it.stored:
		it.stored = it.Status
		return nil
	default:
		return errConflict
	}
}

// NotNilErr returns a non-literal error value on the early path.
func (it *Item) NotNilErr(ctx context.Context, currentStatus Status) error { // want NotNilErr:`save\(Status of receiver, expect=#1\) by convention`
	if err := ctx.Err(); err != nil {
		return err
	}
	if it.stored != currentStatus {
		return errConflict
	}
	return nil
}

// Move is a transition by convention; it reads its source on every path.
func Move(ctx context.Context, id int, fromStatus []Status, toStatus Status) error { // want Move:`transition\(from=#2 to=#3\) by convention`
	if len(fromStatus) == 0 {
		return errors.New("saves: no source status")
	}
	_ = id
	if slices.Contains(fromStatus, toStatus) {
		return errors.New("saves: reentrant transition")
	}
	return ctx.Err()
}

// Captured passes the expectation to a closure that reads it.
func (it *Item) Captured(ctx context.Context, expectedStatus Status) error { // want Captured:`save\(Status of receiver, expect=#1\) by convention`
	check := func() bool { return it.stored == expectedStatus }
	if !check() {
		return errConflict
	}
	return nil
}
