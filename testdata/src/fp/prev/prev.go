// Package prev holds expectations captured before the write: the value
// expected is the old state, whatever it is.
package prev

import "context"

// Captured reads the status into a local before writing the new one.
func Captured(ctx context.Context, j *Job) error { // want Captured:`helper\(Status of #1 = "running" then saved guarded\)`
	prev := j.Status
	j.Status = Running
	return j.Save(ctx, prev)
}

// CapturedInStruct copies the whole object before the write.
func CapturedInStruct(ctx context.Context, j *Job) error { // want CapturedInStruct:`helper\(Status of #1 = "done" then saved guarded\)`
	before := *j
	j.Status = Done
	return j.Save(ctx, before.Status)
}

// CapturedInSlice captures into a slice of expectations.
func CapturedInSlice(ctx context.Context, j *Job) error { // want CapturedInSlice:`helper\(Status of #1 = "done" then saved guarded\)`
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

// CapturedInLoop captures at the top of each iteration. From the second
// iteration on, what it captures is the status the previous iteration
// wrote and saved: the save stored it, so the capture is the current
// stored status, and the concurrent duplicate was already refused by the
// first iteration's guard. Nothing is reported.
func CapturedInLoop(ctx context.Context, j *Job, steps int) error {
	for range steps {
		cur := j.Status
		j.Status = Running
		if err := j.Save(ctx, cur); err != nil {
			return err
		}
	}
	return nil
}
