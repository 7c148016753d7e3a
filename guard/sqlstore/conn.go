package sqlstore

import (
	"context"
	"database/sql"
)

// Conn is what a Store runs its statements on below database/sql: a pool,
// a connection or a transaction of a driver's own API (guard/pgxstore
// adapts pgx's). New adapts a database/sql Querier to it; NewConn takes
// one directly.
//
// A Conn that also implements Beginner is a pool or a connection, on which
// the Store commits each save on its own; one that does not is the
// caller's transaction, in which each save runs and which the caller
// commits.
type Conn interface {
	// ExecContext runs a statement that returns no rows.
	ExecContext(ctx context.Context, query string, args ...any) (Result, error)
	// QueryContext runs a statement that returns rows. It returns a nil
	// Rows with an error.
	QueryContext(ctx context.Context, query string, args ...any) (Rows, error)
}

// Result is what a statement run by Conn.ExecContext reports; sql.Result
// satisfies it. RowsAffected must count the rows the statement matched
// or, as MySQL does by default, changed.
type Result interface {
	RowsAffected() (int64, error)
}

// Rows are the rows of a query; *sql.Rows satisfies it. Err is final once
// Next has returned false.
type Rows interface {
	Columns() ([]string, error)
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// Beginner is a Conn that starts transactions of the Store's own.
type Beginner interface {
	Conn
	// BeginTx starts a transaction at the database's default isolation
	// level. ctx bounds the whole transaction, its Commit included.
	BeginTx(ctx context.Context) (Tx, error)
}

// Tx is a transaction a Store began (Beginner.BeginTx).
type Tx interface {
	Conn
	Commit() error
	Rollback() error
}

// NewConn returns a Store that runs on c with dialect d: each save commits
// on its own when c is a Beginner, and runs inside c, which the caller
// commits, when it is not.
func NewConn(c Conn, d Dialect) *Store {
	return newStore(c, d)
}

// WithConn returns a Store that runs inside c, the caller's transaction,
// sharing s's dialect and the column sets it has read. It never begins a
// transaction of its own, even when c could.
func (s *Store) WithConn(c Conn) *Store {
	if s == nil || s.d == nil {
		return &Store{q: c}
	}
	return &Store{q: c, d: s.d, schema: s.schema, idents: s.idents, stmts: s.stmts, loads: s.loads}
}

// sqlConn adapts a database/sql Querier to Conn.
type sqlConn struct{ q Querier }

func (c sqlConn) ExecContext(ctx context.Context, query string, args ...any) (Result, error) {
	r, err := c.q.ExecContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return r, nil
}

func (c sqlConn) QueryContext(ctx context.Context, query string, args ...any) (Rows, error) {
	rows, err := c.q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err // never a typed nil *sql.Rows
	}
	return rows, nil
}

// sqlBeginner adapts a *sql.DB or *sql.Conn (or a Querier that begins
// transactions as they do) to Beginner.
type sqlBeginner struct {
	sqlConn
	b beginner
}

func (c sqlBeginner) BeginTx(ctx context.Context) (Tx, error) {
	tx, err := c.b.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return sqlTx{sqlConn{tx}, tx}, nil
}

type sqlTx struct {
	sqlConn
	tx *sql.Tx
}

func (t sqlTx) Commit() error   { return t.tx.Commit() }
func (t sqlTx) Rollback() error { return t.tx.Rollback() }

// queryRow runs a query that returns at most one row and scans it into
// dest; no row is sql.ErrNoRows.
func queryRow(ctx context.Context, q Conn, dest []any, query string, args ...any) error {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return err
		}
		return sql.ErrNoRows
	}
	if err := rows.Scan(dest...); err != nil {
		return err
	}
	return rows.Close()
}
