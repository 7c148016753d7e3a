// Package writes checks the ways Go writes a field and spells a value:
// through a pointer to the field, by assigning the whole struct, with a
// value chosen on some path, and with constant expressions.
package writes

import "context"

// ThroughFieldPointer writes the field through a pointer to it.
func ThroughFieldPointer(ctx context.Context, j *Job) error {
	p := &j.Status
	*p = Running
	return j.Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// WholeStruct assigns the whole struct, status included.
func WholeStruct(ctx context.Context, j *Job) error {
	*j = Job{ID: j.ID, Status: Done}
	return j.Save(ctx, Done) // want `ineffective-guard: .*Status`
}

// ExpectationOnSomePath expects Running on one path only, after writing
// Running: on that path the guard is ineffective.
func ExpectationOnSomePath(ctx context.Context, j *Job, resume bool) error {
	expected := Idle
	if resume {
		expected = Running
	}
	j.Status = Running
	return j.Save(ctx, expected) // want `ineffective-guard: .*Status`
}

// WrittenOnSomePath writes Running on one path only, through a local.
func WrittenOnSomePath(ctx context.Context, j *Job, start bool) error {
	next := Idle
	if start {
		next = Running
	}
	j.Status = next
	return j.Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// ConstantExpression expects a constant expression equal to the write.
func ConstantExpression(ctx context.Context, j *Job) error {
	j.Status = Running
	return j.Save(ctx, Status("run"+"ning")) // want `ineffective-guard: .*Status`
}

// WholeStructCorrect assigns the whole struct and expects another state.
func WholeStructCorrect(ctx context.Context, j *Job) error {
	*j = Job{ID: j.ID, Status: Done}
	return j.Save(ctx, Running)
}

// ExpectationsDiffer chooses between two expectations, neither the write.
func ExpectationsDiffer(ctx context.Context, j *Job, resume bool) error {
	expected := Idle
	if resume {
		expected = Done
	}
	j.Status = Running
	return j.Save(ctx, expected)
}

// SameIndex writes and saves the element at one index.
func SameIndex(ctx context.Context, jobs []*Job, i int) error {
	jobs[i].Status = Running
	return jobs[i].Save(ctx, Running) // want `ineffective-guard: .*Status`
}
