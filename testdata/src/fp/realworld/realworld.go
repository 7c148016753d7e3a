// Package realworld holds guarded and unguarded saves from public Go
// projects that must not be reported.
package realworld

import (
	"context"
	"errors"
)

// Status is a run status.
type Status string

// The statuses.
const (
	StatusPending  Status = "pending"
	StatusRunning  Status = "running"
	StatusBlocked  Status = "blocked"
	StatusKilled   Status = "killed"
	StatusDeclined Status = "declined"
)

// Pipeline is a Woodpecker pipeline.
type Pipeline struct {
	ID     int64
	Status Status
}

// PipelineStore saves whole pipelines.
type PipelineStore interface {
	UpdatePipeline(p *Pipeline) error // want UpdatePipeline:`save\(#0\) by plain save`
}

// Rename changes no status: a plain save with no check of the status is
// no check-then-save. (Woodpecker's approve, which checks the status
// and then saves it with UpdatePipeline, is reported: see
// checkthensave.)
func Rename(s PipelineStore, p *Pipeline, id int64) error {
	p.ID = id
	return s.UpdatePipeline(p)
}

// Cond is a query condition, as xorm's builder.Eq.
type Cond map[string]any

// RunJob is a Gitea job.
type RunJob struct {
	ID     int64
	Status Status
}

// UpdateRunJob writes job where cond holds: the expectation lives in a
// query condition keyed by the status column.
func UpdateRunJob(ctx context.Context, job *RunJob, cond Cond, cols ...string) (int64, error) { // want UpdateRunJob:`save\(Status of #1, expect=#2\) by convention`
	_, _ = cond, cols
	return 1, ctx.Err()
}

// StopTask is Gitea's shape: the condition is a map, it expects the
// status the job leaves, and a count of 0 is a lost race.
func StopTask(ctx context.Context, job *RunJob) error { // want StopTask:`helper\(Status of #1 = "killed" then saved guarded\)`
	job.Status = StatusKilled
	n, err := UpdateRunJob(ctx, job, Cond{"status": StatusRunning}, "status")
	if err == nil && n == 0 {
		return errors.New("the job is no longer running")
	}
	return err
}

// Attempt is a dagu DAG run attempt.
type Attempt struct {
	ID     string
	Status Status
}

// CompareAndSwapLatestAttemptStatus writes the latest attempt of ref with
// mutate applied if its status is expected; mutate writes the new one.
func CompareAndSwapLatestAttemptStatus(ctx context.Context, ref string, attempt *Attempt, expected Status, mutate func(*Attempt)) error { // want CompareAndSwapLatestAttemptStatus:`save\(Status of #2, expect=#3\) by convention`
	if attempt.Status != expected {
		return errors.New("attempt status changed")
	}
	mutate(attempt)
	_ = ref
	return ctx.Err()
}

// Dequeue is dagu's shape: the write happens in the closure, the
// expectation is the old status.
func Dequeue(ctx context.Context, a *Attempt) error {
	return CompareAndSwapLatestAttemptStatus(ctx, "ref", a, StatusPending, func(a *Attempt) {
		a.Status = StatusRunning
	})
}

// Job is a Mattermost job, with untyped string statuses.
type Job struct {
	Id     string
	Status string
}

// JobStore is Mattermost's.
type JobStore interface {
	UpdateOptimistically(job *Job, currentStatus string) (bool, error)                          // want UpdateOptimistically:`save\(Status of #0, expect=#1\) by convention`
	UpdateStatusOptimistically(id string, currentStatus string, newStatus string) (bool, error) // want UpdateStatusOptimistically:`transition\(from=#1 to=#2\) by convention`
}

// ClaimJob uses both guarded updates correctly.
func ClaimJob(s JobStore, job *Job) (bool, error) { // want ClaimJob:`helper\(Status of #1 = "in_progress" then saved guarded\)`
	job.Status = "in_progress"
	if ok, err := s.UpdateOptimistically(job, "pending"); err != nil || !ok {
		return ok, err
	}
	return s.UpdateStatusOptimistically(job.Id, "in_progress", "success")
}
