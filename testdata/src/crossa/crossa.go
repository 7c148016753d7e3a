// Package crossa declares saves, transitions and states that package
// crossb calls: its facts carry them across the package boundary.
package crossa

import (
	"context"
	"errors"
)

type Status string

const (
	Queued  Status = "queued"
	Running Status = "running"
	Done    Status = "done"
)

// Job has a declared state.
type Job struct {
	ID int
	//stateguard:state
	Status Status // want Status:"state"
	Owner  string
}

// Lease is a declared state type.
//
//stateguard:state
type Lease string // want Lease:"state"

type Store struct{}

// UpdateOptimistically saves j if its status is still currentStatus.
func (s *Store) UpdateOptimistically(ctx context.Context, j *Job, currentStatus Status) error { // want UpdateOptimistically:"save\\(Status of #1, expect=#2\\) by convention"
	_ = currentStatus
	return nil
}

// Write is a save only by directive: the other package cannot tell from
// its names.
//
//stateguard:save field=Status expect=cond object=j
func (s *Store) Write(j *Job, cond []Status) error { // want Write:"save\\(Status of #0, expect=#1\\) by directive"
	if len(cond) == 0 {
		return errors.New("no condition")
	}
	return nil
}

// Persist forwards its object and expectation unchanged into Write: a
// wrapper, recognized as printf recognizes its wrappers.
func Persist(s *Store, job *Job, allowed ...Status) error { // want Persist:"save\\(Status of #1, expect=#2\\) by wrapper"
	return s.Write(job, allowed)
}

// PersistTwice forwards into a wrapper.
func PersistTwice(s *Store, job *Job, allowed []Status) error { // want PersistTwice:"save\\(Status of #1, expect=#2\\) by wrapper"
	if err := Persist(s, job, allowed...); err != nil {
		return err
	}
	return nil
}

// NotWrapper changes the expectation before it forwards it.
func NotWrapper(s *Store, job *Job, allowed []Status) error {
	allowed = append(allowed, Done)
	return s.Write(job, allowed)
}

// Flip is a transition only by directive.
//
//stateguard:transition from=x to=y
func Flip(id int, x, y Status) error { // want Flip:"transition\\(from=#1 to=#2\\) by directive"
	_ = x
	return nil
}

// SaveLease guards the job's lease by directive.
//
//stateguard:save field=Lease expect=expectedLease
func SaveLease(h *Holder, expectedLease Lease) error { // want SaveLease:"save\\(Lease of #0, expect=#1\\) by directive"
	_ = expectedLease
	return nil
}

// SaveHolder guards the holder's status by directive.
//
//stateguard:save field=Status expect=expected
func SaveHolder(h *Holder, expected Status) error { // want SaveHolder:"save\\(Status of #0, expect=#1\\) by directive"
	_ = expected
	return nil
}

type Holder struct {
	Lease  Lease
	Status Status
}

// unexported saves export no fact: no other package can call them.
func (s *Store) update(ctx context.Context, j *Job, currentStatus Status) error {
	_ = currentStatus
	return nil
}

// Fail sets the status itself before it forwards the object: the caller's
// write never reaches the save, so Fail is not a wrapper.
func Fail(s *Store, job *Job, from Status) error { // want Fail:`helper\(Status of #1 = "queued" then saved guarded\)`
	job.Status = Queued
	return s.Write(job, []Status{from})
}
