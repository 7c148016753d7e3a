package pgxstore_test

import (
	"context"
	"os"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/pgxstore"
)

// The store's behaviour against PostgreSQL is tested in guard/conformance,
// with the conformance suite.

func TestOpen(t *testing.T) {
	if _, err := pgxstore.Open(context.Background(), "postgres://%zz"); err == nil {
		t.Error("Open of a malformed DSN succeeded")
	}
	dsn := os.Getenv("STATEGUARD_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("STATEGUARD_POSTGRES_DSN is not set")
	}
	pool, err := pgxstore.Open(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	build := pool.Config().ConnConfig.BuildContextWatcherHandler
	if build == nil {
		t.Fatal("Open left pgx's default context watcher")
	}
	if h, ok := build(nil).(*pgconn.CancelRequestContextWatcherHandler); !ok || h.DeadlineDelay != pgxstore.CancelDeadline {
		t.Fatalf("Open's context watcher is %#v, want a CancelRequestContextWatcherHandler with DeadlineDelay CancelDeadline", build(nil))
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
		if err := s.Insert(ctx, "t", w.Key); err == nil {
			t.Errorf("%s: Insert succeeded", name)
		}
	}
}
