package vetdemo

import "context"

// TrySave writes srv if its stored state is still expectedVMState and
// reports whether it did: false, with a nil error, when another action
// moved the server first.
func (st *Store) TrySave(ctx context.Context, srv *Server, expectedVMState VMState) (bool, error) {
	if err := ctx.Err(); err != nil {
		return false, err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	cur, ok := st.servers[srv.ID]
	if !ok || cur.VMState != expectedVMState {
		return false, nil
	}
	st.servers[srv.ID] = *srv
	return true, nil
}

// Resume starts a stopped server again. Wrong: it checks the error of
// TrySave but not its bool, so when a concurrent Delete won, Resume
// reports success for a server that is gone.
func Resume(ctx context.Context, st *Store, srv *Server) error {
	srv.VMState = Active
	_, err := st.TrySave(ctx, srv, Stopped)
	return err
}

// Unpause does the same right: false is a conflict.
func Unpause(ctx context.Context, st *Store, srv *Server) error {
	srv.VMState = Active
	ok, err := st.TrySave(ctx, srv, Stopped)
	if err == nil && !ok {
		err = ErrConflict
	}
	return err
}
