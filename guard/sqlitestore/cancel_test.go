package sqlitestore_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"
	"time"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/sqlitestore"
)

// lateCancel is a *sql.DB whose statements complete and commit, after
// which the caller's context is cancelled and the call answers with the
// context's error: what modernc.org/sqlite answers when the context ends
// while a statement runs, even one that has finished and committed.
type lateCancel struct {
	*sql.DB
	cancel context.CancelFunc
}

func (l lateCancel) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	if _, err := l.DB.ExecContext(context.WithoutCancel(ctx), query, args...); err != nil {
		return nil, err
	}
	l.cancel()
	return nil, ctx.Err()
}

// An insert whose statement committed before the driver saw the context
// end is reported as of unknown outcome, never as a plain failure: the
// caller must not take it for "not applied".
func TestCancelAfterCommitIsOutcomeUnknown(t *testing.T) {
	db := openServers(t)
	sctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	store := sqlitestore.New(lateCancel{db, cancel})
	_, err := servers.Insert(sctx, store, Server{ID: "s2"})
	if !errors.Is(err, guard.ErrOutcomeUnknown) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Insert = %v, want guard.ErrOutcomeUnknown wrapping context.Canceled", err)
	}
	var n int
	if err := db.QueryRow(`SELECT count(*) FROM servers WHERE id = 's2'`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 1 {
		t.Fatalf("%d rows s2; the statement of this test commits before the cancel", n)
	}
}

// A save whose statement committed before the driver saw the context end
// is of unknown outcome too: lateCancel is not a *sql.DB, so the store
// cannot ask the connection whether the UPDATE wrote.
func TestCancelAfterCommitSaveIsOutcomeUnknown(t *testing.T) {
	db := openServers(t)
	ctx := context.Background()
	row, err := servers.Load(ctx, sqlitestore.New(db), "s1")
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	row.V.TaskState = guard.Ptr(TaskState("SHELVING"))
	err = servers.Save(sctx, sqlitestore.New(lateCancel{db, cancel}), row, guard.Expect("TaskState", nil))
	if !errors.Is(err, guard.ErrOutcomeUnknown) {
		t.Fatalf("Save = %v, want guard.ErrOutcomeUnknown", err)
	}
	if got := taskState(t, db, "s1"); got.String != "SHELVING" {
		t.Fatalf("task_state = %v; the statement of this test commits before the cancel", got)
	}
}

// A save whose deadline passes while it waits for the write lock, which
// another connection holds, wrote nothing, and says so: a definite error
// wrapping the context's, not ErrOutcomeUnknown. The connection the save
// runs on wrote a row just before, so that the count of changes it is
// asked about is not zero until the interrupted UPDATE resets it.
func TestCancelledLockWaitIsDefinite(t *testing.T) {
	db := openServers(t)
	db.SetMaxOpenConns(2)
	ctx := context.Background()
	// Both connections of the pool have just written one row.
	var conns [2]*sql.Conn
	for i := range conns {
		c, err := db.Conn(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.ExecContext(ctx, `UPDATE servers SET host = 'h0' WHERE id = 's1'`); err != nil {
			t.Fatal(err)
		}
		conns[i] = c
	}
	for _, c := range conns {
		c.Close()
	}
	store := sqlitestore.New(db)
	for i := range 3 {
		row, err := servers.Load(ctx, store, "s1")
		if err != nil {
			t.Fatal(err)
		}
		holder, err := db.BeginTx(ctx, nil) // BEGIN IMMEDIATE: the write lock
		if err != nil {
			t.Fatal(err)
		}
		if _, err := holder.ExecContext(ctx, `UPDATE servers SET host = 'held' WHERE id = 's1'`); err != nil {
			t.Fatal(err)
		}
		sctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
		row.V.TaskState = guard.Ptr(TaskState("SHELVING"))
		err = servers.Save(sctx, store, row, guard.Expect("TaskState", nil))
		cancel()
		if err := holder.Rollback(); err != nil {
			t.Fatal(err)
		}
		if err == nil || errors.Is(err, guard.ErrOutcomeUnknown) || !errors.Is(err, context.DeadlineExceeded) {
			t.Fatalf("try %d: Save = %v, want a definite error wrapping context.DeadlineExceeded", i, err)
		}
		if got := taskState(t, db, "s1"); got.Valid {
			t.Fatalf("try %d: task_state = %v after a save that failed", i, got)
		}
	}
}

func taskState(t *testing.T, db *sql.DB, id string) sql.NullString {
	t.Helper()
	var got sql.NullString
	if err := db.QueryRow(`SELECT task_state FROM servers WHERE id = ?`, id).Scan(&got); err != nil {
		t.Fatal(err)
	}
	return got
}

func openServers(t *testing.T) *sql.DB {
	t.Helper()
	db, err := sqlitestore.Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE servers (id TEXT PRIMARY KEY, task_state TEXT NULL, host TEXT NULL)`); err != nil {
		t.Fatal(err)
	}
	if _, err := servers.Insert(context.Background(), sqlitestore.New(db), Server{ID: "s1"}); err != nil {
		t.Fatal(err)
	}
	return db
}
