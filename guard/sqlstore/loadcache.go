package sqlstore

import (
	"context"

	"github.com/stateguard/stateguard/guard"
)

// loadStatement returns Load's SELECT of cols from the row of table named
// by key, and its arguments. Its text is built, and its columns checked
// (checkColumns), once per table, key columns and columns: as for the
// UPDATEs of stmtCache, a column gone since makes the database refuse
// the statement, reported as guard.ErrUnknownColumn.
func (s *Store) loadStatement(ctx context.Context, table string, key []guard.Value, cols []guard.Column) (string, []any, error) {
	var buf [256]byte
	k := append(buf[:0], table...)
	k = append(k, 0)
	for _, v := range key {
		k = append(k, v.Column...)
		k = append(k, 0)
	}
	k = append(k, 1)
	for _, c := range cols {
		k = append(k, c.Name...)
		k = append(k, 0)
	}
	if text, ok := s.loads.get(k); ok {
		args := make([]any, len(key))
		for i, v := range key {
			args[i] = v.Value
			if s.d.Arg != nil {
				args[i] = s.d.Arg(v.Value)
			}
		}
		return text, args, nil
	}
	names := make([]string, 0, len(key)+len(cols))
	for _, v := range key {
		names = append(names, v.Column)
	}
	for _, c := range cols {
		names = append(names, c.Name)
	}
	if err := s.checkColumns(ctx, table, names); err != nil {
		return "", nil, err
	}
	b := s.newBuilder()
	b.str("SELECT ")
	if len(cols) == 0 {
		b.str("1")
	} else {
		b.cols("", cols)
	}
	b.str(" FROM ").ident(table).str(" WHERE ").key("", key)
	text := b.sb.String()
	s.loads.put(k, text)
	return text, b.args, nil
}
