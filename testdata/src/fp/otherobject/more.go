package otherobject

import "context"

// Event has a field named like Job's.
type Event struct {
	Status Status
}

// OtherTypeSameField writes a field of the same name on another type.
func OtherTypeSameField(ctx context.Context, e *Event, j *Job) error { // want OtherTypeSameField:`helper\(Status of #1 = "running"\)`
	e.Status = Running
	return j.Save(ctx, Running)
}

// ReadBackOfAnother expects the state of another job, read after this
// job's write: not a read-back of the written field.
func ReadBackOfAnother(ctx context.Context, j, parent *Job) error { // want ReadBackOfAnother:`helper\(Status of #1 = "running" then saved guarded\)`
	j.Status = Running
	return j.Save(ctx, parent.Status)
}

// Interleaved writes and saves two jobs, each correctly.
func Interleaved(ctx context.Context, a, b *Job) error { // want Interleaved:`helper\(Status of #1 = "running" then saved guarded; Status of #2 = "done"\)`
	a.Status = Running
	b.Status = Done
	if err := a.Save(ctx, Idle); err != nil {
		return err
	}
	return b.Save(ctx, Running)
}

// IndexesDiffer writes one element and saves another, by index values
// not known to be equal.
func IndexesDiffer(ctx context.Context, jobs []*Job, i, k int) error {
	jobs[i].Status = Running
	return jobs[k].Save(ctx, Running)
}
