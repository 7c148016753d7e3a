// Package cascallback holds compare-and-swap saves that hand the object to
// a mutate callback: the callback's write to the state is the new state,
// the expectation parameter the old one.
//
//stateguard:file-ignore ignored-conflict the cases here are about the condition, not the bool that reports a refusal (see ignoredconflict)
package cascallback

import (
	"context"
	"errors"
	"fmt"
)

// Status is where a run is.
type Status int

// The statuses of a run.
const (
	Queued Status = iota
	Running
	Aborted
	Succeeded
)

// Ref names a run.
type Ref struct{ Name, ID string }

// RunStatus is the stored status of a run's latest attempt.
type RunStatus struct {
	AttemptID string
	Status    Status
	Error     string
}

// Store keeps the runs.
type Store interface {
	// CompareAndSwapLatestStatus loads the latest attempt of ref, and if
	// its ID and status are the expected ones, applies mutate and stores
	// it; it reports whether it swapped.
	CompareAndSwapLatestStatus(ctx context.Context, ref Ref, expectedAttemptID string, expectedStatus Status, mutate func(*RunStatus) error) (*RunStatus, bool, error) // want CompareAndSwapLatestStatus:`save\(Status of #4, expect=#3\) by convention`

	// SwapStatus applies mutate if the status is one of expectedStatus.
	SwapStatus(ctx context.Context, ref Ref, expectedStatus []Status, mutate func(*RunStatus) error) (bool, error) // want SwapStatus:`save\(Status of #3, expect=#2\) by convention`
}

// Requeue writes the status it expects: a second requeue passes too.
func Requeue(ctx context.Context, s Store, ref Ref, id string) error {
	_, _, err := s.CompareAndSwapLatestStatus(ctx, ref, id, Queued, func(latest *RunStatus) error { // want `ineffective-guard: the callback passed to CompareAndSwapLatestStatus sets Status to Queued and this call expects only Queued`
		latest.Status = Queued
		latest.Error = ""
		return nil
	})
	return err
}

// Start accepts the status it writes among others.
func Start(ctx context.Context, s Store, ref Ref) error {
	_, err := s.SwapStatus(ctx, ref, []Status{Queued, Running}, func(latest *RunStatus) error { // want `reentrant-guard: the callback passed to SwapStatus sets Status to Running and this call accepts Running among its expected states \(Queued, Running\)`
		latest.Status = Running
		return nil
	})
	return err
}

// markAborted is a named mutate function.
func markAborted(latest *RunStatus) error {
	latest.Status = Aborted
	return nil
}

// Abort passes a named function that writes the expected status.
func Abort(ctx context.Context, s Store, ref Ref, id string) error {
	_, _, err := s.CompareAndSwapLatestStatus(ctx, ref, id, Aborted, markAborted) // want `ineffective-guard: the callback passed to CompareAndSwapLatestStatus sets Status to Aborted`
	return err
}

// AbortMaybe writes the expected status on one path of the callback.
func AbortMaybe(ctx context.Context, s Store, ref Ref, id string, force bool) error {
	_, _, err := s.CompareAndSwapLatestStatus(ctx, ref, id, Running, func(latest *RunStatus) error { // want `ineffective-guard: the callback passed to CompareAndSwapLatestStatus sets Status to Running`
		if force {
			latest.Status = Aborted
		} else {
			latest.Status = Running
		}
		return nil
	})
	return err
}

// --- the correct forms ---

// Dequeue moves from the expected status to another.
func Dequeue(ctx context.Context, s Store, ref Ref, id string) (bool, error) {
	_, swapped, err := s.CompareAndSwapLatestStatus(ctx, ref, id, Queued, func(latest *RunStatus) error {
		latest.Status = Running
		return nil
	})
	return swapped, err
}

// Retry expects the status read before the call.
func Retry(ctx context.Context, s Store, st *RunStatus, ref Ref) error {
	_, swapped, err := s.CompareAndSwapLatestStatus(ctx, ref, st.AttemptID, st.Status, func(latest *RunStatus) error {
		latest.Status = Queued
		return nil
	})
	if err == nil && !swapped {
		return errors.New("the run changed in the meantime")
	}
	return err
}

// Rollback writes back a status captured before: not the expected one.
func Rollback(ctx context.Context, s Store, ref Ref, prev *RunStatus) {
	old := prev.Status
	_, _, _ = s.CompareAndSwapLatestStatus(ctx, ref, prev.AttemptID, Queued, func(latest *RunStatus) error {
		latest.Status = old
		return nil
	})
}

// Annotate writes another field: a fence on the status.
func Annotate(ctx context.Context, s Store, ref Ref, id string) error {
	_, _, err := s.CompareAndSwapLatestStatus(ctx, ref, id, Running, func(latest *RunStatus) error {
		latest.Error = "slow"
		return nil
	})
	return err
}

// Refuse returns an error before it writes.
func Refuse(ctx context.Context, s Store, ref Ref, id string) error {
	_, _, err := s.CompareAndSwapLatestStatus(ctx, ref, id, Running, func(latest *RunStatus) error {
		if latest.AttemptID != id {
			return fmt.Errorf("attempt %s is not the latest", id)
		}
		latest.Status = Succeeded
		return nil
	})
	return err
}

// errNotLatest refuses a mutation.
var errNotLatest = errors.New("not the latest attempt")

// RefuseAfter writes the expected status only on a path that fails: the
// store does not save it.
func RefuseAfter(ctx context.Context, s Store, ref Ref, id string) error {
	_, _, err := s.CompareAndSwapLatestStatus(ctx, ref, id, Running, func(latest *RunStatus) error {
		if latest.AttemptID != id {
			latest.Status = Running
			return errNotLatest
		}
		latest.Status = Succeeded
		return nil
	})
	return err
}

// StartRight leaves the written status out of the set.
func StartRight(ctx context.Context, s Store, ref Ref) error {
	_, err := s.SwapStatus(ctx, ref, []Status{Queued, Aborted}, func(latest *RunStatus) error {
		latest.Status = Running
		return nil
	})
	return err
}
