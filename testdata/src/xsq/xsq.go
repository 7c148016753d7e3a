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

// UpdateBuilder builds an UPDATE statement.
type UpdateBuilder struct {
	table string
	sets  map[string]interface{}
	where []interface{}
}

// StatementBuilderType builds statements with one placeholder format.
type StatementBuilderType struct{ format string }

// StatementBuilder builds statements with ? placeholders.
var StatementBuilder = StatementBuilderType{"?"}

// Update starts an UPDATE of table.
func (b StatementBuilderType) Update(table string) UpdateBuilder {
	return UpdateBuilder{table: table, sets: map[string]interface{}{}}
}

// Update starts an UPDATE of table.
func Update(table string) UpdateBuilder { return StatementBuilder.Update(table) }

// Set sets column to value.
func (b UpdateBuilder) Set(column string, value interface{}) UpdateBuilder {
	b.sets[column] = value
	return b
}

// Where adds a condition.
func (b UpdateBuilder) Where(pred interface{}, args ...interface{}) UpdateBuilder {
	b.where = append(b.where, pred)
	b.where = append(b.where, args...)
	return b
}

// Exec runs the statement and returns the rows it changed.
func (b UpdateBuilder) Exec() (int64, error) { return int64(len(b.sets)), nil }
