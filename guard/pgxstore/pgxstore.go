// Package pgxstore is a guard.Store over PostgreSQL through pgx/v5's own
// API, for programs that use a *pgxpool.Pool rather than database/sql: it
// runs on a pool, a single connection (*pgx.Conn, *pgxpool.Conn) or the
// caller's pgx.Tx.
//
// It is guard/pgstore's store on another driver API: the same statements,
// built by guard/sqlstore, and the same guarantees. A save first runs its
// conditional UPDATE alone, at the cost of a hand-written UPDATE; a count
// of zero (and a fence, a Write with nothing to set) goes to one locking
// statement that reads the row under SELECT ... FOR UPDATE, evaluates the
// expected states on it and writes it only when they hold, so that the
// values reported with a conflict are those of the locked row and a
// deleted row is told apart from a conflict; when it wrote nothing but
// the lock it commits without waiting for the log (see guard/pgstore).
//
// Open configures the pool to cancel a statement on the server when its
// context is done (pgconn.CancelRequestContextWatcherHandler). pgx's
// default closes the connection instead, and the server may then still
// commit the write. With cancellation on the server, a cancelled save that
// the server reports as cancelled (SQLSTATE 57014) returns the context's
// error and is known not to have committed; one whose connection was lost
// or closed after it was sent, whatever the handler, returns
// guard.ErrOutcomeUnknown. A pool made elsewhere gets the same handler
// from CancelContextWatcher applied to its configuration.
//
// Use READ COMMITTED, PostgreSQL's default: under REPEATABLE READ or
// SERIALIZABLE a concurrent update fails the save with a serialization
// error instead of a conflict.
package pgxstore

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/sqlstore"
)

// Querier is what a Store runs on: *pgxpool.Pool, *pgxpool.Conn,
// *pgx.Conn and pgx.Tx satisfy it.
type Querier interface {
	Exec(ctx context.Context, sql string, args ...any) (pgconn.CommandTag, error)
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

// beginner is a Querier on which the store begins its own transactions.
type beginner interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Store is a guard.Store over pgx: a *sqlstore.Store whose statements go
// through pgx, plus WithTx for the caller's pgx.Tx. It is safe for
// concurrent use when its Querier is (a *pgxpool.Pool is; a connection or
// a transaction is not).
type Store struct {
	*sqlstore.Store
}

var _ guard.Store = (*Store)(nil)

// New returns a store over q. Over a *pgxpool.Pool or a connection each
// save commits on its own before it returns; over a pgx.Tx each save runs
// inside that transaction, holds the row locks it takes until the caller
// commits or rolls back, and is kept or undone with it.
func New(q Querier) *Store {
	return &Store{sqlstore.NewConn(Conn(q), dialect)}
}

// WithTx returns a store that runs inside tx, the caller's transaction,
// sharing s's dialect and the column sets it has read.
func (s *Store) WithTx(tx pgx.Tx) *Store {
	var inner *sqlstore.Store
	if s != nil {
		inner = s.Store
	}
	var c sqlstore.Conn
	if tx != nil {
		c = txConn{tx}
	}
	return &Store{inner.WithConn(c)}
}

// Conn adapts q to sqlstore.Conn, for sqlstore.NewConn with an adjusted
// Dialect: a pgx.Tx is the caller's transaction, a Conn that cannot begin
// one; a pool or a connection is a sqlstore.Beginner. A nil q gives a nil
// Conn, over which a store refuses every call.
func Conn(q Querier) sqlstore.Conn {
	if q == nil {
		return nil
	}
	if v := reflect.ValueOf(q); v.Kind() == reflect.Pointer && v.IsNil() {
		return nil // a nil *pgxpool.Pool, say: the store refuses every call
	}
	if _, isTx := q.(pgx.Tx); !isTx {
		if b, ok := q.(beginner); ok {
			return poolConn{txConn{q}, b}
		}
	}
	return txConn{q}
}

// Dialect returns PostgreSQL's dialect as this store uses it, for use with
// sqlstore.NewConn or to adjust. It is guard/pgstore's, except that an
// error pgx reports as safe to retry (pgconn.SafeToRetry: nothing was sent)
// is a definite failure.
func Dialect() sqlstore.Dialect { return dialect }

var dialect = sqlstore.Dialect{
	Name:        "postgres",
	Quote:       sqlstore.QuoteDouble,
	Placeholder: sqlstore.DollarN,
	Strategy:    sqlstore.SingleStatement,
	FastPath:    true,
	// A locking statement that wrote nothing but the row lock does not wait
	// for the log to be flushed.
	NoWriteCommit: "set_config('synchronous_commit', 'off', true)",
	// The table is resolved through search_path, as the statements resolve it.
	ColumnsQuery: "SELECT attname::text FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass(quote_ident($1)) AND attnum > 0 AND NOT attisdropped",
	Classify:     classify,
}

// CancelDeadline is how long, after a context is done, a connection waits
// for the server to answer the cancel request before pgx closes it.
const CancelDeadline = 5 * time.Second

// Open parses dsn (a URL or key=value connection string, with pgxpool's
// pool_ settings), sets CancelContextWatcher on it and returns a pool.
func Open(ctx context.Context, dsn string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("pgxstore: %w", err)
	}
	CancelContextWatcher(cfg.ConnConfig)
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fmt.Errorf("pgxstore: %w", err)
	}
	return pool, nil
}

// CancelContextWatcher makes connections made with cfg (a pool's
// cfg.ConnConfig, or a pgx.ConnConfig) answer a done context by sending a
// cancel request to the server and waiting up to CancelDeadline for the
// statement to end, rather than by closing the connection at once, so that
// a cancelled write does not commit behind the caller's back.
func CancelContextWatcher(cfg *pgx.ConnConfig) {
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{
			Conn:               c,
			CancelRequestDelay: 0,
			DeadlineDelay:      CancelDeadline,
		}
	}
}

func classify(err error) sqlstore.ErrorKind {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
		if pgconn.SafeToRetry(err) {
			// pgx failed before it sent anything (a connection it knew
			// was closed, say). database/sql retries these itself on
			// another connection, so guard/pgstore never sees them.
			return sqlstore.ErrDefinite
		}
		return sqlstore.ErrOther
	}
	if pe.Severity != "ERROR" {
		// FATAL or PANIC: the session is gone, perhaps after it committed.
		return sqlstore.ErrOther
	}
	switch {
	case pe.Code == "23505":
		return sqlstore.ErrDuplicate
	case pe.Code == "42P01" || pe.Code == "42703":
		return sqlstore.ErrUndefined
	case len(pe.Code) >= 2 && pe.Code[:2] == "08":
		return sqlstore.ErrOther
	}
	// The server rejected the statement (a cancelled statement reports
	// 57014) and the session goes on: nothing it wrote commits.
	return sqlstore.ErrDefinite
}

// txConn runs statements on q and begins nothing: the caller's
// transaction, or a store's own.
type txConn struct{ q Querier }

func (c txConn) ExecContext(ctx context.Context, query string, args ...any) (sqlstore.Result, error) {
	tag, err := c.q.Exec(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return rowsAffected(tag.RowsAffected()), nil
}

func (c txConn) QueryContext(ctx context.Context, query string, args ...any) (sqlstore.Rows, error) {
	rows, err := c.q.Query(ctx, query, args...)
	if err != nil {
		if rows != nil {
			rows.Close()
		}
		return nil, err
	}
	return pgxRows{rows}, nil
}

// poolConn is a pool or a connection, on which the store begins its own
// transactions.
type poolConn struct {
	txConn
	b beginner
}

func (c poolConn) BeginTx(ctx context.Context) (sqlstore.Tx, error) {
	tx, err := c.b.Begin(ctx)
	if err != nil {
		return nil, err
	}
	return ownTx{txConn{tx}, ctx, tx}, nil
}

// ownTx is a transaction the store began; Commit runs under the context
// the transaction began with.
type ownTx struct {
	txConn
	ctx context.Context
	tx  pgx.Tx
}

func (t ownTx) Commit() error { return t.tx.Commit(t.ctx) }

// Rollback is not bounded by the transaction's context, which may be done
// already: a rollback that cannot be sent closes the connection, which
// rolls back too.
func (t ownTx) Rollback() error { return t.tx.Rollback(context.WithoutCancel(t.ctx)) }

type rowsAffected int64

func (n rowsAffected) RowsAffected() (int64, error) { return int64(n), nil }

// pgxRows gives pgx.Rows the Columns and Close of sqlstore.Rows.
type pgxRows struct{ pgx.Rows }

func (r pgxRows) Columns() ([]string, error) {
	fields := r.FieldDescriptions()
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.Name
	}
	return names, nil
}

func (r pgxRows) Close() error {
	r.Rows.Close()
	return r.Rows.Err()
}
