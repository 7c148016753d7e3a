// Package odd gathers unusual but valid code around saves: range-over-func
// loops (whose bodies go/ssa builds as synthetic functions), functions
// that never return, recover, type switches, iterators, generic aliases
// and builtins. The analyzer must neither panic nor report what is not
// there.
package odd

import (
	"context"
	"iter"
)

// All yields every job.
func All(jobs []*Job) iter.Seq[*Job] {
	return func(yield func(*Job) bool) {
		for _, j := range jobs {
			if !yield(j) {
				return
			}
		}
	}
}

// RangeFunc writes and saves in the body of a range-over-func loop.
func RangeFunc(ctx context.Context, jobs []*Job) error {
	for j := range All(jobs) {
		j.Status = Running
		if err := j.Save(ctx, Running); err != nil { // want `ineffective-guard: .*Status`
			return err
		}
	}
	return nil
}

// RangeFuncCorrect expects the state it leaves.
func RangeFuncCorrect(ctx context.Context, jobs []*Job) error {
	for j := range All(jobs) {
		j.Status = Running
		if err := j.Save(ctx, Idle); err != nil {
			return err
		}
	}
	return nil
}

// RangeFuncBreak leaves the loop early with a labeled break after a
// write; the write does not reach a save.
func RangeFuncBreak(ctx context.Context, jobs []*Job, stop *Job) error {
loop:
	for j := range All(jobs) {
		if j == stop {
			j.Status = Done
			break loop
		}
		if err := j.Save(ctx, Done); err != nil {
			return err
		}
	}
	return nil
}

// Forever never returns.
func Forever(ctx context.Context, j *Job, tick <-chan struct{}) {
	for range tick {
		j.Owner = "worker"
		_ = j.Save(ctx, Running)
	}
	select {}
}

// Recovered saves in a deferred recover.
func Recovered(ctx context.Context, j *Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			j.Status = Idle
			err = j.Save(ctx, Running)
		}
	}()
	panic("odd")
}

// Switched writes in a type switch.
func Switched(ctx context.Context, j *Job, v any) error {
	switch v := v.(type) {
	case Status:
		j.Status = v
	case string:
		j.Status = Status(v)
	default:
		j.Status = Idle
	}
	return j.Save(ctx, Running)
}

// Pair is a generic alias.
type Pair[T any] = struct{ A, B T }

// Builtins uses min, max, clear and a generic alias around a save.
func Builtins(ctx context.Context, j *Job, m map[string]int) error {
	p := Pair[int]{A: 1, B: 2}
	clear(m)
	j.ID = min(p.A, p.B) + max(p.A, p.B)
	return j.Save(ctx, j.Status)
}

// NilJob calls the save on a nil pointer: it panics at run time, and there
// is no write.
func NilJob(ctx context.Context) error {
	var j *Job
	return j.Save(ctx, Idle)
}

// Recursive saves down a chain of jobs.
func Recursive(ctx context.Context, chain []*Job) error {
	if len(chain) == 0 {
		return nil
	}
	chain[0].Status = Done
	if err := chain[0].Save(ctx, Running); err != nil {
		return err
	}
	return Recursive(ctx, chain[1:])
}

// ArrayOfJobs writes and saves one element of an array of pointers by the
// same constant index.
func ArrayOfJobs(ctx context.Context, jobs [3]*Job) error {
	jobs[1].Status = Done
	return jobs[1].Save(ctx, Done) // want `ineffective-guard: .*Status`
}

// StructField writes through a field of a struct that holds the job.
func StructField(ctx context.Context, h struct{ J *Job }) error {
	h.J.Status = Running
	return h.J.Save(ctx, Running) // want `ineffective-guard: .*Status`
}
