package conformance_test

import (
	"context"
	"errors"
	"path/filepath"
	"testing"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/guardtest"
	"github.com/stateguard/stateguard/guard/sqlitestore"
)

// TestSaveInCallerTx: a store bound to the caller's *sql.Tx is just a Store;
// the guarded save commits or rolls back with the caller's transaction, and
// a conflict inside it leaves the transaction usable for the caller to roll
// back.
func TestSaveInCallerTx(t *testing.T) {
	ctx := context.Background()
	db, err := sqlitestore.Open(filepath.Join(t.TempDir(), "tx.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(guardtest.TableDDL("servers")); err != nil {
		t.Fatal(err)
	}
	servers := guard.MustTable[guardtest.Server]("servers")
	store := sqlitestore.New(db)
	if _, err := servers.Insert(ctx, store, guardtest.Server{ID: "s1", VMState: "active"}); err != nil {
		t.Fatal(err)
	}
	stored := func() *guardtest.TaskState {
		t.Helper()
		r, err := servers.Load(ctx, store, "s1")
		if err != nil {
			t.Fatal(err)
		}
		return r.V.TaskState
	}

	for _, commit := range []bool{false, true} {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		txStore := store.WithTx(tx)
		srv, err := servers.Load(ctx, txStore, "s1")
		if err != nil {
			t.Fatal(err)
		}
		srv.V.TaskState = guard.Ptr(guardtest.Shelving)
		if err := servers.Save(ctx, txStore, srv, guard.Expect("TaskState", nil)); err != nil {
			t.Fatalf("Save in a transaction: %v", err)
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
		got := stored()
		if commit != (got != nil && *got == guardtest.Shelving) {
			t.Errorf("commit=%v: stored task_state %v", commit, got)
		}
	}

	// A conflict inside the caller's transaction.
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	stale, _ := servers.Loaded(guardtest.Server{ID: "s1", VMState: "active"})
	stale.V.TaskState = guard.Ptr(guardtest.Deleting)
	err = servers.Save(ctx, store.WithTx(tx), stale, guard.Expect("TaskState", nil))
	var ce *guard.ConflictError
	if !errors.As(err, &ce) || ce.Actual != guardtest.Shelving {
		t.Fatalf("conflict in a transaction: %v", err)
	}
	if err := tx.Rollback(); err != nil {
		t.Errorf("Rollback after a conflict: %v", err)
	}
}
