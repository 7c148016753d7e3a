// Package generics checks generic types and functions: a save whose object
// and state are type parameters is recognized on its origin, and generic
// bodies are analyzed over their type parameters.
package generics

import (
	"context"
	"errors"
	"slices"
)

// Status is a state for Machine.
type Status string

// The states used below.
const (
	Idle    Status = "idle"
	Running Status = "running"
	Done    Status = "done"
)

// Machine is an object whose state has a type parameter for a type.
type Machine[S comparable] struct {
	Name  string
	State S
	saved S
}

var errConflict = errors.New("state changed concurrently")

// Save writes m if its stored state is one of expectedState.
func (m *Machine[S]) Save(ctx context.Context, expectedState ...S) error { // want Save:`save\(State of receiver, expect=#1\) by convention`
	if len(expectedState) > 0 && !slices.Contains(expectedState, m.saved) {
		return errConflict
	}
	m.saved = m.State
	return ctx.Err()
}

// Instantiated writes and saves a Machine[Status].
func Instantiated(ctx context.Context) error {
	m := &Machine[Status]{Name: "a"}
	m.State = Running
	return m.Save(ctx, Running) // want `ineffective-guard: .*State`
}

// Start is generic: the same value of type S is written and expected.
func Start[S comparable](ctx context.Context, m *Machine[S], running S) error { // want Start:`helper\(State of #1 = #2 then saved guarded\)`
	m.State = running
	return m.Save(ctx, running) // want `ineffective-guard: .*State`
}

// StartReadBack reads the field back after the write, in a generic body.
func StartReadBack[S comparable](ctx context.Context, m *Machine[S], running S) error { // want StartReadBack:`helper\(State of #1 = #2 then saved guarded\)`
	m.State = running
	return m.Save(ctx, m.State) // want `ineffective-guard: .*State`
}

// Task is a plain object saved by a generic function.
type Task struct {
	ID     int
	Status Status
}

// SaveWith is a generic save by convention: task is the object,
// expectedStatus the expectation, meta carries anything.
func SaveWith[M any](ctx context.Context, task *Task, expectedStatus Status, meta M) error { // want SaveWith:`save\(Status of #1, expect=#2\) by convention`
	if task.Status == expectedStatus {
		return errors.New("generics: expected the status being written")
	}
	_ = meta
	return ctx.Err()
}

// CallGenericSave calls an instantiation of a generic save.
func CallGenericSave(ctx context.Context, t *Task) error { // want CallGenericSave:`helper\(Status of #1 = "done" then saved guarded\)`
	t.Status = Done
	return SaveWith(ctx, t, Done, "meta") // want `ineffective-guard: .*Status`
}

// Advance moves m between two states given by the caller: two different
// values, nothing to report.
func Advance[S comparable](ctx context.Context, m *Machine[S], source, target S) error { // want Advance:`helper\(State of #1 = #3 then saved guarded\)`
	m.State = target
	return m.Save(ctx, source)
}

// Rewind runs m, then moves it back with Advance, which writes its own
// target before it saves: the write here does not reach that save.
func Rewind(ctx context.Context, m *Machine[Status]) error {
	m.State = Running
	if err := m.Save(ctx, Idle); err != nil {
		return err
	}
	return Advance(ctx, m, Running, Idle)
}

// InstantiatedCorrect expects the state it leaves.
func InstantiatedCorrect(ctx context.Context) error {
	m := &Machine[Status]{Name: "b"}
	m.State = Running
	return m.Save(ctx, Idle)
}

// CallGenericSaveCorrect passes an explicit instantiation and the state it
// leaves.
func CallGenericSaveCorrect(ctx context.Context, t *Task) error { // want CallGenericSaveCorrect:`helper\(Status of #1 = "done" then saved guarded\)`
	t.Status = Done
	return SaveWith[int](ctx, t, Running, 1)
}

// IntMachine instantiates with a different state type.
func IntMachine(ctx context.Context) error {
	m := &Machine[int]{}
	m.State = 2
	return m.Save(ctx, 1)
}
