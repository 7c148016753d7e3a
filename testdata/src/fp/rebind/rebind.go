// Package rebind writes one object and saves another through the same
// name: a variable reassigned, shadowed, or a write inside a function
// literal that is never called before the save; an element of a slice or
// an array, or a field holding the pointer, given another object (or
// possibly so: an index that may be the same, the slice handed to a
// function) between the write and the save.
package rebind

import (
	"context"
	"sort"
)

// Reassigned points j at another job between the write and the save.
func Reassigned(ctx context.Context, j, other *Job) error { // want Reassigned:`helper\(Status of #1 = "running"\)`
	j.Status = Running
	j = other
	return j.Save(ctx, Running)
}

// Shadowed writes a shadowing variable.
func Shadowed(ctx context.Context, j, other *Job) error {
	{
		j := other
		j.Status = Running
	}
	return j.Save(ctx, Running)
}

// NeverCalled defines a literal that writes but does not call it.
func NeverCalled(ctx context.Context, j *Job) (func(), error) {
	reset := func() { j.Status = Running }
	return reset, j.Save(ctx, Running)
}

// LoopRebinds saves each job of a slice after writing the previous one.
func LoopRebinds(ctx context.Context, jobs []*Job) error {
	var prev *Job
	for _, j := range jobs {
		if prev != nil {
			prev.Status = Done
		}
		if err := j.Save(ctx, Done); err != nil {
			return err
		}
		prev = j
	}
	return nil
}

// ElementReplaced writes the job at index i, puts another job at index i,
// and saves that one.
func ElementReplaced(ctx context.Context, jobs []*Job, i int, other *Job) error {
	jobs[i].Status = Running
	jobs[i] = other
	return jobs[i].Save(ctx, Running)
}

// ArrayElementReplaced does the same with an array and a constant index.
func ArrayElementReplaced(ctx context.Context, jobs [2]*Job, other *Job) error {
	jobs[1].Status = Done
	jobs[1] = other
	return jobs[1].Save(ctx, Done)
}

// Holder holds a job by pointer.
type Holder struct{ J *Job }

// FieldReplaced writes the held job, holds another, and saves it.
func FieldReplaced(ctx context.Context, h *Holder, other *Job) error {
	h.J.Status = Running
	h.J = other
	return h.J.Save(ctx, Running)
}

// IndexMoved writes the job at i, then saves the job at i+1.
func IndexMoved(ctx context.Context, jobs []*Job, i int) error {
	jobs[i].Status = Running
	i++
	return jobs[i].Save(ctx, Running)
}

// SliceReplaced writes an element of one slice and saves the same index
// of another.
func SliceReplaced(ctx context.Context, jobs, others []*Job, i int) error {
	jobs[i].Status = Running
	jobs = others
	return jobs[i].Save(ctx, Running)
}

// CopiedFromAnother overwrites the whole job with another's contents: the
// status written is the other job's, unknown here.
func CopiedFromAnother(ctx context.Context, j, other *Job) error {
	*j = *other
	return j.Save(ctx, Running)
}

// ZeroedThenSaved clears the job: the status written is the zero value,
// not the one expected.
func ZeroedThenSaved(ctx context.Context, j *Job) error {
	*j = Job{ID: j.ID}
	return j.Save(ctx, Idle)
}

// LoadedBeforeReplaced writes through a pointer read from the holder
// before the holder took another job, then saves the held one.
func LoadedBeforeReplaced(ctx context.Context, h *Holder, other *Job) error {
	p := h.J
	h.J = other
	p.Status = Running
	return h.J.Save(ctx, Running)
}

// SavedLoadedBeforeReplaced saves the job read before the holder took
// another, after writing the other one.
func SavedLoadedBeforeReplaced(ctx context.Context, h *Holder, other *Job) error {
	saved := h.J
	h.J = other
	h.J.Status = Running
	return saved.Save(ctx, Running)
}

// MaybeSameIndex puts another job at an index that may be i.
func MaybeSameIndex(ctx context.Context, jobs []*Job, i, k int, other *Job) error {
	jobs[i].Status = Running
	jobs[k] = other
	return jobs[i].Save(ctx, Running)
}

// CopiedOver copies other jobs over the slice.
func CopiedOver(ctx context.Context, jobs, others []*Job, i int) error {
	jobs[i].Status = Running
	copy(jobs, others)
	return jobs[i].Save(ctx, Running)
}

// ReplacedByCall hands the slice to a function that may replace its
// elements.
func ReplacedByCall(ctx context.Context, jobs []*Job, i int, other *Job) error {
	jobs[i].Status = Running
	replace(jobs, i, other)
	return jobs[i].Save(ctx, Running)
}

func replace(jobs []*Job, i int, j *Job) { jobs[i] = j }

// ReplacedThroughAddress hands the address of the held pointer to a
// function that may store another.
func ReplacedThroughAddress(ctx context.Context, h *Holder, other *Job) error {
	h.J.Status = Running
	hold(&h.J, other)
	return h.J.Save(ctx, Running)
}

func hold(p **Job, j *Job) { *p = j }

// ReplacedThroughPointer stores another job through a pointer to the
// holder's field.
func ReplacedThroughPointer(ctx context.Context, h *Holder, other *Job) error {
	pp := &h.J
	h.J.Status = Running
	*pp = other
	return h.J.Save(ctx, Running)
}

// HolderReplaced replaces the whole holder.
func HolderReplaced(ctx context.Context, h *Holder, other *Job) error {
	h.J.Status = Running
	*h = Holder{J: other}
	return h.J.Save(ctx, Running)
}

// ResliceReplaced replaces the element through a slice of the slice.
func ResliceReplaced(ctx context.Context, jobs []*Job, other *Job) error {
	tail := jobs[1:]
	jobs[1].Status = Running
	tail[0] = other
	return jobs[1].Save(ctx, Running)
}

// ReplacedInLiteral rebinds a captured variable in a literal it calls.
func ReplacedInLiteral(ctx context.Context, j, other *Job) error {
	j.Status = Running
	func() { j = other }()
	return j.Save(ctx, Running)
}

// ReadBackOfAnother expects the status read back from the job the holder
// took after the write.
func ReadBackOfAnother(ctx context.Context, h *Holder, other *Job) error {
	h.J.Status = Running
	h.J = other
	return h.J.Save(ctx, h.J.Status)
}

// SortedBetween sorts the slice between the write and the save: the job
// at index i may be another.
func SortedBetween(ctx context.Context, jobs []*Job, i int) error {
	jobs[i].Status = Running
	sort.Slice(jobs, func(a, b int) bool { return jobs[a].ID < jobs[b].ID })
	return jobs[i].Save(ctx, Running)
}

// ReadBackOfOld expects the status read back from the job the holder held
// before it took the one written and saved.
func ReadBackOfOld(ctx context.Context, h *Holder, other *Job) error {
	p := h.J
	h.J = other
	h.J.Status = Running
	return h.J.Save(ctx, p.Status)
}

// Inner holds a job; Outer embeds it after a counter.
type Inner struct{ J *Job }

// Outer embeds Inner after a counter.
type Outer struct {
	N int
	Inner
}

// InnerReplaced replaces the embedded holder, and with it the job.
func InnerReplaced(ctx context.Context, o *Outer, other *Job) error {
	o.J.Status = Running
	o.Inner = Inner{J: other}
	return o.J.Save(ctx, Running)
}

// DeferredAfterRebound defers the save of the job the holder took after
// the write.
func DeferredAfterRebound(ctx context.Context, h *Holder, next *Job) error {
	h.J.Status = Running
	h.J = next
	defer h.J.Save(ctx, Running)
	return nil
}

// DeferredThenReboundThenWritten defers the save of the held job, then
// holds another and writes that one: the deferred save stores the first.
func DeferredThenReboundThenWritten(ctx context.Context, h *Holder, next *Job) error {
	defer h.J.Save(ctx, Running)
	h.J = next
	h.J.Status = Running
	return nil
}

// ClearedBetween clears the slice between the write and the save: the
// element saved is nil, not the job written.
func ClearedBetween(ctx context.Context, jobs []*Job) error {
	jobs[0].Status = Running
	clear(jobs)
	return jobs[0].Save(ctx, Running)
}
