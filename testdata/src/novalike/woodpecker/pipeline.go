// Package woodpecker ports the approve, decline and cancel handlers of
// Woodpecker CI, which check a pipeline's status in memory and then save
// the whole row. Here the status type is declared a state, and the store
// offers a guarded save: handlers that pass no expectation are reported,
// handlers that pass one are not.
package woodpecker

import (
	"context"
	"errors"
	"slices"
)

// StatusValue is the status of a pipeline.
//
//stateguard:state
type StatusValue string // want StatusValue:`state`

// The statuses.
const (
	StatusBlocked  StatusValue = "blocked"
	StatusPending  StatusValue = "pending"
	StatusRunning  StatusValue = "running"
	StatusDeclined StatusValue = "declined"
	StatusKilled   StatusValue = "killed"
)

// Pipeline is one pipeline run.
type Pipeline struct {
	ID       int64
	Status   StatusValue
	Reviewer string
}

// Store persists pipelines.
type Store struct{ rows map[int64]StatusValue }

var errStatusChanged = errors.New("pipeline status changed concurrently")

// UpdatePipeline writes p if its stored status is one of expectedStatus;
// with none it writes unconditionally.
func (s *Store) UpdatePipeline(ctx context.Context, p *Pipeline, expectedStatus ...StatusValue) error { // want UpdatePipeline:`save\(Status of #1, expect=#2\) by convention`
	if cur := s.rows[p.ID]; len(expectedStatus) > 0 && !slices.Contains(expectedStatus, cur) {
		return errStatusChanged
	}
	s.rows[p.ID] = p.Status
	return ctx.Err()
}

// Approve checks in memory and saves unconditionally: two concurrent
// approvals, or an approval racing a decline, both win.
func Approve(ctx context.Context, s *Store, p *Pipeline, user string) error {
	if p.Status != StatusBlocked {
		return errors.New("woodpecker: pipeline is not blocked")
	}
	p.Status = StatusPending
	p.Reviewer = user
	return s.UpdatePipeline(ctx, p) // want `unguarded-transition: .*Status`
}

// Decline is the fixed form: the store checks the status it expects.
func Decline(ctx context.Context, s *Store, p *Pipeline, user string) error { // want Decline:`helper\(Status of #2 = "declined" then saved guarded\)`
	p.Status = StatusDeclined
	p.Reviewer = user
	return s.UpdatePipeline(ctx, p, StatusBlocked)
}

// Cancel stops a pending or running pipeline: several sources, none of
// them the target.
func Cancel(ctx context.Context, s *Store, p *Pipeline) error { // want Cancel:`helper\(Status of #2 = "killed" then saved guarded\)`
	p.Status = StatusKilled
	return s.UpdatePipeline(ctx, p, StatusPending, StatusRunning)
}

// Reassign changes the reviewer only: no state is written, so an
// unconditional save is no transition.
func Reassign(ctx context.Context, s *Store, p *Pipeline, user string) error {
	p.Reviewer = user
	return s.UpdatePipeline(ctx, p)
}

// Restart reruns a pipeline whatever its status, on purpose, and says so.
func Restart(ctx context.Context, s *Store, p *Pipeline) error { // want Restart:`helper\(Status of #2 = "pending" then saved guarded\)`
	p.Status = StatusPending
	return s.UpdatePipeline(ctx, p) //stateguard:ignore a restart overrides any status on purpose: the user asked for a fresh run
}
