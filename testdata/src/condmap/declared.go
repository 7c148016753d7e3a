package condmap

import (
	"context"

	"xbuilder"
)

// TaskState is what a task is doing.
//
//stateguard:state
type TaskState string // want TaskState:"state"

// The task states.
const (
	TaskNone     TaskState = ""
	TaskDeleting TaskState = "deleting"
)

// Task is a task of a server.
type Task struct {
	ID        int64
	Owner     string
	TaskState TaskState
}

// UpdateTask writes t where every column of where has its value.
func UpdateTask(ctx context.Context, t *Task, where map[string]any) error { // want UpdateTask:`save\(TaskState of #1, expect=#2\) by convention`
	_, _ = t, where
	return ctx.Err()
}

// SaveTask writes t where cond holds.
func SaveTask(ctx context.Context, t *Task, cond xbuilder.Cond) error { // want SaveTask:`save\(TaskState of #1, expect=#2\) by convention`
	_, _ = t, cond
	return ctx.Err()
}

// Delete expects the state it writes, by its snake_case column.
func Delete(ctx context.Context, t *Task) error {
	t.TaskState = TaskDeleting
	return UpdateTask(ctx, t, map[string]any{"task_state": TaskDeleting}) // want `ineffective-guard: TaskState is set to TaskDeleting`
}

// DeleteAny saves a declared state with a nil condition.
func DeleteAny(ctx context.Context, t *Task) error {
	t.TaskState = TaskDeleting
	return SaveTask(ctx, t, nil) // want `unguarded-transition: TaskState is declared a state and is set to TaskDeleting, then saved by SaveTask with a nil condition`
}

// DeleteOwned saves a declared state with a condition on another column.
func DeleteOwned(ctx context.Context, t *Task) error {
	t.TaskState = TaskDeleting
	return UpdateTask(ctx, t, map[string]any{"owner": t.Owner}) // want `unguarded-transition: TaskState is declared a state and is set to TaskDeleting, then saved by UpdateTask with a condition on other columns than task_state`
}

// DeleteRight expects the state it leaves.
func DeleteRight(ctx context.Context, t *Task) error {
	t.TaskState = TaskDeleting
	return UpdateTask(ctx, t, map[string]any{"owner": t.Owner, "task_state": TaskNone})
}

// Rename writes no state: a nil condition is right.
func Rename(ctx context.Context, t *Task, owner string) error {
	t.Owner = owner
	return SaveTask(ctx, t, nil)
}
