package conformance_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/stateguard/stateguard/guard/conformance"
	"github.com/stateguard/stateguard/guard/guardtest"
	"github.com/stateguard/stateguard/guard/pgstore"
	"github.com/stateguard/stateguard/guard/pgxstore"
	"github.com/stateguard/stateguard/guard/sqlstore"
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
	// Every field, those added later included: the same value, or for a
	// function, both set or both unset.
	va, vb := reflect.ValueOf(a), reflect.ValueOf(b)
	for i := range va.NumField() {
		fa, fb, name := va.Field(i), vb.Field(i), va.Type().Field(i).Name
		if fa.Kind() == reflect.Func {
			if fa.IsNil() != fb.IsNil() {
				t.Errorf("Dialect.%s: set in one of pgxstore's and pgstore's dialects only", name)
			}
		} else if !reflect.DeepEqual(fa.Interface(), fb.Interface()) {
			t.Errorf("Dialect.%s = %v, pgstore's is %v", name, fa.Interface(), fb.Interface())
		}
	}
	if a.Quote(`a"b`) != b.Quote(`a"b`) || a.Placeholder(3) != b.Placeholder(3) {
		t.Errorf("pgxstore quotes or numbers parameters unlike pgstore")
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
	// What pgx says it never sent is definite; what it may have sent is not.
	for err, want := range map[error]sqlstore.ErrorKind{
		fmt.Errorf("acquire: %w", retryErr(true)): sqlstore.ErrDefinite,
		fmt.Errorf("read: %w", retryErr(false)):   sqlstore.ErrOther,
	} {
		if got := a.Classify(err); got != want {
			t.Errorf("Classify(%v) = %d, want %d", err, got, want)
		}
	}
}

// retryErr is an error that says whether pgx sent anything before it.
type retryErr bool

func (e retryErr) Error() string     { return fmt.Sprintf("safe to retry: %v", bool(e)) }
func (e retryErr) SafeToRetry() bool { return bool(e) }
