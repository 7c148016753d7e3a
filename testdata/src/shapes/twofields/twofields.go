// Package twofields checks a save that guards two fields at once, as
// Nova's save takes both expected_vm_state and expected_task_state: each
// expectation is checked against the write of its own field.
package twofields

import (
	"context"
	"errors"
	"slices"
)

// VMState is the stable state of a server.
type VMState string

// TaskState is the action running on a server.
type TaskState string

// The states used below.
const (
	Active    VMState   = "active"
	Stopped   VMState   = "stopped"
	NoTask    TaskState = ""
	Stopping  TaskState = "powering-off"
	Restoring TaskState = "restoring"
)

// Server is an object with two state fields.
type Server struct {
	ID      string
	VMState VMState
	// TaskState is declared a state: saving a write of it with no
	// expectation on it is an unguarded transition.
	//
	//stateguard:state
	TaskState TaskState // want TaskState:`state`

	storedVM   VMState
	storedTask TaskState
}

var errConflict = errors.New("state changed concurrently")

// Save writes s if its stored states are among the expected ones (any
// state for an empty list).
func (s *Server) Save(ctx context.Context, expectedVMState []VMState, expectedTaskState ...TaskState) error { // want Save:`save\(.*VMState`
	if len(expectedVMState) > 0 && !slices.Contains(expectedVMState, s.storedVM) {
		return errConflict
	}
	if len(expectedTaskState) > 0 && !slices.Contains(expectedTaskState, s.storedTask) {
		return errConflict
	}
	s.storedVM, s.storedTask = s.VMState, s.TaskState
	return ctx.Err()
}

// Stop guards both fields correctly.
func Stop(ctx context.Context, s *Server) error { // want Stop:`helper\(TaskState of #1 = "powering-off" then saved guarded\)`
	s.TaskState = Stopping
	return s.Save(ctx, []VMState{Active}, NoTask)
}

// StopTwice expects the task state it writes.
func StopTwice(ctx context.Context, s *Server) error { // want StopTwice:`helper\(TaskState of #1 = "powering-off" then saved guarded\)`
	s.TaskState = Stopping
	return s.Save(ctx, []VMState{Active}, Stopping) // want `ineffective-guard: .*TaskState`
}

// Stopped2 expects the VM state it writes.
func Stopped2(ctx context.Context, s *Server) error { // want Stopped2:`helper\(TaskState of #1 = "" then saved guarded; VMState of #1 = "stopped" then saved guarded\)`
	s.VMState = Stopped
	s.TaskState = NoTask
	return s.Save(ctx, []VMState{Stopped}, Stopping) // want `ineffective-guard: .*VMState`
}

// RestoreVMOnly guards the VM state only; the declared task state is
// written with no expectation on it.
func RestoreVMOnly(ctx context.Context, s *Server) error { // want RestoreVMOnly:`helper\(TaskState of #1 = "restoring" then saved guarded\)`
	s.TaskState = Restoring
	return s.Save(ctx, []VMState{Stopped}) // want `unguarded-transition: .*TaskState`
}

// RestoreNilSpread spreads a nil slice of task states: provably no
// expectation on the declared state it writes.
func RestoreNilSpread(ctx context.Context, s *Server) error { // want RestoreNilSpread:`helper\(TaskState of #1 = "restoring" then saved guarded\)`
	s.TaskState = Restoring
	return s.Save(ctx, []VMState{Stopped}, nil...) // want `unguarded-transition: .*TaskState`
}
