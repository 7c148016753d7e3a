// Package ignorefile silences real findings of one check in a whole file
// with //stateguard:file-ignore.
package ignorefile

//stateguard:file-ignore reentrant-guard deleting twice is harmless in this store: the second delete finds nothing

import (
	"context"
	"errors"
)

type TaskState string

const (
	TaskNone     TaskState = ""
	TaskShelving TaskState = "shelving"
	TaskDeleting TaskState = "deleting"
)

var ErrConflict = errors.New("conflict")

type Server struct {
	ID        int
	TaskState TaskState
}

// Save writes s if its task state is still one of expectedTaskState.
func (s *Server) Save(ctx context.Context, expectedTaskState ...TaskState) error {
	for _, e := range expectedTaskState {
		if e == s.TaskState {
			return nil
		}
	}
	return ErrConflict
}

func deleteOnce(ctx context.Context, s *Server) error {
	s.TaskState = TaskDeleting
	return s.Save(ctx, TaskNone, TaskDeleting)
}

func deleteAgain(ctx context.Context, s *Server) error {
	s.TaskState = TaskDeleting
	return s.Save(ctx, TaskShelving, TaskDeleting)
}

func shelve(ctx context.Context, s *Server) error {
	s.TaskState = TaskShelving
	return s.Save(ctx, TaskShelving) // want `ineffective-guard: `
}
