// Package writes checks the ways Go writes a field and spells a value:
// through a pointer to the field, by assigning the whole struct, with a
// value chosen on some path, and with constant expressions; and that the
// job written through an element or a field is still the one saved when
// that place is given another job on some path only, before the write,
// after the save, or at another place.
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

// Holder holds jobs by pointer.
type Holder struct{ J, K *Job }

// ReplacedOnSomePath puts another job at the index on one path only: on
// the other, the job written is the job saved.
func ReplacedOnSomePath(ctx context.Context, jobs []*Job, i int, other *Job, replace bool) error {
	jobs[i].Status = Running
	if replace {
		jobs[i] = other
	}
	return jobs[i].Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// OtherIndexReplaced puts another job at another constant index.
func OtherIndexReplaced(ctx context.Context, jobs []*Job, other *Job) error {
	jobs[0].Status = Running
	jobs[1] = other
	return jobs[0].Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// OtherFieldReplaced replaces the job of another field of the holder.
func OtherFieldReplaced(ctx context.Context, h *Holder, other *Job) error {
	h.J.Status = Running
	h.K = other
	return h.J.Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// ReplacedBeforeWrite holds another job before the write and the save.
func ReplacedBeforeWrite(ctx context.Context, h *Holder, other *Job) error {
	h.J = other
	h.J.Status = Running
	return h.J.Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// ReplacedAfterSave moves to the next job after each save.
func ReplacedAfterSave(ctx context.Context, h *Holder, next []*Job) error {
	for _, n := range next {
		h.J.Status = Running
		if err := h.J.Save(ctx, Running); err != nil { // want `ineffective-guard: .*Status`
			return err
		}
		h.J = n
	}
	return nil
}
