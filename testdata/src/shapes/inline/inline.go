// Package inline checks objects held by value in a place: an element of a
// slice or an array of structs, or a struct field of a struct. The object
// written and the one saved are the same when both are reached through the
// same place: the same constant index, the same index value, the same
// field.
package inline

import (
	"context"
	"errors"
)

type Status string

const (
	Idle    Status = "idle"
	Running Status = "running"
)

type Job struct {
	ID     int
	Status Status

	stored Status
}

func (j *Job) Save(ctx context.Context, expectedStatus Status) error { // want Save:`save\(Status of receiver, expect=#1\) by convention`
	if j.stored != expectedStatus {
		return errors.New("status changed concurrently")
	}
	j.stored = j.Status
	return nil
}

// Holder holds a job by value.
type Holder struct {
	Name string
	J    Job
}

// ElementOfSlice writes and saves the element at one index value.
func ElementOfSlice(ctx context.Context, jobs []Job, i int) error {
	jobs[i].Status = Running
	return jobs[i].Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// ElementOfArray writes and saves the element at one constant index of an
// array variable.
func ElementOfArray(ctx context.Context) error {
	var js [3]Job
	js[1].Status = Running
	return js[1].Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// FieldOfHolder writes and saves the job a holder holds by value.
func FieldOfHolder(ctx context.Context, h *Holder) error {
	h.J.Status = Running
	return h.J.Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// FieldOfHolderGuarded expects the state the job leaves.
func FieldOfHolderGuarded(ctx context.Context, h *Holder) error {
	h.J.Status = Running
	return h.J.Save(ctx, Idle)
}

// OtherIndex writes one element and saves another.
func OtherIndex(ctx context.Context, jobs []Job, i, k int) error {
	jobs[i].Status = Running
	return jobs[k].Save(ctx, Running)
}

// OtherConstantIndex writes one element and saves another.
func OtherConstantIndex(ctx context.Context, jobs []Job) error {
	jobs[0].Status = Running
	return jobs[1].Save(ctx, Running)
}

// IndexMoved writes the element at i, then saves the one after it.
func IndexMoved(ctx context.Context, jobs []Job, i int) error {
	jobs[i].Status = Running
	i++
	return jobs[i].Save(ctx, Running)
}

// OtherHolder writes the job of one holder and saves that of another.
func OtherHolder(ctx context.Context, a, b *Holder) error {
	a.J.Status = Running
	return b.J.Save(ctx, Running)
}

// ElementReplaced puts another job in the element between the write and
// the save: the job saved is the new one, whose status is unknown here.
func ElementReplaced(ctx context.Context, jobs []Job, next Job) error {
	jobs[0].Status = Running
	jobs[0] = next
	return jobs[0].Save(ctx, Running)
}

// Copied writes a copy of the element and saves the element itself.
func Copied(ctx context.Context, jobs []Job) error {
	j := jobs[0]
	j.Status = Running
	return jobs[0].Save(ctx, Running)
}
