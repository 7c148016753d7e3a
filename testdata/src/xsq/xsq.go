// Package xsq is a small SQL builder in the style of squirrel: a condition
// is a Sqlizer, Eq a map of columns to values, And and Or slices of
// conditions.
package xsq

// Sqlizer renders a condition as SQL.
type Sqlizer interface {
	ToSql() (string, []interface{}, error)
}

// Eq holds when every column equals its value (is one of its values, for
// a slice).
type Eq map[string]interface{}

// ToSql renders the condition.
func (e Eq) ToSql() (string, []interface{}, error) { return "", nil, nil }

// And holds when every one of its conditions holds.
type And []Sqlizer

// ToSql renders the condition.
func (a And) ToSql() (string, []interface{}, error) { return "", nil, nil }

// Or holds when one of its conditions holds.
type Or []Sqlizer

// ToSql renders the condition.
func (o Or) ToSql() (string, []interface{}, error) { return "", nil, nil }
