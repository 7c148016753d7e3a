package guard

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"time"
)

// DefaultAttempts is how many times Table.Update runs its change function
// before it gives up on conflicts.
const DefaultAttempts = 5

// Retry calls fn until it returns nil, returns an error that is not a
// conflict, or has run attempts times, pausing a short, growing, jittered
// time between attempts. fn must do the whole read-modify-write: load the
// row, decide, change it, save it.
//
// Only store-side conflicts are retried: a *ConflictError found by the
// store (the row changed after fn loaded it) or whose cause is unknown. A
// conflict found locally (ConflictError.Local) is returned at once: fn has
// just loaded the row, so the state is not one the action can leave, and
// running it again would say the same. ErrOutcomeUnknown, ErrNotFound,
// rule errors and every other error are returned at once too.
//
// Retry returns nil only when a call of fn returned nil. When attempts run
// out it returns the last error; when ctx is done while it waits, an error
// matching both ctx.Err() and the last error.
func Retry(ctx context.Context, attempts int, fn func(ctx context.Context) error) error {
	if ctx == nil {
		return fmt.Errorf("%w: Retry with a nil context", ErrInvalid)
	}
	if fn == nil {
		return fmt.Errorf("%w: Retry with a nil function", ErrInvalid)
	}
	if attempts < 1 {
		return fmt.Errorf("%w: Retry with %d attempts; give at least 1", ErrInvalid, attempts)
	}
	pause := time.Millisecond
	for n := 1; ; n++ {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("guard: retry: %w", err)
		}
		err := fn(ctx)
		if err == nil {
			return nil
		}
		if !retryable(err) {
			return err
		}
		if n == attempts {
			return fmt.Errorf("guard: gave up after %d attempts: %w", n, err)
		}
		d := pause/2 + rand.N(pause)
		pause = min(2*pause, 100*time.Millisecond)
		timer := time.NewTimer(d)
		select {
		case <-ctx.Done():
			timer.Stop()
			return fmt.Errorf("guard: retry stopped after %d attempts: %w; last error: %w", n, ctx.Err(), err)
		case <-timer.C:
		}
	}
}

func retryable(err error) bool {
	var ce *ConflictError
	return errors.As(err, &ce) && !ce.Local
}

// Update loads the row whose key is key, lets change modify it and name the
// expectations of the save, and saves it; when the save meets a conflict
// found by the store it starts again from a fresh load, as Retry does, up to
// DefaultAttempts times, or as many as an Attempts option says. change
// returns the Options for Save; an error it returns stops Update and is
// returned as is. opts may hold Attempts and Retries (passed to every
// Save); expectations come from change.
//
// change runs once per attempt on a freshly loaded object, so it should
// decide from what it sees there, e.g. return an error when the server is
// already being shelved. On success Update returns the saved row.
//
// Under heavy contention on one row each attempt can lose to another
// writer's committed change: with n writers racing, an attempt is lost only
// to another's success, so Attempts(n) lets every one of them through, at
// the cost of up to n loads and saves each and growing pauses (up to 100 ms)
// between them. When writers keep colliding, serialise them instead (one
// worker per row, a queue) or make the change one the store can apply
// without reading first.
func (t *Table[T]) Update(ctx context.Context, s Store, key any, change func(v *T) ([]Option, error), opts ...Option) (*Row[T], error) {
	if err := t.errZero(); err != nil {
		return nil, err
	}
	if change == nil {
		return nil, fmt.Errorf("%w: Update with a nil change function", ErrInvalid)
	}
	attempts := DefaultAttempts
	var saveOpts []Option
	for _, o := range opts {
		switch o.kind {
		case optAttempts:
			if o.n < 1 {
				return nil, fmt.Errorf("%w: Attempts(%d): Update needs at least one attempt", ErrInvalid, o.n)
			}
			attempts = o.n
		case optRetries:
			saveOpts = append(saveOpts, o)
		default:
			return nil, fmt.Errorf("%w: Update with %s among its options: return expectations from change, which sees the loaded row", ErrInvalid, o.kind)
		}
	}
	var saved *Row[T]
	err := Retry(ctx, attempts, func(ctx context.Context) error {
		r, err := t.Load(ctx, s, key)
		if err != nil {
			return err
		}
		opts, err := change(&r.V)
		if err != nil {
			return err
		}
		if err := t.Save(ctx, s, r, append(opts[:len(opts):len(opts)], saveOpts...)...); err != nil {
			return err
		}
		saved = r
		return nil
	})
	if err != nil {
		return nil, err
	}
	return saved, nil
}
