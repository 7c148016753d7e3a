package sqlitestore_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"testing"

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

// A save with a context that can end does not send its UPDATE as a bare
// statement, whose interruption the driver would report the same way
// whether or not it committed: it takes the write lock in a transaction,
// where an interrupted wait is a definite error.
func TestCancellableSaveRunsInTx(t *testing.T) {
	db := openServers(t)
	ctx := context.Background()
	row, err := servers.Load(ctx, sqlitestore.New(db), "s1")
	if err != nil {
		t.Fatal(err)
	}
	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	store := sqlitestore.New(lateCancel{db, cancel})
	row.V.TaskState = guard.Ptr(TaskState("SHELVING"))
	if err := servers.Save(sctx, store, row, guard.Expect("TaskState", nil)); err != nil {
		t.Fatalf("Save = %v, want nil: the save must not go through the bare statement", err)
	}
	var got sql.NullString
	if err := db.QueryRow(`SELECT task_state FROM servers WHERE id = 's1'`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got.String != "SHELVING" {
		t.Fatalf("task_state = %v, want SHELVING", got)
	}
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
