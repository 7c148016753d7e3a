// Package conflict saves a guard row again after a guarded save of it
// failed (Nova bug 1848666), and the forms that are right.
package conflict

import (
	"context"
	"errors"
	"log"

	"github.com/stateguard/stateguard/guard"
)

type Job struct {
	ID    string `guard:"id,key"`
	Stage string `guard:"stage"`
	Note  string `guard:"note"`
}

var jobs = guard.MustTable[Job]("jobs")

// --- reported ---

func noteAfterConflict(ctx context.Context, st guard.Store, job *guard.Row[Job]) error {
	job.V.Stage = "running"
	if err := jobs.Save(ctx, st, job, guard.Expect("Stage", "queued")); err != nil {
		job.V.Note = "lost the race"
		return jobs.Save(ctx, st, job) // want `save-after-conflict: the guarded save at line 25 failed, but the object still holds Stage = "running"`
	}
	return nil
}

func conflictIs(ctx context.Context, st guard.Store, id string) error {
	job, err := jobs.Load(ctx, st, id)
	if err != nil {
		return err
	}
	job.V.Stage = "running"
	err = jobs.Save(ctx, st, job, guard.Expect("stage", "queued"))
	if errors.Is(err, guard.ErrConflict) {
		log.Print("conflict")
	}
	return jobs.Save(ctx, st, job, guard.Fence("Note", "")) // want `save-after-conflict`
}

// --- not reported ---

func reset(ctx context.Context, st guard.Store, job *guard.Row[Job]) error {
	job.V.Stage = "running"
	if err := jobs.Save(ctx, st, job, guard.Expect("Stage", "queued")); err != nil {
		if err := job.Reset(); err != nil {
			return err
		}
		job.V.Note = "lost the race"
		return jobs.Save(ctx, st, job)
	}
	return nil
}

func reload(ctx context.Context, st guard.Store, id string) error {
	job, err := jobs.Load(ctx, st, id)
	if err != nil {
		return err
	}
	job.V.Stage = "running"
	if err := jobs.Save(ctx, st, job, guard.Expect("Stage", "queued")); err != nil {
		job, err = jobs.Load(ctx, st, id)
		if err != nil {
			return err
		}
		job.V.Note = "lost the race"
		return jobs.Save(ctx, st, job)
	}
	return nil
}

func retrySame(ctx context.Context, st guard.Store, job *guard.Row[Job]) error {
	job.V.Stage = "running"
	err := jobs.Save(ctx, st, job, guard.Expect("Stage", "queued"))
	if err != nil {
		return jobs.Save(ctx, st, job, guard.Expect("Stage", "queued"))
	}
	return nil
}

func afterSuccess(ctx context.Context, st guard.Store, job *guard.Row[Job]) error {
	job.V.Stage = "running"
	if err := jobs.Save(ctx, st, job, guard.Expect("Stage", "queued")); err != nil {
		return err
	}
	job.V.Note = "started"
	return jobs.Save(ctx, st, job)
}

func rewritten(ctx context.Context, st guard.Store, job *guard.Row[Job]) error {
	job.V.Stage = "running"
	if err := jobs.Save(ctx, st, job, guard.Expect("Stage", "queued")); err != nil {
		job.V.Stage = "queued"
		return jobs.Save(ctx, st, job)
	}
	return nil
}

func otherRow(ctx context.Context, st guard.Store, job, other *guard.Row[Job]) error {
	job.V.Stage = "running"
	if err := jobs.Save(ctx, st, job, guard.Expect("Stage", "queued")); err != nil {
		other.V.Note = "sibling lost"
		return jobs.Save(ctx, st, other)
	}
	return nil
}

// A fence leaves nothing it tried to write.
func fenced(ctx context.Context, st guard.Store, job *guard.Row[Job]) error {
	job.V.Note = "checked"
	if err := jobs.Save(ctx, st, job, guard.Fence("Stage", "queued")); err != nil {
		return jobs.Save(ctx, st, job)
	}
	return nil
}

// The second save's outcome of the first is not tested before it.
func untested(ctx context.Context, st guard.Store, job *guard.Row[Job]) error {
	job.V.Stage = "running"
	err := jobs.Save(ctx, st, job, guard.Expect("Stage", "queued"))
	job.V.Note = "x"
	return errors.Join(err, jobs.Save(ctx, st, job))
}

type Server struct {
	ID        string  `guard:"id,key"`
	TaskState *string `guard:"task_state,state"`
	Host      string  `guard:"host"`
}

var servers = guard.MustTable[Server]("servers")

func shelving() *string { s := "shelving"; return &s }

// A declared state saved again with no expectation is unguarded-transition.
func stateAfterConflict(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = shelving()
	if err := servers.Save(ctx, st, srv, guard.Expect("TaskState", nil)); err != nil {
		srv.V.Host = "h"
		return servers.Save(ctx, st, srv) // want `unguarded-transition`
	}
	return nil
}

// A Preempt after the failure writes the stale state over the winner.
func preemptAfterConflict(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = shelving()
	if err := servers.Save(ctx, st, srv, guard.Expect("TaskState", nil)); err != nil {
		return servers.Save(ctx, st, srv, guard.Preempt("TaskState")) // want `save-after-conflict: .* TaskState = the value set at line 1[0-9][0-9]`
	}
	return nil
}

type repo struct{ st guard.Store }

func (r *repo) save(ctx context.Context, job *guard.Row[Job], opts ...guard.Option) error {
	return jobs.Save(ctx, r.st, job, opts...)
}

// Through the service's own save.
func throughWrapper(ctx context.Context, r *repo, job *guard.Row[Job]) error {
	job.V.Stage = "running"
	if err := r.save(ctx, job, guard.Expect("Stage", "queued")); err != nil {
		job.V.Note = "lost the race"
		return r.save(ctx, job) // want `save-after-conflict`
	}
	return nil
}
