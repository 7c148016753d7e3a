package sqlstore

import (
	"context"
	"database/sql"
	"sync"
)

// preparedDB is a *sql.DB as a Beginner whose statements run prepared: a
// Store's statements are few texts (one per write shape and table), each
// sent many times, and a prepared statement spares the database parsing
// and planning it again (SQLite parses in process, on the caller's CPU;
// MySQL's driver otherwise prepares, runs and closes a statement for
// every call). Up to max texts are kept prepared, as *sql.Stmt, which
// database/sql prepares on each connection of the pool as it uses it;
// other texts, and a text the database refuses to prepare, run as plain
// statements.
type preparedDB struct {
	sqlBeginner
	db  *sql.DB
	d   *Dialect
	max int

	mu    sync.RWMutex
	stmts map[string]*sql.Stmt
}

func newPreparedDB(db *sql.DB, d *Dialect) *preparedDB {
	return &preparedDB{sqlBeginner: sqlBeginner{sqlConn{db}, db}, db: db, d: d, max: d.Prepare, stmts: map[string]*sql.Stmt{}}
}

// stmt returns the prepared statement of query, preparing it the first
// time; nil when query is not to be prepared.
func (p *preparedDB) stmt(ctx context.Context, query string) *sql.Stmt {
	p.mu.RLock()
	st, ok := p.stmts[query]
	full := len(p.stmts) >= p.max
	p.mu.RUnlock()
	if ok || full {
		return st
	}
	st, err := p.db.PrepareContext(ctx, query)
	if err != nil {
		return nil // the plain statement reports what is wrong
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if old, ok := p.stmts[query]; ok {
		st.Close()
		return old
	}
	if len(p.stmts) >= p.max {
		st.Close()
		return nil
	}
	p.stmts[query] = st
	return st
}

func (p *preparedDB) ExecContext(ctx context.Context, query string, args ...any) (Result, error) {
	if st := p.stmt(ctx, query); st != nil {
		r, err := st.ExecContext(ctx, args...)
		if err == nil {
			return r, nil
		}
		if !p.unprepared(err) {
			return nil, err
		}
	}
	return p.sqlBeginner.ExecContext(ctx, query, args...)
}

func (p *preparedDB) QueryContext(ctx context.Context, query string, args ...any) (Rows, error) {
	if st := p.stmt(ctx, query); st != nil {
		rows, err := st.QueryContext(ctx, args...)
		if err == nil {
			return rows, nil
		}
		if !p.unprepared(err) {
			return nil, err
		}
	}
	return p.sqlBeginner.QueryContext(ctx, query, args...)
}

// unprepared reports whether err is the database refusing to prepare the
// statement on a connection, before running anything (Dialect.Unprepared).
func (p *preparedDB) unprepared(err error) bool {
	return p.d.Unprepared != nil && p.d.Unprepared(err)
}

// BeginTx begins a transaction whose statements reuse the prepared ones
// (sql.Tx.StmtContext): a statement prepared on the transaction's
// connection before runs as it is.
func (p *preparedDB) BeginTx(ctx context.Context) (Tx, error) {
	tx, err := p.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	return preparedTx{sqlTx{sqlConn{tx}, tx}, p}, nil
}

type preparedTx struct {
	sqlTx
	p *preparedDB
}

func (t preparedTx) ExecContext(ctx context.Context, query string, args ...any) (Result, error) {
	if st := t.p.stmt(ctx, query); st != nil {
		r, err := t.tx.StmtContext(ctx, st).ExecContext(ctx, args...)
		if err == nil {
			return r, nil
		}
		if !t.p.unprepared(err) {
			return nil, err
		}
	}
	return t.sqlTx.ExecContext(ctx, query, args...)
}

func (t preparedTx) QueryContext(ctx context.Context, query string, args ...any) (Rows, error) {
	if st := t.p.stmt(ctx, query); st != nil {
		rows, err := t.tx.StmtContext(ctx, st).QueryContext(ctx, args...)
		if err == nil {
			return rows, nil
		}
		if !t.p.unprepared(err) {
			return nil, err
		}
	}
	return t.sqlTx.QueryContext(ctx, query, args...)
}
