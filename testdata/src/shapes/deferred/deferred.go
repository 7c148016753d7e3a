// Package deferred checks defer statements. A deferred call runs when the
// function returns, after every write of the function body, but evaluates
// its arguments at the defer statement.
package deferred

import "context"

// DeferSave defers a save after the write.
func DeferSave(ctx context.Context, j *Job) {
	j.Status = Done
	defer j.Save(ctx, Done) // want `ineffective-guard: .*Status`
}

// DeferSaveReadBack evaluates the read-back expectation at the defer
// statement, after the write: it is the new status.
func DeferSaveReadBack(ctx context.Context, j *Job) {
	j.Status = Running
	defer j.Save(ctx, j.Status) // want `ineffective-guard: .*Status`
}

// DeferredLiteral writes and saves inside a deferred function literal.
func DeferredLiteral(ctx context.Context, j *Job) (err error) {
	defer func() {
		j.Status = Done
		err = j.Save(ctx, Done) // want `ineffective-guard: .*Status`
	}()
	return nil
}

// DeferSaveCorrect defers a correct save.
func DeferSaveCorrect(ctx context.Context, j *Job) {
	j.Status = Done
	defer j.Save(ctx, Running)
}

// DeferSavePrev defers a save of the status captured before the write.
func DeferSavePrev(ctx context.Context, j *Job) {
	prev := j.Status
	j.Status = Running
	defer j.Save(ctx, prev)
}

// DeferredLiteralCorrect writes and saves correctly in a deferred literal.
func DeferredLiteralCorrect(ctx context.Context, j *Job) (err error) {
	defer func() {
		j.Status = Done
		err = j.Save(ctx, Running)
	}()
	return nil
}

// DeferBeforeWrite defers the save, then writes: the deferred call runs
// when the function returns, after the write.
func DeferBeforeWrite(ctx context.Context, j *Job) {
	defer j.Save(ctx, Done) // want `ineffective-guard: .*Status`
	j.Status = Done
}
