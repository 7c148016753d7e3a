package conformance_test

import (
	"context"
	"database/sql"
	"os"
	"testing"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/pgstore"
)

// A save that loses takes the locking statement, which commits without
// waiting for the log when it wrote nothing but the row lock
// (Dialect.NoWriteCommit): that setting is local to the statement's own
// transaction. It must not outlive it on the connection, and a save in
// the caller's transaction must not touch the caller's durability.
func TestNoWriteCommitStaysLocal(t *testing.T) {
	dsn := os.Getenv("STATEGUARD_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("STATEGUARD_POSTGRES_DSN is not set")
	}
	db, err := pgstore.Open(dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	ctx := context.Background()
	tab := newTable(t, db)
	if _, err := db.Exec("INSERT INTO " + tab + " (id, task_state, vm_state) VALUES ('r', 'b', 'active')"); err != nil {
		t.Fatal(err)
	}
	// Expects "a", the row holds "b": the fast path matches nothing, and
	// the locking statement tells the conflict.
	w := &guard.Write{
		Table: tab,
		Key:   []guard.Value{{Column: "id", Value: "r"}},
		Set:   []guard.Value{{Column: "task_state", Value: "c"}},
		Where: []guard.Cond{{Column: "task_state", Values: []any{"a"}}},
		Read:  []guard.Column{{Name: "task_state", Type: pgxStrPtr}},
	}
	fence := &guard.Write{Table: tab, Key: w.Key, Where: w.Where, Read: w.Read}
	syncCommit := func(q interface {
		QueryRowContext(context.Context, string, ...any) *sql.Row
	}) string {
		var v string
		if err := q.QueryRowContext(ctx, "SHOW synchronous_commit").Scan(&v); err != nil {
			t.Fatal(err)
		}
		return v
	}

	conn, err := db.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for _, w := range []*guard.Write{w, fence} {
		res, err := pgstore.New(conn).Apply(ctx, w)
		if err != nil || res.Outcome != guard.Mismatch {
			t.Fatalf("Apply on a connection: %+v, %v; want a Mismatch", res, err)
		}
		if v := syncCommit(conn); v != "on" {
			t.Fatalf("after a save that lost on a connection, synchronous_commit = %s, want on", v)
		}
	}

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tx.Rollback()
	for _, w := range []*guard.Write{w, fence} {
		res, err := pgstore.New(tx).Apply(ctx, w)
		if err != nil || res.Outcome != guard.Mismatch {
			t.Fatalf("Apply in a transaction: %+v, %v; want a Mismatch", res, err)
		}
		if v := syncCommit(tx); v != "on" {
			t.Fatalf("after a save that lost in the caller's transaction, synchronous_commit = %s, want on", v)
		}
	}
}
