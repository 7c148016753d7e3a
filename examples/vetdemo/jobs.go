package vetdemo

import (
	"context"

	"github.com/stateguard/stateguard/guard"
)

// A Job is a row saved with the guard package.
type Job struct {
	ID    string `guard:"id,key"`
	Stage string `guard:"stage"`
	Host  string `guard:"host"`
}

var jobs = guard.MustTable[Job]("jobs")

// RunJob starts a queued job. Right: it expects the stage it leaves.
func RunJob(ctx context.Context, st guard.Store, job *guard.Row[Job]) error {
	job.V.Stage = "running"
	return jobs.Save(ctx, st, job, guard.Expect("Stage", "queued"))
}

// MoveJob moves a running job to another host. Wrong: Stage does not
// change, so the expectation is a precondition and must be a Fence.
func MoveJob(ctx context.Context, st guard.Store, id, host string) error {
	job, err := jobs.Load(ctx, st, id)
	if err != nil {
		return err
	}
	job.V.Host = host
	return jobs.Save(ctx, st, job, guard.Expect("Stage", "running"))
}

// FinishJob marks a job done. Wrong: Job has no field or column "State".
func FinishJob(ctx context.Context, st guard.Store, job *guard.Row[Job]) error {
	job.V.Stage = "done"
	return jobs.Save(ctx, st, job, guard.Expect("State", "running"))
}

// PlaceJob starts a job on a host. Wrong: when the start loses the race,
// the second save still writes Stage "running", over the winner.
func PlaceJob(ctx context.Context, st guard.Store, job *guard.Row[Job], host string) error {
	job.V.Stage = "running"
	if err := jobs.Save(ctx, st, job, guard.Expect("Stage", "queued")); err != nil {
		job.V.Host = host
		return jobs.Save(ctx, st, job)
	}
	return nil
}
