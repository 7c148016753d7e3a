// Package rebind writes one object and saves another through the same
// name: a variable reassigned, shadowed, or a write inside a function
// literal that is never called before the save.
package rebind

import "context"

// Reassigned points j at another job between the write and the save.
func Reassigned(ctx context.Context, j, other *Job) error {
	j.Status = Running
	j = other
	return j.Save(ctx, Running)
}

// Shadowed writes a shadowing variable.
func Shadowed(ctx context.Context, j, other *Job) error {
	{
		j := other
		j.Status = Running
	}
	return j.Save(ctx, Running)
}

// NeverCalled defines a literal that writes but does not call it.
func NeverCalled(ctx context.Context, j *Job) (func(), error) {
	reset := func() { j.Status = Running }
	return reset, j.Save(ctx, Running)
}

// LoopRebinds saves each job of a slice after writing the previous one.
func LoopRebinds(ctx context.Context, jobs []*Job) error {
	var prev *Job
	for _, j := range jobs {
		if prev != nil {
			prev.Status = Done
		}
		if err := j.Save(ctx, Done); err != nil {
			return err
		}
		prev = j
	}
	return nil
}
