package guardtest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stateguard/stateguard/guard"
)

func raisedCases() []testCase {
	return []testCase{
		{"lock/ExpectedStateReturnsCommitted", lockReturnsCommitted},
		{"lock/ExpectedStateReturnsInOneTx", lockReturnsInOneTx},
		{"lock/StateMovesAway", lockMovesAway},
		{"lock/RolledBack", lockRolledBack},
		{"lock/DeadlineWhileWaiting", lockDeadline},
		{"exact/Equality", exactEquality},
		{"types/Values", typesValues},
		{"types/TimeZones", typesTimeZones},
		{"types/Null", typesNull},
		{"guard/FenceKeepsVersion", guardFenceKeepsVersion},
		{"guard/UnknownCauseSaysWhat", guardUnknownSaysWhat},
		{"guard/UpdateContended", guardUpdateContended},
	}
}

// lockWait is how long a case lets a save wait on the other client's lock
// before that client ends its transaction.
const lockWait = 300 * time.Millisecond

func begin(t *testing.T, b Backend, s guard.Store, table, id string) Session {
	t.Helper()
	if b.Begin == nil {
		t.Skipf("%s: Backend.Begin is nil", b.Name)
	}
	sess := b.Begin(t, s, table, id)
	if sess == nil {
		t.Fatalf("%s: Begin returned a nil Session", b.Name)
	}
	return sess
}

func setTask(v string) guard.Value { return guard.Value{Column: "task_state", Value: v} }

// commitWhileWaiting runs save in a goroutine, lets it wait lockWait on
// sess's lock, ends sess with end and returns save's error.
func commitWhileWaiting(t *testing.T, end func() error, save func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- save() }()
	select {
	case err := <-done:
		// The store did not wait (the memory store has no lock to wait
		// on): end the other transaction, and judge the answer given.
		if eerr := end(); eerr != nil {
			t.Fatalf("other client: %v", eerr)
		}
		return err
	case <-time.After(lockWait):
	}
	if err := end(); err != nil {
		t.Fatalf("other client: %v", err)
	}
	return <-done
}

// lockReturnsCommitted is the interleaving of a defect the PostgreSQL store once had: the
// row is "b" and loaded so; another client sets "x" and commits, then in an
// open transaction sets "b" again; the save, which expects "b", waits on
// that client's lock and gets it once the client commits "b". The row
// holds what the save expects when it gets the lock, so it applies.
func lockReturnsCommitted(t *testing.T, b Backend) {
	s, servers, tbl := setup(t, b)
	r := load(t, servers, s, "s1")
	r.V.TaskState = ts("b")
	if err := servers.Save(ctxOf(t), s, r, guard.Expect("TaskState", nil)); err != nil {
		t.Fatal(err)
	}
	other := begin(t, b, s.Store, tbl, "s1")
	if err := other.Set(setTask("x")); err != nil {
		t.Fatal(err)
	}
	if err := other.Commit(); err != nil {
		t.Fatal(err)
	}
	other = begin(t, b, s.Store, tbl, "s1")
	if err := other.Set(setTask("b")); err != nil {
		t.Fatal(err)
	}
	r.V.TaskState = ts("c")
	err := commitWhileWaiting(t, other.Commit, func() error {
		return servers.Save(ctxOf(t), s, r, guard.Expect("TaskState", "b"), guard.Retries(0))
	})
	if err != nil {
		t.Fatalf("Save expecting \"b\", which the row holds when the save gets its lock: %v", err)
	}
	wantTask(t, servers, s, ts("c"))
}

// lockReturnsInOneTx: the other client moves the row away and back inside
// one transaction while the save waits.
func lockReturnsInOneTx(t *testing.T, b Backend) {
	s, servers, tbl := setup(t, b)
	r := load(t, servers, s, "s1")
	other := begin(t, b, s.Store, tbl, "s1")
	if err := other.Set(setTask("x")); err != nil {
		t.Fatal(err)
	}
	if err := other.Set(guard.Value{Column: "task_state", Value: nil}); err != nil {
		t.Fatal(err)
	}
	r.V.TaskState = ts(Shelving)
	err := commitWhileWaiting(t, other.Commit, func() error {
		return servers.Save(ctxOf(t), s, r, guard.Expect("TaskState", nil), guard.Retries(0))
	})
	if err != nil {
		t.Fatalf("Save expecting NULL, which the row holds when the save gets its lock: %v", err)
	}
	wantTask(t, servers, s, ts(Shelving))
}

// lockMovesAway: the other client commits a state the save does not
// expect while the save waits: a conflict that names it, found at once.
func lockMovesAway(t *testing.T, b Backend) {
	s, servers, tbl := setup(t, b)
	r := load(t, servers, s, "s1")
	other := begin(t, b, s.Store, tbl, "s1")
	if err := other.Set(setTask(string(Deleting))); err != nil {
		t.Fatal(err)
	}
	r.V.TaskState = ts(Shelving)
	err := commitWhileWaiting(t, other.Commit, func() error {
		return servers.Save(ctxOf(t), s, r, guard.Expect("TaskState", nil), guard.Retries(0))
	})
	ce := asConflict(t, err)
	if ce.Unknown || ce.Local || ce.Actual != Deleting || ce.Attempts != 1 {
		t.Errorf("conflict = %+v, want %q found by the store on the first attempt", ce, Deleting)
	}
	wantTask(t, servers, s, ts(Deleting))
}

// lockRolledBack: the other client's change is rolled back while the save
// waits; the save applies.
func lockRolledBack(t *testing.T, b Backend) {
	s, servers, tbl := setup(t, b)
	r := load(t, servers, s, "s1")
	other := begin(t, b, s.Store, tbl, "s1")
	if err := other.Set(setTask(string(Deleting))); err != nil {
		t.Fatal(err)
	}
	r.V.TaskState = ts(Shelving)
	err := commitWhileWaiting(t, other.Rollback, func() error {
		return servers.Save(ctxOf(t), s, r, guard.Expect("TaskState", nil), guard.Retries(0))
	})
	if err != nil {
		t.Fatalf("Save after the other client rolled back: %v", err)
	}
	wantTask(t, servers, s, ts(Shelving))
}

// lockDeadline: saves whose deadline passes while another client holds the
// row's lock. A save that fails with anything but ErrOutcomeUnknown must
// not have written, even once the lock is released; a save of unknown
// outcome may have. The counts are logged.
func lockDeadline(t *testing.T, b Backend) {
	s, servers, tbl := setup(t, b)
	tries := 10
	if testing.Short() {
		tries = 3
	}
	var unknown, definite, applied, committed int
	for i := range tries {
		other := begin(t, b, s.Store, tbl, "s1")
		if err := other.Set(guard.Value{Column: "host", Value: "held"}); err != nil {
			t.Fatal(err)
		}
		r := load(t, servers, s, "s1")
		mine := "try" + strconv.Itoa(i)
		r.V.Host = strp(mine)
		ctx, cancel := context.WithTimeout(ctxOf(t), time.Duration(10+10*(i%5))*time.Millisecond)
		err := servers.Save(ctx, s, r, guard.Fence("TaskState", nil))
		cancel()
		if rerr := other.Rollback(); rerr != nil {
			t.Fatal(rerr)
		}
		time.Sleep(50 * time.Millisecond) // a statement the server still runs commits meanwhile
		got := load(t, servers, s, "s1")
		wrote := got.V.Host != nil && *got.V.Host == mine
		if wrote {
			committed++
		}
		switch {
		case err == nil:
			applied++
			if !wrote {
				t.Errorf("try %d: Save returned nil but the row holds %v", i, show(got.V.Host))
			}
		case errors.Is(err, guard.ErrOutcomeUnknown):
			unknown++
		default:
			definite++
			if wrote {
				t.Errorf("try %d: Save failed with a definite error (%v), yet its write committed", i, err)
			}
			if !errors.Is(err, context.DeadlineExceeded) {
				t.Errorf("try %d: err = %v, want it to wrap context.DeadlineExceeded", i, err)
			}
		}
	}
	t.Logf("%s: %d tries: %d applied, %d unknown, %d definite errors; %d committed", b.Name, tries, applied, unknown, definite, committed)
}

// exactEquality: a condition compares exactly, whatever the column's
// collation: case, trailing spaces and Unicode normalisation forms make
// different values.
func exactEquality(t *testing.T, b Backend) {
	s, tbl := b.open(t)
	stored := map[string]string{
		"plain": "shelving",
		"upper": "SHELVING",
		"space": "shelving ",
		"nfc":   "\u00e9tat",  // é as one code point
		"nfd":   "e\u0301tat", // e and a combining acute accent
	}
	ids := []string{"plain", "upper", "space", "nfc", "nfd"}
	for _, id := range ids {
		insertRow(t, s, tbl, row{ID: id, TaskState: strp(stored[id]), VMState: "active"})
	}
	for _, tc := range []struct {
		values []any
		match  string // the one row that matches, or ""
	}{
		{[]any{"shelving"}, "plain"},
		{[]any{"SHELVING"}, "upper"},
		{[]any{"shelving "}, "space"},
		{[]any{"\u00e9tat"}, "nfc"},
		{[]any{"e\u0301tat"}, "nfd"},
		{[]any{"Shelving", "SHELVING ", "\u00c9tat"}, ""},
		{[]any{"shelving", "x"}, "plain"},
	} {
		for _, id := range ids {
			for _, set := range []bool{false, true} {
				w := &guard.Write{Table: tbl, Key: keyOf(id), Where: []guard.Cond{{Column: "task_state", Values: tc.values}}, Read: rowCols[:1]}
				if set {
					w.Set = []guard.Value{{Column: "host", Value: "h-" + id}}
				}
				res, err := apply(t, s, w)
				if err != nil {
					t.Fatalf("row %s expecting %q: %v", id, tc.values, err)
				}
				want := guard.Mismatch
				if id == tc.match {
					want = guard.Applied
				}
				if res.Outcome != want {
					t.Errorf("row %s (%q) expecting %q (set %v): %v, want %v", id, stored[id], tc.values, set, res.Outcome, want)
					continue
				}
				if want == guard.Mismatch && (len(res.Actual) != 1 || !reflect.DeepEqual(res.Actual[0], strp(stored[id]))) {
					t.Errorf("row %s: Actual = %#v, want exactly %q", id, res.Actual, stored[id])
				}
			}
		}
	}
	for _, id := range ids {
		got := loadRow(t, s, tbl, id)
		if got.TaskState == nil || *got.TaskState != stored[id] {
			t.Errorf("row %s reads back %s, want %q", id, show(got.TaskState), stored[id])
		}
		wantHost := ""
		for _, tc := range []string{"plain", "upper", "space", "nfc", "nfd"} {
			if tc == id {
				wantHost = "h-" + id
			}
		}
		if show(got.Host) != strconv.Quote(wantHost) {
			t.Errorf("row %s: host %s, want %q: a transition applied to a value it did not expect", id, show(got.Host), wantHost)
		}
	}
}

// TypesColumns are the non-key columns of TypesDDL, in order.
var TypesColumns = []string{"tm", "bin", "flag", "i32", "u16", "f64", "i64", "lbl", "cnt"}

// TypesDDL returns the CREATE TABLE statement of the column-type cases'
// table for dialect ("sqlite", "postgres" or "mysql"): a time, a binary
// string, a boolean, a 32-bit and an unsigned 16-bit integer, a double, two
// 64-bit integers and a string (case-insensitive in MySQL's), each
// nullable, with the key id VARCHAR(64).
func TypesDDL(name, dialect string) string {
	types := map[string][]string{
		"sqlite":   {"TIMESTAMP", "BLOB", "BOOLEAN", "INTEGER", "INTEGER", "REAL", "BIGINT", "TEXT COLLATE NOCASE", "BIGINT"},
		"postgres": {"TIMESTAMPTZ", "BYTEA", "BOOLEAN", "INTEGER", "INTEGER", "DOUBLE PRECISION", "BIGINT", "TEXT", "BIGINT"},
		"mysql":    {"DATETIME(6)", "VARBINARY(64)", "BOOLEAN", "INT", "SMALLINT UNSIGNED", "DOUBLE", "BIGINT", "VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci", "BIGINT"},
	}[dialect]
	if types == nil {
		return "unknown dialect " + dialect
	}
	var b strings.Builder
	b.WriteString("CREATE TABLE " + name + " (\n  id VARCHAR(64) PRIMARY KEY")
	for i, c := range TypesColumns {
		b.WriteString(",\n  " + c + " " + types[i] + " NULL")
	}
	b.WriteString(")")
	return b.String()
}

// Label and Count are named types of the column-type cases.
type (
	Label string
	Count int
)

// Typed maps TypesDDL with a field of each type.
type Typed struct {
	ID   string    `guard:"id,key"`
	Tm   time.Time `guard:"tm"`
	Bin  []byte    `guard:"bin"`
	Flag bool      `guard:"flag"`
	I32  int32     `guard:"i32"`
	U16  uint16    `guard:"u16"`
	F64  float64   `guard:"f64"`
	I64  *int64    `guard:"i64"`
	Lbl  Label     `guard:"lbl"`
	Cnt  Count     `guard:"cnt"`
}

// TypedNull maps TypesDDL with a nullable field of each type.
type TypedNull struct {
	ID   string     `guard:"id,key"`
	Tm   *time.Time `guard:"tm"`
	Bin  []byte     `guard:"bin"`
	Flag *bool      `guard:"flag"`
	I32  *int32     `guard:"i32"`
	U16  *uint16    `guard:"u16"`
	F64  *float64   `guard:"f64"`
	I64  *int64     `guard:"i64"`
	Lbl  *Label     `guard:"lbl"`
	Cnt  *Count     `guard:"cnt"`
}

// baseTime has microseconds, the finest every store keeps.
var baseTime = time.Date(2026, 12, 1, 20, 15, 30, 123456000, time.UTC)

// zones are the time zones of the time cases: Go cannot parse the
// abbreviation time.Time.String writes for some of them ("-03", "+0545").
var zones = []*time.Location{
	time.UTC,
	time.FixedZone("-03", -3*3600),
	time.FixedZone("", 5*3600+45*60),
	time.FixedZone("CEST", 2*3600),
	time.FixedZone("X+14", 14*3600),
}

// typedValues are, per field of Typed, two distinct values.
func typedValues() map[string][2]any {
	i64a, i64b := int64(1)<<62, int64(-7)
	return map[string][2]any{
		"Tm":   {baseTime.In(zones[1]), baseTime.Add(90 * time.Minute).In(zones[2])},
		"Bin":  {[]byte{0, 1, 2}, []byte{0xff, 0}},
		"Flag": {false, true},
		"I32":  {int32(-2147483648), int32(42)},
		"U16":  {uint16(7), uint16(65535)},
		"F64":  {0.1, -2.5e300},
		"I64":  {&i64a, &i64b},
		"Lbl":  {Label("shelving"), Label("SHELVING")},
		"Cnt":  {Count(3), Count(-3)},
	}
}

// sameValue compares values as a store must keep them: times as instants,
// pointers by what they point to.
func sameValue(a, b any) bool {
	a, b = deref(a), deref(b)
	if ta, ok := a.(time.Time); ok {
		tb, ok := b.(time.Time)
		return ok && ta.Equal(tb)
	}
	if ba, ok := a.([]byte); ok {
		bb, ok := b.([]byte)
		return ok && bytes.Equal(ba, bb) && (ba == nil) == (bb == nil)
	}
	return reflect.DeepEqual(a, b)
}

func deref(v any) any {
	rv := reflect.ValueOf(v)
	if rv.Kind() == reflect.Slice && rv.IsNil() {
		return nil
	}
	if rv.Kind() == reflect.Pointer {
		if rv.IsNil() {
			return nil
		}
		return rv.Elem().Interface()
	}
	return v
}

func openTypes[T any](t *testing.T, b Backend) (guard.Store, *guard.Table[T]) {
	t.Helper()
	if b.OpenTypes == nil {
		t.Skipf("%s: Backend.OpenTypes is nil", b.Name)
	}
	name := fmt.Sprintf("guardtypes_%d_%d", tableSeq.Add(1), randSuffix())
	s := b.OpenTypes(t, name)
	if s == nil {
		t.Fatalf("%s: OpenTypes returned a nil store", b.Name)
	}
	tab, err := guard.NewTable[T](name)
	if err != nil {
		t.Fatal(err)
	}
	return s, tab
}

func fieldOf[T any](v *T, name string) reflect.Value {
	return reflect.ValueOf(v).Elem().FieldByName(name)
}

func setField[T any](t *testing.T, v *T, name string, val any) {
	t.Helper()
	f := fieldOf(v, name)
	if val == nil {
		f.SetZero()
		return
	}
	rv := reflect.ValueOf(val)
	if f.Kind() == reflect.Pointer && rv.Kind() != reflect.Pointer {
		p := reflect.New(f.Type().Elem())
		p.Elem().Set(rv.Convert(f.Type().Elem()))
		rv = p
	}
	f.Set(rv.Convert(f.Type()))
}

// typesValues: every column type is loaded as written, and expected and
// fenced on its loaded value, on a value written by another save, and on
// a stale value, on the store.
func typesValues(t *testing.T, b Backend) {
	s, tab := openTypes[Typed](t, b)
	vals := typedValues()
	var v Typed
	v.ID = "r"
	for name, pair := range vals {
		setField(t, &v, name, pair[0])
	}
	if _, err := tab.Insert(ctxOf(t), s, v); err != nil {
		t.Fatal(err)
	}
	r := load(t, tab, s, "r")
	for name, pair := range vals {
		if got := fieldOf(&r.V, name).Interface(); !sameValue(got, pair[0]) {
			t.Errorf("%s loads as %#v, want %#v", name, got, pair[0])
		}
	}
	for _, name := range TypesColumns {
		name := goName(name)
		pair := vals[name]
		t.Run(name, func(t *testing.T) {
			// A fence on the loaded value holds on the store.
			r := load(t, tab, s, "r")
			loaded := fieldOf(&r.V, name).Interface()
			if err := tab.Save(ctxOf(t), s, r, guard.Fence(name, loaded), guard.Retries(0)); err != nil {
				t.Fatalf("fence on the loaded %s %#v: %v", name, loaded, err)
			}
			// A transition expecting the loaded value applies.
			stale := load(t, tab, s, "r")
			r = load(t, tab, s, "r")
			setField(t, &r.V, name, pair[1])
			if err := tab.Save(ctxOf(t), s, r, guard.Expect(name, loaded), guard.Retries(0)); err != nil {
				t.Fatalf("transition of %s from the loaded %#v to %#v: %v", name, loaded, pair[1], err)
			}
			if got := fieldOf(&load(t, tab, s, "r").V, name).Interface(); !sameValue(got, pair[1]) {
				t.Fatalf("%s reads %#v after the transition, want %#v", name, got, pair[1])
			}
			// A stale fence is a conflict the store finds, naming the value.
			ce := asConflict(t, tab.Save(ctxOf(t), s, stale, guard.Fence(name, loaded), guard.Retries(0)))
			if ce.Local || ce.Unknown || ce.Field != name || !sameValue(ce.Actual, pair[1]) {
				t.Errorf("stale fence on %s: conflict %+v, want the store's %#v", name, ce, pair[1])
			}
			// And back.
			r = load(t, tab, s, "r")
			setField(t, &r.V, name, pair[0])
			if err := tab.Save(ctxOf(t), s, r, guard.Expect(name, pair[1]), guard.Retries(0)); err != nil {
				t.Fatalf("transition of %s back: %v", name, err)
			}
		})
	}
}

func goName(column string) string {
	switch column {
	case "i32", "u16", "f64", "i64":
		return strings.ToUpper(column)
	}
	return strings.ToUpper(column[:1]) + column[1:]
}

// typesTimeZones: a time written in any zone loads back as the same
// instant, and the same instant in another zone is the same value.
func typesTimeZones(t *testing.T, b Backend) {
	s, tab := openTypes[Typed](t, b)
	if _, err := tab.Insert(ctxOf(t), s, Typed{ID: "r", Tm: baseTime}); err != nil {
		t.Fatal(err)
	}
	for i, z := range zones {
		want := baseTime.Add(time.Duration(i+1) * time.Hour).In(z)
		r := load(t, tab, s, "r")
		prev := r.V.Tm
		r.V.Tm = want
		if err := tab.Save(ctxOf(t), s, r, guard.Expect("Tm", prev.In(zones[(i+1)%len(zones)])), guard.Retries(0)); err != nil {
			t.Fatalf("zone %q: transition from %v expected in another zone: %v", z, prev, err)
		}
		got := load(t, tab, s, "r")
		if !got.V.Tm.Equal(want) {
			t.Fatalf("zone %q: loads %v, want the instant %v", z, got.V.Tm, want)
		}
		for _, other := range zones {
			if err := tab.Save(ctxOf(t), s, got, guard.Fence("Tm", want.In(other)), guard.Retries(0)); err != nil {
				t.Errorf("zone %q: fence on the same instant in %q: %v", z, other, err)
			}
		}
	}
}

// typesNull: NULL of every type loads as NULL, is expected and fenced as
// NULL, and a transition from and back to NULL applies.
func typesNull(t *testing.T, b Backend) {
	s, tab := openTypes[TypedNull](t, b)
	if _, err := tab.Insert(ctxOf(t), s, TypedNull{ID: "n"}); err != nil {
		t.Fatal(err)
	}
	r := load(t, tab, s, "n")
	for _, c := range TypesColumns {
		if got := fieldOf(&r.V, goName(c)).Interface(); deref(got) != nil {
			t.Errorf("%s loads as %#v, want NULL", goName(c), got)
		}
	}
	vals := typedValues()
	for _, c := range TypesColumns {
		name := goName(c)
		t.Run(name, func(t *testing.T) {
			r := load(t, tab, s, "n")
			if err := tab.Save(ctxOf(t), s, r, guard.Fence(name, nil), guard.Retries(0)); err != nil {
				t.Fatalf("fence on NULL: %v", err)
			}
			stale := load(t, tab, s, "n")
			want := deref(vals[name][0])
			setField(t, &r.V, name, want)
			if err := tab.Save(ctxOf(t), s, r, guard.Expect(name, nil), guard.Retries(0)); err != nil {
				t.Fatalf("transition from NULL to %#v: %v", want, err)
			}
			if got := fieldOf(&load(t, tab, s, "n").V, name).Interface(); !sameValue(got, want) {
				t.Fatalf("reads %#v, want %#v", got, want)
			}
			ce := asConflict(t, tab.Save(ctxOf(t), s, stale, guard.Fence(name, nil), guard.Retries(0)))
			if ce.Local || ce.Unknown || !sameValue(ce.Actual, want) {
				t.Errorf("stale fence on NULL: conflict %+v, want the store's %#v", ce, want)
			}
			setField(t, &r.V, name, nil)
			if err := tab.Save(ctxOf(t), s, r, guard.Expect(name, want), guard.Retries(0)); err != nil {
				t.Fatalf("transition back to NULL: %v", err)
			}
			if got := fieldOf(&load(t, tab, s, "n").V, name).Interface(); deref(got) != nil {
				t.Fatalf("reads %#v, want NULL", got)
			}
		})
	}
}

// guardFenceKeepsVersion: a save that sets nothing on a versioned table
// checks the version but does not write it, so fences do not conflict
// with one another; a change in between still fails the fence.
func guardFenceKeepsVersion(t *testing.T, b Backend) {
	s, tbl := b.open(t)
	vservers, err := guard.NewTable[VersionedServer](tbl)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vservers.Insert(ctxOf(t), s, VersionedServer{Server: Server{ID: "s1", VMState: "active"}}); err != nil {
		t.Fatal(err)
	}
	a, c := load(t, vservers, s, "s1"), load(t, vservers, s, "s1")
	for _, r := range []*guard.Row[VersionedServer]{a, c, a} {
		if err := vservers.Save(ctxOf(t), s, r, guard.Fence("TaskState", nil)); err != nil {
			t.Fatalf("fence: %v", err)
		}
		if r.V.Version != 0 {
			t.Errorf("a fence moved the row's Version to %d", r.V.Version)
		}
	}
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range 8 {
		wg.Go(func() {
			r, err := vservers.Load(ctxOf(t), s, "s1")
			if err != nil {
				t.Error(err)
				return
			}
			for range 5 {
				if err := vservers.Save(ctxOf(t), s, r, guard.Fence("TaskState", nil)); err != nil {
					failed.Add(1)
					t.Errorf("concurrent fence: %v", err)
				}
			}
		})
	}
	wg.Wait()
	if got := load(t, vservers, s, "s1"); got.V.Version != 0 {
		t.Errorf("stored version %d after fences only, want 0", got.V.Version)
	}
	// A save that changes something bumps it, and fails a stale fence.
	w := load(t, vservers, s, "s1")
	w.V.Host = strp("h2")
	if err := vservers.Save(ctxOf(t), s, w); err != nil {
		t.Fatal(err)
	}
	ce := asConflict(t, vservers.Save(ctxOf(t), s, a, guard.Fence("TaskState", nil)))
	if ce.Field != "Version" || ce.Actual != int64(1) {
		t.Errorf("stale fence: conflict %+v, want Version 1", ce)
	}
}

// guardUnknownSaysWhat: a conflict of unknown cause tells what was
// compared: each condition's column, the expected values and the value
// read back.
func guardUnknownSaysWhat(t *testing.T, b Backend) {
	s, tbl := b.open(t)
	vservers, err := guard.NewTable[VersionedServer](tbl)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vservers.Insert(ctxOf(t), s, VersionedServer{Server: Server{ID: "s1", VMState: "active", Host: strp("h1")}}); err != nil {
		t.Fatal(err)
	}
	rec := record(s)
	rec.intercept = func(ctx context.Context, n int, w *guard.Write) (guard.Result, error, bool) {
		res, err := unknownCause(ctx, rec.Store, w)
		return res, err, true
	}
	r := load(t, vservers, rec, "s1")
	r.V.TaskState = ts(Shelving)
	ce := asConflict(t, vservers.Save(ctxOf(t), rec, r, guard.Expect("TaskState", nil), guard.Fence("Host", "h1", "h2"), guard.Retries(1)))
	if !ce.Unknown {
		t.Fatalf("conflict %+v, want Unknown", ce)
	}
	want := []guard.Comparison{
		{Field: "TaskState", Column: "task_state", Expected: []any{nil}, Actual: nil},
		{Field: "Host", Column: "host", Expected: []any{"h1", "h2"}, Actual: "h1"},
		{Field: "Version", Column: "version", Expected: []any{int64(0)}, Actual: int64(0)},
	}
	if !reflect.DeepEqual(ce.Compared, want) {
		t.Errorf("Compared = %#v\nwant %#v", ce.Compared, want)
	}
	msg := ce.Error()
	for _, part := range []string{"task_state", "expected NULL", "host", `one of ["h1" "h2"]`, `read "h1"`, "version", "read 0", "2 attempts"} {
		if !strings.Contains(msg, part) {
			t.Errorf("message %q does not say %q", msg, part)
		}
	}
}

// guardUpdateContended: Writers() goroutines each increment one counter
// once through Update. With the default attempts some may give up (the
// number is logged); with Attempts(Writers()) none does, since each lost
// attempt is another writer's committed increment.
func guardUpdateContended(t *testing.T, b Backend) {
	s, tbl := b.open(t)
	vservers, err := guard.NewTable[VersionedServer](tbl)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vservers.Insert(ctxOf(t), s, VersionedServer{Server: Server{ID: "s1", VMState: "active", Host: strp("0")}}); err != nil {
		t.Fatal(err)
	}
	n := Writers()
	run := func(opts ...guard.Option) (ok, lost int64) {
		var okN, lostN atomic.Int64
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range n {
			wg.Go(func() {
				<-start
				_, err := vservers.Update(ctxOf(t), s, "s1", func(v *VersionedServer) ([]guard.Option, error) {
					c, err := strconv.Atoi(*v.Host)
					if err != nil {
						return nil, err
					}
					v.Host = strp(strconv.Itoa(c + 1))
					return nil, nil
				}, opts...)
				switch {
				case err == nil:
					okN.Add(1)
				case errors.Is(err, guard.ErrConflict):
					lostN.Add(1)
				default:
					t.Errorf("Update: %v", err)
				}
			})
		}
		close(start)
		wg.Wait()
		return okN.Load(), lostN.Load()
	}
	okDefault, lostDefault := run()
	okMany, lostMany := run(guard.Attempts(n))
	got := load(t, vservers, s, "s1")
	if want := strconv.Itoa(int(okDefault + okMany)); *got.V.Host != want || got.V.Version != okDefault+okMany {
		t.Errorf("counter %s at version %d, want %s: an increment reported saved is missing, or one reported lost is there", *got.V.Host, got.V.Version, want)
	}
	if lostMany != 0 || okMany != int64(n) {
		t.Errorf("with Attempts(%d): %d saved, %d lost, want all %d saved", n, okMany, lostMany, n)
	}
	t.Logf("%s: %d concurrent increments: default attempts (%d) lost %d; Attempts(%d) lost %d", b.Name, n, guard.DefaultAttempts, lostDefault, n, lostMany)
	if _, err := vservers.Update(ctxOf(t), s, "s1", func(*VersionedServer) ([]guard.Option, error) { return nil, nil }, guard.Attempts(0)); !errors.Is(err, guard.ErrInvalid) {
		t.Errorf("Update with Attempts(0): err = %v, want ErrInvalid", err)
	}
	if _, err := vservers.Update(ctxOf(t), s, "s1", func(*VersionedServer) ([]guard.Option, error) { return nil, nil }, guard.Fence("TaskState", nil)); !errors.Is(err, guard.ErrInvalid) {
		t.Errorf("Update with a Fence among its own options: err = %v, want ErrInvalid (expectations come from change)", err)
	}
}
