// Package configsave is analyzed with -checks=-ineffective-guard.
package configsave

import (
	"context"
	"errors"
)

type TaskState string

const (
	TaskNone          TaskState = ""
	TaskShelving      TaskState = "shelving"
	TaskRebooting     TaskState = "rebooting"
	TaskRebootingHard TaskState = "rebooting_hard"
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

func shelve(ctx context.Context, s *Server) error {
	s.TaskState = TaskShelving
	return s.Save(ctx, TaskShelving) // ineffective-guard, switched off
}

func rebootHard(ctx context.Context, s *Server) error {
	s.TaskState = TaskRebootingHard
	return s.Save(ctx, TaskNone, TaskRebooting, TaskRebootingHard) // want `reentrant-guard: `
}
