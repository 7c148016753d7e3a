package sqlstore

import (
	"reflect"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/stateguard/stateguard/guard"
)

// builder writes one SQL statement and collects its arguments.
type builder struct {
	d      *Dialect
	idents *identCache
	exact  map[string]bool // columns whose conditions go through Dialect.Exact
	sb     strings.Builder
	args   []any
}

// writeBuilder returns a builder for a statement on table, whose
// conditions compare exactly the columns the dialect asks for.
func (s *Store) writeBuilder(table string) *builder {
	b := s.newBuilder()
	b.exact = s.exactCols(table)
	return b
}

// exactCols returns the columns of table whose conditions go through
// Dialect.Exact (nil when the dialect has no Exact).
func (s *Store) exactCols(table string) map[string]bool {
	if s.d.Exact == nil {
		return nil
	}
	if tc := s.schema.get(table); tc != nil {
		return tc.exact
	}
	return nil
}

// isExact reports whether conditions on column go through Dialect.Exact.
func (b *builder) isExact(column string) bool {
	return isExact(b.exact, b.d.FoldCase, column)
}

func isExact(exact map[string]bool, fold bool, column string) bool {
	if exact == nil {
		return false
	}
	if exact[column] {
		return true
	}
	return fold && exact[strings.ToLower(column)]
}

// newBuilder returns a builder for s's dialect with room for a typical
// guarded statement.
func (s *Store) newBuilder() *builder {
	b := &builder{d: s.d, idents: s.idents, args: make([]any, 0, 8)}
	b.sb.Grow(192)
	return b
}

func (b *builder) str(s string) *builder { b.sb.WriteString(s); return b }

func (b *builder) ident(name string) *builder {
	b.sb.WriteString(b.idents.quote(b.d.Quote, name))
	return b
}

// An identCache remembers the quoted spelling of the identifiers a Store
// has written, so that a statement does not quote (and allocate) each
// name again. Names come from table definitions; past maxIdents entries
// a name is quoted each time.
type identCache struct {
	m sync.Map // name -> quoted name
	n atomic.Int32
}

const maxIdents = 4096

func (c *identCache) quote(q func(string) string, name string) string {
	if c == nil {
		return q(name)
	}
	if v, ok := c.m.Load(name); ok {
		return v.(string)
	}
	quoted := q(name)
	if c.n.Add(1) <= maxIdents {
		c.m.Store(name, quoted)
	}
	return quoted
}

func (b *builder) arg(v any) *builder {
	if b.d.Arg != nil {
		v = b.d.Arg(v)
	}
	b.args = append(b.args, v)
	b.sb.WriteString(b.d.Placeholder(len(b.args)))
	return b
}

// col writes a column name, qualified by qual when qual is not empty.
func (b *builder) col(qual, name string) *builder {
	if qual != "" {
		b.ident(qual).str(".")
	}
	return b.ident(name)
}

// key writes "k1 = ? AND k2 = ?".
func (b *builder) key(qual string, key []guard.Value) *builder {
	for i, k := range key {
		if i > 0 {
			b.str(" AND ")
		}
		b.col(qual, k.Column).str(" = ").arg(k.Value)
	}
	return b
}

// conds writes the conjunction of where, or TRUE's portable spelling 1=1
// when where is empty. NULL is never placed in an IN list, where it would
// match nothing: an expected NULL becomes IS NULL.
func (b *builder) conds(qual string, where []guard.Cond) *builder {
	if len(where) == 0 {
		return b.str("1=1")
	}
	for i, c := range where {
		if i > 0 {
			b.str(" AND ")
		}
		null, values := splitNull(c)
		switch {
		case null && len(values) == 0:
			b.col(qual, c.Column).str(" IS NULL")
		case len(values) == 0:
			// Refused by validate; keep the statement well-formed anyway.
			b.str("1=0")
		default:
			if null {
				b.str("(").col(qual, c.Column).str(" IS NULL OR ")
			}
			exact := b.isExact(c.Column)
			b.maybeExact(exact, func() { b.col(qual, c.Column) })
			if len(values) == 1 {
				b.str(" = ")
				b.maybeExact(exact, func() { b.arg(values[0]) })
			} else {
				b.str(" IN (")
				for j, v := range values {
					if j > 0 {
						b.str(", ")
					}
					b.maybeExact(exact, func() { b.arg(v) })
				}
				b.str(")")
			}
			if null {
				b.str(")")
			}
		}
	}
	return b
}

// maybeExact writes what write writes, wrapped by Dialect.Exact when exact
// is set.
func (b *builder) maybeExact(exact bool, write func()) {
	if !exact {
		write()
		return
	}
	start := b.sb.Len()
	write()
	expr := b.sb.String()[start:]
	rest := b.sb.String()[:start]
	b.sb.Reset()
	b.sb.WriteString(rest)
	b.sb.WriteString(b.d.Exact(expr))
}

// check writes an expression that is 1 when where holds and 0 otherwise,
// including when a comparison is unknown because of a NULL.
func (b *builder) check(qual string, where []guard.Cond) *builder {
	b.str("CASE WHEN ")
	b.conds(qual, where)
	return b.str(" THEN 1 ELSE 0 END")
}

// set writes "a = ?, b = ?".
func (b *builder) set(set []guard.Value) *builder {
	for i, v := range set {
		if i > 0 {
			b.str(", ")
		}
		b.ident(v.Column).str(" = ").arg(v.Value)
	}
	return b
}

// cols writes a column list.
func (b *builder) cols(qual string, cols []guard.Column) *builder {
	for i, c := range cols {
		if i > 0 {
			b.str(", ")
		}
		b.col(qual, c.Name)
	}
	return b
}

// splitNull separates an expected NULL (Cond.Null, or a nil among Values)
// from the non-NULL expected values.
func splitNull(c guard.Cond) (null bool, values []any) {
	if !slices.ContainsFunc(c.Values, isNil) {
		return c.Null, c.Values // no copy in the common case
	}
	values = make([]any, 0, len(c.Values)-1)
	for _, v := range c.Values {
		if !isNil(v) {
			values = append(values, v)
		}
	}
	return true, values
}

// isNil reports whether v is nil or a nil pointer, which drivers send as
// NULL.
func isNil(v any) bool {
	if v == nil {
		return true
	}
	rv := reflect.ValueOf(v)
	return rv.Kind() == reflect.Pointer && rv.IsNil()
}
