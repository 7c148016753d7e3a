// Package prev holds expectations captured before the write: the value
// expected is the old state, whatever it is.
package prev

import "context"

// Captured reads the status into a local before writing the new one.
func Captured(ctx context.Context, j *Job) error {
	prev := j.Status
	j.Status = Running
	return j.Save(ctx, prev)
}

// CapturedInStruct copies the whole object before the write.
func CapturedInStruct(ctx context.Context, j *Job) error {
	before := *j
	j.Status = Done
	return j.Save(ctx, before.Status)
}

// CapturedInSlice captures into a slice of expectations.
func CapturedInSlice(ctx context.Context, j *Job) error {
	expected := []Status{j.Status}
	j.Status = Done
	return j.Save(ctx, expected...)
}

// CapturedThenBranch captures, then writes on one branch.
func CapturedThenBranch(ctx context.Context, j *Job, finish bool) error {
	old := j.Status
	if finish {
		j.Status = Done
	} else {
		j.Status = Running
	}
	return j.Save(ctx, old)
}
