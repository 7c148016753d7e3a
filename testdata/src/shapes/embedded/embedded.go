// Package embedded checks embedded fields: a promoted field written
// through the outer object is the field the promoted save guards, and a
// save on the outer type can guard a promoted field.
package embedded

import (
	"context"
	"errors"
	"slices"
)

// Status is the state of a Base.
type Status string

// The states used below.
const (
	Idle    Status = "idle"
	Running Status = "running"
	Done    Status = "done"
)

// Base carries the state and the save.
type Base struct {
	ID     int
	Status Status
	stored Status
}

var errConflict = errors.New("status changed concurrently")

// Save writes b if its stored status is one of expectedStatus.
func (b *Base) Save(ctx context.Context, expectedStatus ...Status) error { // want Save:`save\(Status of receiver, expect=#1\) by convention`
	if len(expectedStatus) > 0 && !slices.Contains(expectedStatus, b.stored) {
		return errConflict
	}
	b.stored = b.Status
	return ctx.Err()
}

// Job embeds Base by value.
type Job struct {
	Base
	Name string
}

// Build embeds Base by pointer.
type Build struct {
	*Base
	Steps int
}

// Task embeds Base and has its own save, which guards the promoted
// Status field.
type Task struct {
	Base
	Queue string
}

// Persist writes t if its stored status is expectedStatus.
func (t *Task) Persist(ctx context.Context, expectedStatus Status) error { // want Persist:`save\(Status of receiver, expect=#1\) by convention`
	if t.stored != expectedStatus {
		return errConflict
	}
	t.stored = t.Status
	return ctx.Err()
}

// PromotedWriteAndSave writes the promoted field and calls the promoted
// save.
func PromotedWriteAndSave(ctx context.Context, j *Job) error { // want PromotedWriteAndSave:`helper\(Status of #1 = "running" then saved guarded\)`
	j.Status = Running
	return j.Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// ExplicitPath spells the embedded field on one side only.
func ExplicitPath(ctx context.Context, j *Job) error {
	j.Base.Status = Done
	return j.Save(ctx, Done) // want `ineffective-guard: .*Status`
}

// PointerEmbedding writes through an embedded pointer.
func PointerEmbedding(ctx context.Context, b *Build) error { // want PointerEmbedding:`helper\(Status of #1 = "running" then saved guarded\)`
	b.Status = Running
	return b.Base.Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// OuterSave guards a promoted field with a save of the outer type.
func OuterSave(ctx context.Context, t *Task) error { // want OuterSave:`helper\(Status of #1 = "running" then saved guarded\)`
	t.Status = Running
	return t.Persist(ctx, Running) // want `ineffective-guard: .*Status`
}

// PromotedCorrect expects the state it leaves.
func PromotedCorrect(ctx context.Context, j *Job) error { // want PromotedCorrect:`helper\(Status of #1 = "running" then saved guarded\)`
	j.Status = Running
	return j.Save(ctx, Idle)
}

// OtherEmbedded writes one job's Base and saves another's.
func OtherEmbedded(ctx context.Context, a, b *Job) error { // want OtherEmbedded:`helper\(Status of #1 = "running"\)`
	a.Status = Running
	return b.Save(ctx, Running)
}

// OuterSaveCorrect expects the state it leaves.
func OuterSaveCorrect(ctx context.Context, t *Task) error { // want OuterSaveCorrect:`helper\(Status of #1 = "done" then saved guarded\)`
	t.Status = Done
	return t.Persist(ctx, Running)
}
