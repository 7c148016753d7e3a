package conformance_test

import (
	"context"
	"errors"
	"reflect"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/pgxstore"
)

var pgxStrPtr = reflect.TypeFor[*string]()

// A save in the caller's transaction, through WithTx or New over the
// pgx.Tx, is seen by the transaction and kept or undone with it.
func TestPgxCallerTx(t *testing.T) {
	pool := pgxPool(t)
	tab := pgxTable(t, pool)
	s := pgxstore.New(pool)
	pgxInsert(t, s, tab, "t")
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		store  func(pgx.Tx) *pgxstore.Store
		commit bool
	}{
		{"WithTx rollback", s.WithTx, false},
		{"New(tx) rollback", func(tx pgx.Tx) *pgxstore.Store { return pgxstore.New(tx) }, false},
		{"WithTx commit", s.WithTx, true},
	} {
		tx, err := pool.Begin(ctx)
		if err != nil {
			t.Fatal(err)
		}
		ts := tc.store(tx)
		res, err := ts.Apply(ctx, pgxShelve(tab, "t"))
		if err != nil || res.Outcome != guard.Applied {
			tx.Rollback(ctx)
			t.Fatalf("%s: Apply in tx: %+v, %v", tc.name, res, err)
		}
		// The transaction sees its own write; another connection waits
		// for it, and the row stays as it was until the commit.
		res, err = ts.Apply(ctx, pgxShelve(tab, "t"))
		if err != nil || res.Outcome != guard.Mismatch || pgxDeref(res.Actual[0].(*string)) != "shelving" {
			tx.Rollback(ctx)
			t.Fatalf("%s: second Apply in tx: %+v, %v", tc.name, res, err)
		}
		if task, _ := pgxState(t, s, tab, "t"); task != "<NULL>" {
			tx.Rollback(ctx)
			t.Fatalf("%s: a save in an open transaction is visible outside it: %s", tc.name, task)
		}
		if tc.commit {
			err = tx.Commit(ctx)
		} else {
			err = tx.Rollback(ctx)
		}
		if err != nil {
			t.Fatal(err)
		}
		want := "<NULL>"
		if tc.commit {
			want = "shelving"
		}
		if task, _ := pgxState(t, s, tab, "t"); task != want {
			t.Fatalf("%s: task_state = %s, want %s", tc.name, task, want)
		}
	}
}

// pgxCounter is a Querier over a pool that counts what the store sends.
type pgxCounter struct {
	pool               *pgxpool.Pool
	exec, query, begin int
}

func (c *pgxCounter) Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error) {
	c.exec++
	return c.pool.Exec(ctx, sql, args...)
}

func (c *pgxCounter) Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error) {
	c.query++
	return c.pool.Query(ctx, sql, args...)
}

func (c *pgxCounter) Begin(ctx context.Context) (pgx.Tx, error) {
	c.begin++
	return c.pool.Begin(ctx)
}

// A save that applies costs what the hand-written UPDATE costs: that one
// statement. One that does not apply then sends one locking statement.
func TestPgxStatements(t *testing.T) {
	pool := pgxPool(t)
	tab := pgxTable(t, pool)
	q := &pgxCounter{pool: pool}
	s := pgxstore.New(q)
	pgxInsert(t, s, tab, "q") // reads the table's columns once
	*q = pgxCounter{pool: pool}
	if res, err := s.Apply(context.Background(), pgxShelve(tab, "q")); err != nil || res.Outcome != guard.Applied {
		t.Fatalf("Apply: %+v, %v", res, err)
	}
	if *q != (pgxCounter{pool: pool, exec: 1}) {
		t.Errorf("a save that applied sent %d statements, %d queries and began %d transactions; want the UPDATE alone", q.exec, q.query, q.begin)
	}
	*q = pgxCounter{pool: pool}
	if res, err := s.Apply(context.Background(), pgxShelve(tab, "q")); err != nil || res.Outcome != guard.Mismatch {
		t.Fatalf("Apply: %+v, %v", res, err)
	}
	if *q != (pgxCounter{pool: pool, exec: 1, query: 1}) {
		t.Errorf("a save that did not apply sent %d statements, %d queries and began %d transactions; want the UPDATE, then one locking statement", q.exec, q.query, q.begin)
	}
}

// A column added, or a table created, after the store first read the
// schema is found.
func TestPgxSchemaChanges(t *testing.T) {
	pool := pgxPool(t)
	tab := pgxTable(t, pool)
	s := pgxstore.New(pool)
	pgxInsert(t, s, tab, "b")
	ctx := context.Background()
	if _, err := pool.Exec(ctx, "ALTER TABLE "+tab+" ADD COLUMN zone VARCHAR(64) NULL"); err != nil {
		t.Fatal(err)
	}
	zone := &guard.Write{Table: tab, Key: pgxKey("b"), Set: []guard.Value{{Column: "zone", Value: "z1"}}, Where: []guard.Cond{{Column: "task_state", Null: true}}}
	if res, err := s.Apply(ctx, zone); err != nil || res.Outcome != guard.Applied {
		t.Fatalf("write to an added column: %+v, %v", res, err)
	}
	late := tab + "_late"
	if _, err := s.Apply(ctx, &guard.Write{Table: late, Key: pgxKey("x"), Set: []guard.Value{{Column: "host", Value: "h"}}}); !errors.Is(err, guard.ErrUnknownColumn) {
		t.Fatalf("missing table: %v, want ErrUnknownColumn", err)
	}
	pgxCreateTable(t, pool, late)
	pgxInsert(t, s, late, "x")
}
