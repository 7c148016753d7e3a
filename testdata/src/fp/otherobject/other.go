// Package otherobject writes the state of one object and saves another.
package otherobject

import "context"

// TwoJobs writes a and saves b.
func TwoJobs(ctx context.Context, a, b *Job) error { // want TwoJobs:`helper\(Status of #1 = "running"\)`
	a.Status = Running
	return b.Save(ctx, Running)
}

// FreshCopy writes a copy and saves the original.
func FreshCopy(ctx context.Context, j *Job) error {
	c := *j
	c.Status = Running
	return j.Save(ctx, Running)
}

// NewJob allocates two jobs.
func NewJob(ctx context.Context) error {
	parent := &Job{ID: 1}
	child := &Job{ID: 2}
	child.Status = Running
	return parent.Save(ctx, Running)
}

// SliceElements writes the first job and saves the second.
func SliceElements(ctx context.Context, jobs [2]Job) error {
	jobs[0].Status = Done
	return jobs[1].Save(ctx, Done)
}

// Holder holds two jobs.
type Holder struct {
	Current, Next Job
}

// Fields writes one field's job and saves another's.
func Fields(ctx context.Context, h *Holder) error {
	h.Next.Status = Running
	return h.Current.Save(ctx, Running)
}
