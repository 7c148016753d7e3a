// Package xbuilder is a small query-condition builder in the style of
// xorm's builder: a condition is an interface, Eq a map of columns to
// values, In and the combinators functions that build conditions.
package xbuilder

// Cond is a condition of a query.
type Cond interface {
	IsValid() bool
}

// Eq holds when every column equals its value (is one of its values, for
// a slice).
type Eq map[string]interface{}

// IsValid reports whether the condition has any column.
func (e Eq) IsValid() bool { return len(e) > 0 }

type in struct {
	col  string
	vals []interface{}
}

func (c in) IsValid() bool { return c.col != "" && len(c.vals) > 0 }

// In holds when col is one of vals.
func In(col string, vals ...interface{}) Cond { return in{col, vals} }

type and []Cond

func (c and) IsValid() bool { return len(c) > 0 }

// And holds when every one of conds holds.
func And(conds ...Cond) Cond { return and(conds) }

type or []Cond

func (c or) IsValid() bool { return len(c) > 0 }

// Or holds when one of conds holds.
func Or(conds ...Cond) Cond { return or(conds) }
