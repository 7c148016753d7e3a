// Package sqltest holds the store-level tests shared by the SQL stores: each
// store's own tests call Run with a Config for its database. The checks run
// against guard.Store directly, below the typed API of package guard.
package sqltest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/guardtest"
	"github.com/stateguard/stateguard/guard/sqlstore"
)

// Config describes a database to Run.
type Config struct {
	// DB is the database; Run creates and drops its tables in it.
	DB *sql.DB
	// New returns the store under test over q.
	New func(q sqlstore.Querier) *sqlstore.Store
	// ForUpdate is set when the database has row locks (SELECT ... FOR
	// UPDATE); without it a lock holder takes the database's write lock.
	ForUpdate bool
	// ConnID returns the server's id of the connection it runs on; empty
	// when connections cannot be killed (SQLite).
	ConnID string
	// Kill returns the statement that kills the connection with id.
	Kill func(id int64) string
	// KillIsUnknown is set when a save killed while it waits on a lock
	// must report ErrOutcomeUnknown, because its write statement was sent.
	KillIsUnknown bool
	// Rounds is the number of rounds of the race; 0 means
	// guardtest.Rounds(), set with -guardtest.rounds.
	Rounds int
}

// DDL is the portable table of the tests (the conformance fixture's shape).
func DDL(name string) string {
	return "CREATE TABLE " + name + ` (
  id VARCHAR(64) PRIMARY KEY,
  task_state VARCHAR(64) NULL,
  vm_state VARCHAR(64) NOT NULL,
  host VARCHAR(64) NULL,
  version BIGINT NOT NULL DEFAULT 0)`
}

// NewTable creates a table with a fresh name in db and drops it when t ends.
func NewTable(t testing.TB, db *sql.DB) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := "sg_test_" + hex.EncodeToString(b[:])
	if _, err := db.Exec(DDL(name)); err != nil {
		t.Fatalf("create table %s: %v", name, err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec("DROP TABLE " + name); err != nil {
			t.Errorf("drop table %s: %v", name, err)
		}
	})
	return name
}

var (
	strPtr = reflect.TypeFor[*string]()
	str    = reflect.TypeFor[string]()
	i64    = reflect.TypeFor[int64]()
)

// Read is the Read list of the tests' writes.
var Read = []guard.Column{{Name: "task_state", Type: strPtr}, {Name: "host", Type: strPtr}}

// Key names row id.
func Key(id string) []guard.Value { return []guard.Value{{Column: "id", Value: id}} }

// Insert inserts row id with the given task state (nil: NULL).
func Insert(t testing.TB, s guard.Store, table, id string, task any) {
	t.Helper()
	err := s.Insert(context.Background(), table, []guard.Value{
		{Column: "id", Value: id}, {Column: "task_state", Value: task},
		{Column: "vm_state", Value: "active"}, {Column: "host", Value: "h0"},
	})
	if err != nil {
		t.Fatalf("insert %s: %v", id, err)
	}
}

// State loads task_state and host of row id (nil pointers for NULL).
func State(t testing.TB, s guard.Store, table, id string) (task, host *string) {
	t.Helper()
	v, err := s.Load(context.Background(), table, Key(id), Read)
	if err != nil {
		t.Fatalf("load %s: %v", id, err)
	}
	return v[0].(*string), v[1].(*string)
}

// Transition is the Write that moves row id from the states in from (nil:
// NULL) to task, writing host.
func Transition(table, id string, task any, host string, from ...any) *guard.Write {
	return &guard.Write{
		Table: table,
		Key:   Key(id),
		Set:   []guard.Value{{Column: "task_state", Value: task}, {Column: "host", Value: host}},
		Where: []guard.Cond{Expect("task_state", from...)},
		Read:  Read,
	}
}

// Expect builds a Cond; a nil among values means NULL.
func Expect(col string, values ...any) guard.Cond {
	c := guard.Cond{Column: col}
	for _, v := range values {
		if v == nil {
			c.Null = true
		} else {
			c.Values = append(c.Values, v)
		}
	}
	return c
}

// Deref returns *p, or "<NULL>".
func Deref(p *string) string {
	if p == nil {
		return "<NULL>"
	}
	return *p
}

func apply(t *testing.T, s guard.Store, w *guard.Write, want guard.Outcome) guard.Result {
	t.Helper()
	res, err := s.Apply(context.Background(), w)
	if err != nil {
		t.Fatalf("Apply(%+v): %v", w, err)
	}
	if res.Outcome != want {
		t.Fatalf("Apply(%+v) = %+v, want outcome %d", w, res, want)
	}
	return res
}

func wantActual(t *testing.T, res guard.Result, task string) {
	t.Helper()
	if len(res.Actual) != len(Read) {
		t.Fatalf("Actual = %v, want %d values", res.Actual, len(Read))
	}
	got, ok := res.Actual[0].(*string)
	if !ok {
		t.Fatalf("Actual[0] is %T, want *string", res.Actual[0])
	}
	if Deref(got) != task {
		t.Fatalf("Actual task_state = %s, want %s", Deref(got), task)
	}
}

// Run runs the store-level tests on c.
func Run(t *testing.T, c Config) {
	t.Run("Transition", func(t *testing.T) { testTransition(t, c) })
	t.Run("NullStates", func(t *testing.T) { testNull(t, c) })
	t.Run("DeletedRow", func(t *testing.T) { testDeleted(t, c) })
	t.Run("Fence", func(t *testing.T) { testFence(t, c) })
	t.Run("BadInput", func(t *testing.T) { testBadInput(t, c) })
	t.Run("CallerTx", func(t *testing.T) { testCallerTx(t, c) })
	t.Run("ContextDoneBeforeSend", func(t *testing.T) { testCtxBefore(t, c) })
	t.Run("CancelWhileLocked", func(t *testing.T) { testCancelWhileLocked(t, c) })
	t.Run("KilledMidSave", func(t *testing.T) { testKilled(t, c) })
	t.Run("Race32", func(t *testing.T) { testRace(t, c) })
}

func testTransition(t *testing.T, c Config) {
	s := c.New(c.DB)
	tab := NewTable(t, c.DB)
	Insert(t, s, tab, "a", nil)

	apply(t, s, Transition(tab, "a", "shelving", "h1", nil), guard.Applied)
	if task, host := State(t, s, tab, "a"); Deref(task) != "shelving" || Deref(host) != "h1" {
		t.Fatalf("after shelve: task=%s host=%s", Deref(task), Deref(host))
	}
	// The duplicate loaded the row before the first shelve: it still
	// expects NULL and must lose, told the true state.
	res := apply(t, s, Transition(tab, "a", "shelving", "h2", nil), guard.Mismatch)
	wantActual(t, res, "shelving")
	if _, host := State(t, s, tab, "a"); Deref(host) != "h1" {
		t.Fatalf("a losing save wrote host=%s", Deref(host))
	}

	// A write that changes no value but whose condition holds applies: the
	// store must not confuse "nothing changed" with "nothing matched".
	w := &guard.Write{Table: tab, Key: Key("a"),
		Set:   []guard.Value{{Column: "host", Value: "h1"}},
		Where: []guard.Cond{Expect("task_state", "shelving")}, Read: Read}
	apply(t, s, w, guard.Applied)

	// Several conditions, typed Load of every column.
	w = &guard.Write{Table: tab, Key: Key("a"),
		Set:   []guard.Value{{Column: "task_state", Value: nil}, {Column: "version", Value: int64(2)}},
		Where: []guard.Cond{Expect("task_state", "shelving", "other"), Expect("vm_state", "active")}, Read: Read}
	apply(t, s, w, guard.Applied)
	v, err := s.Load(context.Background(), tab, Key("a"), []guard.Column{
		{Name: "task_state", Type: strPtr}, {Name: "vm_state", Type: str}, {Name: "version", Type: i64}})
	if err != nil {
		t.Fatal(err)
	}
	if v[0].(*string) != nil || v[1].(string) != "active" || v[2].(int64) != 2 {
		t.Fatalf("Load = %v", v)
	}
	err = s.Insert(context.Background(), tab, []guard.Value{{Column: "id", Value: "a"}, {Column: "vm_state", Value: "x"}})
	if !errors.Is(err, guard.ErrExists) {
		t.Fatalf("duplicate Insert: %v, want ErrExists", err)
	}
}

func testNull(t *testing.T, c Config) {
	s := c.New(c.DB)
	tab := NewTable(t, c.DB)
	Insert(t, s, tab, "n", nil)

	// Expecting a value never matches NULL, and the mismatch reports NULL.
	res := apply(t, s, Transition(tab, "n", "x", "h", "a"), guard.Mismatch)
	wantActual(t, res, "<NULL>")
	// NULL among values: (col IS NULL OR col IN (...)).
	apply(t, s, Transition(tab, "n", "a", "h", nil, "b", "c"), guard.Applied)
	// Values only, and the row is now "a".
	apply(t, s, Transition(tab, "n", nil, "h", "b", "a"), guard.Applied)
	// A nil listed among Values (not via Null) still means NULL, never IN (NULL).
	w := Transition(tab, "n", "b", "h")
	w.Where = []guard.Cond{{Column: "task_state", Values: []any{nil}}}
	apply(t, s, w, guard.Applied)
	// NULL expected, row holds "b".
	res = apply(t, s, Transition(tab, "n", "c", "h", nil), guard.Mismatch)
	wantActual(t, res, "b")
	// A typed nil pointer is NULL too.
	w = Transition(tab, "n", (*string)(nil), "h", "b")
	apply(t, s, w, guard.Applied)
	if task, _ := State(t, s, tab, "n"); task != nil {
		t.Fatalf("task_state = %s, want NULL", Deref(task))
	}
	// No condition at all is not the same as expecting NULL: it applies
	// whatever the state (the caller decided it pre-empts).
	apply(t, s, Transition(tab, "n", "deleting", "h", "z"), guard.Mismatch)
	w = Transition(tab, "n", "deleting", "h")
	w.Where = nil
	apply(t, s, w, guard.Applied)
}

func testDeleted(t *testing.T, c Config) {
	s := c.New(c.DB)
	tab := NewTable(t, c.DB)
	Insert(t, s, tab, "d", nil)
	if _, err := c.DB.Exec("DELETE FROM " + tab); err != nil {
		t.Fatal(err)
	}
	apply(t, s, Transition(tab, "d", "shelving", "h", nil), guard.NotFound)
	fence := &guard.Write{Table: tab, Key: Key("d"), Where: []guard.Cond{Expect("task_state", nil)}, Read: Read}
	apply(t, s, fence, guard.NotFound)
	if _, err := s.Load(context.Background(), tab, Key("d"), Read); !errors.Is(err, guard.ErrNotFound) {
		t.Fatalf("Load of a deleted row: %v, want ErrNotFound", err)
	}
}

func testFence(t *testing.T, c Config) {
	s := c.New(c.DB)
	tab := NewTable(t, c.DB)
	Insert(t, s, tab, "f", "resize_reverting")

	// Empty Set: still one atomic check against the row.
	fence := &guard.Write{Table: tab, Key: Key("f"), Where: []guard.Cond{Expect("task_state", "resize_reverting")}, Read: Read}
	apply(t, s, fence, guard.Applied)
	fence.Where = []guard.Cond{Expect("task_state", "resizing")}
	res := apply(t, s, fence, guard.Mismatch)
	wantActual(t, res, "resize_reverting")

	// A fence with other fields to write: host moves, task_state stays.
	w := &guard.Write{Table: tab, Key: Key("f"),
		Set:   []guard.Value{{Column: "host", Value: "src"}},
		Where: []guard.Cond{Expect("task_state", "resize_reverting")}, Read: Read}
	apply(t, s, w, guard.Applied)
	if _, err := c.DB.Exec("UPDATE " + tab + " SET task_state = 'deleting'"); err != nil {
		t.Fatal(err)
	}
	w.Set = []guard.Value{{Column: "host", Value: "dst"}}
	res = apply(t, s, w, guard.Mismatch)
	wantActual(t, res, "deleting")
	if _, host := State(t, s, tab, "f"); Deref(host) != "src" {
		t.Fatalf("failed fence wrote host=%s", Deref(host))
	}
}

func testBadInput(t *testing.T, c Config) {
	s := c.New(c.DB)
	tab := NewTable(t, c.DB)
	Insert(t, s, tab, "b", "active")
	ctx := context.Background()

	for name, w := range map[string]*guard.Write{
		"unknown set column":   {Table: tab, Key: Key("b"), Set: []guard.Value{{Column: "task_state", Value: "x"}, {Column: "nope", Value: 1}}, Where: []guard.Cond{Expect("task_state", "active")}},
		"unknown where column": {Table: tab, Key: Key("b"), Set: []guard.Value{{Column: "task_state", Value: "x"}}, Where: []guard.Cond{Expect("nope", "active")}},
		"unknown key column":   {Table: tab, Key: []guard.Value{{Column: "uuid", Value: "b"}}, Set: []guard.Value{{Column: "task_state", Value: "x"}}},
		"unknown read column":  {Table: tab, Key: Key("b"), Set: []guard.Value{{Column: "task_state", Value: "x"}}, Read: []guard.Column{{Name: "nope", Type: strPtr}}},
		"unknown table":        {Table: tab + "_missing", Key: Key("b"), Set: []guard.Value{{Column: "task_state", Value: "x"}}},
	} {
		if _, err := s.Apply(ctx, w); !errors.Is(err, guard.ErrUnknownColumn) {
			t.Errorf("%s: Apply err = %v, want ErrUnknownColumn", name, err)
		}
	}
	if task, _ := State(t, s, tab, "b"); Deref(task) != "active" {
		t.Fatalf("a refused write changed task_state to %s", Deref(task))
	}
	for name, w := range map[string]*guard.Write{
		"nil write":    nil,
		"no table":     {Key: Key("b")},
		"no key":       {Table: tab, Set: []guard.Value{{Column: "task_state", Value: "x"}}},
		"empty expect": {Table: tab, Key: Key("b"), Set: []guard.Value{{Column: "task_state", Value: "x"}}, Where: []guard.Cond{{Column: "task_state"}}},
	} {
		if res, err := s.Apply(ctx, w); err == nil {
			t.Errorf("%s: Apply = %+v, nil error", name, res)
		}
	}
	if task, _ := State(t, s, tab, "b"); Deref(task) != "active" {
		t.Fatalf("a refused write changed task_state to %s", Deref(task))
	}
	if _, err := s.Load(ctx, tab, Key("b"), []guard.Column{{Name: "nope", Type: strPtr}}); !errors.Is(err, guard.ErrUnknownColumn) {
		t.Errorf("Load of an unknown column: %v", err)
	}
	if err := s.Insert(ctx, tab, []guard.Value{{Column: "id", Value: "c"}, {Column: "nope", Value: 1}}); !errors.Is(err, guard.ErrUnknownColumn) {
		t.Errorf("Insert of an unknown column: %v", err)
	}
	// A column added after the store read the table's columns is found.
	if _, err := c.DB.Exec("ALTER TABLE " + tab + " ADD COLUMN zone VARCHAR(64) NULL"); err != nil {
		t.Fatal(err)
	}
	zone := &guard.Write{Table: tab, Key: Key("b"), Set: []guard.Value{{Column: "zone", Value: "z1"}}, Where: []guard.Cond{Expect("task_state", "active")}}
	if res, err := s.Apply(ctx, zone); err != nil || res.Outcome != guard.Applied {
		t.Fatalf("write to an added column: %+v, %v", res, err)
	}
	// A table created after the store first looked for it is found.
	late := tab + "_late"
	if _, err := s.Apply(ctx, &guard.Write{Table: late, Key: Key("x"), Set: []guard.Value{{Column: "host", Value: "h"}}}); !errors.Is(err, guard.ErrUnknownColumn) {
		t.Fatalf("missing table: %v", err)
	}
	if _, err := c.DB.Exec(DDL(late)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.DB.Exec("DROP TABLE " + late) })
	Insert(t, s, late, "x", nil)
}

func testCallerTx(t *testing.T, c Config) {
	s := c.New(c.DB)
	tab := NewTable(t, c.DB)
	Insert(t, s, tab, "t", nil)
	ctx := context.Background()
	for _, commit := range []bool{false, true} {
		tx, err := c.DB.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		ts := s.WithTx(tx)
		res, err := ts.Apply(ctx, Transition(tab, "t", "shelving", "h1", nil))
		if err != nil || res.Outcome != guard.Applied {
			tx.Rollback()
			t.Fatalf("Apply in tx: %+v, %v", res, err)
		}
		// The transaction sees its own write.
		res, err = ts.Apply(ctx, Transition(tab, "t", "x", "h1", nil))
		if err != nil || res.Outcome != guard.Mismatch {
			tx.Rollback()
			t.Fatalf("second Apply in tx: %+v, %v", res, err)
		}
		if commit {
			err = tx.Commit()
		} else {
			err = tx.Rollback()
		}
		if err != nil {
			t.Fatal(err)
		}
		want := "<NULL>"
		if commit {
			want = "shelving"
		}
		if task, _ := State(t, s, tab, "t"); Deref(task) != want {
			t.Fatalf("commit=%v: task_state = %s, want %s", commit, Deref(task), want)
		}
	}
	// New over a *sql.Tx runs in it too.
	tx, err := c.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.New(tx).Apply(ctx, Transition(tab, "t", nil, "h2", "shelving")); err != nil {
		tx.Rollback()
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if task, _ := State(t, s, tab, "t"); Deref(task) != "shelving" {
		t.Fatalf("rolled back save through New(tx) left task_state = %s", Deref(task))
	}
}

func testCtxBefore(t *testing.T, c Config) {
	s := c.New(c.DB)
	tab := NewTable(t, c.DB)
	Insert(t, s, tab, "c", nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Apply(ctx, Transition(tab, "c", "shelving", "h", nil))
	if !errors.Is(err, context.Canceled) || errors.Is(err, guard.ErrOutcomeUnknown) {
		t.Fatalf("Apply with a cancelled context: %v, want context.Canceled and not ErrOutcomeUnknown", err)
	}
	if task, _ := State(t, s, tab, "c"); task != nil {
		t.Fatalf("task_state = %s after a cancelled save", Deref(task))
	}
}

// holdLock takes the row's lock (or the database's write lock) on a
// connection of its own and returns the function that releases it.
func holdLock(t *testing.T, c Config, tab, id string) (release func()) {
	t.Helper()
	ctx := context.Background()
	tx, err := c.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.ForUpdate {
		d := c.New(c.DB).Dialect()
		_, err = tx.ExecContext(ctx, "SELECT id FROM "+tab+" WHERE id = "+d.Placeholder(1)+" FOR UPDATE", id)
	} else {
		_, err = tx.ExecContext(ctx, "UPDATE "+tab+" SET version = version WHERE id = ?", id)
	}
	if err != nil {
		tx.Rollback()
		t.Fatal(err)
	}
	var once sync.Once
	release = func() { once.Do(func() { tx.Rollback() }) }
	t.Cleanup(release)
	return release
}

// checkAfterFailure checks the row after a save that failed with err: a
// definite failure left it unchanged, an unknown outcome left it either
// unchanged or fully written.
func checkAfterFailure(t *testing.T, s guard.Store, tab, id string, err error) {
	t.Helper()
	task, host := State(t, s, tab, id)
	switch {
	case Deref(task) == "<NULL>" && Deref(host) == "h0":
	case Deref(task) == "shelving" && Deref(host) == "h1":
		if !errors.Is(err, guard.ErrOutcomeUnknown) {
			t.Fatalf("the save committed but reported %v, not ErrOutcomeUnknown", err)
		}
	default:
		t.Fatalf("row is inconsistent: task=%s host=%s", Deref(task), Deref(host))
	}
}

func testCancelWhileLocked(t *testing.T, c Config) {
	s := c.New(c.DB)
	tab := NewTable(t, c.DB)
	Insert(t, s, tab, "l", nil)
	release := holdLock(t, c, tab, "l")

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := s.Apply(ctx, Transition(tab, "l", "shelving", "h1", nil))
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	cancel()
	var err error
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Apply did not return after its context was cancelled")
	}
	release()
	if err == nil {
		t.Fatal("Apply with a context cancelled while it waited returned nil")
	}
	if !errors.Is(err, guard.ErrOutcomeUnknown) && !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown or context.Canceled", err)
	}
	t.Logf("cancelled save: %v", err)
	time.Sleep(300 * time.Millisecond) // let a statement still queued on the server finish
	checkAfterFailure(t, s, tab, "l", err)
}

func testKilled(t *testing.T, c Config) {
	if c.ConnID == "" {
		t.Skip("connections cannot be killed on this database")
	}
	ctx := context.Background()
	tab := NewTable(t, c.DB)
	Insert(t, c.New(c.DB), tab, "k", nil)
	conn, err := c.DB.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	var id int64
	if err := conn.QueryRowContext(ctx, c.ConnID).Scan(&id); err != nil {
		t.Fatal(err)
	}
	release := holdLock(t, c, tab, "k")
	done := make(chan error, 1)
	go func() {
		_, err := c.New(conn).Apply(ctx, Transition(tab, "k", "shelving", "h1", nil))
		done <- err
	}()
	time.Sleep(300 * time.Millisecond)
	if _, err := c.DB.ExecContext(ctx, c.Kill(id)); err != nil {
		t.Fatalf("kill %d: %v", id, err)
	}
	select {
	case err = <-done:
	case <-time.After(30 * time.Second):
		t.Fatal("Apply did not return after its connection was killed")
	}
	release()
	if err == nil {
		t.Fatal("Apply on a killed connection returned nil")
	}
	t.Logf("killed save: %v", err)
	if c.KillIsUnknown && !errors.Is(err, guard.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown", err)
	}
	time.Sleep(200 * time.Millisecond)
	checkAfterFailure(t, c.New(c.DB), tab, "k", err)
}

// testRace has guardtest.Writers() goroutines (32) apply one transition,
// each writing its own host, for many rounds: exactly one applies each
// round, every loser is told the state the winner wrote, and the row holds
// the winner's write.
func testRace(t *testing.T, c Config) {
	workers := guardtest.Writers()
	rounds := c.Rounds
	if rounds == 0 {
		rounds = guardtest.Rounds()
	}
	s := c.New(c.DB)
	tab := NewTable(t, c.DB)
	Insert(t, s, tab, "r", "s0")
	ctx := context.Background()
	for round := range rounds {
		from, to := fmt.Sprintf("s%d", round), fmt.Sprintf("s%d", round+1)
		type result struct {
			res guard.Result
			err error
		}
		results := make([]result, workers)
		start := make(chan struct{})
		var wg sync.WaitGroup
		for g := range workers {
			wg.Go(func() {
				<-start
				res, err := s.Apply(ctx, Transition(tab, "r", to, fmt.Sprintf("g%d", g), from))
				results[g] = result{res, err}
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for g, res := range results {
			if res.err != nil {
				t.Fatalf("round %d worker %d: %v", round, g, res.err)
			}
			switch res.res.Outcome {
			case guard.Applied:
				if winner >= 0 {
					t.Fatalf("round %d: workers %d and %d both applied", round, winner, g)
				}
				winner = g
			case guard.Mismatch:
				if len(res.res.Actual) != len(Read) {
					t.Fatalf("round %d worker %d: Actual = %v, want %d values", round, g, res.res.Actual, len(Read))
				}
				if got := Deref(res.res.Actual[0].(*string)); got != to {
					t.Fatalf("round %d worker %d: told actual %s, true state %s", round, g, got, to)
				}
			default:
				t.Fatalf("round %d worker %d: outcome %d", round, g, res.res.Outcome)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no winner", round)
		}
		task, host := State(t, s, tab, "r")
		if Deref(task) != to || Deref(host) != fmt.Sprintf("g%d", winner) {
			t.Fatalf("round %d: row holds %s/%s, winner was g%d", round, Deref(task), Deref(host), winner)
		}
	}
}

// Bench runs the store benchmarks on c: a guarded transition through
// Store.Apply, the equivalent hand-written conditional UPDATE through
// database/sql, and 32 goroutines racing one row.
func Bench(b *testing.B, c Config) {
	s := c.New(c.DB)
	tab := NewTable(b, c.DB)
	Insert(b, s, tab, "b", "s0")
	states := [2]string{"s0", "s1"}
	ctx := context.Background()
	// Both sides write the same columns under the same condition; each
	// iteration moves the row to the other state, so every write applies.
	writes := [2]*guard.Write{
		Transition(tab, "b", "s1", "h", "s0"),
		Transition(tab, "b", "s0", "h", "s1"),
	}
	b.Run("Apply", func(b *testing.B) {
		reset(b, c.DB, tab)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			res, err := s.Apply(ctx, writes[i%2])
			if err != nil || res.Outcome != guard.Applied {
				b.Fatalf("iteration %d: %+v, %v", i, res, err)
			}
		}
	})
	b.Run("ApplyLocked", func(b *testing.B) {
		// The same saves with the fast path off: every save takes the
		// locked path (lock, check, update).
		ls := Locked(c.New)(c.DB)
		reset(b, c.DB, tab)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			res, err := ls.Apply(ctx, writes[i%2])
			if err != nil || res.Outcome != guard.Applied {
				b.Fatalf("iteration %d: %+v, %v", i, res, err)
			}
		}
	})
	d := s.Dialect()
	query := fmt.Sprintf("UPDATE %s SET %s = %s, %s = %s WHERE %s = %s AND %s = %s",
		d.Quote(tab), d.Quote("task_state"), d.Placeholder(1), d.Quote("host"), d.Placeholder(2),
		d.Quote("id"), d.Placeholder(3), d.Quote("task_state"), d.Placeholder(4))
	b.Run("HandwrittenUpdate", func(b *testing.B) {
		reset(b, c.DB, tab)
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			r, err := c.DB.ExecContext(ctx, query, states[(i+1)%2], "h", "b", states[i%2])
			if err != nil {
				b.Fatal(err)
			}
			if n, err := r.RowsAffected(); err != nil || n != 1 {
				b.Fatalf("iteration %d: %d rows, %v", i, n, err)
			}
		}
	})
	b.Run("Interleaved", func(b *testing.B) {
		// Each iteration makes one guarded save through Apply and one
		// hand-written UPDATE, timed apart and in alternating order: the
		// load of a shared machine weighs on both alike, so their ratio is
		// steadier than that of two benchmarks run one after the other.
		reset(b, c.DB, tab)
		var tApply, tHand time.Duration
		guarded := func(i int, w *guard.Write) {
			t0 := time.Now()
			res, err := s.Apply(ctx, w)
			tApply += time.Since(t0)
			if err != nil || res.Outcome != guard.Applied {
				b.Fatalf("iteration %d: %+v, %v", i, res, err)
			}
		}
		hand := func(i int, from, to string) {
			t0 := time.Now()
			r, err := c.DB.ExecContext(ctx, query, to, "h", "b", from)
			tHand += time.Since(t0)
			if err != nil {
				b.Fatal(err)
			}
			if n, err := r.RowsAffected(); err != nil || n != 1 {
				b.Fatalf("iteration %d: %d rows, %v", i, n, err)
			}
		}
		for i := 0; b.Loop(); i++ {
			if i%2 == 0 {
				guarded(i, writes[0]) // s0 → s1
				hand(i, "s1", "s0")
			} else {
				hand(i, "s0", "s1")
				guarded(i, writes[1]) // s1 → s0
			}
		}
		b.ReportMetric(float64(tApply.Nanoseconds())/float64(b.N), "apply-ns/op")
		b.ReportMetric(float64(tHand.Nanoseconds())/float64(b.N), "update-ns/op")
		b.ReportMetric(float64(tApply)/float64(tHand), "apply/update")
	})
	b.Run("Race32", func(b *testing.B) {
		reset(b, c.DB, tab)
		var mu sync.Mutex
		var applied, mismatched int
		b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0)))
		b.RunParallel(func(pb *testing.PB) {
			a, m := 0, 0
			for i := 0; pb.Next(); i++ {
				res, err := s.Apply(ctx, writes[i%2])
				if err != nil {
					b.Error(err)
					return
				}
				if res.Outcome == guard.Applied {
					a++
				} else {
					m++
				}
			}
			mu.Lock()
			applied, mismatched = applied+a, mismatched+m
			mu.Unlock()
		})
		if total := applied + mismatched; total > 0 {
			b.ReportMetric(float64(applied)/float64(total), "applied/op")
		}
	})
}

func reset(b *testing.B, db *sql.DB, tab string) {
	if _, err := db.Exec("UPDATE " + tab + " SET task_state = 's0'"); err != nil {
		b.Fatal(err)
	}
}

// Locked returns newStore with the dialect's fast path turned off, so that
// every save takes the locked path that classifies a write that did not
// apply.
func Locked(newStore func(sqlstore.Querier) *sqlstore.Store) func(sqlstore.Querier) *sqlstore.Store {
	return func(q sqlstore.Querier) *sqlstore.Store {
		d := newStore(q).Dialect()
		d.FastPath = false
		return sqlstore.New(q, d)
	}
}

// RunBoth runs Run on c as is (subtest "fast") and with Locked (subtest
// "locked").
func RunBoth(t *testing.T, c Config) {
	t.Run("fast", func(t *testing.T) { Run(t, c) })
	locked := c
	locked.New = Locked(c.New)
	// Locking first, the write is sent only once the lock is held: a save
	// killed while it waits for the lock sent nothing that can commit.
	locked.KillIsUnknown = c.KillIsUnknown && c.New(c.DB).Dialect().Strategy == sqlstore.SingleStatement
	t.Run("locked", func(t *testing.T) { Run(t, locked) })
}
