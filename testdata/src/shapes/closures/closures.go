// Package closures checks that function literals are analyzed like any
// function: a write and a save inside one literal are seen together, and a
// literal does not blur writes and saves that never meet.
package closures

import "context"

// InLiteral writes and saves inside one function literal that captures j.
func InLiteral(ctx context.Context, j *Job) error {
	start := func() error {
		j.Status = Running
		return j.Save(ctx, Running) // want `ineffective-guard: .*Status`
	}
	return start()
}

// NestedLiteral nests the literal two levels deep.
func NestedLiteral(ctx context.Context, j *Job) func() func() error {
	return func() func() error {
		return func() error {
			j.Status = Done
			return j.Save(ctx, []Status{Done}...) // want `ineffective-guard: .*Status`
		}
	}
}

// LiteralParameter takes the object as a parameter of the literal.
var _ = func(ctx context.Context) error {
	do := func(j *Job) error {
		j.Status = Running
		return j.Save(ctx, Idle, Running) // want `reentrant-guard: .*Status`
	}
	return do(&Job{})
}

// InLiteralCorrect is the right way: expect the state the action leaves.
func InLiteralCorrect(ctx context.Context, j *Job) error {
	start := func() error {
		j.Status = Running
		return j.Save(ctx, Idle)
	}
	return start()
}

// WriteAfterSaveInLiteral writes in a literal called after the save.
func WriteAfterSaveInLiteral(ctx context.Context, j *Job) error {
	err := j.Save(ctx, Idle)
	func() { j.Status = Idle }()
	return err
}

// LiteralWritesAnotherObject writes the literal's own parameter, a new
// job, then saves j.
func LiteralWritesAnotherObject(ctx context.Context, j *Job) error {
	reset := func(o *Job) { o.Status = Running }
	fresh := &Job{}
	reset(fresh)
	return j.Save(ctx, Running)
}

// PrevCapturedInLiteral captures the expectation before the write.
func PrevCapturedInLiteral(ctx context.Context, j *Job) error {
	run := func() error {
		prev := j.Status
		j.Status = Running
		return j.Save(ctx, prev)
	}
	return run()
}
