// Package checkclean holds shapes that must not be reported.
package checkclean

import (
	"context"
	"errors"
)

type TaskState string

const (
	None     TaskState = ""
	Shelving TaskState = "shelving"
	Resizing TaskState = "resizing"
)

type Server struct {
	ID        int
	Host      string
	TaskState TaskState
}

// Save saves s if its task state is one of expectedTaskState.
func (s *Server) Save(ctx context.Context, expectedTaskState ...TaskState) error { // want Save:"save"
	if len(expectedTaskState) == 0 {
		return errors.New("no expectation")
	}
	return nil
}

var allowed = []TaskState{None, Shelving}

func unknownValue(ctx context.Context, s *Server, next, prev TaskState) error {
	s.TaskState = next
	return s.Save(ctx, prev) // both unknown and distinct
}

func unknownSet(ctx context.Context, s *Server) error {
	s.TaskState = Shelving
	return s.Save(ctx, allowed...) // a package variable: not known at compile time
}

func anotherObject(ctx context.Context, s, t *Server) error {
	s.TaskState = Shelving
	return t.Save(ctx, Shelving)
}

func capturedBefore(ctx context.Context, s *Server) error {
	prev := s.TaskState
	s.TaskState = Shelving
	return s.Save(ctx, prev)
}

func writeAfter(ctx context.Context, s *Server) error {
	err := s.Save(ctx, Shelving)
	s.TaskState = Shelving
	return err
}

func fence(ctx context.Context, s *Server) error {
	s.Host = "compute-2"
	return s.Save(ctx, Shelving) // no write to TaskState: a precondition
}

func overwritten(ctx context.Context, s *Server) error {
	s.TaskState = Shelving
	s.TaskState = Resizing
	return s.Save(ctx, Shelving)
}

func correlated(ctx context.Context, s *Server, x bool) error {
	if x {
		s.TaskState = Shelving
		return s.Save(ctx, Resizing)
	}
	s.TaskState = Resizing
	return s.Save(ctx, Shelving)
}

func reassigned(ctx context.Context, s, t *Server) error {
	s.TaskState = Shelving
	s = t
	return s.Save(ctx, Shelving)
}

func noExpectation(ctx context.Context, s *Server) error {
	s.TaskState = Shelving // TaskState is not declared a state: nothing to say
	return s.Save(ctx)
}

func closureOther(ctx context.Context, s *Server, t *Server) error {
	func() { t.TaskState = Shelving }()
	return s.Save(ctx, Shelving)
}

func writtenElsewhere(ctx context.Context, s *Server, ok bool) error {
	setShelving(s, ok) // a write on some paths only: no helper
	return s.Save(ctx, Shelving)
}

func setShelving(s *Server, ok bool) {
	if ok {
		s.TaskState = Shelving
	}
}

// UpdateStatusOfEventDelivery passes the NEW status: no role name, no save.
func UpdateStatusOfEventDelivery(ctx context.Context, d *Delivery, status Status) error { // want UpdateStatusOfEventDelivery:`save\(#1\) by plain save` UpdateStatusOfEventDelivery:`helper\(Status of #1 = #2\)`
	d.Status = status
	return nil
}

type Status string

type Delivery struct {
	Status Status
}

func convoy(ctx context.Context, d *Delivery) error {
	d.Status = "success"
	return UpdateStatusOfEventDelivery(ctx, d, "success")
}

// Copy is not a transition.
func Copy(from, to string) {}

func copies() { Copy("a", "a") }

func differentTypes(ctx context.Context, s *Server) error {
	s.TaskState = None
	return s.Save(ctx, Shelving, Resizing)
}

func prevBranch(ctx context.Context, s *Server, x bool) error {
	prev := None
	if x {
		prev = Resizing
	}
	s.TaskState = Shelving
	return s.Save(ctx, prev)
}

// transitionThenFence: the first save stores the write; the second save
// only fences a change of Host on the current state.
func transitionThenFence(ctx context.Context, s *Server) error {
	s.TaskState = Shelving
	if err := s.Save(ctx, None); err != nil {
		return err
	}
	s.Host = "compute-2"
	return s.Save(ctx, Shelving)
}

// capturedInLoop: from the second pass on, the capture reads what the
// previous pass's successful save stored.
func capturedInLoop(ctx context.Context, s *Server, steps int) error {
	for range steps {
		cur := s.TaskState
		s.TaskState = Shelving
		if err := s.Save(ctx, cur); err != nil {
			return err
		}
	}
	return nil
}
