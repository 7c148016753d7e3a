package sqlstore

import (
	"context"
	"database/sql"
	"errors"

	"github.com/stateguard/stateguard/guard"
)

// freshRead classifies a fast-path UPDATE that wrote nothing from a plain
// read of the row, without the locked path's transaction and row lock:
// the answer a loser of a race needs, at the cost of one SELECT by key.
//
// It is used when the UPDATE looked at the latest committed row
// (Dialect.LatestRead). The read is not stale: it runs on its own, outside
// any transaction of the caller's (q is a pool or a connection, never the
// caller's transaction), and so sees the latest committed row (SQLite in
// WAL mode; InnoDB's consistent read of a statement of its own).
// A save that did not apply is a failed compare-and-swap at the moment of
// this read: when the row is gone, or its values break a condition, that
// is the answer (NotFound, or Mismatch with those values). When they
// satisfy every condition the row changed back since the UPDATE (or MySQL
// counted changed rows and the values set were already stored), and done
// is false: the caller applies the write on the locked path.
//
// Nothing was written, so an error of the read is a definite one.
func (s *Store) freshRead(ctx context.Context, q Conn, w *guard.Write) (res guard.Result, done bool, err error) {
	if !s.d.LatestRead || s.begin == nil {
		// In the caller's transaction a plain read may see its snapshot
		// (REPEATABLE READ), older than the row the UPDATE looked at.
		return res, false, nil
	}
	b := s.writeBuilder(w.Table)
	b.str("SELECT ").check("", w.Where)
	if len(w.Read) > 0 {
		b.str(", ").cols("", w.Read)
	}
	b.str(" FROM ").ident(w.Table).str(" WHERE ").key("", w.Key)
	if s.d.WaitRead {
		b.str(" FOR UPDATE")
	}
	dest, vals := scanTargets(w.Read)
	var check int64
	dest = append([]any{&check}, dest...)
	err = queryRow(ctx, q, dest, b.sb.String(), b.args...)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		// No row, as the locked path's read would find.
		return guard.Result{Outcome: guard.NotFound}, true, nil
	case err != nil:
		return res, true, s.failed(ctx, "apply to", w.Table, err)
	case check == 1:
		// The conditions hold: the row changed back since the UPDATE.
		return res, false, nil
	}
	return guard.Result{Outcome: guard.Mismatch, Actual: vals()}, true, nil
}
