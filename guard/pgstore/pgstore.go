// Package pgstore is a guard.Store over PostgreSQL through pgx/v5 and
// database/sql (github.com/jackc/pgx/v5/stdlib).
//
// A save first runs its conditional UPDATE alone, which costs what a
// hand-written UPDATE costs; PostgreSQL counts matched rows, so a count of
// one means the save applied. A count of zero (and a fence, a Write with
// nothing to set) goes to one locking statement: a common table expression
// locks the row with SELECT ... FOR UPDATE and evaluates the expected states
// on it, and an UPDATE in a second expression writes the row only when they
// hold. The values reported with a conflict are those of the locked row,
// never of an older snapshot, a save waiting for another transaction's
// lock sees what it commits, and a deleted row is told apart from a
// conflict. That statement, when it wrote nothing but the row lock,
// commits without waiting for the log to be flushed (synchronous_commit
// off for that statement's own transaction, never the caller's): saves
// that lose under contention queue on the row lock, and would otherwise
// each hold it across a flush.
//
// Open configures pgx to cancel a statement on the server when its context
// is done (pgconn.CancelRequestContextWatcherHandler): pgx's default closes
// the connection instead, and the server may then still commit the write.
// With cancellation on the server, a cancelled save that the server
// reports as cancelled is known not to have committed; a save whose
// connection was lost after it was sent reports guard.ErrOutcomeUnknown.
package pgstore

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgconn/ctxwatch"
	"github.com/jackc/pgx/v5/stdlib"

	"github.com/stateguard/stateguard/guard/sqlstore"
)

// Dialect returns PostgreSQL's dialect for sqlstore, for use with
// sqlstore.New or to adjust (turn its FastPath off, say).
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

// Open parses dsn (a URL or key=value connection string), sets
// CancelContextWatcher on it and returns a *sql.DB over pgx.
func Open(dsn string) (*sql.DB, error) {
	cfg, err := pgx.ParseConfig(dsn)
	if err != nil {
		return nil, fmt.Errorf("pgstore: %w", err)
	}
	CancelContextWatcher(cfg)
	return stdlib.OpenDB(*cfg), nil
}

// CancelContextWatcher makes connections made with cfg answer a done
// context by sending a cancel request to the server and waiting up to
// CancelDeadline for the statement to end, rather than by closing the
// connection at once, so that a cancelled write does not commit behind the
// caller's back.
func CancelContextWatcher(cfg *pgx.ConnConfig) {
	cfg.BuildContextWatcherHandler = func(c *pgconn.PgConn) ctxwatch.Handler {
		return &pgconn.CancelRequestContextWatcherHandler{
			Conn:               c,
			CancelRequestDelay: 0,
			DeadlineDelay:      CancelDeadline,
		}
	}
}

// New returns a store over q: a *sql.DB from Open (each save commits on its
// own), a *sql.Conn, or a *sql.Tx (each save runs inside that transaction,
// which the caller commits). Use READ COMMITTED, PostgreSQL's default: under
// REPEATABLE READ or SERIALIZABLE a concurrent update fails the save with a
// serialization error instead of a conflict.
func New(q sqlstore.Querier) *sqlstore.Store {
	return sqlstore.New(q, dialect)
}

func classify(err error) sqlstore.ErrorKind {
	var pe *pgconn.PgError
	if !errors.As(err, &pe) {
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
