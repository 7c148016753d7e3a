// Package clean guards every save correctly: no driver reports anything.
package clean

import (
	"context"
	"errors"
)

// TaskState is the state of a task.
type TaskState int

// The states of a task.
const (
	TaskPending TaskState = iota
	TaskRunning
	TaskDone
)

// Task is one unit of work.
type Task struct {
	ID        int
	TaskState TaskState
}

// ErrConflict means the task changed concurrently.
var ErrConflict = errors.New("clean: task changed concurrently")

// Tasks stores tasks.
type Tasks struct{ rows map[int]Task }

// Save writes t if its stored state is one of expectedTaskState.
func (ts *Tasks) Save(ctx context.Context, t *Task, expectedTaskState ...TaskState) error {
	cur := ts.rows[t.ID]
	for _, e := range expectedTaskState {
		if cur.TaskState == e {
			ts.rows[t.ID] = *t
			return nil
		}
	}
	return ErrConflict
}

// Start starts t if it is pending.
func Start(ctx context.Context, ts *Tasks, t *Task) error {
	t.TaskState = TaskRunning
	return ts.Save(ctx, t, TaskPending)
}

// Finish finishes t if it is running.
func Finish(ctx context.Context, ts *Tasks, t *Task) error {
	prev := t.TaskState
	t.TaskState = TaskDone
	return ts.Save(ctx, t, prev)
}

// Touch saves t only if nobody moved it: a fence, no write to the state.
func Touch(ctx context.Context, ts *Tasks, t *Task) error {
	return ts.Save(ctx, t, t.TaskState)
}
