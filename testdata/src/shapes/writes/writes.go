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
func ExpectationOnSomePath(ctx context.Context, j *Job, resume bool) error { // want ExpectationOnSomePath:`helper\(Status of #1 = "running" then saved guarded\)`
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
func ConstantExpression(ctx context.Context, j *Job) error { // want ConstantExpression:`helper\(Status of #1 = "running" then saved guarded\)`
	j.Status = Running
	return j.Save(ctx, Status("run"+"ning")) // want `ineffective-guard: .*Status`
}

// WholeStructCorrect assigns the whole struct and expects another state.
func WholeStructCorrect(ctx context.Context, j *Job) error {
	*j = Job{ID: j.ID, Status: Done}
	return j.Save(ctx, Running)
}

// ExpectationsDiffer chooses between two expectations, neither the write.
func ExpectationsDiffer(ctx context.Context, j *Job, resume bool) error { // want ExpectationsDiffer:`helper\(Status of #1 = "running" then saved guarded\)`
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

// Queue holds the job to run next.
type Queue struct{ head *Job }

// PoppedThenCleared takes the job off the queue, clears the queue, and
// saves the job it took: the pointer written and saved is one value.
func PoppedThenCleared(ctx context.Context, q *Queue) error {
	j := q.head
	q.head = nil
	j.Status = Running
	return j.Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// SamePointerHolderRebound writes and saves through the pointer read from
// the holder before the holder took another job.
func SamePointerHolderRebound(ctx context.Context, h *Holder, other *Job) error {
	p := h.J
	h.J = other
	p.Status = Running
	return p.Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// DeferredThenRebound defers the save of the held job, then writes it and
// holds another: the deferred save's receiver was read at the defer.
func DeferredThenRebound(ctx context.Context, h *Holder, next *Job) error {
	defer h.J.Save(ctx, Running) // want `ineffective-guard: .*Status`
	h.J.Status = Running
	h.J = next
	return nil
}

// LengthRead reads the length of the slice between the write and the save.
func LengthRead(ctx context.Context, jobs []*Job) error {
	jobs[0].Status = Running
	if len(jobs) > 1 {
		jobs[0].Owner = "x"
	}
	return jobs[0].Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// RangedOver logs every job between the write and the save.
func RangedOver(ctx context.Context, jobs []*Job) error {
	jobs[0].Status = Running
	for _, o := range jobs {
		println(o.ID)
	}
	return jobs[0].Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// CopiedFrom copies the slice into another between the write and the save.
func CopiedFrom(ctx context.Context, jobs, others []*Job) error {
	jobs[0].Status = Running
	copy(others, jobs)
	return jobs[0].Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// AppendedTo appends the slice's jobs to another.
func AppendedTo(ctx context.Context, jobs, others []*Job) error {
	jobs[0].Status = Running
	others = append(others, jobs...)
	_ = others
	return jobs[0].Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// Describe reads the held job.
func (h *Holder) Describe() string { return h.J.Owner }

// LocalHolderMethod calls a method of a local holder between the write and
// the save, as it would for a holder it was given.
func LocalHolderMethod(ctx context.Context, j *Job) error {
	h := Holder{J: j}
	h.J.Status = Running
	_ = h.Describe()
	return h.J.Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// Inner holds a job; Outer embeds it after a counter.
type Inner struct{ J *Job }

// Outer embeds Inner after a counter.
type Outer struct {
	N int
	Inner
}

// CounterBumped changes the counter, not the held job.
func CounterBumped(ctx context.Context, o *Outer) error {
	o.J.Status = Running
	o.N++
	return o.J.Save(ctx, Running) // want `ineffective-guard: .*Status`
}
