// Package use calls the store's interface methods: their directives come
// with the facts of package store.
package use

import (
	"context"

	"ifacedirective/store"
)

func reopen(ctx context.Context, ts store.Tickets, t *store.Ticket) error {
	t.Phase = store.Active
	_, err := ts.Write(ctx, t, []store.Phase{store.Active, store.Closed}) // want `reentrant-guard: Phase is set to store.Active` `ignored-conflict: Write reports through its bool result`
	return err
}

func put(ts store.Tickets, t *store.Ticket) error {
	t.Phase = store.Closed
	return ts.Put(t, store.Closed) // want `ineffective-guard: Phase is set to store.Closed`
}

func stay(ctx context.Context, a store.Admin, id int) error {
	return a.Shift(ctx, id, store.Active, store.Active) // want `ineffective-guard: this Shift call goes from store.Active to store.Active`
}

// The correct forms: nothing to report.

func activate(ctx context.Context, ts store.Tickets, t *store.Ticket) error {
	t.Phase = store.Active
	ok, err := ts.Write(ctx, t, []store.Phase{store.Pending})
	if err == nil && !ok {
		return store.ErrConflict
	}
	return err
}

func close(ctx context.Context, a store.Admin, id int) error {
	return a.Shift(ctx, id, store.Active, store.Closed)
}

func broken(ts store.Tickets, t *store.Ticket) error {
	t.Phase = store.Closed
	return ts.Broken(t, []store.Phase{store.Closed}) // its directive declares nothing
}
