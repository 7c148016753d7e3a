// Package vetdemo is a small virtual-machine service with one mistake of
// each kind stateguard finds. Run
//
//	go run ./cmd/stateguard ./examples/vetdemo
//
// from the repository root to see them. Each action serialises itself on the
// server's state: it writes the new state and saves the server expecting
// the state it leaves, and the store applies the save as one
// compare-and-swap, so of two concurrent duplicates only the first wins.
package vetdemo

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
)

// VMState is the power state of a server.
type VMState string

// The states of a server.
const (
	Building  VMState = "building"
	Active    VMState = "active"
	Stopped   VMState = "stopped"
	Rebooting VMState = "rebooting"
	Deleted   VMState = "deleted"
)

// Server is one virtual machine.
type Server struct {
	ID      string
	Host    string
	VMState VMState

	// TaskState names the operation running on the server, if any.
	//stateguard:state
	TaskState string
}

// ErrConflict means the server's state changed concurrently: another
// action won.
var ErrConflict = errors.New("vetdemo: server state changed concurrently")

// Store keeps servers in memory.
type Store struct {
	mu      sync.Mutex
	servers map[string]Server
}

// NewStore returns a store holding servers.
func NewStore(servers ...Server) *Store {
	st := &Store{servers: map[string]Server{}}
	for _, s := range servers {
		st.servers[s.ID] = s
	}
	return st
}

// Save writes srv if its stored state is one of expectedVMState.
func (st *Store) Save(ctx context.Context, srv *Server, expectedVMState ...VMState) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	st.mu.Lock()
	defer st.mu.Unlock()
	cur, ok := st.servers[srv.ID]
	if !ok {
		return fmt.Errorf("vetdemo: no server %q", srv.ID)
	}
	if !slices.Contains(expectedVMState, cur.VMState) {
		return fmt.Errorf("%w: %s is %s, expected %v", ErrConflict, srv.ID, cur.VMState, expectedVMState)
	}
	st.servers[srv.ID] = *srv
	return nil
}

// SaveHost writes srv after a migration if its stored state is still
// expectedVMState.
func (st *Store) SaveHost(ctx context.Context, srv *Server, expectedVMState VMState) error {
	st.mu.Lock()
	defer st.mu.Unlock()
	cur := st.servers[srv.ID]
	if cur.Host == srv.Host {
		// Nothing to write, so nothing to check? A concurrent action that
		// changed the state still expects this call to fail.
		return nil
	}
	if cur.VMState != expectedVMState {
		return ErrConflict
	}
	st.servers[srv.ID] = *srv
	return nil
}

// Get returns a copy of the server with the given id.
func (st *Store) Get(id string) (Server, bool) {
	st.mu.Lock()
	defer st.mu.Unlock()
	s, ok := st.servers[id]
	return s, ok
}
