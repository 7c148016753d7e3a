package pgstore_test

import (
	"os"
	"strconv"
	"testing"

	"github.com/stateguard/stateguard/guard/internal/sqltest"
	"github.com/stateguard/stateguard/guard/pgstore"
)

func openDB(t testing.TB) *sqltest.Config {
	dsn := os.Getenv("STATEGUARD_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("STATEGUARD_POSTGRES_DSN is not set")
	}
	db, err := pgstore.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	// Keep the racing goroutines' connections between rounds.
	db.SetMaxIdleConns(40)
	return &sqltest.Config{
		DB:            db,
		New:           pgstore.New,
		ForUpdate:     true,
		ConnID:        "SELECT pg_backend_pid()::bigint",
		Kill:          func(id int64) string { return "SELECT pg_terminate_backend(" + itoa(id) + ")" },
		KillIsUnknown: true,
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestStore(t *testing.T) {
	sqltest.RunBoth(t, *openDB(t))
}

func TestOpenBadDSN(t *testing.T) {
	if _, err := pgstore.Open("postgres://%zz"); err == nil {
		t.Error("Open of a malformed DSN succeeded")
	}
}
