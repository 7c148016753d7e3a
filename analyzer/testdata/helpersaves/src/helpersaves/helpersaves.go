// Package helpersaves holds calls of helpers that save their object, for
// the test of helperSaves: each save site names what it saves.
package helpersaves

import "context"

type Status string

type Job struct {
	Status Status
	Owner  Owner
}

type Owner string

// SaveOwner guards the owner alone.
//
//stateguard:save field=Owner expect=expectedOwner
func SaveOwner(ctx context.Context, j *Job, expectedOwner Owner) error {
	return ctx.Err()
}

// SaveStatus guards the status.
func SaveStatus(ctx context.Context, j *Job, expectedStatus Status) error {
	return ctx.Err()
}

func finish(ctx context.Context, j *Job) error {
	j.Status = "done"
	return SaveOwner(ctx, j, "me")
}

func finishCopy(ctx context.Context, j Job, st Status) (*Job, error) {
	j.Status = st
	return &j, SaveOwner(ctx, &j, "me")
}

func guarded(ctx context.Context, j *Job) error {
	j.Status = "done"
	return SaveStatus(ctx, j, "running")
}

func mark(j *Job) { j.Status = "done" }

func calls(ctx context.Context, j *Job) {
	_ = finish(ctx, j)                    // want `saves #1 of finish: writes Status = "done"`
	_, _ = finishCopy(ctx, *j, "stopped") // want `saves #1 of finishCopy: copy Status = "stopped"`
	_ = guarded(ctx, j)                   // a guarded save: no save site
	mark(j)                               // no save
}
