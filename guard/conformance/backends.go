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
	"context"
	"database/sql"
	"path/filepath"
	"strconv"
	"sync"
	"testing"

	"github.com/go-sql-driver/mysql"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/guardtest"
	"github.com/stateguard/stateguard/guard/mysqlstore"
	"github.com/stateguard/stateguard/guard/pgstore"
	"github.com/stateguard/stateguard/guard/pgxstore"
	"github.com/stateguard/stateguard/guard/sqlitestore"
	"github.com/stateguard/stateguard/guard/sqlstore"
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

// Pgx is the Backend of guard/pgxstore over a pgxpool.Pool on the database
// at dsn, configured as pgxstore.Open configures it, with dialect d
// (pgxstore.Dialect(), or it adjusted).
func Pgx(dsn string, d sqlstore.Dialect) guardtest.Backend {
	var pools sync.Map // guard.Store → *pgxpool.Pool
	open := func(t testing.TB, table, ddl string) guard.Store {
		cfg, err := pgxpool.ParseConfig(dsn)
		if err != nil {
			t.Fatal(err)
		}
		pgxstore.CancelContextWatcher(cfg.ConnConfig)
		cfg.MaxConns = int32(guardtest.Writers() + 4) // every racing goroutine on its own connection
		pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(pool.Close)
		if _, err := pool.Exec(context.Background(), ddl); err != nil {
			t.Fatalf("pgx: create table %s: %v", table, err)
		}
		t.Cleanup(func() {
			if _, err := pool.Exec(context.Background(), "DROP TABLE "+table); err != nil {
				t.Errorf("pgx: drop table %s: %v", table, err)
			}
		})
		s := sqlstore.NewConn(pgxstore.Conn(pool), d)
		pools.Store(s, pool)
		t.Cleanup(func() { pools.Delete(s) })
		return s
	}
	poolOf := func(t testing.TB, s guard.Store) *pgxpool.Pool {
		v, ok := pools.Load(s)
		if !ok {
			t.Fatalf("pgx: store %T was not opened by this backend", s)
		}
		return v.(*pgxpool.Pool)
	}
	return guardtest.Backend{
		Name: "pgx",
		Open: func(t testing.TB, table string) guard.Store {
			return open(t, table, guardtest.TableDDL(table))
		},
		OpenTypes: func(t testing.TB, table string) guard.Store {
			return open(t, table, guardtest.TypesDDL(table, "postgres"))
		},
		Delete: func(t testing.TB, s guard.Store, table, id string) {
			if _, err := poolOf(t, s).Exec(context.Background(), "DELETE FROM "+sqlstore.QuoteDouble(table)+" WHERE id = $1", id); err != nil {
				t.Fatalf("pgx: delete %s from %s: %v", id, table, err)
			}
		},
		Begin: func(t testing.TB, s guard.Store, table, id string) guardtest.Session {
			tx, err := poolOf(t, s).Begin(context.Background())
			if err != nil {
				t.Fatalf("pgx: begin: %v", err)
			}
			t.Cleanup(func() { _ = tx.Rollback(context.Background()) })
			return &pgxSession{tx: tx, table: table, id: id}
		},
	}
}

// pgxSession is another client's pgx transaction on one row.
type pgxSession struct {
	tx        pgx.Tx
	table, id string
}

func (s *pgxSession) Set(set ...guard.Value) error {
	q := "UPDATE " + sqlstore.QuoteDouble(s.table) + " SET "
	args := make([]any, 0, len(set)+1)
	for i, v := range set {
		if i > 0 {
			q += ", "
		}
		args = append(args, v.Value)
		q += sqlstore.QuoteDouble(v.Column) + " = " + sqlstore.DollarN(len(args))
	}
	args = append(args, s.id)
	q += " WHERE " + sqlstore.QuoteDouble(guardtest.Key) + " = " + sqlstore.DollarN(len(args))
	_, err := s.tx.Exec(context.Background(), q, args...)
	return err
}

func (s *pgxSession) Commit() error   { return s.tx.Commit(context.Background()) }
func (s *pgxSession) Rollback() error { return s.tx.Rollback(context.Background()) }
