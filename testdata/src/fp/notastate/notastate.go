// Package notastate holds parameters and fields whose names say state but
// whose types are objects: an interface, a struct, or a pointer to one. A
// state is a value of a basic type (a string, an integer, a bool), of a
// named type over one, or a pointer to such a value (a nullable state).
// None of these functions is a save or a transition, so equal arguments
// are not reported.
package notastate

import (
	"context"
	"errors"
)

// MutableState is the whole in-memory record of a workflow: an object,
// not a state.
type MutableState interface {
	GetExecutionState() string
}

// ConflictResolve replaces the current record with a new one, as a
// workflow engine does after a conflict.
func ConflictResolve(ctx context.Context, newMutableState, currentMutableState MutableState) error {
	if newMutableState == nil {
		return errors.New("no new state")
	}
	return ctx.Err()
}

// Resolve calls it with equal records, the nil one included.
func Resolve(ctx context.Context, cur MutableState) error {
	if err := ConflictResolve(ctx, nil, nil); err != nil {
		return err
	}
	return ConflictResolve(ctx, cur, cur)
}

// Snapshot is a struct value named like a state.
type Snapshot struct {
	Phase   string
	Version int
}

// ApplyState moves a machine from one snapshot to another.
func ApplyState(fromState, toState Snapshot) error {
	if fromState.Version > toState.Version {
		return errors.New("stale")
	}
	return nil
}

// Machine is an object with a state inside.
type Machine struct {
	Phase string
}

// Handover moves from one machine record to another.
func Handover(oldStage, newStage *Machine) error {
	if oldStage == nil {
		return errors.New("nothing to hand over")
	}
	return nil
}

// Reapply calls them with equal values.
func Reapply(s Snapshot, m *Machine) {
	_ = ApplyState(s, s)
	_ = Handover(m, m)
	_ = Handover(nil, nil)
}

// Proc holds its state as a struct, and its status as a pointer to one.
type Proc struct {
	State  ProcState
	Status *ProcStatus
	Phase  Phaser
}

// ProcState is a struct named like a state.
type ProcState struct {
	Name  string
	Since int64
}

// ProcStatus is a struct named like a status.
type ProcStatus struct{ Code int }

// Phaser is an interface named like a phase.
type Phaser interface{ Next() Phaser }

// SaveState writes p expecting its state record.
func (p *Proc) SaveState(ctx context.Context, expectedState ProcState) error {
	_ = expectedState
	return ctx.Err()
}

// SaveStatus writes p expecting its status record.
func (p *Proc) SaveStatus(ctx context.Context, expectedStatus *ProcStatus) error {
	_ = expectedStatus
	return ctx.Err()
}

// SavePhase writes p expecting its phase object.
func (p *Proc) SavePhase(ctx context.Context, expectedPhase Phaser) error {
	_ = expectedPhase
	return ctx.Err()
}

// Restart writes each record and saves expecting the same record.
func Restart(ctx context.Context, p *Proc, st ProcState, ps *ProcStatus, ph Phaser) {
	p.State = st
	_ = p.SaveState(ctx, st)
	p.Status = ps
	_ = p.SaveStatus(ctx, ps)
	p.Status = nil
	_ = p.SaveStatus(ctx, nil)
	p.Phase = nil
	_ = p.SavePhase(ctx, nil)
}

// Box holds a state of any comparable type: a state when instantiated
// with one, an object when instantiated with an interface.
type Box[S comparable] struct {
	State S
}

// Save writes b if its state is still expectedState.
func (b *Box[S]) Save(ctx context.Context, expectedState S) error { // want Save:`save\(State of receiver, expect=#1\) by convention`
	_ = expectedState
	return ctx.Err()
}

// Replay writes an error value into a Box[error] and expects it: nil is
// not the same state as nil, nor one error value the same state as
// itself, when the field's type is an interface.
func Replay(ctx context.Context, b *Box[error], last error) {
	b.State = nil
	_ = b.Save(ctx, nil)
	b.State = last
	_ = b.Save(ctx, last)
}

// Flip is a transition over a type parameter.
func Flip[S comparable](fromState, toState S) error { // want Flip:`transition\(from=#0 to=#1\) by convention`
	if fromState == toState {
		return errors.New("no change")
	}
	return nil
}

// FlipErrors instantiates it with an interface.
func FlipErrors(e error) {
	_ = Flip[error](nil, nil)
	_ = Flip(e, e)
}
