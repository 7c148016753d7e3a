package vetdemo

import "context"

// Start starts a stopped server. Right: it expects the state it leaves.
func Start(ctx context.Context, st *Store, srv *Server) error {
	srv.VMState = Active
	return st.Save(ctx, srv, Stopped)
}

// Stop stops a server. Wrong: it expects the state it has just written, so
// a second Stop running at the same time passes the guard as well.
func Stop(ctx context.Context, st *Store, srv *Server) error {
	srv.VMState = Stopped
	return st.Save(ctx, srv, Stopped)
}

// HardReboot reboots a server from any running state. Wrong: Rebooting is
// among the expected states, so two hard reboots both go ahead.
func HardReboot(ctx context.Context, st *Store, srv *Server) error {
	srv.VMState = Rebooting
	return st.Save(ctx, srv, Active, Stopped, Rebooting)
}

// Snapshot marks a snapshot running. Wrong: TaskState is declared a state
// but the save carries no expectation on it, so the last writer wins.
func Snapshot(ctx context.Context, st *Store, srv *Server) error {
	srv.TaskState = "image_snapshot"
	return st.Save(ctx, srv, Active)
}

// Migrate moves a server to another host.
func Migrate(ctx context.Context, st *Store, srv *Server, host string) error {
	srv.Host = host
	return st.SaveHost(ctx, srv, Active)
}

// Delete deletes a server in any state but deleted.
func Delete(ctx context.Context, st *Store, srv *Server) error {
	srv.VMState = Deleted
	//stateguard:ignore
	return st.Save(ctx, srv, Building, Active, Stopped, Rebooting)
}
