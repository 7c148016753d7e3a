// Package condmap holds saves whose expectation is a query condition: a
// map keyed by the state's column, a constructor of one, and their
// conjunctions and disjunctions.
//
//stateguard:file-ignore ignored-conflict the cases here are about the condition, not the count that reports a refusal (see ignoredconflict)
package condmap

import (
	"context"
	"errors"

	"xbuilder"
)

// Status is where a job is.
type Status int

// The statuses of a job.
const (
	StatusWaiting Status = iota
	StatusRunning
	StatusBlocked
	StatusCancelled
)

// Job is a job of a run.
type Job struct {
	ID     int64
	TaskID int64
	Status Status
}

// UpdateJob writes the columns cols of job where cond holds, and returns
// how many rows it changed.
func UpdateJob(ctx context.Context, job *Job, cond xbuilder.Cond, cols ...string) (int64, error) { // want UpdateJob:`save\(Status of #1, expect=#2\) by convention`
	if cond != nil && !cond.IsValid() {
		return 0, errors.New("invalid condition")
	}
	_, _ = job, cols
	return 1, ctx.Err()
}

// errStale is returned when a row changed in the meantime.
var errStale = errors.New("stale")

// Unblock writes the state it expects: a second unblock passes too.
func Unblock(ctx context.Context, job *Job) error { // want Unblock:`helper\(Status of #1 = 1 then saved guarded\)`
	job.Status = StatusRunning
	_, err := UpdateJob(ctx, job, xbuilder.Eq{"status": StatusRunning}, "status") // want `ineffective-guard: Status is set to StatusRunning and this save expects only StatusRunning`
	return err
}

// ReadBack expects the field as it reads after the write.
func ReadBack(ctx context.Context, job *Job) error { // want ReadBack:`helper\(Status of #1 = 3 then saved guarded\)`
	job.Status = StatusCancelled
	_, err := UpdateJob(ctx, job, xbuilder.Eq{"id": job.ID, "status": job.Status}) // want `ineffective-guard: Status is set to StatusCancelled and this save expects only Status as read back after that write`
	return err
}

// StartIn accepts the state it writes among others.
func StartIn(ctx context.Context, job *Job) error { // want StartIn:`helper\(Status of #1 = 1 then saved guarded\)`
	job.Status = StatusRunning
	_, err := UpdateJob(ctx, job, xbuilder.In("status", StatusWaiting, StatusRunning)) // want `reentrant-guard: Status is set to StatusRunning and this save accepts StatusRunning among its expected states \(StatusWaiting, StatusRunning\)`
	return err
}

// StartAnd expects the written state in one part of a conjunction.
func StartAnd(ctx context.Context, job *Job) error { // want StartAnd:`helper\(Status of #1 = 1 then saved guarded\)`
	job.Status = StatusRunning
	_, err := UpdateJob(ctx, job, xbuilder.And(xbuilder.Eq{"id": job.ID}, xbuilder.Eq{"status": StatusRunning})) // want `ineffective-guard: Status is set to StatusRunning`
	return err
}

// StartOr accepts the written state in a disjunction.
func StartOr(ctx context.Context, job *Job) error { // want StartOr:`helper\(Status of #1 = 1 then saved guarded\)`
	job.Status = StatusRunning
	_, err := UpdateJob(ctx, job, xbuilder.Or(xbuilder.Eq{"status": StatusBlocked}, xbuilder.Eq{"status": StatusRunning})) // want `reentrant-guard: Status is set to StatusRunning`
	return err
}

// --- the correct forms ---

// UnblockRight expects the state it leaves.
func UnblockRight(ctx context.Context, job *Job) error { // want UnblockRight:`helper\(Status of #1 = 1 then saved guarded\)`
	job.Status = StatusRunning
	n, err := UpdateJob(ctx, job, xbuilder.Eq{"status": StatusBlocked}, "status")
	if err != nil {
		return err
	}
	if n != 1 {
		return errStale
	}
	return nil
}

// Rerun expects the state read before the write.
func Rerun(ctx context.Context, job *Job) error { // want Rerun:`helper\(Status of #1 = 0 then saved guarded\)`
	prev := job.Status
	job.Status = StatusWaiting
	_, err := UpdateJob(ctx, job, xbuilder.Eq{"status": prev}, "status")
	return err
}

// StartInRight leaves the written state out of the set.
func StartInRight(ctx context.Context, job *Job) error { // want StartInRight:`helper\(Status of #1 = 1 then saved guarded\)`
	job.Status = StatusRunning
	_, err := UpdateJob(ctx, job, xbuilder.In("status", StatusWaiting, StatusBlocked))
	return err
}

// Claim's condition is on another column: no expectation of Status, and
// Status is no declared state.
func Claim(ctx context.Context, job *Job, task int64) (bool, error) { // want Claim:`helper\(Status of #1 = 1 then saved guarded\)`
	job.TaskID = task
	job.Status = StatusRunning
	n, err := UpdateJob(ctx, job, xbuilder.Eq{"task_id": 0})
	return n == 1, err
}

// CancelAny saves with no condition: Status is no declared state.
func CancelAny(ctx context.Context, job *Job) error { // want CancelAny:`helper\(Status of #1 = 3 then saved guarded\)`
	job.Status = StatusCancelled
	_, err := UpdateJob(ctx, job, nil, "status")
	return err
}

// StartOrOther's disjunction holds whatever the status is.
func StartOrOther(ctx context.Context, job *Job) error { // want StartOrOther:`helper\(Status of #1 = 1 then saved guarded\)`
	job.Status = StatusRunning
	_, err := UpdateJob(ctx, job, xbuilder.Or(xbuilder.Eq{"id": job.ID}, xbuilder.Eq{"status": StatusRunning}))
	return err
}

// UpdateFields sets the columns fields gives: a map of what it writes, not
// of what it expects.
func UpdateFields(ctx context.Context, job *Job, fields map[string]any) error { // want UpdateFields:`save\(#1\) by plain save`
	_, _ = job, fields
	return ctx.Err()
}

// SetFields is not a save with a condition.
func SetFields(ctx context.Context, job *Job) error { // want SetFields:`save\(#1\) by plain save` SetFields:`helper\(Status of #1 = 1 then saved\)`
	job.Status = StatusRunning
	return UpdateFields(ctx, job, map[string]any{"status": StatusRunning})
}

// PartlyBuilt fills the condition on one path only: not read.
func PartlyBuilt(ctx context.Context, job *Job, strict bool) error { // want PartlyBuilt:`helper\(Status of #1 = 1 then saved guarded\)`
	cond := xbuilder.Eq{}
	if strict {
		cond["status"] = StatusRunning
	}
	job.Status = StatusRunning
	_, err := UpdateJob(ctx, job, cond)
	return err
}

// Assign stores the task column only: the status written in memory is not
// stored, and the condition on it is a fence.
func Assign(ctx context.Context, job *Job, task int64) error { // want Assign:`helper\(Status of #1 = 1 then saved guarded\)`
	job.TaskID = task
	job.Status = StatusRunning
	_, err := UpdateJob(ctx, job, xbuilder.Eq{"status": StatusRunning}, "task_id")
	return err
}

// AssignAndStart stores both columns: the status is stored.
func AssignAndStart(ctx context.Context, job *Job, task int64) error { // want AssignAndStart:`helper\(Status of #1 = 1 then saved guarded\)`
	job.TaskID = task
	job.Status = StatusRunning
	_, err := UpdateJob(ctx, job, xbuilder.Eq{"status": StatusRunning}, "task_id", "status") // want `ineffective-guard: Status is set to StatusRunning`
	return err
}

// StartInSlice passes the set as one slice: IN as well.
func StartInSlice(ctx context.Context, job *Job) error { // want StartInSlice:`helper\(Status of #1 = 1 then saved guarded\)`
	job.Status = StatusRunning
	_, err := UpdateJob(ctx, job, xbuilder.In("status", []Status{StatusBlocked, StatusRunning})) // want `reentrant-guard: Status is set to StatusRunning`
	return err
}

// StartInSliceRight leaves the written state out.
func StartInSliceRight(ctx context.Context, job *Job) error { // want StartInSliceRight:`helper\(Status of #1 = 1 then saved guarded\)`
	job.Status = StatusRunning
	_, err := UpdateJob(ctx, job, xbuilder.In("status", []Status{StatusBlocked, StatusWaiting}))
	return err
}
