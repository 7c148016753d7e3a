// Package fence holds fences: saves that expect the current state while
// writing other fields. No state is written, so nothing is reported.
package fence

import "context"

// MoveHost changes the host while the job runs.
func MoveHost(ctx context.Context, j *Job, host string) error {
	j.Host = host
	return j.Save(ctx, Running)
}

// ReadBackWithoutWrite expects the state read from the object, which was
// not written: it is the current state.
func ReadBackWithoutWrite(ctx context.Context, j *Job, owner string) error {
	j.Owner = owner
	return j.Save(ctx, j.Status)
}

// SeveralFences expects any of the running states.
func SeveralFences(ctx context.Context, j *Job) error {
	j.Owner = ""
	j.Host = ""
	return j.Save(ctx, Idle, Running)
}

// NothingWritten saves to check the state only.
func NothingWritten(ctx context.Context, j *Job) error {
	return j.Save(ctx, Done)
}

// WriteOnOtherPath writes the state on a path that does not reach the
// fence.
func WriteOnOtherPath(ctx context.Context, j *Job, stop bool) error {
	if stop {
		j.Status = Done
		return j.Save(ctx, Running)
	}
	j.Host = "elsewhere"
	return j.Save(ctx, Done)
}

// DeferredFence starts the job, then defers a fence on the running state:
// the write of Running was stored by the first save (the function returns
// when it fails), so at exit the deferred save writes no new state.
func DeferredFence(ctx context.Context, j *Job) error {
	j.Status = Running
	if err := j.Save(ctx, Idle); err != nil {
		return err
	}
	defer j.Save(ctx, Running)
	j.Owner = "worker"
	return nil
}
