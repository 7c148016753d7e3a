// Package transitions checks transition calls, which carry both ends of a
// transition, in the language shapes the save checks cover: variadic
// sources, method values, closures, goroutines, defer, and the bodies of
// transition functions for shortcut-save.
package transitions

import (
	"context"
	"errors"
	"slices"
)

// RunState is the state of a run.
type RunState string

// The states.
const (
	Queued   RunState = "queued"
	Running  RunState = "running"
	Finished RunState = "finished"
	Failed   RunState = "failed"
)

// Runs stores run states.
type Runs struct{ rows map[int]RunState }

var errMoved = errors.New("run state changed concurrently")

// Move moves run id to toState from any of fromState.
func (r *Runs) Move(ctx context.Context, id int, toState RunState, fromState ...RunState) error { // want Move:`transition\(from=#3 to=#2\) by convention`
	if !slices.Contains(fromState, r.rows[id]) {
		return errMoved
	}
	r.rows[id] = toState
	return ctx.Err()
}

// Advance moves run id from oldPhase to newPhase; plain strings, the
// state word is in the names.
func (r *Runs) Advance(ctx context.Context, id int, oldPhase, newPhase string) error { // want Advance:`transition\(from=#2 to=#3\) by convention`
	if string(r.rows[id]) != oldPhase {
		return errMoved
	}
	r.rows[id] = RunState(newPhase)
	return ctx.Err()
}

// Skip is a transition whose body returns success before it looks at its
// source state.
func (r *Runs) Skip(ctx context.Context, id int, from, to RunState) error { // want Skip:`transition\(from=#2 to=#3\) by convention`
	if to == r.rows[id] {
		return nil // want `shortcut-save: .*from`
	}
	if r.rows[id] != from {
		return errMoved
	}
	r.rows[id] = to
	return ctx.Err()
}

// VariadicSources accepts the target among its sources.
func VariadicSources(ctx context.Context, r *Runs) error {
	return r.Move(ctx, 1, Running, Queued, Running) // want `reentrant-guard: `
}

// VariadicSame has one source, the target.
func VariadicSame(ctx context.Context, r *Runs) error {
	return r.Move(ctx, 1, Finished, Finished) // want `ineffective-guard: `
}

// StringsSame moves between two equal untyped constants.
func StringsSame(ctx context.Context, r *Runs) error {
	return r.Advance(ctx, 1, "running", "running") // want `ineffective-guard: `
}

// MethodValue calls the transition through a method value.
func MethodValue(ctx context.Context, r *Runs) error {
	move := r.Move
	return move(ctx, 1, Failed, Failed) // want `ineffective-guard: `
}

// InClosure calls the transition in a function literal.
func InClosure(ctx context.Context, r *Runs) func() error {
	return func() error {
		return r.Move(ctx, 1, Running, []RunState{Queued, Running}...) // want `reentrant-guard: `
	}
}

// InGoroutine starts the transition as a goroutine.
func InGoroutine(ctx context.Context, r *Runs) {
	go r.Move(ctx, 1, Queued, Queued) // want `ineffective-guard: `
}

// Deferred defers the transition.
func Deferred(ctx context.Context, r *Runs) {
	defer r.Advance(ctx, 1, "failed", "failed") // want `ineffective-guard: `
}

// Correct moves forward from each possible source.
func Correct(ctx context.Context, r *Runs) error {
	if err := r.Move(ctx, 1, Running, Queued); err != nil {
		return err
	}
	if err := r.Advance(ctx, 1, "running", "finished"); err != nil {
		return err
	}
	return r.Move(ctx, 1, Failed, []RunState{Queued, Running}...)
}

// Unknown moves between states given at run time.
func Unknown(ctx context.Context, r *Runs, to RunState, from []RunState) error { // want Unknown:`transition\(from=#3 to=#2\) by convention`
	return r.Move(ctx, 1, to, from...)
}

// Retry repeats a transition with the same ends, a new source each time:
// nothing is equal.
func Retry(ctx context.Context, r *Runs, states []RunState) error {
	for i := 1; i < len(states); i++ {
		if err := r.Move(ctx, 1, states[i], states[i-1]); err != nil {
			return err
		}
	}
	return nil
}
