// Package nolint has findings that golangci-lint's //nolint:stateguard
// silences (those of Rerun, by a directive on the function, and of Retry,
// by one on the reported line) and findings it does not (those of Run).
package nolint

import "context"

// Stage is where a build is.
type Stage string

// The stages of a build.
const (
	StageQueued  Stage = "queued"
	StageRunning Stage = "running"
)

// Build is one CI build.
type Build struct {
	ID    int
	Stage Stage
}

// Builds stores builds.
type Builds struct{ rows map[int]Build }

// Save writes b if its stored stage is expectedStage.
func (bs *Builds) Save(ctx context.Context, b *Build, expectedStage Stage) error {
	if bs.rows[b.ID].Stage != expectedStage {
		return context.Canceled
	}
	bs.rows[b.ID] = *b
	return nil
}

// Run starts b.
func Run(ctx context.Context, bs *Builds, b *Build) error {
	b.Stage = StageRunning
	// finding directive
	//stateguard:sav field=Stage
	return bs.Save(ctx, b, StageRunning) // finding ineffective-guard
}

// Rerun starts b again.
//
//nolint:stateguard // reruns are idempotent by design
func Rerun(ctx context.Context, bs *Builds, b *Build) error {
	b.Stage = StageRunning
	// finding directive
	//stateguard:sav field=Stage
	return bs.Save(ctx, b, StageRunning) // finding ineffective-guard
}

// Retry starts b once more. The //nolint:stateguard on the reported line
// silences the whole finding in golangci-lint, its write on the line
// above included.
func Retry(ctx context.Context, bs *Builds, b *Build) error {
	b.Stage = StageRunning
	return bs.Save(ctx, b, StageRunning) //nolint:stateguard // finding ineffective-guard
}
