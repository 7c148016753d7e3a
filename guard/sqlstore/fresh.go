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
// is false: the caller sends the UPDATE again (Dialect.Resend) or applies
// the write on the locked path. With resends to come, stored reports the
// second case, the values set already stored, where resending is no use.
//
// Nothing was written, so an error of the read is a definite one.
func (s *Store) freshRead(ctx context.Context, q Conn, w *guard.Write) (res guard.Result, done, stored bool, err error) {
	if !s.d.LatestRead || s.begin == nil {
		// In the caller's transaction a plain read may see its snapshot
		// (REPEATABLE READ), older than the row the UPDATE looked at.
		return res, false, false, nil
	}
	// With resends to come, the read also tells whether the values set
	// are already stored: then MySQL's UPDATE, counting changed rows,
	// would write nothing again, and the caller goes to the locked path.
	same := s.d.resends() > 0 && len(w.Set) > 0
	b := s.writeBuilder(w.Table)
	b.str("SELECT ").check("", w.Where)
	if same {
		set := make([]guard.Cond, len(w.Set))
		for i, v := range w.Set {
			set[i] = guard.Cond{Column: v.Column, Values: []any{v.Value}}
		}
		b.str(", ").check("", set)
	}
	if len(w.Read) > 0 {
		b.str(", ").cols("", w.Read)
	}
	b.str(" FROM ").ident(w.Table).str(" WHERE ").key("", w.Key)
	if s.d.WaitRead {
		b.str(" FOR UPDATE")
	}
	dest, vals := scanTargets(w.Read)
	var check, unchanged int64
	if same {
		dest = append([]any{&check, &unchanged}, dest...)
	} else {
		dest = append([]any{&check}, dest...)
	}
	err = queryRow(ctx, q, dest, b.sb.String(), b.args...)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		// No row, as the locked path's read would find.
		return guard.Result{Outcome: guard.NotFound}, true, false, nil
	case err != nil:
		return res, true, false, s.failed(ctx, "apply to", w.Table, err)
	case check == 1:
		// The conditions hold: the row changed back since the UPDATE, or
		// MySQL counted changed rows and the values set are stored.
		return res, false, unchanged == 1, nil
	}
	return guard.Result{Outcome: guard.Mismatch, Actual: vals()}, true, false, nil
}
