package sqlstore

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/stateguard/stateguard/guard"
)

// connPool hands out a connection of its own for one save (Dialect.Changes).
type connPool interface {
	Conn(ctx context.Context) (*sql.Conn, error)
}

// oneConn is a *sql.Conn as a connPool: it is its own connection, which
// the save must not close.
type oneConn struct{ c *sql.Conn }

func (o oneConn) Conn(context.Context) (*sql.Conn, error) { return o.c, nil }

// applyProbed runs the fast-path UPDATE of w on a connection of its own
// and, when the driver answers with the context's error, tells from
// Dialect.Changes on that connection whether the UPDATE wrote. text is
// the statement's text when known (its shape was cached). When the UPDATE
// matched no row and the fresh read cannot classify it, done is false and
// the caller goes on to the locked path.
func (s *Store) applyProbed(ctx context.Context, w *guard.Write, text string, known bool) (res guard.Result, done bool, err error) {
	conn, err := s.pool.Conn(ctx)
	if err != nil {
		return res, true, s.notSent(ctx, "apply to", w.Table, err)
	}
	if _, own := s.pool.(oneConn); !own {
		defer conn.Close()
	}
	var args []any
	if known {
		args = updateArgs(s.d, w)
	} else {
		text, args = s.updateStatement(w)
	}
	r, err := conn.ExecContext(ctx, text, args...)
	var n int64
	if err == nil {
		n, err = r.RowsAffected()
	}
	switch {
	case err != nil:
		if ctx.Err() != nil && s.unwritten(ctx, conn) {
			// Interrupted before it ran, while it waited for the lock, or
			// as it ran: rolled back.
			return res, true, s.failed(ctx, "apply to", w.Table, err)
		}
		return res, true, s.sent(ctx, "apply to", w.Table, err)
	case n == 1:
		return guard.Result{Outcome: guard.Applied}, true, nil
	case n > 1:
		return res, true, fmt.Errorf("sqlstore: apply to %s: key %s is not unique: %d rows written", w.Table, keyString(w.Key), n)
	}
	res, done, _, err = s.freshRead(ctx, sqlConn{conn}, w)
	return res, done, err
}

// unwritten reports whether the last write statement on conn wrote
// nothing, by Dialect.Changes. A statement that never reached the
// database leaves the count of the one before, which may be positive:
// that case is reported as written, the safe side.
func (s *Store) unwritten(ctx context.Context, conn *sql.Conn) bool {
	var n int64
	err := conn.QueryRowContext(context.WithoutCancel(ctx), s.d.Changes).Scan(&n)
	return err == nil && n == 0
}
