package mysqlstore_test

import (
	"context"
	"database/sql"
	"errors"
	"log"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/mysqlstore"
)

type Server struct {
	ID        string  `guard:"id,key"`
	TaskState *string `guard:"task_state,state"`
}

var servers = guard.MustTable[Server]("servers")

// The store gives the same answers whether or not the DSN sets
// clientFoundRows.
func Example() {
	db, err := sql.Open("mysql", "app@tcp(127.0.0.1:3306)/nova")
	if err != nil {
		log.Fatal(err)
	}
	defer db.Close()
	store := mysqlstore.New(db)
	ctx := context.Background()

	srv, err := servers.Load(ctx, store, "s1")
	if err != nil {
		log.Fatal(err)
	}
	srv.V.TaskState = guard.Ptr("SHELVING")
	err = servers.Save(ctx, store, srv, guard.Expect("TaskState", nil))
	var conflict *guard.ConflictError
	switch {
	case errors.As(err, &conflict):
		log.Printf("409: task state is %v", conflict.Actual)
	case errors.Is(err, guard.ErrOutcomeUnknown):
		log.Print("the save may have applied; reload before anything else: ", err)
	case err != nil:
		log.Fatal(err)
	}
}
