// Package conformance runs the conformance suite (guard/guardtest) and the
// store benchmarks on every store of this repository, and holds the tests
// that need a store and its driver together. It is a module of its own so
// that neither guard, nor a store, nor guardtest requires the others'
// dependencies: a store's module requires guard and its driver alone.
//
// It gives the suite a Backend for each SQL store. A new store gets a
// function here, a subtest of TestConformance and of BenchmarkStore, and a
// requirement in this module's go.mod.
package conformance

import (
	"database/sql"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/go-sql-driver/mysql"

	"github.com/stateguard/stateguard/guard/guardtest"
	"github.com/stateguard/stateguard/guard/mysqlstore"
	"github.com/stateguard/stateguard/guard/pgstore"
	"github.com/stateguard/stateguard/guard/sqlitestore"
)

// SQLite is the Backend of guard/sqlitestore, on a database file in the
// test's temporary directory.
func SQLite() guardtest.Backend {
	return guardtest.SQLBackend("sqlite", guardtest.SQL{
		Open: func(t testing.TB) *sql.DB {
			db, err := sqlitestore.Open(filepath.Join(t.TempDir(), "guardtest.db"))
			if err != nil {
				t.Fatal(err)
			}
			return db
		},
		New: sqlitestore.New,
	})
}

// Postgres is the Backend of guard/pgstore on the database at dsn.
func Postgres(dsn string) guardtest.Backend {
	return guardtest.SQLBackend("postgres", guardtest.SQL{
		Open: func(t testing.TB) *sql.DB {
			db, err := pgstore.Open(dsn)
			if err != nil {
				t.Fatal(err)
			}
			return db
		},
		New:           pgstore.New,
		ForUpdate:     true,
		ConnID:        "SELECT pg_backend_pid()::bigint",
		Kill:          func(id int64) string { return "SELECT pg_terminate_backend(" + strconv.FormatInt(id, 10) + ")" },
		KillIsUnknown: true,
	})
}

// MySQL is the Backend of guard/mysqlstore on the database at dsn, with
// the DSN's clientFoundRows forced to clientFoundRows: the store must give
// the same answers either way.
func MySQL(dsn string, clientFoundRows bool) guardtest.Backend {
	return guardtest.SQLBackend("mysql", guardtest.SQL{
		Open: func(t testing.TB) *sql.DB {
			cfg, err := mysql.ParseDSN(dsn)
			if err != nil {
				t.Fatal(err)
			}
			cfg.ClientFoundRows = clientFoundRows
			db, err := mysqlstore.Open(cfg.FormatDSN())
			if err != nil {
				t.Fatal(err)
			}
			return db
		},
		New:       mysqlstore.New,
		ForUpdate: true,
		ConnID:    "SELECT CONNECTION_ID()",
		Kill:      func(id int64) string { return "KILL " + strconv.FormatInt(id, 10) },
		// The conditional UPDATE is sent before it waits on the lock.
		KillIsUnknown: true,
	})
}
