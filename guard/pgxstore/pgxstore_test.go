package pgxstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/guardtest"
	"github.com/stateguard/stateguard/guard/pgstore"
	"github.com/stateguard/stateguard/guard/pgxstore"
	"github.com/stateguard/stateguard/guard/sqlstore"
)

// dsn returns the PostgreSQL DSN of the tests, or skips t.
func dsn(t testing.TB) string {
	t.Helper()
	d := os.Getenv("STATEGUARD_POSTGRES_DSN")
	if d == "" {
		t.Skip("STATEGUARD_POSTGRES_DSN is not set")
	}
	return d
}

// openPool opens a pool with Open's settings and closes it when t ends.
func openPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(dsn(t))
	if err != nil {
		t.Fatal(err)
	}
	pgxstore.CancelContextWatcher(cfg.ConnConfig)
	cfg.MaxConns = int32(guardtest.Writers() + 4) // the racing cases' goroutines
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(pool.Close)
	return pool
}

// newTable creates a table of the suite's shape with a fresh name and
// drops it when t ends.
func newTable(t testing.TB, pool *pgxpool.Pool) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := "sg_pgx_" + hex.EncodeToString(b[:])
	createTable(t, pool, name)
	return name
}

func createTable(t testing.TB, pool *pgxpool.Pool, name string) {
	t.Helper()
	ctx := context.Background()
	if _, err := pool.Exec(ctx, guardtest.TableDDL(name)); err != nil {
		t.Fatalf("create table %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := pool.Exec(context.Background(), "DROP TABLE "+name); err != nil {
			t.Errorf("drop table %s: %v", name, err)
		}
	})
}

// backend is the conformance suite's Backend of this store, with the
// dialect d (Dialect(), or it with the fast path off).
func backend(d sqlstore.Dialect) guardtest.Backend {
	var pools sync.Map // guard.Store → *pgxpool.Pool
	return guardtest.Backend{
		Name: "pgx",
		Open: func(t testing.TB, table string) guard.Store {
			pool := openPool(t)
			createTable(t, pool, table)
			s := sqlstore.NewConn(pgxstore.Conn(pool), d)
			pools.Store(s, pool)
			t.Cleanup(func() { pools.Delete(s) })
			return s
		},
		Delete: func(t testing.TB, s guard.Store, table, id string) {
			v, ok := pools.Load(s)
			if !ok {
				t.Fatalf("pgx: store %T was not opened by this backend", s)
			}
			if _, err := v.(*pgxpool.Pool).Exec(context.Background(), "DELETE FROM "+table+" WHERE id = $1", id); err != nil {
				t.Fatalf("pgx: delete %s from %s: %v", id, table, err)
			}
		},
	}
}

// TestConformance runs the whole conformance suite on the store over a
// pool, with the fast path (subtest fast) and without it, every save
// taking the locking statement (subtest locked).
func TestConformance(t *testing.T) {
	dsn(t)
	t.Run("fast", func(t *testing.T) { guardtest.Run(t, backend(pgxstore.Dialect())) })
	locked := pgxstore.Dialect()
	locked.FastPath = false
	t.Run("locked", func(t *testing.T) { guardtest.Run(t, backend(locked)) })
}

// The dialect is guard/pgstore's: the same statements, and the same
// reading of the server's errors.
func TestDialectIsPgstore(t *testing.T) {
	a, b := pgxstore.Dialect(), pgstore.Dialect()
	if a.Name != b.Name || a.Strategy != b.Strategy || a.FastPath != b.FastPath ||
		a.ColumnsQuery != b.ColumnsQuery || a.FoldCase != b.FoldCase ||
		a.Quote(`a"b`) != b.Quote(`a"b`) || a.Placeholder(3) != b.Placeholder(3) {
		t.Fatalf("pgxstore's dialect differs from pgstore's:\n%+v\n%+v", a, b)
	}
	for _, err := range []error{
		errors.New("plain"),
		&pgconn.PgError{Severity: "ERROR", Code: "23505"},
		&pgconn.PgError{Severity: "ERROR", Code: "42P01"},
		&pgconn.PgError{Severity: "ERROR", Code: "42703"},
		&pgconn.PgError{Severity: "ERROR", Code: "57014"},
		&pgconn.PgError{Severity: "ERROR", Code: "08006"},
		&pgconn.PgError{Severity: "ERROR", Code: "40001"},
		&pgconn.PgError{Severity: "FATAL", Code: "57P01"},
		&pgconn.PgError{Severity: "PANIC", Code: "XX000"},
	} {
		if ka, kb := a.Classify(err), b.Classify(err); ka != kb {
			t.Errorf("Classify(%v) = %d, pgstore says %d", err, ka, kb)
		}
	}
}

func TestOpen(t *testing.T) {
	if _, err := pgxstore.Open(context.Background(), "postgres://%zz"); err == nil {
		t.Error("Open of a malformed DSN succeeded")
	}
	pool, err := pgxstore.Open(context.Background(), dsn(t))
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	if pool.Config().ConnConfig.BuildContextWatcherHandler == nil {
		t.Fatal("Open left pgx's default context watcher")
	}
	h := pool.Config().ConnConfig.BuildContextWatcherHandler(nil)
	if _, ok := h.(*pgconn.CancelRequestContextWatcherHandler); !ok {
		t.Fatalf("Open's context watcher is %T, want a CancelRequestContextWatcherHandler", h)
	}
}

func TestNilQuerier(t *testing.T) {
	ctx := context.Background()
	w := &guard.Write{Table: "t", Key: []guard.Value{{Column: "id", Value: "x"}}}
	for name, s := range map[string]*pgxstore.Store{
		"nil":            pgxstore.New(nil),
		"nil pool":       pgxstore.New((*pgxpool.Pool)(nil)),
		"nil conn":       pgxstore.New((*pgx.Conn)(nil)),
		"nil tx":         pgxstore.New(pgx.Tx(nil)),
		"WithTx nil":     pgxstore.New((*pgxpool.Pool)(nil)).WithTx(nil),
		"nil Store's tx": (*pgxstore.Store)(nil).WithTx(nil),
	} {
		if _, err := s.Apply(ctx, w); err == nil {
			t.Errorf("%s: Apply succeeded", name)
		}
		if _, err := s.Load(ctx, "t", w.Key, nil); err == nil {
			t.Errorf("%s: Load succeeded", name)
		}
	}
}
