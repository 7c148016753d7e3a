package pgxstore_test

import (
	"context"
	"errors"
	"log"
	"os"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/pgxstore"
)

type Server struct {
	ID        string  `guard:"id,key"`
	TaskState *string `guard:"task_state,state"`
	Host      *string `guard:"host"`
}

var servers = guard.MustTable[Server]("servers")

// Open a pool whose cancelled statements are cancelled on the server, and
// shelve a server that has no task running.
func Example() {
	ctx := context.Background()
	pool, err := pgxstore.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	store := pgxstore.New(pool)

	srv, err := servers.Load(ctx, store, "s1")
	if err != nil {
		log.Fatal(err)
	}
	srv.V.TaskState = guard.Ptr("SHELVING")
	err = servers.Save(ctx, store, srv, guard.Expect("TaskState", nil))
	switch {
	case errors.Is(err, guard.ErrConflict):
		log.Print("another action runs: ", err) // HTTP 409
	case errors.Is(err, guard.ErrOutcomeUnknown):
		log.Print("the save may have applied; reload before anything else: ", err)
	case err != nil:
		log.Fatal(err)
	}
}

// A save inside the caller's pgx.Tx: the row lock it takes is held, and
// its write kept, until the caller commits.
func ExampleStore_WithTx() {
	ctx := context.Background()
	pool, err := pgxstore.Open(ctx, os.Getenv("DATABASE_URL"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	store := pgxstore.New(pool)

	tx, err := pool.Begin(ctx)
	if err != nil {
		log.Fatal(err)
	}
	defer tx.Rollback(ctx)
	in := store.WithTx(tx)
	srv, err := servers.Load(ctx, in, "s1")
	if err != nil {
		log.Fatal(err)
	}
	srv.V.TaskState = guard.Ptr("SHELVING")
	if err := servers.Save(ctx, in, srv, guard.Expect("TaskState", nil)); err != nil {
		log.Fatal(err)
	}
	// ... write the action's other rows in tx ...
	if err := tx.Commit(ctx); err != nil {
		log.Fatal(err)
	}
}
