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
