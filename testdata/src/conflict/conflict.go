// Package conflict saves an object again after a guarded save of it
// failed (Nova bug 1848666), through saves recognized by convention, by
// directive and through a wrapper.
package conflict

import (
	"context"
	"errors"
)

type TaskState string

const (
	None     TaskState = ""
	Shelving TaskState = "shelving"
)

type Server struct {
	TaskState TaskState
	Host      string
}

func (s *Server) Save(ctx context.Context, expectedTaskState ...TaskState) error { return ctx.Err() } // want Save:"save"

// SaveHost saves the whole server, guarding its host only.
//
//stateguard:save field=Host expect=wantHost
func SaveHost(ctx context.Context, s *Server, wantHost string) error { return ctx.Err() } // want SaveHost:"save"

func shelve(ctx context.Context, s *Server) error { return s.Save(ctx, None) }

func save(ctx context.Context, s *Server, expectedTaskState TaskState) error {
	return s.Save(ctx, expectedTaskState)
}

var errBusy = errors.New("busy")

// --- reported ---

func noteAfterConflict(ctx context.Context, s *Server) error {
	s.TaskState = Shelving
	if err := s.Save(ctx, None); err != nil {
		s.Host = "lost"
		return s.Save(ctx) // want `save-after-conflict: the guarded save at line 42 failed, but the object still holds TaskState = Shelving`
	}
	return nil
}

func otherSave(ctx context.Context, s *Server) error {
	s.TaskState = Shelving
	err := s.Save(ctx, None)
	if errors.Is(err, errBusy) {
		return SaveHost(ctx, s, "") // want `save-after-conflict`
	}
	return err
}

func throughWrapper(ctx context.Context, s *Server) error {
	s.TaskState = Shelving
	if err := save(ctx, s, None); err != nil {
		_ = s.Save(ctx, nil...) // want `save-after-conflict`
	}
	return nil
}

func afterDirective(ctx context.Context, s *Server) error {
	s.Host = "new"
	if err := SaveHost(ctx, s, "old"); err != nil {
		return s.Save(ctx, None) // want `save-after-conflict: .* Host = "new"`
	}
	return nil
}

// --- not reported ---

func retry(ctx context.Context, s *Server) error {
	s.TaskState = Shelving
	err := s.Save(ctx, None)
	if err != nil {
		err = s.Save(ctx, None)
	}
	return err
}

func afterSuccess(ctx context.Context, s *Server) error {
	s.TaskState = Shelving
	if err := s.Save(ctx, None); err != nil {
		return err
	}
	s.Host = "h"
	return SaveHost(ctx, s, "")
}

func reloaded(ctx context.Context, s *Server, load func() *Server) error {
	s.TaskState = Shelving
	if err := s.Save(ctx, None); err != nil {
		s = load()
		s.Host = "lost"
		return s.Save(ctx)
	}
	return nil
}

func rewritten(ctx context.Context, s *Server) error {
	s.TaskState = Shelving
	if err := s.Save(ctx, None); err != nil {
		s.TaskState = None
		return SaveHost(ctx, s, "")
	}
	return nil
}

func another(ctx context.Context, s, t *Server) error {
	s.TaskState = Shelving
	if err := s.Save(ctx, None); err != nil {
		return t.Save(ctx)
	}
	return nil
}

// The fence writes no state: nothing is left pending.
func fence(ctx context.Context, s *Server) error {
	s.Host = "h"
	if err := s.Save(ctx, Shelving); err != nil {
		return SaveHost(ctx, s, "old")
	}
	return nil
}

// shelve writes nothing of its caller's: its failure leaves nothing.
func viaHelper(ctx context.Context, s *Server) error {
	if err := shelve(ctx, s); err != nil {
		return s.Save(ctx)
	}
	return nil
}
