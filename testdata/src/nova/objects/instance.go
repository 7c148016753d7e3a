// Package objects is a Go port of the part of nova/objects/instance.py that
// guards actions: an Instance whose Save takes the task states the caller
// expects to leave, as Nova's save(expected_task_state=[...]).
package objects

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"time"

	"nova/taskstate"
	"nova/vmstate"
)

// Instance is one server.
type Instance struct {
	UUID       string
	Host       string
	Node       string
	PowerState int
	Progress   int
	LaunchedAt time.Time
	DeletedAt  *time.Time
	VMState    vmstate.State

	// TaskState is the action in progress, taskstate.None when idle. An
	// action sets it and saves with the states it may leave, so that of
	// two concurrent duplicates only one wins.
	//
	//stateguard:state
	TaskState taskstate.State // want TaskState:`state`

	db *DB
}

// Save writes i to its database. With expectations it is a
// compare-and-swap: the row is written only if its stored task state is
// one of expectedTaskState, else Save returns an *UnexpectedTaskStateError.
// With none (Nova's expected_task_state=None) the write is unconditional.
// The expectation is checked before anything else: a save that carries one
// never returns early (Nova bug 1821373).
func (i *Instance) Save(ctx context.Context, expectedTaskState ...taskstate.State) error { // want Save:`save\(TaskState of receiver, expect=#1\) by convention`
	if err := ctx.Err(); err != nil {
		return err
	}
	return i.db.update(i, expectedTaskState)
}

// DB is the instances table.
type DB struct {
	mu   sync.Mutex
	rows map[string]Instance
}

// NewDB returns an empty table.
func NewDB() *DB { return &DB{rows: make(map[string]Instance)} }

// Create stores a new instance and returns it bound to db.
func (db *DB) Create(uuid string) *Instance {
	db.mu.Lock()
	defer db.mu.Unlock()
	db.rows[uuid] = Instance{UUID: uuid, VMState: vmstate.Building, TaskState: taskstate.Scheduling}
	return &Instance{UUID: uuid, VMState: vmstate.Building, TaskState: taskstate.Scheduling, db: db}
}

// update is the conditional UPDATE of nova/db: it writes i only if the
// stored task state is one of expected (any state when expected is empty).
func (db *DB) update(i *Instance, expected []taskstate.State) error {
	db.mu.Lock()
	defer db.mu.Unlock()
	cur, ok := db.rows[i.UUID]
	if !ok {
		return &InstanceNotFoundError{UUID: i.UUID}
	}
	if len(expected) > 0 && !slices.Contains(expected, cur.TaskState) {
		if cur.TaskState == taskstate.Deleting {
			return &UnexpectedDeletingTaskStateError{UnexpectedTaskStateError{UUID: i.UUID, Expected: expected, Actual: cur.TaskState}}
		}
		return &UnexpectedTaskStateError{UUID: i.UUID, Expected: expected, Actual: cur.TaskState}
	}
	row := *i
	row.db = nil
	db.rows[i.UUID] = row
	return nil
}

// InstanceNotFoundError reports a missing or deleted row.
type InstanceNotFoundError struct{ UUID string }

func (e *InstanceNotFoundError) Error() string { return "instance " + e.UUID + " not found" }

// UnexpectedTaskStateError reports a guarded save that lost: the stored
// task state was not one of the expected ones.
type UnexpectedTaskStateError struct {
	UUID     string
	Expected []taskstate.State
	Actual   taskstate.State
}

func (e *UnexpectedTaskStateError) Error() string {
	return fmt.Sprintf("instance %s: unexpected task state: expecting %q but the actual state is %q", e.UUID, e.Expected, e.Actual)
}

// UnexpectedDeletingTaskStateError is an UnexpectedTaskStateError whose
// actual state is Deleting: a delete pre-empted the action.
type UnexpectedDeletingTaskStateError struct{ UnexpectedTaskStateError }

// UnknownInstanceUpdateConflictError reports a conflict whose cause could
// not be found; Nova retries it.
type UnknownInstanceUpdateConflictError struct{ UUID string }

func (e *UnknownInstanceUpdateConflictError) Error() string {
	return "instance " + e.UUID + ": conflict with an unknown cause"
}
