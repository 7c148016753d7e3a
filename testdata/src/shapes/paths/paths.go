// Package paths checks that a finding holds on some path from the write to
// the save, and that no path means no finding.
package paths

import "context"

// OneBranch writes on one branch only.
func OneBranch(ctx context.Context, j *Job, start bool) error {
	if start {
		j.Status = Running
	}
	return j.Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// InLoop writes in a loop body; the save after the loop sees the write.
func InLoop(ctx context.Context, j *Job, steps []int) error {
	for _, s := range steps {
		if s > 0 {
			j.Status = Done
		}
	}
	return j.Save(ctx, Done) // want `ineffective-guard: .*Status`
}

// SelectArm writes in one arm of a select.
func SelectArm(ctx context.Context, j *Job, c <-chan int) error {
	select {
	case <-c:
		j.Status = Running
	case <-ctx.Done():
	}
	return j.Save(ctx, Idle, Running) // want `reentrant-guard: .*Status`
}

// ReturnsBeforeSave writes on a path that returns before the save.
func ReturnsBeforeSave(ctx context.Context, j *Job, start bool) error {
	if start {
		j.Status = Running
		return nil
	}
	return j.Save(ctx, Running)
}

// PanicsBeforeSave writes on a path that panics.
func PanicsBeforeSave(ctx context.Context, j *Job, bad bool) error {
	if bad {
		j.Status = Running
		panic("bad job")
	}
	return j.Save(ctx, Running)
}

// OverwrittenBeforeSave writes the expected state, then another one: the
// last write reaches the save.
func OverwrittenBeforeSave(ctx context.Context, j *Job) error { // want OverwrittenBeforeSave:`helper\(Status of #1 = "done" then saved guarded\)`
	j.Status = Running
	j.Status = Done
	return j.Save(ctx, Running)
}

// SaveThenWrite writes after the save.
func SaveThenWrite(ctx context.Context, j *Job) error { // want SaveThenWrite:`helper\(Status of #1 = "running"\)`
	err := j.Save(ctx, Running)
	j.Status = Running
	return err
}

// BranchesDiffer writes different states on the two branches, each
// different from the expectation.
func BranchesDiffer(ctx context.Context, j *Job, ok bool) error {
	if ok {
		j.Status = Done
	} else {
		j.Status = Idle
	}
	return j.Save(ctx, Running)
}

// CapturedOnceBeforeLoop captures the status once, before the loop; the
// loop's writes do not change the captured value.
func CapturedOnceBeforeLoop(ctx context.Context, j *Job, steps int) error { // want CapturedOnceBeforeLoop:`helper\(Status of #1 = "running" then saved guarded\)`
	prev := j.Status
	j.Status = Running
	if err := j.Save(ctx, prev); err != nil {
		return err
	}
	for range steps {
		j.Owner = "worker"
		if err := j.Save(ctx, Running); err != nil {
			return err
		}
	}
	return nil
}
