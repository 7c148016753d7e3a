// Package server declares a guarded save. Callers in other packages are
// checked through the fact stateguard exports for Save.
package server

import (
	"context"
	"errors"
)

// TaskState is what a server is busy with.
type TaskState string

// Task states.
const (
	TaskNone     TaskState = ""
	TaskShelving TaskState = "shelving"
)

// ErrConflict is returned by Save when the task state is not the expected one.
var ErrConflict = errors.New("server: task state changed concurrently")

// Server is a virtual machine.
type Server struct {
	ID        int
	TaskState TaskState
	stored    TaskState
}

// Save stores s if its stored task state is one of expectedTaskState.
func (s *Server) Save(ctx context.Context, expectedTaskState ...TaskState) error {
	for _, e := range expectedTaskState {
		if e == s.stored {
			s.stored = s.TaskState
			return nil
		}
	}
	return ErrConflict
}
