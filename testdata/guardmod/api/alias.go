package api

import (
	"context"

	sg "github.com/stateguard/stateguard/guard"
)

// Through another import name.
func aliased(ctx context.Context, st sg.Store, srv *sg.Row[Server]) error {
	srv.V.TaskState = sg.Ptr(Shelving)
	return servers.Save(ctx, st, srv, sg.Expect("TaskState", Shelving)) // want `ineffective-guard`
}
