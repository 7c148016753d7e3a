package writes

import (
	"context"
	"errors"
	"slices"
)

// Status is the state of a Job.
type Status string

// The states of a Job.
const (
	Idle    Status = "idle"
	Running Status = "running"
	Done    Status = "done"
)

// Job is an object with a state field.
type Job struct {
	ID     int
	Status Status
	Owner  string

	stored Status
}

var errConflict = errors.New("status changed concurrently")

// Save writes j if its stored status is one of expectedStatus (any status
// when none is given).
func (j *Job) Save(ctx context.Context, expectedStatus ...Status) error { // want Save:`save\(Status of receiver, expect=#1\) by convention`
	if len(expectedStatus) > 0 && !slices.Contains(expectedStatus, j.stored) {
		return errConflict
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	j.stored = j.Status
	return nil
}
