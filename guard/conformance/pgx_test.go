package conformance_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"os"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/stateguard/stateguard/guard/conformance"
	"github.com/stateguard/stateguard/guard/guardtest"
	"github.com/stateguard/stateguard/guard/pgstore"
	"github.com/stateguard/stateguard/guard/pgxstore"
)

// pgxDSN returns the PostgreSQL DSN of the tests, or skips t.
func pgxDSN(t testing.TB) string {
	t.Helper()
	d := os.Getenv("STATEGUARD_POSTGRES_DSN")
	if d == "" {
		t.Skip("STATEGUARD_POSTGRES_DSN is not set")
	}
	return d
}

// pgxPool opens a pool with Open's settings and closes it when t ends.
func pgxPool(t testing.TB) *pgxpool.Pool {
	t.Helper()
	cfg, err := pgxpool.ParseConfig(pgxDSN(t))
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

// pgxTable creates a table of the suite's shape with a fresh name and
// drops it when t ends.
func pgxTable(t testing.TB, pool *pgxpool.Pool) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := "sg_pgx_" + hex.EncodeToString(b[:])
	pgxCreateTable(t, pool, name)
	return name
}

func pgxCreateTable(t testing.TB, pool *pgxpool.Pool, name string) {
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

// TestPgxLocked runs the conformance suite on guard/pgxstore with the
// fast path off: every save takes the locking statement (TestConformance
// runs it as the store comes, with the fast path).
func TestPgxLocked(t *testing.T) {
	d := pgxstore.Dialect()
	d.FastPath = false
	guardtest.Run(t, conformance.Pgx(pgxDSN(t), d))
}

// The dialect is guard/pgstore's: the same statements, and the same
// reading of the server's errors.
func TestPgxDialectIsPgstore(t *testing.T) {
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
