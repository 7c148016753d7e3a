// Package checkshortcut exercises shortcut-save: a guarded save or
// transition whose body returns success without reading its expectation.
package checkshortcut

import (
	"context"
	"errors"
	"log"
)

type TaskState string

type Instance struct {
	TaskState TaskState
	changes   map[string]any
}

var ErrConflict = errors.New("conflict")

// Save returns early when nothing changed, before it looks at the
// expectation: Nova bug 1821373.
func (i *Instance) Save(ctx context.Context, expectedTaskState []TaskState) error { // want Save:"save"
	if len(i.changes) == 0 {
		return nil // want `shortcut-save: Save is a guarded save but returns success here without ever reading expectedTaskState`
	}
	for _, e := range expectedTaskState {
		if e == i.TaskState {
			return nil
		}
	}
	return ErrConflict
}

type Store struct{ db map[int]TaskState }

// Good checks the expectation first.
func (s *Store) Good(ctx context.Context, i *Instance, expectedTaskState TaskState) error { // want Good:"save"
	if i.TaskState != expectedTaskState {
		return ErrConflict
	}
	if len(i.changes) == 0 {
		return nil
	}
	return nil
}

// Failing returns an error on its early path: not a success.
func (s *Store) Failing(ctx context.Context, i *Instance, expectedTaskState TaskState) error { // want Failing:"save"
	if i == nil {
		return errors.New("nil instance")
	}
	if i.TaskState != expectedTaskState {
		return ErrConflict
	}
	return nil
}

// Named returns its named error: not a literal nil, not reported.
func (s *Store) Named(ctx context.Context, i *Instance, expectedTaskState TaskState) (err error) { // want Named:"save"
	if i.changes == nil {
		return
	}
	_ = expectedTaskState
	return nil
}

// Counted returns (int, error); a success is every error result nil.
func (s *Store) Counted(ctx context.Context, i *Instance, expectedTaskState TaskState) (int, error) { // want Counted:"save"
	if len(i.changes) == 0 {
		return 0, nil // want `shortcut-save: Counted`
	}
	if i.TaskState != expectedTaskState {
		return 0, ErrConflict
	}
	return 1, nil
}

// Applied refuses through its bool: false with a nil error is no success.
func (s *Store) Applied(ctx context.Context, i *Instance, expectedTaskState TaskState) (bool, error) { // want Applied:"save"
	if len(i.changes) == 0 {
		return false, nil
	}
	if i.TaskState != expectedTaskState {
		return false, nil
	}
	return true, nil
}

// AppliedEarly says it applied without looking at the expectation.
func (s *Store) AppliedEarly(ctx context.Context, i *Instance, expectedTaskState TaskState) (bool, error) { // want AppliedEarly:"save"
	if len(i.changes) == 0 {
		return true, nil // want `shortcut-save: AppliedEarly`
	}
	return i.TaskState == expectedTaskState, nil
}

// Fatal never returns on its early path.
func (s *Store) Fatal(ctx context.Context, i *Instance, expectedTaskState TaskState) error { // want Fatal:"save"
	if i == nil {
		log.Fatal("nil")
	}
	if i.TaskState != expectedTaskState {
		return ErrConflict
	}
	return nil
}

// Loop reads the expectation only in a loop that may run zero times.
func (s *Store) Loop(ctx context.Context, i *Instance, expectedTaskState []TaskState) error { // want Loop:"save"
	for _, e := range expectedTaskState {
		if e == i.TaskState {
			return nil
		}
	}
	return ErrConflict
}

// Retry drops the expectation when it retries.
func (s *Store) Retry(ctx context.Context, i *Instance, expectedTaskState TaskState, retry bool) error { // want Retry:"save"
	if retry {
		return nil // want `shortcut-save: Retry`
	}
	if i.TaskState != expectedTaskState {
		return ErrConflict
	}
	return nil
}

type Phase int

// Advance is a transition that never looks at its source.
func Advance(id int, from, to Phase) error { // want Advance:"transition"
	if id == 0 {
		return nil // want `shortcut-save: Advance is a transition but returns success here without ever reading from`
	}
	_ = from
	return nil
}

// NoError has no error result: nothing can be said about success.
func NoError(i *Instance, expectedTaskState TaskState) bool { // want NoError:"save"
	return true
}
