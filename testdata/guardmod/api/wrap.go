package api

import (
	"context"

	"github.com/stateguard/stateguard/guard"
)

type repo struct{ st guard.Store }

// save is the service's own save: it forwards the row and the options.
func (r *repo) save(ctx context.Context, row *guard.Row[Server], opts ...guard.Option) error {
	return servers.Save(ctx, r.st, row, opts...)
}

// saveLogged writes the row itself before saving it: not a wrapper.
func (r *repo) saveLogged(ctx context.Context, row *guard.Row[Server], opts ...guard.Option) error {
	row.V.Note = "saved"
	row.V.Host = nil
	return servers.Save(ctx, r.st, row, opts...)
}

func viaWrapper(ctx context.Context, r *repo, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(Shelving)
	return r.save(ctx, srv, guard.Expect("TaskState", Shelving)) // want `ineffective-guard`
}

func viaWrapperUnguarded(ctx context.Context, r *repo, srv *guard.Row[Server]) error {
	srv.V.VMState = "stopped"
	return r.save(ctx, srv) // want `unguarded-transition`
}

func viaWrapperRight(ctx context.Context, r *repo, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(Shelving)
	return r.save(ctx, srv, guard.Expect("TaskState", nil))
}

func notAWrapper(ctx context.Context, r *repo, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(Shelving)
	return r.saveLogged(ctx, srv, guard.Expect("TaskState", Shelving))
}

func viaWrapperNoTransition(ctx context.Context, r *repo, id string) error {
	srv, err := servers.Load(ctx, r.st, id)
	if err != nil {
		return err
	}
	return r.save(ctx, srv, guard.Expect("TaskState", nil)) // want `no-transition`
}
