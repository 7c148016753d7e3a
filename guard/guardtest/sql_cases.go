package guardtest

// The SQL cases: store-level cases for the stores built on guard/sqlstore,
// which need the database under the store (its *sql.DB, a connection to
// kill, a second transaction to hold a lock). Run runs them, with the
// dialect's fast path on and off (subtests sql/fast and sql/locked), for a
// Backend whose SQL is set. They run against guard.Store directly, below
// the typed API of package guard.

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/sqlstore"
)

// sqlConfig describes a database to runSQL.
type sqlConfig struct {
	// DB is the database; runSQL creates and drops its tables in it.
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
	// Rounds(), set with -guardtest.rounds.
	Rounds int
}

// sqlTable creates a table with a fresh name in db and drops it when t ends.
func sqlTable(t testing.TB, db *sql.DB) string {
	t.Helper()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	name := "sg_test_" + hex.EncodeToString(b[:])
	if _, err := db.Exec(TableDDL(name)); err != nil {
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

// sqlRead is the Read list of the tests' writes.
var sqlRead = []guard.Column{{Name: "task_state", Type: strPtr}, {Name: "host", Type: strPtr}}

// sqlKey names row id.
func sqlKey(id string) []guard.Value { return []guard.Value{{Column: "id", Value: id}} }

// sqlInsert inserts row id with the given task state (nil: NULL).
func sqlInsert(t testing.TB, s guard.Store, table, id string, task any) {
	t.Helper()
	err := s.Insert(context.Background(), table, []guard.Value{
		{Column: "id", Value: id}, {Column: "task_state", Value: task},
		{Column: "vm_state", Value: "active"}, {Column: "host", Value: "h0"},
	})
	if err != nil {
		t.Fatalf("insert %s: %v", id, err)
	}
}

// sqlState loads task_state and host of row id (nil pointers for NULL).
func sqlState(t testing.TB, s guard.Store, table, id string) (task, host *string) {
	t.Helper()
	v, err := s.Load(context.Background(), table, sqlKey(id), sqlRead)
	if err != nil {
		t.Fatalf("load %s: %v", id, err)
	}
	return v[0].(*string), v[1].(*string)
}

// sqlTransition is the Write that moves row id from the states in from (nil:
// NULL) to task, writing host.
func sqlTransition(table, id string, task any, host string, from ...any) *guard.Write {
	return &guard.Write{
		Table: table,
		Key:   sqlKey(id),
		Set:   []guard.Value{{Column: "task_state", Value: task}, {Column: "host", Value: host}},
		Where: []guard.Cond{sqlExpect("task_state", from...)},
		Read:  sqlRead,
	}
}

// sqlExpect builds a Cond; a nil among values means NULL.
func sqlExpect(col string, values ...any) guard.Cond {
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

// sqlDeref returns *p, or "<NULL>".
func sqlDeref(p *string) string {
	if p == nil {
		return "<NULL>"
	}
	return *p
}

func sqlApply(t *testing.T, s guard.Store, w *guard.Write, want guard.Outcome) guard.Result {
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

func sqlWantActual(t *testing.T, res guard.Result, task string) {
	t.Helper()
	if len(res.Actual) != len(sqlRead) {
		t.Fatalf("Actual = %v, want %d values", res.Actual, len(sqlRead))
	}
	got, ok := res.Actual[0].(*string)
	if !ok {
		t.Fatalf("Actual[0] is %T, want *string", res.Actual[0])
	}
	if sqlDeref(got) != task {
		t.Fatalf("Actual task_state = %s, want %s", sqlDeref(got), task)
	}
}

// runSQL runs the SQL cases on c.
func runSQL(t *testing.T, c sqlConfig) {
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
	t.Run("Statements", func(t *testing.T) { testStatements(t, c) })
}

// sqlCounter is a Querier over a *sql.DB that counts what the store sends on
// it: statements run outside a transaction, and transactions begun.
type sqlCounter struct {
	db                 *sql.DB
	exec, query, begin int
}

func (q *sqlCounter) ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q.exec++
	return q.db.ExecContext(ctx, query, args...)
}

func (q *sqlCounter) QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q.query++
	return q.db.QueryContext(ctx, query, args...)
}

func (q *sqlCounter) QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row {
	q.query++
	return q.db.QueryRowContext(ctx, query, args...)
}

func (q *sqlCounter) BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error) {
	q.begin++
	return q.db.BeginTx(ctx, opts)
}

// testStatements counts what a save sends. With the fast path, a save that
// applies costs what the hand-written conditional UPDATE costs: that one
// statement and nothing else. One that does not apply then goes to the
// locked path, which classifies it from a read that is not stale.
func testStatements(t *testing.T, c sqlConfig) {
	q := &sqlCounter{db: c.DB}
	s := c.New(q)
	if !s.Dialect().FastPath {
		t.Skip("no fast path: a save takes the locked path")
	}
	tab := sqlTable(t, c.DB)
	sqlInsert(t, s, tab, "q", nil) // reads the table's columns once
	*q = sqlCounter{db: c.DB}
	sqlApply(t, s, sqlTransition(tab, "q", "shelving", "h1", nil), guard.Applied)
	if *q != (sqlCounter{db: c.DB, exec: 1}) {
		t.Errorf("a save that applied sent %d statements, %d queries and began %d transactions; want the UPDATE alone", q.exec, q.query, q.begin)
	}
	*q = sqlCounter{db: c.DB}
	res := sqlApply(t, s, sqlTransition(tab, "q", "shelving", "h2", nil), guard.Mismatch)
	sqlWantActual(t, res, "shelving")
	if q.exec != 1 || q.query+q.begin != 1 {
		t.Errorf("a save that did not apply sent %d statements, %d queries and began %d transactions; want the UPDATE, then one locking statement or transaction", q.exec, q.query, q.begin)
	}
}

func testTransition(t *testing.T, c sqlConfig) {
	s := c.New(c.DB)
	tab := sqlTable(t, c.DB)
	sqlInsert(t, s, tab, "a", nil)

	sqlApply(t, s, sqlTransition(tab, "a", "shelving", "h1", nil), guard.Applied)
	if task, host := sqlState(t, s, tab, "a"); sqlDeref(task) != "shelving" || sqlDeref(host) != "h1" {
		t.Fatalf("after shelve: task=%s host=%s", sqlDeref(task), sqlDeref(host))
	}
	// The duplicate loaded the row before the first shelve: it still
	// expects NULL and must lose, told the true state.
	res := sqlApply(t, s, sqlTransition(tab, "a", "shelving", "h2", nil), guard.Mismatch)
	sqlWantActual(t, res, "shelving")
	if _, host := sqlState(t, s, tab, "a"); sqlDeref(host) != "h1" {
		t.Fatalf("a losing save wrote host=%s", sqlDeref(host))
	}

	// A write that changes no value but whose condition holds applies: the
	// store must not confuse "nothing changed" with "nothing matched".
	w := &guard.Write{Table: tab, Key: sqlKey("a"),
		Set:   []guard.Value{{Column: "host", Value: "h1"}},
		Where: []guard.Cond{sqlExpect("task_state", "shelving")}, Read: sqlRead}
	sqlApply(t, s, w, guard.Applied)

	// Several conditions, typed Load of every column.
	w = &guard.Write{Table: tab, Key: sqlKey("a"),
		Set:   []guard.Value{{Column: "task_state", Value: nil}, {Column: "version", Value: int64(2)}},
		Where: []guard.Cond{sqlExpect("task_state", "shelving", "other"), sqlExpect("vm_state", "active")}, Read: sqlRead}
	sqlApply(t, s, w, guard.Applied)
	v, err := s.Load(context.Background(), tab, sqlKey("a"), []guard.Column{
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

func testNull(t *testing.T, c sqlConfig) {
	s := c.New(c.DB)
	tab := sqlTable(t, c.DB)
	sqlInsert(t, s, tab, "n", nil)

	// Expecting a value never matches NULL, and the mismatch reports NULL.
	res := sqlApply(t, s, sqlTransition(tab, "n", "x", "h", "a"), guard.Mismatch)
	sqlWantActual(t, res, "<NULL>")
	// NULL among values: (col IS NULL OR col IN (...)).
	sqlApply(t, s, sqlTransition(tab, "n", "a", "h", nil, "b", "c"), guard.Applied)
	// Values only, and the row is now "a".
	sqlApply(t, s, sqlTransition(tab, "n", nil, "h", "b", "a"), guard.Applied)
	// A nil listed among Values (not via Null) still means NULL, never IN (NULL).
	w := sqlTransition(tab, "n", "b", "h")
	w.Where = []guard.Cond{{Column: "task_state", Values: []any{nil}}}
	sqlApply(t, s, w, guard.Applied)
	// NULL expected, row holds "b".
	res = sqlApply(t, s, sqlTransition(tab, "n", "c", "h", nil), guard.Mismatch)
	sqlWantActual(t, res, "b")
	// A typed nil pointer is NULL too.
	w = sqlTransition(tab, "n", (*string)(nil), "h", "b")
	sqlApply(t, s, w, guard.Applied)
	if task, _ := sqlState(t, s, tab, "n"); task != nil {
		t.Fatalf("task_state = %s, want NULL", sqlDeref(task))
	}
	// No condition at all is not the same as expecting NULL: it applies
	// whatever the state (the caller decided it pre-empts).
	sqlApply(t, s, sqlTransition(tab, "n", "deleting", "h", "z"), guard.Mismatch)
	w = sqlTransition(tab, "n", "deleting", "h")
	w.Where = nil
	sqlApply(t, s, w, guard.Applied)
}

func testDeleted(t *testing.T, c sqlConfig) {
	s := c.New(c.DB)
	tab := sqlTable(t, c.DB)
	sqlInsert(t, s, tab, "d", nil)
	if _, err := c.DB.Exec("DELETE FROM " + tab); err != nil {
		t.Fatal(err)
	}
	sqlApply(t, s, sqlTransition(tab, "d", "shelving", "h", nil), guard.NotFound)
	fence := &guard.Write{Table: tab, Key: sqlKey("d"), Where: []guard.Cond{sqlExpect("task_state", nil)}, Read: sqlRead}
	sqlApply(t, s, fence, guard.NotFound)
	if _, err := s.Load(context.Background(), tab, sqlKey("d"), sqlRead); !errors.Is(err, guard.ErrNotFound) {
		t.Fatalf("Load of a deleted row: %v, want ErrNotFound", err)
	}
}

func testFence(t *testing.T, c sqlConfig) {
	s := c.New(c.DB)
	tab := sqlTable(t, c.DB)
	sqlInsert(t, s, tab, "f", "resize_reverting")

	// Empty Set: still one atomic check against the row.
	fence := &guard.Write{Table: tab, Key: sqlKey("f"), Where: []guard.Cond{sqlExpect("task_state", "resize_reverting")}, Read: sqlRead}
	sqlApply(t, s, fence, guard.Applied)
	fence.Where = []guard.Cond{sqlExpect("task_state", "resizing")}
	res := sqlApply(t, s, fence, guard.Mismatch)
	sqlWantActual(t, res, "resize_reverting")

	// A fence with other fields to write: host moves, task_state stays.
	w := &guard.Write{Table: tab, Key: sqlKey("f"),
		Set:   []guard.Value{{Column: "host", Value: "src"}},
		Where: []guard.Cond{sqlExpect("task_state", "resize_reverting")}, Read: sqlRead}
	sqlApply(t, s, w, guard.Applied)
	if _, err := c.DB.Exec("UPDATE " + tab + " SET task_state = 'deleting'"); err != nil {
		t.Fatal(err)
	}
	w.Set = []guard.Value{{Column: "host", Value: "dst"}}
	res = sqlApply(t, s, w, guard.Mismatch)
	sqlWantActual(t, res, "deleting")
	if _, host := sqlState(t, s, tab, "f"); sqlDeref(host) != "src" {
		t.Fatalf("failed fence wrote host=%s", sqlDeref(host))
	}
}

func testBadInput(t *testing.T, c sqlConfig) {
	s := c.New(c.DB)
	tab := sqlTable(t, c.DB)
	sqlInsert(t, s, tab, "b", "active")
	ctx := context.Background()

	for name, w := range map[string]*guard.Write{
		"unknown set column":   {Table: tab, Key: sqlKey("b"), Set: []guard.Value{{Column: "task_state", Value: "x"}, {Column: "nope", Value: 1}}, Where: []guard.Cond{sqlExpect("task_state", "active")}},
		"unknown where column": {Table: tab, Key: sqlKey("b"), Set: []guard.Value{{Column: "task_state", Value: "x"}}, Where: []guard.Cond{sqlExpect("nope", "active")}},
		"unknown key column":   {Table: tab, Key: []guard.Value{{Column: "uuid", Value: "b"}}, Set: []guard.Value{{Column: "task_state", Value: "x"}}},
		"unknown read column":  {Table: tab, Key: sqlKey("b"), Set: []guard.Value{{Column: "task_state", Value: "x"}}, Read: []guard.Column{{Name: "nope", Type: strPtr}}},
		"unknown table":        {Table: tab + "_missing", Key: sqlKey("b"), Set: []guard.Value{{Column: "task_state", Value: "x"}}},
	} {
		if _, err := s.Apply(ctx, w); !errors.Is(err, guard.ErrUnknownColumn) {
			t.Errorf("%s: Apply err = %v, want ErrUnknownColumn", name, err)
		}
	}
	if task, _ := sqlState(t, s, tab, "b"); sqlDeref(task) != "active" {
		t.Fatalf("a refused write changed task_state to %s", sqlDeref(task))
	}
	for name, w := range map[string]*guard.Write{
		"nil write":    nil,
		"no table":     {Key: sqlKey("b")},
		"no key":       {Table: tab, Set: []guard.Value{{Column: "task_state", Value: "x"}}},
		"empty expect": {Table: tab, Key: sqlKey("b"), Set: []guard.Value{{Column: "task_state", Value: "x"}}, Where: []guard.Cond{{Column: "task_state"}}},
	} {
		if res, err := s.Apply(ctx, w); err == nil {
			t.Errorf("%s: Apply = %+v, nil error", name, res)
		}
	}
	if task, _ := sqlState(t, s, tab, "b"); sqlDeref(task) != "active" {
		t.Fatalf("a refused write changed task_state to %s", sqlDeref(task))
	}
	if _, err := s.Load(ctx, tab, sqlKey("b"), []guard.Column{{Name: "nope", Type: strPtr}}); !errors.Is(err, guard.ErrUnknownColumn) {
		t.Errorf("Load of an unknown column: %v", err)
	}
	if err := s.Insert(ctx, tab, []guard.Value{{Column: "id", Value: "c"}, {Column: "nope", Value: 1}}); !errors.Is(err, guard.ErrUnknownColumn) {
		t.Errorf("Insert of an unknown column: %v", err)
	}
	// A column added after the store read the table's columns is found.
	if _, err := c.DB.Exec("ALTER TABLE " + tab + " ADD COLUMN zone VARCHAR(64) NULL"); err != nil {
		t.Fatal(err)
	}
	zone := &guard.Write{Table: tab, Key: sqlKey("b"), Set: []guard.Value{{Column: "zone", Value: "z1"}}, Where: []guard.Cond{sqlExpect("task_state", "active")}}
	if res, err := s.Apply(ctx, zone); err != nil || res.Outcome != guard.Applied {
		t.Fatalf("write to an added column: %+v, %v", res, err)
	}
	// A table created after the store first looked for it is found.
	late := tab + "_late"
	if _, err := s.Apply(ctx, &guard.Write{Table: late, Key: sqlKey("x"), Set: []guard.Value{{Column: "host", Value: "h"}}}); !errors.Is(err, guard.ErrUnknownColumn) {
		t.Fatalf("missing table: %v", err)
	}
	if _, err := c.DB.Exec(TableDDL(late)); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.DB.Exec("DROP TABLE " + late) })
	sqlInsert(t, s, late, "x", nil)
}

func testCallerTx(t *testing.T, c sqlConfig) {
	s := c.New(c.DB)
	tab := sqlTable(t, c.DB)
	sqlInsert(t, s, tab, "t", nil)
	ctx := context.Background()
	for _, commit := range []bool{false, true} {
		tx, err := c.DB.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		ts := s.WithTx(tx)
		res, err := ts.Apply(ctx, sqlTransition(tab, "t", "shelving", "h1", nil))
		if err != nil || res.Outcome != guard.Applied {
			tx.Rollback()
			t.Fatalf("Apply in tx: %+v, %v", res, err)
		}
		// The transaction sees its own write.
		res, err = ts.Apply(ctx, sqlTransition(tab, "t", "x", "h1", nil))
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
		if task, _ := sqlState(t, s, tab, "t"); sqlDeref(task) != want {
			t.Fatalf("commit=%v: task_state = %s, want %s", commit, sqlDeref(task), want)
		}
	}
	// New over a *sql.Tx runs in it too.
	tx, err := c.DB.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.New(tx).Apply(ctx, sqlTransition(tab, "t", nil, "h2", "shelving")); err != nil {
		tx.Rollback()
		t.Fatal(err)
	}
	if err := tx.Rollback(); err != nil {
		t.Fatal(err)
	}
	if task, _ := sqlState(t, s, tab, "t"); sqlDeref(task) != "shelving" {
		t.Fatalf("rolled back save through New(tx) left task_state = %s", sqlDeref(task))
	}
}

func testCtxBefore(t *testing.T, c sqlConfig) {
	s := c.New(c.DB)
	tab := sqlTable(t, c.DB)
	sqlInsert(t, s, tab, "c", nil)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := s.Apply(ctx, sqlTransition(tab, "c", "shelving", "h", nil))
	if !errors.Is(err, context.Canceled) || errors.Is(err, guard.ErrOutcomeUnknown) {
		t.Fatalf("Apply with a cancelled context: %v, want context.Canceled and not ErrOutcomeUnknown", err)
	}
	if task, _ := sqlState(t, s, tab, "c"); task != nil {
		t.Fatalf("task_state = %s after a cancelled save", sqlDeref(task))
	}
}

// holdLock takes the row's lock (or the database's write lock) on a
// connection of its own and returns the function that releases it.
func holdLock(t *testing.T, c sqlConfig, tab, id string) (release func()) {
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
	task, host := sqlState(t, s, tab, id)
	switch {
	case sqlDeref(task) == "<NULL>" && sqlDeref(host) == "h0":
	case sqlDeref(task) == "shelving" && sqlDeref(host) == "h1":
		if !errors.Is(err, guard.ErrOutcomeUnknown) {
			t.Fatalf("the save committed but reported %v, not ErrOutcomeUnknown", err)
		}
	default:
		t.Fatalf("row is inconsistent: task=%s host=%s", sqlDeref(task), sqlDeref(host))
	}
}

func testCancelWhileLocked(t *testing.T, c sqlConfig) {
	s := c.New(c.DB)
	tab := sqlTable(t, c.DB)
	sqlInsert(t, s, tab, "l", nil)
	release := holdLock(t, c, tab, "l")

	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() {
		_, err := s.Apply(ctx, sqlTransition(tab, "l", "shelving", "h1", nil))
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

func testKilled(t *testing.T, c sqlConfig) {
	if c.ConnID == "" {
		t.Skip("connections cannot be killed on this database")
	}
	ctx := context.Background()
	tab := sqlTable(t, c.DB)
	sqlInsert(t, c.New(c.DB), tab, "k", nil)
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
		_, err := c.New(conn).Apply(ctx, sqlTransition(tab, "k", "shelving", "h1", nil))
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

// testRace has Writers() goroutines (32) apply one transition,
// each writing its own host, for many rounds: exactly one applies each
// round, every loser is told the state the winner wrote, and the row holds
// the winner's write.
func testRace(t *testing.T, c sqlConfig) {
	workers := Writers()
	rounds := c.Rounds
	if rounds == 0 {
		rounds = Rounds()
	}
	s := c.New(c.DB)
	tab := sqlTable(t, c.DB)
	sqlInsert(t, s, tab, "r", "s0")
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
				res, err := s.Apply(ctx, sqlTransition(tab, "r", to, fmt.Sprintf("g%d", g), from))
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
				if len(res.res.Actual) != len(sqlRead) {
					t.Fatalf("round %d worker %d: Actual = %v, want %d values", round, g, res.res.Actual, len(sqlRead))
				}
				if got := sqlDeref(res.res.Actual[0].(*string)); got != to {
					t.Fatalf("round %d worker %d: told actual %s, true state %s", round, g, got, to)
				}
			default:
				t.Fatalf("round %d worker %d: outcome %d", round, g, res.res.Outcome)
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no winner", round)
		}
		task, host := sqlState(t, s, tab, "r")
		if sqlDeref(task) != to || sqlDeref(host) != fmt.Sprintf("g%d", winner) {
			t.Fatalf("round %d: row holds %s/%s, winner was g%d", round, sqlDeref(task), sqlDeref(host), winner)
		}
	}
}

// benchSQL runs the store benchmarks (BenchOn) on c's database through
// database/sql: the hand-written statements go through c.DB, the table
// and row are the ones the store writes.
func benchSQL(b *testing.B, c sqlConfig) {
	c.DB.SetMaxIdleConns(Writers() + 4)
	s := c.New(c.DB)
	ctx := context.Background()
	BenchOn(b, BenchTarget{
		Store:  s,
		Locked: sqlLocked(c.New)(c.DB),
		Table:  sqlTable(b, c.DB),
		Exec: func(query string, args ...any) (int64, error) {
			r, err := c.DB.ExecContext(ctx, query, args...)
			if err != nil {
				return 0, err
			}
			return r.RowsAffected()
		},
		QueryString: func(query string, args ...any) (string, error) {
			var v string
			err := c.DB.QueryRowContext(ctx, query, args...).Scan(&v)
			return v, err
		},
	})
}

func sum(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}

// median sorts ds and returns its median.
func median(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	n := len(ds)
	if n%2 == 1 {
		return ds[n/2]
	}
	return (ds[n/2-1] + ds[n/2]) / 2
}

// sqlLocked returns newStore with the dialect's fast path turned off, so that
// every save takes the locked path that classifies a write that did not
// apply.
func sqlLocked(newStore func(sqlstore.Querier) *sqlstore.Store) func(sqlstore.Querier) *sqlstore.Store {
	return func(q sqlstore.Querier) *sqlstore.Store {
		d := newStore(q).Dialect()
		d.FastPath = false
		return sqlstore.New(q, d)
	}
}

// runSQLBoth runs runSQL on c as is (subtest "fast") and with sqlLocked
// (subtest "locked").
func runSQLBoth(t *testing.T, c sqlConfig) {
	t.Run("fast", func(t *testing.T) { runSQL(t, c) })
	locked := c
	locked.New = sqlLocked(c.New)
	// Locking first, the write is sent only once the lock is held: a save
	// killed while it waits for the lock sent nothing that can commit.
	locked.KillIsUnknown = c.KillIsUnknown && c.New(c.DB).Dialect().Strategy == sqlstore.SingleStatement
	t.Run("locked", func(t *testing.T) { runSQL(t, locked) })
}
