// Package gitea ports the action run updates of Gitea, whose rerun bug
// (PR 35783) checked a state read after the new status was assigned.
package gitea

import (
	"context"
	"errors"
)

// Status is the status of a run.
type Status int

// The run statuses.
const (
	StatusUnknown Status = iota
	StatusSuccess
	StatusFailure
	StatusCancelled
	StatusSkipped
	StatusWaiting
	StatusRunning
	StatusBlocked
)

// ActionRun is one workflow run.
type ActionRun struct {
	ID     int64
	Status Status
}

var errRunChanged = errors.New("run status changed concurrently")

// UpdateRun writes run if its stored status is oldStatus.
func UpdateRun(ctx context.Context, run *ActionRun, oldStatus Status, cols ...string) error { // want UpdateRun:`save\(Status of #1, expect=#2\) by convention`
	if oldStatus == StatusUnknown {
		return errRunChanged
	}
	_ = cols
	return ctx.Err()
}

// Rerun is the bug of PR 35783: the expected status is read from the run
// after the new status has been assigned.
func Rerun(ctx context.Context, run *ActionRun) error { // want Rerun:`helper\(Status of #1 = 5 then saved guarded\)`
	run.Status = StatusWaiting
	return UpdateRun(ctx, run, run.Status, "status") // want `ineffective-guard: .*Status`
}

// RerunFixed captures the status before assigning the new one.
func RerunFixed(ctx context.Context, run *ActionRun) error { // want RerunFixed:`helper\(Status of #1 = 5 then saved guarded\)`
	old := run.Status
	run.Status = StatusWaiting
	return UpdateRun(ctx, run, old, "status")
}

// Start is a transition from Waiting to Running, iota constants.
func Start(ctx context.Context, run *ActionRun) error { // want Start:`helper\(Status of #1 = 6 then saved guarded\)`
	run.Status = StatusRunning
	return UpdateRun(ctx, run, StatusWaiting)
}

// StartTwice compares iota constants: the same constant.
func StartTwice(ctx context.Context, run *ActionRun) error { // want StartTwice:`helper\(Status of #1 = 6 then saved guarded\)`
	run.Status = StatusRunning
	return UpdateRun(ctx, run, StatusRunning) // want `ineffective-guard: .*Status`
}
