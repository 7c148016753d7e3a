// Package orm ports the guarded update of object mappers such as ent and
// gorm, which return success for an update with nothing to set without
// running its WHERE clause.
package orm

import (
	"context"
	"errors"
)

// Status is the status of a Task.
type Status string

// Task is a row with change tracking.
type Task struct {
	ID     int
	Status Status
	dirty  map[string]any
}

// Exec runs one statement.
type Exec func(ctx context.Context, query string, args ...any) (int64, error)

// UpdateWhere writes the changed columns of t where status = expectedStatus.
// With nothing changed it returns success before it runs the WHERE: the
// guard is skipped.
func UpdateWhere(ctx context.Context, exec Exec, t *Task, expectedStatus Status) error { // want UpdateWhere:`save\(Status of #2, expect=#3\) by convention`
	if len(t.dirty) == 0 {
		return nil // want `shortcut-save: .*expectedStatus`
	}
	n, err := exec(ctx, "UPDATE tasks SET ... WHERE id = ? AND status = ?", t.ID, expectedStatus)
	if err != nil {
		return err
	}
	if n == 0 {
		return errors.New("orm: task status changed")
	}
	return nil
}

// UpdateWhereChecked runs the WHERE even with nothing to set, so that the
// expectation is always checked.
func UpdateWhereChecked(ctx context.Context, exec Exec, t *Task, expectedStatus Status) error { // want UpdateWhereChecked:`save\(Status of #2, expect=#3\) by convention`
	query := "UPDATE tasks SET id = id WHERE id = ? AND status = ?"
	if len(t.dirty) > 0 {
		query = "UPDATE tasks SET ... WHERE id = ? AND status = ?"
	}
	n, err := exec(ctx, query, t.ID, expectedStatus)
	if err != nil {
		return err
	}
	if n == 0 {
		return errors.New("orm: task status changed")
	}
	return nil
}

// Affected is a save that returns a count and an error: success is every
// error result nil, whatever the count.
func Affected(ctx context.Context, exec Exec, t *Task, expectedStatus Status) (int64, error) { // want Affected:`save\(Status of #2, expect=#3\) by convention`
	if t.ID == 0 {
		return 0, nil // want `shortcut-save: .*expectedStatus`
	}
	return exec(ctx, "UPDATE tasks SET status = ? WHERE id = ? AND status = ?", t.Status, t.ID, expectedStatus)
}

// AffectedRefused refuses a task with no id with an error: not a success.
func AffectedRefused(ctx context.Context, exec Exec, t *Task, expectedStatus Status) (int64, error) { // want AffectedRefused:`save\(Status of #2, expect=#3\) by convention`
	if t.ID == 0 {
		return 0, errors.New("orm: task has no id")
	}
	return exec(ctx, "UPDATE tasks SET status = ? WHERE id = ? AND status = ?", t.Status, t.ID, expectedStatus)
}
