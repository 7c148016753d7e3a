package conformance_test

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/guardtest/sqltest"
	"github.com/stateguard/stateguard/guard/pgstore"
)

// cancelWhileLocked cancels a save while another transaction holds the
// row's lock, and returns the save's error once the lock is released.
func cancelWhileLocked(t *testing.T, db *sql.DB) error {
	t.Helper()
	ctx := context.Background()
	tab := sqltest.NewTable(t, db)
	s := pgstore.New(db)
	sqltest.Insert(t, s, tab, "c", nil)
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
		_, err := s.Apply(cctx, sqltest.Transition(tab, "c", "shelving", "h1", nil))
		done <- err
	}()
	time.Sleep(200 * time.Millisecond)
	cancel()
	err = <-done
	holder.Rollback()
	time.Sleep(200 * time.Millisecond)
	task, _ := sqltest.State(t, s, tab, "c")
	if task != nil && !errors.Is(err, guard.ErrOutcomeUnknown) {
		t.Fatalf("the save committed after its context was cancelled, and reported %v", err)
	}
	return err
}

// With Open's context watcher the server cancels the waiting statement: the
// save is known not to have applied and says so.
func TestCancelOnServer(t *testing.T) {
	cfg := openDB(t)
	err := cancelWhileLocked(t, cfg.DB)
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
