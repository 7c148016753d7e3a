// Package ignoresave silences real findings with //stateguard:ignore.
package ignoresave

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

func fenceTrailing(ctx context.Context, s *Server) error {
	s.TaskState = TaskShelving
	return s.Save(ctx, TaskShelving) //stateguard:ignore a fence: the caller holds the shelving lock
}

func fenceAbove(ctx context.Context, s *Server) error {
	s.TaskState = TaskDeleting
	//stateguard:ignore deleting twice is harmless; the second delete finds nothing
	return s.Save(ctx, TaskNone, TaskDeleting)
}

func notSilenced(ctx context.Context, s *Server) error {
	s.TaskState = TaskShelving
	return s.Save(ctx, TaskShelving) // want `ineffective-guard: `
}

func nothingToSilence(ctx context.Context, s *Server) error {
	s.TaskState = TaskShelving
	//stateguard:ignore the guard is right here // want `directive: this //stateguard:ignore silences nothing`
	return s.Save(ctx, TaskNone)
}

func fenceNamed(ctx context.Context, s *Server) error {
	s.TaskState = TaskShelving
	return s.Save(ctx, TaskShelving) //stateguard:ignore ineffective-guard a fence: the caller holds the shelving lock
}

func namedOtherCheck(ctx context.Context, s *Server) error {
	s.TaskState = TaskShelving
	return s.Save(ctx, TaskShelving) //stateguard:ignore reentrant-guard the wrong check // want `ineffective-guard: ` `directive: this //stateguard:ignore silences nothing: stateguard reports no reentrant-guard finding on line 63`
}
