package guard

import (
	"bytes"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"reflect"
	"time"
)

// canon returns the canonical form of a Go value: what database/sql would
// send for it (nil, int64, float64, bool, []byte, string or time.Time, or
// whatever a driver.Valuer returns). Guard compares values in this form, so
// that a named state type, a pointer to it and the plain string compare
// equal, and the memory store keeps rows in it.
func canon(v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if _, ok := v.([]byte); ok {
		// ConvertValue keeps []byte as is; copy so that stored rows and
		// snapshots never alias the caller's slices.
		b := v.([]byte)
		if b == nil {
			return nil, nil
		}
		return bytes.Clone(b), nil
	}
	cv, err := driver.DefaultParameterConverter.ConvertValue(v)
	if err != nil {
		return nil, err
	}
	if b, ok := cv.([]byte); ok {
		cv = bytes.Clone(b)
	}
	return cv, nil
}

// canonEqual reports whether two canonical values are equal.
func canonEqual(a, b any) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	switch x := a.(type) {
	case []byte:
		y, ok := b.([]byte)
		return ok && bytes.Equal(x, y)
	case time.Time:
		y, ok := b.(time.Time)
		return ok && x.Equal(y)
	case string:
		y, ok := b.(string)
		return ok && x == y
	case int64:
		y, ok := b.(int64)
		return ok && x == y
	case float64:
		y, ok := b.(float64)
		return ok && x == y
	case bool:
		y, ok := b.(bool)
		return ok && x == y
	}
	return reflect.DeepEqual(a, b)
}

// canonIn reports whether v is among set; a nil in set stands for NULL.
func canonIn(v any, set []any) bool {
	for _, s := range set {
		if canonEqual(v, s) {
			return true
		}
	}
	return false
}

var scannerType = reflect.TypeFor[sql.Scanner]()

// assign converts a canonical value to a new value of type t, the way
// database/sql's Scan would: NULL becomes the zero value of a pointer or a
// sql.Scanner, and is refused for other types. The memory store uses it to
// answer Load and Mismatch with values of each Column.Type.
func assign(t reflect.Type, v any) (any, error) {
	p := reflect.New(t)
	if err := assignValue(p.Elem(), v); err != nil {
		return nil, err
	}
	return p.Elem().Interface(), nil
}

func assignValue(dst reflect.Value, v any) error {
	if dst.Addr().Type().Implements(scannerType) {
		return dst.Addr().Interface().(sql.Scanner).Scan(v)
	}
	if v == nil {
		switch dst.Kind() {
		case reflect.Pointer, reflect.Interface, reflect.Slice, reflect.Map:
			dst.SetZero()
			return nil
		}
		return fmt.Errorf("converting NULL to %s is unsupported", dst.Type())
	}
	if dst.Kind() == reflect.Pointer {
		e := reflect.New(dst.Type().Elem())
		if err := assignValue(e.Elem(), v); err != nil {
			return err
		}
		dst.Set(e)
		return nil
	}
	if dst.Kind() == reflect.Interface {
		dst.Set(reflect.ValueOf(v))
		return nil
	}
	sv := reflect.ValueOf(v)
	if b, ok := v.([]byte); ok && dst.Kind() == reflect.Slice && dst.Type().Elem().Kind() == reflect.Uint8 {
		dst.SetBytes(bytes.Clone(b))
		return nil
	}
	if b, ok := v.([]byte); ok && dst.Kind() == reflect.String {
		dst.SetString(string(b))
		return nil
	}
	if sameClass(sv.Type(), dst.Type()) && sv.Type().ConvertibleTo(dst.Type()) {
		dst.Set(sv.Convert(dst.Type()))
		return nil
	}
	return fmt.Errorf("converting %T to %s is unsupported", v, dst.Type())
}

// kindClass groups kinds whose values convert into each other without
// surprise (reflect would also convert an int to a string, as a rune).
func kindClass(k reflect.Kind) int {
	switch k {
	case reflect.String:
		return 1
	case reflect.Bool:
		return 2
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return 3
	case reflect.Float32, reflect.Float64:
		return 4
	}
	return 0
}

func sameClass(a, b reflect.Type) bool {
	if a == b {
		return true
	}
	c := kindClass(a.Kind())
	return c != 0 && c == kindClass(b.Kind())
}

// Ptr returns a pointer to v: guard.Ptr(Shelving) sets a nullable state.
func Ptr[T any](v T) *T { return &v }

// stringKind returns v as a string when its kind is string (a named state
// type).
func stringKind(v any) (string, bool) {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.String {
		return rv.String(), true
	}
	return "", false
}
