// Package after holds writes that come after the save: they do not reach
// it.
package after

import "context"

// WriteAfter saves, then writes the state the save expected.
func WriteAfter(ctx context.Context, j *Job) error {
	if err := j.Save(ctx, Running); err != nil {
		return err
	}
	j.Status = Running
	return nil
}

// WriteAfterInBranch writes after the save on one branch.
func WriteAfterInBranch(ctx context.Context, j *Job, ok bool) error {
	err := j.Save(ctx, Done)
	if ok {
		j.Status = Done
	}
	return err
}

// WriteAfterThenSaveOther writes after the first save and the second save
// expects something else.
func WriteAfterThenSaveOther(ctx context.Context, j *Job) error {
	if err := j.Save(ctx, Idle); err != nil {
		return err
	}
	j.Status = Idle
	return j.Save(ctx, Running)
}

// RollbackOnError restores the field after a failed save.
func RollbackOnError(ctx context.Context, j *Job) error {
	prev := j.Status
	j.Status = Running
	if err := j.Save(ctx, Idle); err != nil {
		j.Status = prev
		return err
	}
	return nil
}
