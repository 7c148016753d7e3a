package sqlstore

import (
	"encoding/binary"
	"sync"

	"github.com/stateguard/stateguard/guard"
)

// A stmtCache remembers the text of the conditional UPDATEs a Store has
// written, by write shape: the table, the columns set, the key columns, and
// per condition its column, whether it accepts NULL, how many other values
// it lists and whether it compares exactly, and the columns read back. Two
// Writes of one shape differ only in their arguments, so the text is built
// once per shape; past maxStmts shapes a statement is built each time. A
// shape is cached only after its columns were checked (checkColumns), so a
// known shape need not be checked again: should a column go since, the
// database refuses the statement, which writes nothing and is reported as
// guard.ErrUnknownColumn.
type stmtCache struct {
	mu sync.RWMutex
	m  map[string]string
}

const maxStmts = 1024

// shapeKey appends the shape of w's UPDATE to k; exact and fold say which
// conditions compare exactly, as for builder.isExact.
func shapeKey(k []byte, w *guard.Write, exact map[string]bool, fold bool) []byte {
	k = append(k, w.Table...)
	k = append(k, 0)
	for _, v := range w.Set {
		k = append(k, v.Column...)
		k = append(k, 0)
	}
	k = append(k, 1)
	for _, v := range w.Key {
		k = append(k, v.Column...)
		k = append(k, 0)
	}
	k = append(k, 1)
	for _, c := range w.Read {
		k = append(k, c.Name...)
		k = append(k, 0)
	}
	k = append(k, 1)
	for _, c := range w.Where {
		k = append(k, c.Column...)
		k = append(k, 0)
		null, n := c.Null, 0
		for _, v := range c.Values {
			if isNil(v) {
				null = true
			} else {
				n++
			}
		}
		flags := byte(0)
		if null {
			flags |= 1
		}
		if isExact(exact, fold, c.Column) {
			flags |= 2
		}
		k = append(k, flags)
		k = binary.AppendUvarint(k, uint64(n))
	}
	return k
}

// updateStatement returns the conditional UPDATE of w and its arguments,
// as update would build them, from the cache when w's shape is in it.
func (s *Store) updateStatement(w *guard.Write) (string, []any) {
	exact := s.exactCols(w.Table)
	var buf [256]byte
	key := shapeKey(buf[:0], w, exact, s.d.FoldCase)
	c := s.stmts
	if text, ok := c.get(key); ok {
		return text, updateArgs(s.d, w)
	}
	b := s.newBuilder()
	b.exact = exact
	b.str("UPDATE ").ident(w.Table).str(" SET ").set(w.Set).
		str(" WHERE ").key("", w.Key).str(" AND ").conds("", w.Where)
	text := b.sb.String()
	c.put(key, text)
	return text, b.args
}

func (c *stmtCache) get(key []byte) (string, bool) {
	if c == nil {
		return "", false
	}
	c.mu.RLock()
	text, ok := c.m[string(key)]
	c.mu.RUnlock()
	return text, ok
}

func (c *stmtCache) put(key []byte, text string) {
	if c == nil {
		return
	}
	c.mu.Lock()
	if len(c.m) < maxStmts {
		c.m[string(key)] = text
	}
	c.mu.Unlock()
}

// updateArgs returns the arguments of w's UPDATE, in the order update's
// builder places them: the values set, the key, then every non-NULL value
// of every condition.
func updateArgs(d *Dialect, w *guard.Write) []any {
	n := len(w.Set) + len(w.Key)
	for _, c := range w.Where {
		n += len(c.Values)
	}
	args := make([]any, 0, n)
	for _, v := range w.Set {
		args = append(args, v.Value)
	}
	for _, v := range w.Key {
		args = append(args, v.Value)
	}
	for _, c := range w.Where {
		for _, v := range c.Values {
			if !isNil(v) {
				args = append(args, v)
			}
		}
	}
	if d.Arg != nil {
		for i, v := range args {
			args[i] = d.Arg(v)
		}
	}
	return args
}
