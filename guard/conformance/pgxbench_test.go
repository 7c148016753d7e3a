package conformance_test

import (
	"context"
	"testing"

	"github.com/stateguard/stateguard/guard/guardtest"
	"github.com/stateguard/stateguard/guard/pgxstore"
	"github.com/stateguard/stateguard/guard/sqlstore"
)

// benchPgx runs the store benchmarks of the database/sql stores
// (guardtest.BenchOn) over a pgx pool: the store is guard/pgxstore, and
// the hand-written statements go through the same pool (pool.Exec,
// pool.QueryRow).
func benchPgx(b *testing.B) {
	pool := pgxPool(b)
	ctx := context.Background()
	locked := pgxstore.Dialect()
	locked.FastPath = false
	guardtest.BenchOn(b, guardtest.BenchTarget{
		Store:  pgxstore.New(pool).Store,
		Locked: sqlstore.NewConn(pgxstore.Conn(pool), locked),
		Table:  pgxTable(b, pool),
		Exec: func(query string, args ...any) (int64, error) {
			tag, err := pool.Exec(ctx, query, args...)
			return tag.RowsAffected(), err
		},
		QueryString: func(query string, args ...any) (string, error) {
			var v string
			err := pool.QueryRow(ctx, query, args...).Scan(&v)
			return v, err
		},
	})
}
