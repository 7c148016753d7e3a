// Package ignoredconflict holds guarded saves and transitions that refuse
// through a bool, a count of rows or a sql.Result, and their callers: those
// that discard the refusal (ignored-conflict) and those that read it.
package ignoredconflict

import (
	"context"
	"database/sql"
	"errors"
)

var ErrConflict = errors.New("conflict")

type Status string

const (
	Queued  Status = "queued"
	Running Status = "running"
	Done    Status = "done"
)

type Job struct {
	ID     string
	Status Status
	Note   string
}

// JobStore is called through its interface, as services call their stores.
type JobStore interface {
	// UpdateOptimistically writes job if its status is still currentStatus;
	// false when it was not.
	UpdateOptimistically(job *Job, currentStatus Status) (bool, error) // want UpdateOptimistically:`save\(Status of #0, expect=#1\) by convention, refuses by result #0`
	// UpdateStatusOptimistically moves the job id from currentStatus to
	// newStatus; false when it was not in currentStatus.
	UpdateStatusOptimistically(id string, currentStatus, newStatus Status) (bool, error) // want UpdateStatusOptimistically:`transition\(from=#1 to=#2\) by convention, refuses by result #0`
	// Save writes job if its status is still expectedStatus; it refuses
	// through its error alone.
	Save(job *Job, expectedStatus Status) error // want Save:`save\(Status of #0, expect=#1\) by convention`
}

// UpdateRunJob writes job where its status is still expectedStatus and
// returns the number of rows written.
func UpdateRunJob(ctx context.Context, job *Job, expectedStatus Status, cols ...string) (int64, error) { // want UpdateRunJob:`save\(Status of #1, expect=#2\) by convention, refuses by result #0`
	_ = cols
	if job.Status == expectedStatus {
		return 0, nil
	}
	return 1, ctx.Err()
}

// ExecUpdate writes job through database/sql.
func ExecUpdate(ctx context.Context, db *sql.DB, job *Job, expectedStatus Status) (sql.Result, error) { // want ExecUpdate:`save\(Status of #2, expect=#3\) by convention, refuses by result #0`
	return db.ExecContext(ctx, "UPDATE jobs SET status = ? WHERE id = ? AND status = ?", job.Status, job.ID, expectedStatus)
}

// CommandTag is a driver's result: RowsAffected alone.
type CommandTag struct{ n int64 }

func (t CommandTag) RowsAffected() int64 { return t.n }

// Exec writes job and returns the driver's command tag.
func Exec(job *Job, expectedStatus Status) (CommandTag, error) { // want Exec:`save\(Status of #0, expect=#1\) by convention, refuses by result #0`
	if job.Status == expectedStatus {
		return CommandTag{0}, nil
	}
	return CommandTag{1}, nil
}

// SetStatus refuses through a count alone: no error.
func SetStatus(job *Job, expectedStatus Status) int { // want SetStatus:`save\(Status of #0, expect=#1\) by convention, refuses by result #0`
	if job.Status == expectedStatus {
		return 0
	}
	return 1
}

// Swap is a save by directive that refuses through a bool alone.
//
//stateguard:save field=Status expect=want object=job
func Swap(job *Job, want Status) bool { // want Swap:`save\(Status of #0, expect=#1\) by directive, refuses by result #0`
	return job.Status != want
}

// Upsert's bool says whether the row was created, not whether the save
// applied: no refusal.
func Upsert(job *Job, expectedStatus Status) (created bool, err error) { // want Upsert:`save\(Status of #0, expect=#1\) by convention$`
	return expectedStatus == "", nil
}

// Bump's integer is the row's new version: no refusal.
func Bump(job *Job, expectedStatus Status) (version int64, err error) { // want Bump:`save\(Status of #0, expect=#1\) by convention$`
	if job.Status == expectedStatus {
		return 0, ErrConflict
	}
	return 1, nil
}

// Service wraps the store.
type Service struct{ Store JobStore }

// Claim forwards its object and expectation to the store, and its bool.
func (s *Service) Claim(job *Job, currentStatus Status) (bool, error) { // want Claim:`save\(Status of #0, expect=#1\) by convention, refuses by result #0`
	return s.Store.UpdateOptimistically(job, currentStatus)
}

// Valid checks a status; it saves nothing, whatever its bool says.
func Valid(job *Job, next Status) bool {
	return job.Status != next
}

// CanTransition asks whether the pair is allowed: its bool is the answer,
// not a refusal.
func CanTransition(fromStatus, toStatus Status) (bool, error) { // want CanTransition:`transition\(from=#0 to=#1\) by convention$`
	return fromStatus != toStatus, nil
}
