package sqlitestore_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/sqlitestore"
)

type TaskState string

type Server struct {
	ID        string     `guard:"id,key"`
	TaskState *TaskState `guard:"task_state,state"`
	Host      *string    `guard:"host"`
}

var servers = guard.MustTable[Server]("servers")

// Two shelve requests load the same server before either saves. Both write
// SHELVING and expect no task (NULL); SQLite applies one and the other gets
// a conflict naming the state it found.
func Example() {
	dir, err := os.MkdirTemp("", "sqlitestore-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	db, err := sqlitestore.Open(filepath.Join(dir, "servers.db"))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE servers (id TEXT PRIMARY KEY, task_state TEXT NULL, host TEXT NULL)`); err != nil {
		panic(err)
	}
	store := sqlitestore.New(db)
	ctx := context.Background()
	if _, err := servers.Insert(ctx, store, Server{ID: "s1", Host: guard.Ptr("h1")}); err != nil {
		panic(err)
	}

	first, _ := servers.Load(ctx, store, "s1")
	second, _ := servers.Load(ctx, store, "s1")
	for i, srv := range []*guard.Row[Server]{first, second} {
		srv.V.TaskState = guard.Ptr(TaskState("SHELVING"))
		err := servers.Save(ctx, store, srv, guard.Expect("TaskState", nil))
		var conflict *guard.ConflictError
		switch {
		case err == nil:
			fmt.Printf("request %d: shelving\n", i+1)
		case errors.As(err, &conflict):
			fmt.Printf("request %d: conflict, %s is %v\n", i+1, conflict.Field, conflict.Actual)
		default:
			fmt.Printf("request %d: %v\n", i+1, err)
		}
	}
	// Output:
	// request 1: shelving
	// request 2: conflict, TaskState is SHELVING
}

// A save inside the caller's transaction commits or rolls back with it.
func ExampleNew_transaction() {
	dir, err := os.MkdirTemp("", "sqlitestore-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	db, err := sqlitestore.Open(filepath.Join(dir, "servers.db"))
	if err != nil {
		panic(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE servers (id TEXT PRIMARY KEY, task_state TEXT NULL, host TEXT NULL)`); err != nil {
		panic(err)
	}
	ctx := context.Background()
	if _, err := servers.Insert(ctx, sqlitestore.New(db), Server{ID: "s1"}); err != nil {
		panic(err)
	}

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		panic(err)
	}
	inTx := sqlitestore.New(tx)
	srv, _ := servers.Load(ctx, inTx, "s1")
	srv.V.TaskState = guard.Ptr(TaskState("SHELVING"))
	fmt.Println("save:", servers.Save(ctx, inTx, srv, guard.Expect("TaskState", nil)))
	fmt.Println("rollback:", tx.Rollback())

	after, _ := servers.Load(ctx, sqlitestore.New(db), "s1")
	fmt.Println("task state after rollback is NULL:", after.V.TaskState == nil)
	// Output:
	// save: <nil>
	// rollback: <nil>
	// task state after rollback is NULL: true
}
