// Package unsafeptr checks code that uses unsafe: a pointer converted
// through unsafe.Pointer to the same type is still the same object, and an
// object that comes out of unsafe.Pointer from elsewhere is another one.
package unsafeptr

import (
	"context"
	"unsafe"
)

// SameThroughUnsafe writes and saves the one converted pointer.
func SameThroughUnsafe(ctx context.Context, p unsafe.Pointer) error {
	j := (*Job)(p)
	j.Status = Running
	return j.Save(ctx, Running) // want `ineffective-guard: .*Status`
}

// SizeofNearby uses unsafe only to measure; the guard is ineffective.
func SizeofNearby(ctx context.Context, j *Job) (uintptr, error) { // want SizeofNearby:`helper\(Status of #1 = "done" then saved guarded\)`
	j.Status = Done
	return unsafe.Sizeof(*j), j.Save(ctx, Done) // want `ineffective-guard: .*Status`
}

// FromRawPointer writes a job that comes out of a raw pointer and saves
// another one: no object identity is known between them.
func FromRawPointer(ctx context.Context, j *Job, raw unsafe.Pointer) error {
	k := (*Job)(raw)
	k.Status = Running
	return j.Save(ctx, Running)
}

// CorrectWithUnsafe expects the state it leaves.
func CorrectWithUnsafe(ctx context.Context, p unsafe.Pointer) error {
	j := (*Job)(p)
	j.Status = Running
	return j.Save(ctx, Idle)
}

// StatusBytes reads the status through unsafe with no write: nothing to
// report.
func StatusBytes(ctx context.Context, j *Job) error {
	_ = unsafe.StringData(string(j.Status))
	return j.Save(ctx, j.Status)
}
