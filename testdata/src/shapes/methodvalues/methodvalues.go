// Package methodvalues checks saves called through method values and
// method expressions: the object is the receiver the value was bound to,
// or the first argument of the expression.
package methodvalues

import "context"

// BoundValue calls the save through a method value bound to j.
func BoundValue(ctx context.Context, j *Job) error { // want BoundValue:`helper\(Status of #1 = "running" then saved guarded\)`
	save := j.Save
	j.Status = Running
	return save(ctx, Running) // want `ineffective-guard: .*Status`
}

// MethodExpression passes the object as the first argument.
func MethodExpression(ctx context.Context, j *Job) error { // want MethodExpression:`helper\(Status of #1 = "done" then saved guarded\)`
	j.Status = Done
	return (*Job).Save(j, ctx, Done) // want `ineffective-guard: .*Status`
}

// BoundValueCorrect expects the state the action leaves.
func BoundValueCorrect(ctx context.Context, j *Job) error { // want BoundValueCorrect:`helper\(Status of #1 = "running" then saved guarded\)`
	save := j.Save
	j.Status = Running
	return save(ctx, Idle)
}

// BoundToAnother binds the method value to another job than the one
// written.
func BoundToAnother(ctx context.Context, j, other *Job) error { // want BoundToAnother:`helper\(Status of #1 = "running"\)`
	save := other.Save
	j.Status = Running
	return save(ctx, Running)
}

// MethodExpressionAnother passes another job to the method expression.
func MethodExpressionAnother(ctx context.Context, j *Job) error { // want MethodExpressionAnother:`helper\(Status of #1 = "done"\)`
	other := &Job{ID: j.ID + 1}
	j.Status = Done
	return (*Job).Save(other, ctx, Done)
}
