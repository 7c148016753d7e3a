package conformance_test

import (
	"database/sql"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/stateguard/stateguard/guard/guardtest/sqltest"
	"github.com/stateguard/stateguard/guard/mysqlstore"
	"github.com/stateguard/stateguard/guard/pgstore"
	"github.com/stateguard/stateguard/guard/sqlitestore"
)

func sqliteConfig(t testing.TB) sqltest.Config {
	db, err := sqlitestore.Open(filepath.Join(t.TempDir(), "test.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return sqltest.Config{DB: db, New: sqlitestore.New}
}

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

// openMySQL opens the test database with clientFoundRows forced to found,
// whatever STATEGUARD_MYSQL_DSN says.
func openMySQL(t testing.TB, found bool) *sql.DB {
	t.Helper()
	dsn := os.Getenv("STATEGUARD_MYSQL_DSN")
	if dsn == "" {
		t.Skip("STATEGUARD_MYSQL_DSN is not set")
	}
	cfg, err := mysql.ParseDSN(dsn)
	if err != nil {
		t.Fatalf("STATEGUARD_MYSQL_DSN: %v", err)
	}
	cfg.ClientFoundRows = found
	db, err := sql.Open("mysql", cfg.FormatDSN())
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxIdleConns(40)
	t.Cleanup(func() { db.Close() })
	return db
}

func mysqlConfig(db *sql.DB) sqltest.Config {
	return sqltest.Config{
		DB:        db,
		New:       mysqlstore.New,
		ForUpdate: true,
		ConnID:    "SELECT CONNECTION_ID()",
		Kill:      func(id int64) string { return "KILL " + strconv.FormatInt(id, 10) },
		// The conditional UPDATE is sent before it waits on the lock.
		KillIsUnknown: true,
	}
}

// TestSQLStore runs the SQL stores' own tests on each store.
func TestSQLStore(t *testing.T) {
	t.Run("sqlite", func(t *testing.T) { sqltest.RunBoth(t, sqliteConfig(t)) })
	t.Run("postgres", func(t *testing.T) { sqltest.RunBoth(t, *openDB(t)) })
	// The same tests pass with and without CLIENT_FOUND_ROWS.
	t.Run("mysql", func(t *testing.T) {
		for _, found := range []bool{false, true} {
			t.Run("clientFoundRows="+strconv.FormatBool(found), func(t *testing.T) {
				sqltest.RunBoth(t, mysqlConfig(openMySQL(t, found)))
			})
		}
	})
}

func BenchmarkStore(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { sqltest.Bench(b, sqliteConfig(b)) })
	b.Run("postgres", func(b *testing.B) { sqltest.Bench(b, *openDB(b)) })
	b.Run("mysql", func(b *testing.B) { sqltest.Bench(b, mysqlConfig(openMySQL(b, false))) })
}

func init() {
	// The killed-connection tests make the driver log the lost connection.
	_ = mysql.SetLogger(log.New(io.Discard, "", 0))
}
