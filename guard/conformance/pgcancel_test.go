package conformance_test

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/guardtest"
	"github.com/stateguard/stateguard/guard/pgstore"
)

// newTable creates a table of the suite's shape with a fresh name in db
// and drops it when t ends.
func newTable(t *testing.T, db *sql.DB) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := "sg_cancel_" + hex.EncodeToString(b[:])
	if _, err := db.Exec(guardtest.TableDDL(name)); err != nil {
		t.Fatalf("create table %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP TABLE " + name); err != nil {
			t.Errorf("drop table %s: %v", name, err)
		}
	})
	return name
}

func key(id string) []guard.Value { return []guard.Value{{Column: "id", Value: id}} }

var taskStateCol = []guard.Column{{Name: "task_state", Type: reflect.TypeFor[*string]()}}

// transition is the Write that moves row id from NULL to task.
func transition(table, id, task string) *guard.Write {
	return &guard.Write{Table: table, Key: key(id),
		Set:   []guard.Value{{Column: "task_state", Value: task}},
		Where: []guard.Cond{{Column: "task_state", Null: true}},
		Read:  taskStateCol}
}

// taskState loads the task_state of row id (nil for NULL).
func taskState(t *testing.T, s guard.Store, table, id string) *string {
	t.Helper()
	v, err := s.Load(context.Background(), table, key(id), taskStateCol)
	if err != nil {
		t.Fatalf("load %s: %v", id, err)
	}
	return v[0].(*string)
}

// openPG opens the database of STATEGUARD_POSTGRES_DSN with pgstore.Open.
func openPG(t *testing.T) *sql.DB {
	dsn := os.Getenv("STATEGUARD_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("STATEGUARD_POSTGRES_DSN is not set")
	}
	db, err := pgstore.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// cancelWhileLocked cancels a save while another transaction holds the
// row's lock, and returns the save's error once the lock is released.
func cancelWhileLocked(t *testing.T, db *sql.DB) error {
	t.Helper()
	ctx := context.Background()
	tab := newTable(t, db)
	s := pgstore.New(db)
	if err := s.Insert(ctx, tab, []guard.Value{{Column: "id", Value: "c"}, {Column: "vm_state", Value: "active"}}); err != nil {
		t.Fatal(err)
	}
	holder, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Rollback()
	if _, err := holder.ExecContext(ctx, "SELECT id FROM "+tab+" WHERE id = 'c' FOR UPDATE"); err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() {
		_, err := s.Apply(cctx, transition(tab, "c", "shelving"))
		done <- err
	}()
	time.Sleep(200 * time.Millisecond)
	cancel()
	err = <-done
	holder.Rollback()
	time.Sleep(200 * time.Millisecond)
	task := taskState(t, s, tab, "c")
	if task != nil && !errors.Is(err, guard.ErrOutcomeUnknown) {
		t.Fatalf("the save committed after its context was cancelled, and reported %v", err)
	}
	return err
}

// With Open's context watcher the server cancels the waiting statement: the
// save is known not to have applied and says so.
func TestCancelOnServer(t *testing.T) {
	err := cancelWhileLocked(t, openPG(t))
	var pe *pgconn.PgError
	if !errors.Is(err, context.Canceled) || errors.Is(err, guard.ErrOutcomeUnknown) ||
		!errors.As(err, &pe) || pe.Code != "57014" {
		t.Fatalf("err = %v, want context.Canceled with SQLSTATE 57014 and a known outcome", err)
	}
}

// pgx's default context watcher closes the connection instead: the server
// may still run the UPDATE, and the store must say the outcome is unknown.
func TestCancelDefaultWatcher(t *testing.T) {
	dsn := os.Getenv("STATEGUARD_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("STATEGUARD_POSTGRES_DSN is not set")
	}
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	err = cancelWhileLocked(t, db)
	if !errors.Is(err, guard.ErrOutcomeUnknown) || !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown wrapping context.Canceled", err)
	}
}
