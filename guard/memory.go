package guard

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
)

// Memory is an in-memory Store for tests and examples. It keeps rows in
// canonical form (what database/sql would send), applies every Write under
// one mutex, and so gives the same answers as the SQL stores: an Apply is
// atomic, a Mismatch reports the values current at that moment, NULL is a
// value like any other.
//
// The zero Memory is not usable; call NewMemory. A Memory is safe for
// concurrent use.
type Memory struct {
	mu     sync.Mutex
	tables map[string]*memTable
}

type memTable struct {
	key  []string
	cols map[string]int // column -> position in a row
	rows map[string][]any
}

var _ Store = (*Memory)(nil)

// NewMemory returns an empty in-memory store.
func NewMemory() *Memory {
	return &Memory{tables: make(map[string]*memTable)}
}

// CreateTable creates an empty table whose primary key is the columns key
// and whose other columns are columns. Every column is nullable. It fails
// if the table exists or a column is named twice.
func (m *Memory) CreateTable(name string, key []string, columns ...string) error {
	if name == "" {
		return fmt.Errorf("guard: memory: CreateTable: empty table name")
	}
	if len(key) == 0 {
		return fmt.Errorf("guard: memory: CreateTable %s: no key column", name)
	}
	t := &memTable{key: slices.Clone(key), cols: make(map[string]int), rows: make(map[string][]any)}
	for _, c := range slices.Concat(key, columns) {
		if c == "" {
			return fmt.Errorf("guard: memory: CreateTable %s: empty column name", name)
		}
		if _, dup := t.cols[c]; dup {
			return fmt.Errorf("guard: memory: CreateTable %s: column %s named twice", name, c)
		}
		t.cols[c] = len(t.cols)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.tables[name]; ok {
		return fmt.Errorf("guard: memory: CreateTable %s: table exists", name)
	}
	m.tables[name] = t
	return nil
}

// Create creates the table that t maps (its name, key columns and other
// columns), as CreateTable does.
func (m *Memory) Create(t Schema) error {
	return m.CreateTable(t.TableName(), t.KeyColumns(), t.Columns()...)
}

// Schema describes a table; *Table[T] implements it.
type Schema interface {
	TableName() string
	KeyColumns() []string // the primary key columns, in order
	Columns() []string    // the other columns, in order
}

// Delete removes the row named by key and reports whether it existed.
func (m *Memory) Delete(table string, key ...any) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	t, ok := m.tables[table]
	if !ok {
		return false, fmt.Errorf("guard: memory: no table %s: %w", table, ErrUnknownColumn)
	}
	if len(key) != len(t.key) {
		return false, fmt.Errorf("guard: memory: table %s has %d key columns, got %d values", table, len(t.key), len(key))
	}
	vals := make([]Value, len(key))
	for i, k := range key {
		vals[i] = Value{Column: t.key[i], Value: k}
	}
	id, err := t.rowID(table, vals)
	if err != nil {
		return false, err
	}
	_, ok = t.rows[id]
	delete(t.rows, id)
	return ok, nil
}

func (m *Memory) table(name string) (*memTable, error) {
	t, ok := m.tables[name]
	if !ok {
		return nil, fmt.Errorf("guard: memory: no table %s: %w", name, ErrUnknownColumn)
	}
	return t, nil
}

func (t *memTable) col(table, name string) (int, error) {
	i, ok := t.cols[name]
	if !ok {
		return 0, fmt.Errorf("guard: memory: table %s has no column %s: %w", table, name, ErrUnknownColumn)
	}
	return i, nil
}

// rowID encodes the key values of a row; they must name every key column
// exactly once.
func (t *memTable) rowID(table string, key []Value) (string, error) {
	if len(key) != len(t.key) {
		return "", fmt.Errorf("guard: memory: table %s has key (%s), got %d key values", table, strings.Join(t.key, ", "), len(key))
	}
	var b strings.Builder
	for _, kc := range t.key {
		i := slices.IndexFunc(key, func(v Value) bool { return v.Column == kc })
		if i < 0 {
			return "", fmt.Errorf("guard: memory: table %s: key column %s has no value", table, kc)
		}
		v, err := canon(key[i].Value)
		if err != nil {
			return "", fmt.Errorf("guard: memory: key %s: %w", kc, err)
		}
		if v == nil {
			return "", fmt.Errorf("guard: memory: key %s is NULL", kc)
		}
		fmt.Fprintf(&b, "%T:%v\x00", v, v)
	}
	return b.String(), nil
}

// Insert implements Store.
func (m *Memory) Insert(ctx context.Context, table string, values []Value) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	t, err := m.table(table)
	if err != nil {
		return err
	}
	row := make([]any, len(t.cols))
	var key []Value
	for _, v := range values {
		i, err := t.col(table, v.Column)
		if err != nil {
			return err
		}
		cv, err := canon(v.Value)
		if err != nil {
			return fmt.Errorf("guard: memory: column %s: %w", v.Column, err)
		}
		row[i] = cv
		if slices.Contains(t.key, v.Column) {
			key = append(key, v)
		}
	}
	id, err := t.rowID(table, key)
	if err != nil {
		return err
	}
	if _, ok := t.rows[id]; ok {
		return fmt.Errorf("guard: memory: %s: %w", table, ErrExists)
	}
	t.rows[id] = row
	return nil
}

// Load implements Store.
func (m *Memory) Load(ctx context.Context, table string, key []Value, cols []Column) ([]any, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	t, err := m.table(table)
	if err != nil {
		return nil, err
	}
	idx, err := t.indexes(table, cols)
	if err != nil {
		return nil, err
	}
	id, err := t.rowID(table, key)
	if err != nil {
		return nil, err
	}
	row, ok := t.rows[id]
	if !ok {
		return nil, fmt.Errorf("guard: memory: %s: %w", table, ErrNotFound)
	}
	return t.read(row, idx, cols)
}

func (t *memTable) indexes(table string, cols []Column) ([]int, error) {
	idx := make([]int, len(cols))
	for i, c := range cols {
		j, err := t.col(table, c.Name)
		if err != nil {
			return nil, err
		}
		if c.Type == nil {
			return nil, fmt.Errorf("guard: memory: column %s has no type", c.Name)
		}
		idx[i] = j
	}
	return idx, nil
}

func (t *memTable) read(row []any, idx []int, cols []Column) ([]any, error) {
	out := make([]any, len(cols))
	for i, c := range cols {
		v, err := assign(c.Type, row[idx[i]])
		if err != nil {
			return nil, fmt.Errorf("guard: memory: column %s: %w", c.Name, err)
		}
		out[i] = v
	}
	return out, nil
}

// Apply implements Store.
func (m *Memory) Apply(ctx context.Context, w *Write) (Result, error) {
	if err := ctx.Err(); err != nil {
		return Result{}, err
	}
	if w == nil {
		return Result{}, fmt.Errorf("guard: memory: nil Write")
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	t, err := m.table(w.Table)
	if err != nil {
		return Result{}, err
	}
	// Resolve every column before looking at the row, so that a Write
	// naming a column the table lacks fails the same way whether or not
	// the row exists, and writes nothing.
	set := make([]int, len(w.Set))
	setVals := make([]any, len(w.Set))
	for i, v := range w.Set {
		if set[i], err = t.col(w.Table, v.Column); err != nil {
			return Result{}, err
		}
		if setVals[i], err = canon(v.Value); err != nil {
			return Result{}, fmt.Errorf("guard: memory: column %s: %w", v.Column, err)
		}
	}
	where := make([]int, len(w.Where))
	whereVals := make([][]any, len(w.Where))
	whereNull := make([]bool, len(w.Where))
	for i, c := range w.Where {
		if where[i], err = t.col(w.Table, c.Column); err != nil {
			return Result{}, err
		}
		if !c.Null && len(c.Values) == 0 {
			return Result{}, fmt.Errorf("guard: memory: apply to %s: condition on %s expects no value and not NULL, so it can never hold", w.Table, c.Column)
		}
		whereNull[i] = c.Null
		for _, v := range c.Values {
			cv, err := canon(v)
			if err != nil {
				return Result{}, fmt.Errorf("guard: memory: column %s: %w", c.Column, err)
			}
			if cv == nil {
				// A nil among Values expects NULL, as Null does.
				whereNull[i] = true
				continue
			}
			whereVals[i] = append(whereVals[i], cv)
		}
	}
	read, err := t.indexes(w.Table, w.Read)
	if err != nil {
		return Result{}, err
	}
	id, err := t.rowID(w.Table, w.Key)
	if err != nil {
		return Result{}, err
	}
	row, ok := t.rows[id]
	if !ok {
		return Result{Outcome: NotFound}, nil
	}
	for i := range w.Where {
		v := row[where[i]]
		if !(whereNull[i] && v == nil) && !(v != nil && canonIn(v, whereVals[i])) {
			actual, err := t.read(row, read, w.Read)
			if err != nil {
				return Result{}, err
			}
			return Result{Outcome: Mismatch, Actual: actual}, nil
		}
	}
	for i, j := range set {
		row[j] = setVals[i]
	}
	return Result{Outcome: Applied}, nil
}
