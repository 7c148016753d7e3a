package cascallback

import (
	"context"
	"errors"
)

// Attempt is one attempt of a run.
type Attempt struct {
	ID     string
	Status Status
}

// CompareAndSwapAttempt applies mutate to a if its status is expected.
func CompareAndSwapAttempt(ctx context.Context, a *Attempt, expected Status, mutate func(*Attempt)) error { // want CompareAndSwapAttempt:`save\(Status of #1, expect=#2\) by convention`
	if a.Status != expected {
		return errors.New("status changed")
	}
	mutate(a)
	return ctx.Err()
}

// Resume's callback writes the expected status of the object passed too.
func Resume(ctx context.Context, a *Attempt) error {
	return CompareAndSwapAttempt(ctx, a, Running, func(a *Attempt) { // want `ineffective-guard: the callback passed to CompareAndSwapAttempt sets Status to Running`
		a.Status = Running
	})
}

// Pause moves from the expected status to another.
func Pause(ctx context.Context, a *Attempt) error {
	return CompareAndSwapAttempt(ctx, a, Running, func(a *Attempt) {
		a.Status = Queued
	})
}

// memStore keeps one run status in memory.
type memStore struct {
	latest *RunStatus
	frozen bool
}

// CompareAndSwapLatestStatus refuses with false, not an error, when there
// is no run: that return is a refusal, not a success.
func (m *memStore) CompareAndSwapLatestStatus(ctx context.Context, ref Ref, expectedAttemptID string, expectedStatus Status, mutate func(*RunStatus) error) (*RunStatus, bool, error) { // want CompareAndSwapLatestStatus:`save\(Status of #4, expect=#3\) by convention`
	if m.latest == nil || ref.ID == "" {
		return nil, false, nil
	}
	if m.frozen {
		return m.latest, true, nil // want `shortcut-save: CompareAndSwapLatestStatus is a guarded save but returns success here without ever reading expectedStatus`
	}
	if m.latest.AttemptID != expectedAttemptID || m.latest.Status != expectedStatus {
		return m.latest, false, nil
	}
	next := *m.latest
	if err := mutate(&next); err != nil {
		return nil, false, err
	}
	m.latest = &next
	return m.latest, true, ctx.Err()
}
