// Package checkdirective exercises rules 2 and 4 (saves and transitions
// declared by directive) and declared states (unguarded-transition).
package checkdirective

import (
	"context"
	"errors"
)

type Mode int

const (
	Idle Mode = iota
	Busy
	Gone
)

// Machine has a declared state field.
type Machine struct {
	// Mode is what the machine is doing.
	//
	//stateguard:state
	Mode Mode // want Mode:"state"
	Note string
	Task Task
}

// Task is a declared state type: every field of this type is a state.
//
//stateguard:state
type Task string // want Task:"state"

type Repo struct{}

// Put saves m, refusing unless its Mode is one of want.
//
//stateguard:save field=Mode expect=want object=m
func (r *Repo) Put(ctx context.Context, m *Machine, want []Mode) error { // want Put:"save\\(Mode of #1, expect=#2\\) by directive"
	if len(want) == 0 {
		return errors.New("no expectation")
	}
	return nil
}

// PutObj names its object explicitly.
//
//stateguard:save field=Mode expect=cond object=target
func PutObj(target *Machine, other *Machine, cond Mode) error { // want PutObj:"save\\(Mode of #0, expect=#2\\) by directive"
	_ = cond
	return nil
}

// PutAll is not a save: Note is not a state field.
func PutAll(m *Machine, expectedNote string) error {
	return nil
}

// Swing is a transition declared by directive.
//
//stateguard:transition from=a to=b
func Swing(a, b Mode) error { // want Swing:"transition\\(from=#0 to=#1\\) by directive"
	_ = a
	return nil
}

// SaveTask guards Task, a field whose name is not a state name, so only a
// directive makes it a save.
//
//stateguard:save field=Task expect=expectedTask
func SaveTask(m *Machine, expectedTask ...Task) error { // want SaveTask:"save\\(Task of #0, expect=#1\\) by directive"
	_ = expectedTask
	return nil
}

func use(ctx context.Context, r *Repo, m, n *Machine) {
	m.Mode = Busy
	_ = r.Put(ctx, m, []Mode{Busy}) // want `ineffective-guard: Mode is set to Busy`
	_ = Swing(Gone, Gone)           // want `ineffective-guard`
}

func useObj(m, n *Machine) {
	m.Mode = Busy
	_ = PutObj(n, m, Busy) // another object: m is not the one saved
	_ = PutObj(m, n, Busy) // want `ineffective-guard`
}

func deleteTask(m *Machine) error {
	m.Task = "deleting"
	return SaveTask(m) // want `unguarded-transition: Task is declared a state and is set to "deleting", then saved by SaveTask with an empty expectation`
}

func otherField(m *Machine) error {
	m.Task = "deleting"
	m.Mode = Gone
	return PutObj(m, m, Busy) // want `unguarded-transition: Task is declared a state and is set to "deleting", then saved by PutObj which guards Mode and carries no expectation on Task`
}

func guarded(m *Machine) error {
	m.Task = "deleting"
	return SaveTask(m, "running")
}

// saveThenClear: the declared state was stored by a guarded save; the
// later save without an expectation writes nothing new to Task.
func saveThenClear(m *Machine) error {
	m.Task = "shelved"
	if err := SaveTask(m, "shelving"); err != nil {
		return err
	}
	m.Note = ""
	return SaveTask(m)
}

var errUnknown = errors.New("unknown conflict")

// retryDropsGuard: the first save failed, so it stored nothing; the retry
// saves the declared state with no expectation (Nova commit aae5c7aa).
func retryDropsGuard(m *Machine) error {
	m.Task = "shelving"
	err := SaveTask(m, "")
	if errors.Is(err, errUnknown) {
		err = SaveTask(m) // want `unguarded-transition: Task is declared a state`
	}
	return err
}

// retryOnFailure: the same with err != nil.
func retryOnFailure(m *Machine) error {
	m.Task = "shelving"
	if err := SaveTask(m, ""); err != nil {
		return SaveTask(m) // want `unguarded-transition: Task is declared a state`
	}
	return nil
}
