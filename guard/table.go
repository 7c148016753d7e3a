package guard

import (
	"database/sql/driver"
	"fmt"
	"reflect"
	"strings"
	"time"
	"unicode"
)

// A Table maps the struct type T to a table: which fields are columns, which
// form the key, which are guarded states, and which, if any, is a version
// column. Build one per type with NewTable (or MustTable for a package
// variable) and reuse it: the struct is inspected once, and every field
// name an Option gives is checked against it.
//
// Fields are mapped by their `guard` struct tag:
//
//	type Server struct {
//		ID        string     `guard:"id,key"`
//		TaskState *TaskState `guard:"task_state,state"`
//		VMState   VMState    `guard:"vm_state,state"`
//		Host      *string    `guard:"host"`
//		Version   int64      `guard:"version,version"`
//	}
//
// The tag is the column name (empty: the field name in snake_case) followed
// by options: key (part of the primary key; at least one field must have
// it), state (a guarded state: changing it needs an expectation or an
// explicit Preempt), version (an integer column that every save checks and
// increments, which makes a save fail when the row was changed and changed
// back since it was loaded: the ABA problem). Fields without a tag, and
// fields tagged "-", are not mapped. Embedded structs are walked.
//
// A field holds a basic type (a string, bool, integer or float kind, named
// or not), []byte, time.Time, a driver.Valuer, or a pointer to one of those.
// A nil pointer is SQL NULL. A Table is safe for concurrent use.
type Table[T any] struct {
	name    string
	typ     reflect.Type
	fields  []field
	byName  map[string]int // Go field names and column names
	key     []int
	version int // index of the version field, or -1

	// What Load reads, computed once: the fields that are not part of the
	// key and their Columns. A Store must not modify the Columns.
	loadIdx  []int
	loadCols []Column
}

// A field is one mapped struct field.
type field struct {
	name     string // Go field name
	column   string
	index    []int // for reflect.Value.FieldByIndex
	typ      reflect.Type
	base     reflect.Type // typ without its pointer
	key      bool
	state    bool
	version  bool
	nullable bool // typ can hold NULL
	// str is set when database/sql's converter turns a value of base into
	// a plain string (see stringConverted): the canonical value is then the
	// string itself (or NULL for a nil pointer), which canonOf reads
	// without the converter.
	str bool
}

// stringConverted reports whether the canonical value of a field of type
// typ (whose type without its pointer is base) is always its string
// contents: base is of kind string, neither type is a driver.Valuer, and
// database/sql's converter, asked about a value of base, answers with a
// plain string rather than keeping the value as it is (as it does for a
// type with a Decompose method, a decimal).
func stringConverted(typ, base reflect.Type) bool {
	if base.Kind() != reflect.String || typ.Implements(valuerType) || base.Implements(valuerType) {
		return false
	}
	cv, err := driver.DefaultParameterConverter.ConvertValue(reflect.New(base).Elem().Interface())
	if err != nil {
		return false
	}
	_, ok := cv.(string)
	return ok && reflect.TypeOf(cv) == reflect.TypeFor[string]()
}

var (
	valuerType = reflect.TypeFor[driver.Valuer]()
	timeType   = reflect.TypeFor[time.Time]()
)

// NewTable returns the Table of T stored in the table called name. It
// fails when T is not a struct, maps no key field, or has a malformed tag,
// a column named twice, a field of a type no store can hold, or a version
// field that is not an integer.
func NewTable[T any](name string) (*Table[T], error) {
	typ := reflect.TypeFor[T]()
	if name == "" {
		return nil, fmt.Errorf("%w: NewTable[%s]: empty table name", ErrInvalid, typ)
	}
	if typ.Kind() != reflect.Struct {
		return nil, fmt.Errorf("%w: NewTable[%s]: %s is not a struct type", ErrInvalid, typ, typ)
	}
	t := &Table[T]{name: name, typ: typ, byName: make(map[string]int), version: -1}
	for _, sf := range reflect.VisibleFields(typ) {
		tag, ok := sf.Tag.Lookup("guard")
		if !ok || tag == "-" || sf.Anonymous && sf.Type.Kind() == reflect.Struct && tag == "" {
			continue
		}
		if !sf.IsExported() {
			return nil, fmt.Errorf("%w: NewTable[%s]: field %s has a guard tag but is not exported", ErrInvalid, typ, sf.Name)
		}
		if viaPointer(typ, sf.Index) {
			return nil, fmt.Errorf("%w: NewTable[%s]: field %s is promoted through an embedded pointer, which may be nil: embed that struct by value", ErrInvalid, typ, sf.Name)
		}
		f := field{name: sf.Name, index: sf.Index, typ: sf.Type, base: sf.Type}
		col, opts, _ := strings.Cut(tag, ",")
		f.column = col
		if f.column == "" {
			f.column = snake(sf.Name)
		}
		if opts != "" {
			for o := range strings.SplitSeq(opts, ",") {
				switch strings.TrimSpace(o) {
				case "key":
					f.key = true
				case "state":
					f.state = true
				case "version":
					f.version = true
				default:
					return nil, fmt.Errorf("%w: NewTable[%s]: field %s: unknown tag option %q (want key, state or version)", ErrInvalid, typ, sf.Name, o)
				}
			}
		}
		if !storable(sf.Type) {
			return nil, fmt.Errorf("%w: NewTable[%s]: field %s: a store cannot hold %s; use a basic type, []byte, time.Time, a driver.Valuer or a pointer to one", ErrInvalid, typ, sf.Name, sf.Type)
		}
		if sf.Type.Kind() == reflect.Pointer && !sf.Type.Implements(valuerType) {
			f.base = sf.Type.Elem()
		}
		f.nullable = nullable(sf.Type)
		f.str = stringConverted(sf.Type, f.base)
		switch {
		case f.key && (f.state || f.version):
			return nil, fmt.Errorf("%w: NewTable[%s]: field %s: a key field cannot also be a state or a version", ErrInvalid, typ, sf.Name)
		case f.state && f.version:
			return nil, fmt.Errorf("%w: NewTable[%s]: field %s: a state cannot also be the version", ErrInvalid, typ, sf.Name)
		case f.version && (sf.Type.Kind() == reflect.Pointer || kindClass(sf.Type.Kind()) != 3):
			return nil, fmt.Errorf("%w: NewTable[%s]: version field %s must be an integer, not %s", ErrInvalid, typ, sf.Name, sf.Type)
		case f.version && t.version >= 0:
			return nil, fmt.Errorf("%w: NewTable[%s]: two version fields, %s and %s", ErrInvalid, typ, t.fields[t.version].name, sf.Name)
		}
		for _, n := range []string{f.name, f.column} {
			if j, dup := t.byName[n]; dup && t.fields[j].name != f.name {
				return nil, fmt.Errorf("%w: NewTable[%s]: fields %s and %s both answer to %q", ErrInvalid, typ, t.fields[j].name, f.name, n)
			}
		}
		for _, g := range t.fields {
			if g.column == f.column {
				return nil, fmt.Errorf("%w: NewTable[%s]: fields %s and %s both map column %s", ErrInvalid, typ, g.name, f.name, f.column)
			}
		}
		i := len(t.fields)
		t.fields = append(t.fields, f)
		t.byName[f.name] = i
		t.byName[f.column] = i
		if f.key {
			t.key = append(t.key, i)
		}
		if f.version {
			t.version = i
		}
	}
	if len(t.key) == 0 {
		return nil, fmt.Errorf("%w: NewTable[%s]: no key field; tag the primary key, e.g. `guard:\"id,key\"`", ErrInvalid, typ)
	}
	t.loadIdx = t.nonKey()
	t.loadCols = t.columnsOf(t.loadIdx)
	return t, nil
}

// MustTable is like NewTable but panics on error. It is meant for package
// variables, like regexp.MustCompile.
func MustTable[T any](name string) *Table[T] {
	t, err := NewTable[T](name)
	if err != nil {
		panic(err)
	}
	return t
}

func storable(t reflect.Type) bool {
	if t.Implements(valuerType) {
		return true
	}
	if t.Kind() == reflect.Pointer {
		e := t.Elem()
		return e.Kind() != reflect.Pointer && storable(e)
	}
	if t == timeType || t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
		return true
	}
	return kindClass(t.Kind()) != 0
}

func nullable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Pointer, reflect.Slice:
		return true
	}
	return t.Implements(valuerType) // a Valuer may return nil
}

// snake turns a Go field name into a column name: TaskState -> task_state,
// VMState -> vm_state, ID -> id.
func snake(s string) string {
	r := []rune(s)
	var b strings.Builder
	for i, c := range r {
		if unicode.IsUpper(c) {
			if i > 0 && (unicode.IsLower(r[i-1]) || i+1 < len(r) && unicode.IsLower(r[i+1]) && unicode.IsUpper(r[i-1])) {
				b.WriteByte('_')
			}
			c = unicode.ToLower(c)
		}
		b.WriteRune(c)
	}
	return b.String()
}

// TableName returns the name of the table ("" for a zero Table).
func (t *Table[T]) TableName() string {
	if t == nil {
		return ""
	}
	return t.name
}

// errZero is the error of a method called on a Table not made by NewTable.
func (t *Table[T]) errZero() error {
	if t == nil || t.typ == nil {
		return fmt.Errorf("%w: guard.Table[%s] is zero (or nil): build it with NewTable or MustTable", ErrInvalid, reflect.TypeFor[T]())
	}
	return nil
}

// KeyColumns returns the primary key columns, in field order.
func (t *Table[T]) KeyColumns() []string {
	if t == nil {
		return nil
	}
	var cols []string
	for _, i := range t.key {
		cols = append(cols, t.fields[i].column)
	}
	return cols
}

// Columns returns the mapped columns that are not part of the key, in field
// order.
func (t *Table[T]) Columns() []string {
	if t == nil {
		return nil
	}
	var cols []string
	for _, f := range t.fields {
		if !f.key {
			cols = append(cols, f.column)
		}
	}
	return cols
}

// String returns the table name and the struct type, e.g. "servers(Server)".
// A zero Table says so: "zero guard.Table[Server]".
func (t *Table[T]) String() string {
	if t.errZero() != nil {
		return "zero guard.Table[" + reflect.TypeFor[T]().String() + "]"
	}
	return t.name + "(" + t.typ.String() + ")"
}

// lookup resolves a field by its Go name or its column name.
func (t *Table[T]) lookup(name string) (int, error) {
	i, msg := t.find(name)
	if msg != "" {
		return 0, fmt.Errorf("%w: %s", ErrInvalid, msg)
	}
	return i, nil
}

// find is lookup with the reason it fails as a message.
func (t *Table[T]) find(name string) (int, string) {
	if i, ok := t.byName[name]; ok {
		return i, ""
	}
	if sf, ok := t.typ.FieldByName(name); ok {
		return 0, fmt.Sprintf("field %s.%s has no guard tag, so it is not mapped to a column", t.typ, sf.Name)
	}
	var names []string
	for _, f := range t.fields {
		names = append(names, f.name)
	}
	return 0, fmt.Sprintf("%s has no mapped field %q (mapped: %s)", t.typ, name, strings.Join(names, ", "))
}

// A Field is a mapped field of a Table, resolved once: Table.Field checks
// the name when it is called (typically at package initialisation), and the
// Options built from a Field skip the lookup at each save.
type Field struct {
	table any // the *Table[T] it belongs to
	index int
	name  string
	f     *field
}

// Field returns the field called name (its Go name or its column name).
func (t *Table[T]) Field(name string) (Field, error) {
	if err := t.errZero(); err != nil {
		return Field{}, err
	}
	i, err := t.lookup(name)
	if err != nil {
		return Field{}, err
	}
	return Field{table: t, index: i, name: t.fields[i].name, f: &t.fields[i]}, nil
}

// MustField is like Field but panics when t has no such field; it is meant
// for package variables.
func (t *Table[T]) MustField(name string) Field {
	f, err := t.Field(name)
	if err != nil {
		panic(err)
	}
	return f
}

// String returns the Go name of the field.
func (f Field) String() string { return f.name }

// Expect is Expect(f, values...) without the name lookup. The values are
// checked against the field and put in canonical form once, here, rather
// than at each save: build the Option once (a package variable) and reuse
// it.
func (f Field) Expect(values ...any) Option {
	return Option{kind: optExpect, name: f.name, field: f, values: values, set: true, pre: f.precanon(values)}
}

// Fence is Fence(f, values...) without the name lookup; its values are put
// in canonical form once, as Expect's.
func (f Field) Fence(values ...any) Option {
	return Option{kind: optFence, name: f.name, field: f, values: values, set: true, pre: f.precanon(values)}
}

// Preempt is Preempt(f) without the name lookup.
func (f Field) Preempt() Option { return Option{kind: optPreempt, name: f.name, field: f} }

// Reentrant is Reentrant(f) without the name lookup.
func (f Field) Reentrant() Option { return Option{kind: optReentrant, name: f.name, field: f} }

// viaPointer reports whether the field at index in typ is promoted
// through an embedded pointer.
func viaPointer(typ reflect.Type, index []int) bool {
	for _, i := range index[:len(index)-1] {
		typ = typ.Field(i).Type
		if typ.Kind() == reflect.Pointer {
			return true
		}
	}
	return false
}

// get returns field i of v.
func (t *Table[T]) get(v *T, i int) reflect.Value {
	return reflect.ValueOf(v).Elem().FieldByIndex(t.fields[i].index)
}

// canonOf returns the canonical value of field i of v.
func (t *Table[T]) canonOf(v *T, i int) (any, error) {
	rv := t.get(v, i)
	if t.fields[i].str {
		// What canon returns for it, the same way.
		if rv.Kind() == reflect.Pointer {
			if rv.IsNil() {
				return nil, nil
			}
			rv = rv.Elem()
		}
		return rv.String(), nil
	}
	c, err := canon(rv.Interface())
	if err != nil {
		return nil, fmt.Errorf("guard: %s.%s: %w", t.typ, t.fields[i].name, err)
	}
	return c, nil
}

// fits checks that an expected value suits field f and returns its
// canonical form.
func (f *field) fits(v any) (any, error) {
	if v == nil {
		if !f.nullable {
			return nil, fmt.Errorf("%s cannot be NULL: its type %s has no nil; expect one of its values", f.name, f.typ)
		}
		return nil, nil
	}
	vt := reflect.TypeOf(v)
	ok := vt == f.typ || vt == f.base || vt.AssignableTo(f.base) || sameClass(vt, f.base) ||
		vt.Kind() == reflect.Pointer && (vt.Elem() == f.base || sameClass(vt.Elem(), f.base))
	if !ok && f.base.Implements(valuerType) {
		ok = kindClass(vt.Kind()) != 0
	}
	if !ok {
		return nil, fmt.Errorf("%s: value %v of type %s does not fit a field of type %s", f.name, v, vt, f.typ)
	}
	c, err := canon(v)
	if err != nil {
		return nil, fmt.Errorf("%s: value %v: %w", f.name, v, err)
	}
	if c == nil && !f.nullable {
		return nil, fmt.Errorf("%s cannot be NULL: its type %s has no nil", f.name, f.typ)
	}
	return c, nil
}

// present turns a canonical value into a value of the field's base type,
// for errors: a ConflictError on a TaskState field holds TaskState values,
// so that e.Actual == Shelving works. NULL is nil.
func (f *field) present(c any) any {
	if c == nil {
		return nil
	}
	if v, err := assign(f.base, c); err == nil {
		return v
	}
	return c
}

// columnsOf returns the Columns of fields idx, for Load and Write.Read.
func (t *Table[T]) columnsOf(idx []int) []Column {
	cols := make([]Column, len(idx))
	for j, i := range idx {
		cols[j] = Column{Name: t.fields[i].column, Type: t.fields[i].typ}
	}
	return cols
}

func (t *Table[T]) nonKey() []int {
	var idx []int
	for i, f := range t.fields {
		if !f.key {
			idx = append(idx, i)
		}
	}
	return idx
}

// keyValues converts the key given to Load or Update into Values.
func (t *Table[T]) keyValues(key any) ([]Value, error) {
	var vals []any
	if k, ok := key.(Key); ok {
		vals = k
	} else {
		vals = []any{key}
	}
	if len(vals) != len(t.key) {
		return nil, fmt.Errorf("%w: %s has %d key fields (%s), got %d key values", ErrInvalid, t, len(t.key), strings.Join(t.KeyColumns(), ", "), len(vals))
	}
	out := make([]Value, len(vals))
	for j, i := range t.key {
		f := &t.fields[i]
		if vals[j] == nil {
			return nil, fmt.Errorf("%w: %s: key %s is nil", ErrInvalid, t, f.name)
		}
		c, err := f.fits(vals[j])
		if err != nil {
			return nil, fmt.Errorf("%w: %s: key %v", ErrInvalid, t, err)
		}
		if c == nil {
			return nil, fmt.Errorf("%w: %s: key %s is NULL", ErrInvalid, t, f.name)
		}
		out[j] = Value{Column: f.column, Value: c}
	}
	return out, nil
}

// Key is the key of a row whose table has several key fields, in field
// order: users.Load(ctx, s, guard.Key{"eu", 42}). A table with one key
// field takes the value itself.
type Key []any
