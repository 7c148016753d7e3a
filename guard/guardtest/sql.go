package guardtest

import (
	"context"
	"database/sql"
	"sync"
	"testing"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/sqlstore"
)

// SQL describes a store built on guard/sqlstore and the database under it.
// A Backend with SQL set runs the SQL cases too (subtests sql/fast/... and
// sql/locked/..., the second with the dialect's fast path off), and can be
// benchmarked with Bench.
type SQL struct {
	// Open opens the database. The suite closes it when t ends.
	Open func(t testing.TB) *sql.DB
	// New returns the store under test over q.
	New func(q sqlstore.Querier) *sqlstore.Store
	// ForUpdate is set when the database has row locks (SELECT ... FOR
	// UPDATE); without it a lock holder takes the database's write lock.
	ForUpdate bool
	// ConnID is the query that returns the server's id of the connection
	// it runs on; empty when connections cannot be killed (SQLite).
	ConnID string
	// Kill returns the statement that kills the connection with id.
	Kill func(id int64) string
	// KillIsUnknown is set when a save killed while it waits on a lock
	// must report ErrOutcomeUnknown, because its write statement was sent.
	KillIsUnknown bool
}

// SQLBackend is the Backend of the store that c describes: each case opens
// the database with c.Open, creates its table (TableDDL) and drops it when
// the case ends, and Delete deletes with a plain DELETE.
func SQLBackend(name string, c SQL) Backend {
	var dbs sync.Map // guard.Store → *sql.DB
	open := func(t testing.TB, table string, ddl func(dialect string) string) guard.Store {
		db := c.Open(t)
		db.SetMaxIdleConns(Writers() + 4) // keep racing connections between rounds
		t.Cleanup(func() { db.Close() })
		s := c.New(db)
		if _, err := db.Exec(ddl(s.Dialect().Name)); err != nil {
			t.Fatalf("%s: create table %s: %v", name, table, err)
		}
		t.Cleanup(func() {
			if _, err := db.Exec("DROP TABLE " + table); err != nil {
				t.Errorf("%s: drop table %s: %v", name, table, err)
			}
		})
		dbs.Store(s, db)
		t.Cleanup(func() { dbs.Delete(s) })
		return s
	}
	return Backend{
		Name: name,
		SQL:  &c,
		Open: func(t testing.TB, table string) guard.Store {
			return open(t, table, func(string) string { return TableDDL(table) })
		},
		OpenTypes: func(t testing.TB, table string) guard.Store {
			return open(t, table, func(dialect string) string { return TypesDDL(table, dialect) })
		},
		Begin: func(t testing.TB, s guard.Store, table, id string) Session {
			v, ok := dbs.Load(s)
			if !ok {
				t.Fatalf("%s: store %T was not opened by this backend", name, s)
			}
			tx, err := v.(*sql.DB).BeginTx(context.Background(), nil)
			if err != nil {
				t.Fatalf("%s: begin: %v", name, err)
			}
			t.Cleanup(func() { _ = tx.Rollback() })
			return &sqlSession{tx: tx, d: s.(*sqlstore.Store).Dialect(), table: table, id: id}
		},
		Delete: func(t testing.TB, s guard.Store, table, id string) {
			v, ok := dbs.Load(s)
			if !ok {
				t.Fatalf("%s: store %T was not opened by this backend", name, s)
			}
			db := v.(*sql.DB)
			d := s.(*sqlstore.Store).Dialect()
			if _, err := db.Exec("DELETE FROM "+d.Quote(table)+" WHERE "+d.Quote(Key)+" = "+d.Placeholder(1), id); err != nil {
				t.Fatalf("%s: delete %s from %s: %v", name, id, table, err)
			}
		},
	}
}

// config opens c's database for the SQL cases or the benchmarks.
func (c *SQL) config(t testing.TB) sqlConfig {
	db := c.Open(t)
	t.Cleanup(func() { db.Close() })
	// Keep the racing goroutines' connections between rounds.
	db.SetMaxIdleConns(Writers() + 8)
	return sqlConfig{
		DB:            db,
		New:           c.New,
		ForUpdate:     c.ForUpdate,
		ConnID:        c.ConnID,
		Kill:          c.Kill,
		KillIsUnknown: c.KillIsUnknown,
	}
}

// Bench runs the store benchmarks on b's SQL store (see BenchOn for what
// each measures): a guarded save against the hand-written conditional
// UPDATE, the store's share, the fail-fast path and 32 racing goroutines.
func Bench(tb *testing.B, b Backend) {
	if b.SQL == nil {
		tb.Fatalf("guardtest: Backend %q has no SQL", b.Name)
	}
	benchSQL(tb, b.SQL.config(tb))
}

// sqlSession is another client's transaction on one row (Backend.Begin).
type sqlSession struct {
	tx        *sql.Tx
	d         sqlstore.Dialect
	table, id string
}

func (s *sqlSession) Set(set ...guard.Value) error {
	q := "UPDATE " + s.d.Quote(s.table) + " SET "
	args := make([]any, 0, len(set)+1)
	for i, v := range set {
		if i > 0 {
			q += ", "
		}
		args = append(args, v.Value)
		q += s.d.Quote(v.Column) + " = " + s.d.Placeholder(len(args))
	}
	args = append(args, s.id)
	q += " WHERE " + s.d.Quote(Key) + " = " + s.d.Placeholder(len(args))
	_, err := s.tx.Exec(q, args...)
	return err
}

func (s *sqlSession) Commit() error   { return s.tx.Commit() }
func (s *sqlSession) Rollback() error { return s.tx.Rollback() }
