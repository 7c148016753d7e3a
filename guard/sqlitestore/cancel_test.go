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

// A save whose statement committed before the driver saw the context end
// is reported as of unknown outcome, never as a plain failure: the caller
// must not take it for "not applied".
func TestCancelAfterCommitIsOutcomeUnknown(t *testing.T) {
	db, err := sqlitestore.Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Exec(`CREATE TABLE servers (id TEXT PRIMARY KEY, task_state TEXT NULL, host TEXT NULL)`); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := servers.Insert(ctx, sqlitestore.New(db), Server{ID: "s1"}); err != nil {
		t.Fatal(err)
	}
	row, err := servers.Load(ctx, sqlitestore.New(db), "s1")
	if err != nil {
		t.Fatal(err)
	}

	sctx, cancel := context.WithCancel(ctx)
	defer cancel()
	store := sqlitestore.New(lateCancel{db, cancel})
	row.V.TaskState = guard.Ptr(TaskState("SHELVING"))
	err = servers.Save(sctx, store, row, guard.Expect("TaskState", nil))
	if !errors.Is(err, guard.ErrOutcomeUnknown) || !errors.Is(err, context.Canceled) {
		t.Fatalf("Save = %v, want guard.ErrOutcomeUnknown wrapping context.Canceled", err)
	}
	var got sql.NullString
	if err := db.QueryRow(`SELECT task_state FROM servers WHERE id = 's1'`).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if got.String != "SHELVING" {
		t.Fatalf("task_state = %v; the statement of this test commits before the cancel", got)
	}
}
