// Package importonly uses guard without saving: no guarded save is
// called, so no SSA form is built.
package importonly

import (
	"context"

	"github.com/stateguard/stateguard/guard"
)

type Job struct {
	ID    string `guard:"id,key"`
	Stage string `guard:"stage,state"`
}

var jobs = guard.MustTable[Job]("jobs")

func Stage(ctx context.Context, st guard.Store, id string) (string, error) {
	r, err := jobs.Load(ctx, st, id)
	if err != nil {
		return "", err
	}
	return r.V.Stage, nil
}
