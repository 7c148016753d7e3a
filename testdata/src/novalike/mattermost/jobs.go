// Package mattermost ports the job store of Mattermost, whose status
// updates are guarded by the status a job is expected to have.
package mattermost

import (
	"errors"
	"sync"
)

// Job statuses, untyped string constants as in Mattermost.
const (
	JobStatusPending         = "pending"
	JobStatusInProgress      = "in_progress"
	JobStatusSuccess         = "success"
	JobStatusError           = "error"
	JobStatusCancelRequested = "cancel_requested"
	JobStatusCanceled        = "canceled"
)

// Job is one background job.
type Job struct {
	Id       string
	Type     string
	Status   string
	Progress int64
}

// JobStore persists jobs.
type JobStore interface {
	// UpdateOptimistically writes job if its stored status is
	// currentStatus, and reports whether it did.
	UpdateOptimistically(job *Job, currentStatus string) (bool, error) // want UpdateOptimistically:`save\(Status of #0, expect=#1\) by convention`
	// UpdateStatus writes status unconditionally.
	UpdateStatus(id string, status string) (*Job, error)
	// UpdateStatusOptimistically moves job id from currentStatus to
	// newStatus, and reports whether it did.
	UpdateStatusOptimistically(id string, currentStatus string, newStatus string) (bool, error) // want UpdateStatusOptimistically:`transition\(from=#1 to=#2\) by convention`
}

// JobServer runs jobs.
type JobServer struct {
	Store JobStore
	mu    sync.Mutex
}

var errNotUpdated = errors.New("job was not updated: its status changed")

// SetJobProgress is Mattermost's: it sets the status it then expects.
// Mattermost means it as "write the progress only while the job still
// runs", a fence, which makes the status assignment redundant; read as a
// transition, the guard can never catch a duplicate. The message names
// both readings.
func (srv *JobServer) SetJobProgress(job *Job, progress int64) error { // want SetJobProgress:`helper\(Status of #0 = "in_progress" then saved guarded\)`
	job.Status = JobStatusInProgress
	job.Progress = progress
	if ok, err := srv.Store.UpdateOptimistically(job, JobStatusInProgress); err != nil { // want `ineffective-guard: .*Status.*fence|ineffective-guard: .*fence.*Status`
		return err
	} else if !ok {
		return errNotUpdated
	}
	return nil
}

// SetJobProgressFence is the fence written without the redundant write:
// nothing to report.
func (srv *JobServer) SetJobProgressFence(job *Job, progress int64) error {
	job.Progress = progress
	if ok, err := srv.Store.UpdateOptimistically(job, JobStatusInProgress); err != nil {
		return err
	} else if !ok {
		return errNotUpdated
	}
	return nil
}

// ClaimJob moves a pending job to in progress: a correct transition.
func (srv *JobServer) ClaimJob(job *Job) (bool, error) {
	return srv.Store.UpdateStatusOptimistically(job.Id, JobStatusPending, JobStatusInProgress)
}

// ReclaimJob is a seeded mistake: the transition's two ends are the same
// status.
func (srv *JobServer) ReclaimJob(job *Job) (bool, error) {
	return srv.Store.UpdateStatusOptimistically(job.Id, JobStatusInProgress, JobStatusInProgress) // want `ineffective-guard: `
}

// CancelJob moves a job whose cancellation was requested: correct.
func (srv *JobServer) CancelJob(job *Job) error {
	ok, err := srv.Store.UpdateStatusOptimistically(job.Id, JobStatusCancelRequested, JobStatusCanceled)
	if err == nil && !ok {
		err = errNotUpdated
	}
	return err
}

// SetJobSuccess writes the status unconditionally. The status is not a
// declared state and UpdateStatus carries no expectation, so it is not a
// recognized save: nothing is reported (the last writer wins, which
// Mattermost accepts here).
func (srv *JobServer) SetJobSuccess(job *Job) error { // want SetJobSuccess:`save\(#0\) by plain save` SetJobSuccess:`helper\(Status of #0 = "success"\)`
	job.Status = JobStatusSuccess
	_, err := srv.Store.UpdateStatus(job.Id, JobStatusSuccess)
	return err
}

// ClaimThenProgress claims a pending job, then records progress with a
// fence on the status it stored. The claim's failure paths return, so the
// fence writes no new status: no unguarded write. But the fence drops the
// bool through which it refuses: when the job was cancelled in between,
// the progress is not written and the caller goes on as if it had been
// (ignored-conflict).
func (srv *JobServer) ClaimThenProgress(job *Job, progress int64) error { // want ClaimThenProgress:`helper\(Status of #0 = "in_progress" then saved guarded\)`
	job.Status = JobStatusInProgress
	if ok, err := srv.Store.UpdateOptimistically(job, JobStatusPending); err != nil || !ok {
		return errNotUpdated
	}
	job.Progress = progress
	_, err := srv.Store.UpdateOptimistically(job, JobStatusInProgress) // want `ignored-conflict: UpdateOptimistically reports through its bool result whether the save applied .*: it is assigned to _ and only the error is checked, so the loser of a concurrent race carries on as if it had won`
	return err
}
