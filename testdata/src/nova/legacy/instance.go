// Package legacy holds Instance.save as Nova wrote it before bug 1821373
// and the ways a Save implementation can skip the guard it is given.
package legacy

import (
	"context"
	"errors"
	"slices"

	"nova/taskstate"
)

// Instance is a server with change tracking: Save writes only the fields
// that changed since the last save.
type Instance struct {
	UUID      string
	Host      string
	TaskState taskstate.State

	saved Instance0
	store Store
}

// Instance0 is the last saved copy of an Instance's columns.
type Instance0 struct {
	Host      string
	TaskState taskstate.State
}

// Store runs the conditional UPDATE.
type Store interface {
	// Update writes changes to the row uuid if its task state is one of
	// expected (any when expected is empty).
	Update(ctx context.Context, uuid string, changes map[string]any, expected []taskstate.State) error
}

// changes returns the columns that differ from the last save.
func (i *Instance) changes() map[string]any {
	c := make(map[string]any)
	if i.Host != i.saved.Host {
		c["host"] = i.Host
	}
	if i.TaskState != i.saved.TaskState {
		c["task_state"] = i.TaskState
	}
	return c
}

// Save is Nova's save before the fix: when no field changed it returns
// before it looks at the expectation, so a save whose only purpose is the
// guard never reaches the database and a concurrent duplicate passes.
func (i *Instance) Save(ctx context.Context, expectedTaskState ...taskstate.State) error { // want Save:`save\(TaskState of receiver, expect=#1\) by convention`
	changes := i.changes()
	if len(changes) == 0 {
		return nil // want `shortcut-save: .*expectedTaskState`
	}
	if err := i.store.Update(ctx, i.UUID, changes, expectedTaskState); err != nil {
		return err
	}
	i.saved = Instance0{Host: i.Host, TaskState: i.TaskState}
	return nil
}

// SaveChecked is the fix Nova's bug report proposed: the expectation is
// checked first, locally, against the loaded state, and then carried to the
// database. Every path that returns success has read it.
func (i *Instance) SaveChecked(ctx context.Context, expectedTaskState ...taskstate.State) error { // want SaveChecked:`save\(TaskState of receiver, expect=#1\) by convention`
	if len(expectedTaskState) > 0 && !slices.Contains(expectedTaskState, i.saved.TaskState) {
		return errConflict
	}
	changes := i.changes()
	if len(changes) == 0 {
		return nil
	}
	if err := i.store.Update(ctx, i.UUID, changes, expectedTaskState); err != nil {
		return err
	}
	i.saved = Instance0{Host: i.Host, TaskState: i.TaskState}
	return nil
}

// SaveCanceled returns early on a cancelled context; the early return is an
// error, not a success, so it is not a shortcut.
func (i *Instance) SaveCanceled(ctx context.Context, expectedTaskState ...taskstate.State) error { // want SaveCanceled:`save\(TaskState of receiver, expect=#1\) by convention`
	if ctx.Err() != nil {
		return ctx.Err()
	}
	if len(expectedTaskState) == 0 {
		return errors.New("legacy: SaveCanceled needs an expectation")
	}
	return i.store.Update(ctx, i.UUID, i.changes(), expectedTaskState)
}

// SaveWhenHostKnown returns success without a write or a check when the
// host is unknown: a shortcut on that path.
func (i *Instance) SaveWhenHostKnown(ctx context.Context, expectedTaskState ...taskstate.State) error { // want SaveWhenHostKnown:`save\(TaskState of receiver, expect=#1\) by convention`
	if i.Host == "" {
		return nil // want `shortcut-save: .*expectedTaskState`
	}
	return i.store.Update(ctx, i.UUID, i.changes(), expectedTaskState)
}

// SaveRetrying retries a conflict of unknown cause without the condition:
// the Nova regression fixed by commit aae5c7aa. The retry path has read the
// expectation (on the first attempt), so shortcut-save, which looks for
// success paths that never read it, does not cover it; see
// fp_known/KNOWN_GAPS.md.
func (i *Instance) SaveRetrying(ctx context.Context, expectedTaskState ...taskstate.State) error { // want SaveRetrying:`save\(TaskState of receiver, expect=#1\) by convention`
	changes := i.changes()
	err := i.store.Update(ctx, i.UUID, changes, expectedTaskState)
	if errors.Is(err, errUnknownConflict) {
		return i.store.Update(ctx, i.UUID, changes, nil)
	}
	return err
}

var (
	errConflict        = errors.New("legacy: unexpected task state")
	errUnknownConflict = errors.New("legacy: conflict with an unknown cause")
)
