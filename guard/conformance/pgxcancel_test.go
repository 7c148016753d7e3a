package conformance_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/pgxstore"
)

var pgxRead = []guard.Column{{Name: "task_state", Type: pgxStrPtr}, {Name: "host", Type: pgxStrPtr}}

func pgxKey(id string) []guard.Value { return []guard.Value{{Column: "id", Value: id}} }

// shelve is the Write that moves row id from NULL to shelving on host h1.
func pgxShelve(table, id string) *guard.Write {
	return &guard.Write{
		Table: table,
		Key:   pgxKey(id),
		Set:   []guard.Value{{Column: "task_state", Value: "shelving"}, {Column: "host", Value: "h1"}},
		Where: []guard.Cond{{Column: "task_state", Null: true}},
		Read:  pgxRead,
	}
}

func pgxInsert(t *testing.T, s guard.Store, table, id string) {
	t.Helper()
	err := s.Insert(context.Background(), table, []guard.Value{
		{Column: "id", Value: id}, {Column: "task_state", Value: nil},
		{Column: "vm_state", Value: "active"}, {Column: "host", Value: "h0"},
	})
	if err != nil {
		t.Fatalf("insert %s: %v", id, err)
	}
}

func pgxState(t *testing.T, s guard.Store, table, id string) (task, host string) {
	t.Helper()
	v, err := s.Load(context.Background(), table, pgxKey(id), pgxRead)
	if err != nil {
		t.Fatalf("load %s: %v", id, err)
	}
	return pgxDeref(v[0].(*string)), pgxDeref(v[1].(*string))
}

func pgxDeref(p *string) string {
	if p == nil {
		return "<NULL>"
	}
	return *p
}

// holdLock locks row id in a transaction of its own and returns the
// function that rolls it back.
func pgxHoldLock(t *testing.T, pool *pgxpool.Pool, table, id string) (release func()) {
	t.Helper()
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "SELECT id FROM "+table+" WHERE id = $1 FOR UPDATE", id); err != nil {
		tx.Rollback(ctx)
		t.Fatal(err)
	}
	var once sync.Once
	release = func() { once.Do(func() { tx.Rollback(ctx) }) }
	t.Cleanup(release)
	return release
}

// checkAfterFailure checks the row after a save that failed with err: a
// definite failure left it unchanged; an unknown outcome left it either
// unchanged or fully written.
func pgxCheckAfterFailure(t *testing.T, s guard.Store, table, id string, err error) {
	t.Helper()
	time.Sleep(200 * time.Millisecond) // let a statement still on the server end
	switch task, host := pgxState(t, s, table, id); {
	case task == "<NULL>" && host == "h0":
	case task == "shelving" && host == "h1":
		if !errors.Is(err, guard.ErrOutcomeUnknown) {
			t.Fatalf("the save committed but reported %v, not ErrOutcomeUnknown", err)
		}
	default:
		t.Fatalf("row is inconsistent: task=%s host=%s", task, host)
	}
}

// wait returns what done delivers, failing t after 30 s.
func pgxWait(t *testing.T, done <-chan error, what string) error {
	t.Helper()
	select {
	case err := <-done:
		return err
	case <-time.After(30 * time.Second):
		t.Fatalf("Apply did not return after %s", what)
		return nil
	}
}

// cancelWhileLocked cancels a save on pool while another transaction holds
// the row's lock, releases the lock and returns the save's error.
func pgxCancelWhileLocked(t *testing.T, pool *pgxpool.Pool) error {
	t.Helper()
	tab := pgxTable(t, pool)
	s := pgxstore.New(pool)
	pgxInsert(t, s, tab, "c")
	release := pgxHoldLock(t, pool, tab, "c")
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := s.Apply(ctx, pgxShelve(tab, "c"))
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	cancel()
	err := pgxWait(t, done, "its context was cancelled")
	release()
	if err == nil {
		t.Fatal("a save cancelled while it waited returned nil")
	}
	t.Logf("cancelled save: %v", err)
	pgxCheckAfterFailure(t, s, tab, "c", err)
	return err
}

// With Open's context watcher the server cancels the waiting statement
// and says so: the save is known not to have applied.
func TestPgxCancelOnServer(t *testing.T) {
	err := pgxCancelWhileLocked(t, pgxPool(t))
	var pe *pgconn.PgError
	if !errors.Is(err, context.Canceled) || errors.Is(err, guard.ErrOutcomeUnknown) ||
		!errors.As(err, &pe) || pe.Code != "57014" {
		t.Fatalf("err = %v, want context.Canceled with SQLSTATE 57014 and a known outcome", err)
	}
}

// pgx's default context watcher closes the connection instead, and the
// server may still run the UPDATE: the outcome is unknown. So it is when
// the server does not confirm the cancel in time (here the cancel request
// is never sent before pgx gives up on the connection).
func TestPgxCancelUnconfirmed(t *testing.T) {
	for name, configure := range map[string]func(*pgx.ConnConfig){
		"default watcher": func(*pgx.ConnConfig) {},
		"cancel not confirmed": func(cfg *pgx.ConnConfig) {
			cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
				return &pgconn.CancelRequestContextWatcherHandler{Conn: c, CancelRequestDelay: time.Hour, DeadlineDelay: 0}
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			cfg, err := pgxpool.ParseConfig(pgxDSN(t))
			if err != nil {
				t.Fatal(err)
			}
			configure(cfg.ConnConfig)
			pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(pool.Close)
			err = pgxCancelWhileLocked(t, pool)
			if !errors.Is(err, guard.ErrOutcomeUnknown) || !errors.Is(err, context.Canceled) {
				t.Fatalf("err = %v, want ErrOutcomeUnknown wrapping context.Canceled", err)
			}
		})
	}
}

// terminate ends the server process of the connection whose backend is
// pid, from another connection.
func pgxTerminate(t *testing.T, pool *pgxpool.Pool, pid uint32) {
	t.Helper()
	var ok bool
	if err := pool.QueryRow(context.Background(), "SELECT pg_terminate_backend($1)", int32(pid)).Scan(&ok); err != nil || !ok {
		t.Fatalf("pg_terminate_backend(%d) = %v, %v", pid, ok, err)
	}
}

// A save whose connection is lost while its UPDATE waits for the row lock
// was sent and may have committed: unknown.
func TestPgxKilledWhileWaiting(t *testing.T) {
	pool := pgxPool(t)
	tab := pgxTable(t, pool)
	s := pgxstore.New(pool)
	pgxInsert(t, s, tab, "k")
	ctx := context.Background()
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	release := pgxHoldLock(t, pool, tab, "k")
	cs := pgxstore.New(conn)
	done := make(chan error, 1)
	go func() {
		_, err := cs.Apply(ctx, pgxShelve(tab, "k"))
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	pgxTerminate(t, pool, conn.Conn().PgConn().PID())
	err = pgxWait(t, done, "its connection was killed")
	release()
	t.Logf("killed save: %v", err)
	if !errors.Is(err, guard.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	pgxCheckAfterFailure(t, s, tab, "k", err)

	// The connection is known to be closed now: a save on it sends nothing
	// and fails definitely (the store has read the table's columns: the
	// UPDATE is the first statement it tries).
	_, err = cs.Apply(ctx, pgxShelve(tab, "k"))
	if err == nil || errors.Is(err, guard.ErrOutcomeUnknown) || !pgconn.SafeToRetry(err) {
		t.Fatalf("save on a closed connection: %v, want a definite error", err)
	}
}

// A save whose connection is lost after its UPDATE wrote the row, before
// the statement ends (an AFTER UPDATE trigger holds it there), reports
// unknown: the client cannot tell a lost reply from a lost commit.
func TestPgxKilledAfterWrite(t *testing.T) {
	pool := pgxPool(t)
	tab := pgxTable(t, pool)
	ctx := context.Background()
	fn := tab + "_slow"
	for _, q := range []string{
		"CREATE FUNCTION " + fn + "() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN PERFORM pg_sleep(2); RETURN NEW; END $$",
		"CREATE TRIGGER " + fn + " AFTER UPDATE ON " + tab + " FOR EACH ROW EXECUTE FUNCTION " + fn + "()",
	} {
		if _, err := pool.Exec(ctx, q); err != nil {
			t.Fatal(err)
		}
	}
	t.Cleanup(func() { pool.Exec(context.Background(), "DROP FUNCTION "+fn+" CASCADE") })
	s := pgxstore.New(pool)
	pgxInsert(t, s, tab, "w")
	conn, err := pool.Acquire(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Release()
	done := make(chan error, 1)
	go func() {
		_, err := pgxstore.New(conn).Apply(ctx, pgxShelve(tab, "w"))
		done <- err
	}()
	time.Sleep(500 * time.Millisecond)
	pgxTerminate(t, pool, conn.Conn().PgConn().PID())
	err = pgxWait(t, done, "its connection was killed")
	t.Logf("killed save: %v", err)
	if !errors.Is(err, guard.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	pgxCheckAfterFailure(t, s, tab, "w", err)
}

// In the caller's transaction the caller's commit decides: a save that
// applied in it is undone when the connection is lost before the commit,
// and the commit says so.
func TestPgxKilledInCallerTx(t *testing.T) {
	pool := pgxPool(t)
	tab := pgxTable(t, pool)
	s := pgxstore.New(pool)
	pgxInsert(t, s, tab, "t")
	ctx := context.Background()
	tx, err := pool.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback(ctx)
	res, err := s.WithTx(tx).Apply(ctx, pgxShelve(tab, "t"))
	if err != nil || res.Outcome != guard.Applied {
		t.Fatalf("Apply in tx: %+v, %v", res, err)
	}
	pgxTerminate(t, pool, tx.Conn().PgConn().PID())
	if err := tx.Commit(ctx); err == nil {
		t.Fatal("commit on a killed connection succeeded")
	}
	if task, host := pgxState(t, s, tab, "t"); task != "<NULL>" || host != "h0" {
		t.Fatalf("row is %s/%s after a lost transaction", task, host)
	}
}
