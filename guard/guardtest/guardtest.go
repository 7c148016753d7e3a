// Package guardtest is the conformance suite for guard.Store
// implementations. A store passes when Run reports no failure: every case
// runs against a fresh table of the same shape, through the Store interface
// alone and through the guard package's typed API (Table, Save, Update), so
// that every store gives the same answers to the same saves.
//
// A store plugs in with a Backend:
//
//	func TestConformance(t *testing.T) {
//		guardtest.Run(t, guardtest.Backend{
//			Name: "mystore",
//			Open: func(t testing.TB, table string) guard.Store {
//				// create table with guardtest.TableDDL(table), return a store
//			},
//		})
//	}
//
// A store built on guard/sqlstore describes its database with SQL instead,
// and also runs the SQL cases (a lock held by another transaction, a
// killed connection, what a save sends) and the benchmarks (Bench):
//
//	guardtest.Run(t, guardtest.SQLBackend("sqlite", guardtest.SQL{
//		Open: func(t testing.TB) *sql.DB { ... },
//		New:  sqlitestore.New,
//	}))
//
// A Backend with Begin (another client's transaction) runs the lock cases:
// a save waiting on a row lock follows the row as the lock finds it, and a
// save whose deadline passes while it waits either reports
// guard.ErrOutcomeUnknown or did not commit: a definite error never leaves
// a committed write. A Backend with OpenTypes runs the column-type cases
// on TypesDDL. SQLBackend and Memory set both.
//
// The racing cases run -guardtest.rounds rounds (default 100, 20 under the
// race detector, 3 with -short) of -guardtest.writers goroutines (default
// 32).
package guardtest

import (
	"context"
	"flag"
	"fmt"
	"reflect"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stateguard/stateguard/guard"
)

var (
	rounds  = flag.Int("guardtest.rounds", defaultRounds, "rounds of each racing case (3 with -short)")
	writers = flag.Int("guardtest.writers", 32, "goroutines racing in each round")
)

// Rounds is the number of rounds a racing case runs: -guardtest.rounds
// (default 100, or 20 under the race detector), or 3 under -short unless
// the flag was set.
func Rounds() int {
	set := false
	flag.Visit(func(f *flag.Flag) { set = set || f.Name == "guardtest.rounds" })
	if testing.Short() && !set {
		return 3
	}
	return max(*rounds, 1)
}

// Writers is the number of goroutines racing in each round
// (-guardtest.writers, default 32).
func Writers() int { return max(*writers, 2) }

// TableDDL returns the CREATE TABLE statement of the suite's table, portable
// to SQLite, PostgreSQL and MariaDB:
//
//	CREATE TABLE <name> (
//	  id VARCHAR(64) PRIMARY KEY,
//	  task_state VARCHAR(64) NULL,
//	  vm_state VARCHAR(64) NOT NULL,
//	  host VARCHAR(64) NULL,
//	  version BIGINT NOT NULL DEFAULT 0)
//
// name is used as is; the suite passes plain lower-case identifiers.
func TableDDL(name string) string {
	return "CREATE TABLE " + name + ` (
  id VARCHAR(64) PRIMARY KEY,
  task_state VARCHAR(64) NULL,
  vm_state VARCHAR(64) NOT NULL,
  host VARCHAR(64) NULL,
  version BIGINT NOT NULL DEFAULT 0)`
}

// Key and Columns name the columns of TableDDL: the key first, then the
// others in order.
const Key = "id"

// Columns are the non-key columns of TableDDL, in order.
var Columns = []string{"task_state", "vm_state", "host", "version"}

// Backend opens a store for the suite.
type Backend struct {
	// Name names the store in messages ("memory", "sqlite", ...).
	Name string

	// Open is called once per case with a fresh table name; it must create
	// that table (TableDDL) and return a store over it. It registers its
	// own cleanup with t.Cleanup and fails t (t.Fatal) when it cannot.
	Open func(t testing.TB, table string) guard.Store

	// Delete removes the row whose id is id from table, bypassing s's
	// guarded API, as another process would. The deleted-row cases skip
	// when it is nil.
	Delete func(t testing.TB, s guard.Store, table, id string)

	// Begin opens a transaction of another client on the database of s,
	// on a connection of its own, as another process would, for the row
	// id of table. The lock-wait cases skip when it is nil.
	Begin func(t testing.TB, s guard.Store, table, id string) Session

	// OpenTypes is called with a fresh table name; it must create that
	// table (TypesDDL for the store's dialect) and return a store over it.
	// The column-type cases skip when it is nil.
	OpenTypes func(t testing.TB, table string) guard.Store

	// SQL, for a store built on guard/sqlstore, describes its database:
	// Run then runs the SQL cases too. SQLBackend sets it.
	SQL *SQL
}

// A Session is another client's open transaction on one row (see
// Backend.Begin). Set updates the row inside the transaction, taking its
// write lock (a row lock, or SQLite's database lock) until Commit or
// Rollback; nothing it sets is visible to others before Commit.
type Session interface {
	Set(set ...guard.Value) error
	Commit() error
	Rollback() error
}

var tableSeq atomic.Int64

// open opens a fresh table for one case.
func (b Backend) open(t *testing.T) (guard.Store, string) {
	t.Helper()
	name := fmt.Sprintf("guardtest_%d_%d", tableSeq.Add(1), randSuffix())
	s := b.Open(t, name)
	if s == nil {
		t.Fatalf("%s: Open returned a nil store", b.Name)
	}
	return s, name
}

// A testCase is one conformance case.
type testCase struct {
	name string
	run  func(t *testing.T, b Backend)
}

// Run runs every conformance case against b, each as a subtest, and the
// SQL cases when b.SQL is set.
func Run(t *testing.T, b Backend) {
	t.Helper()
	if b.Open == nil {
		t.Fatalf("guardtest: Backend %q has no Open", b.Name)
	}
	for _, c := range cases() {
		t.Run(c.name, func(t *testing.T) { c.run(t, b) })
	}
	if b.SQL != nil {
		t.Run("sql", func(t *testing.T) { runSQLBoth(t, b.SQL.config(t)) })
	}
}

func cases() []testCase {
	return slices.Concat(storeCases(), guardCases(), raisedCases())
}

// Memory is the Backend of guard's in-memory store. Its stores are wrapped
// so that another client's Session can hold a write lock, as a database's
// transaction holds a row lock: a write waits for it, a read does not.
func Memory() Backend {
	return Backend{
		Name: "memory",
		Open: func(t testing.TB, table string) guard.Store {
			m := guard.NewMemory()
			if err := m.CreateTable(table, []string{Key}, Columns...); err != nil {
				t.Fatal(err)
			}
			return &lockedMemory{Memory: m}
		},
		Delete: func(t testing.TB, s guard.Store, table, id string) {
			m, ok := s.(*lockedMemory)
			if !ok {
				t.Fatalf("memory backend: store is %T", s)
			}
			if _, err := m.Delete(table, id); err != nil {
				t.Fatal(err)
			}
		},
		Begin: func(t testing.TB, s guard.Store, table, id string) Session {
			m, ok := s.(*lockedMemory)
			if !ok {
				t.Fatalf("memory backend: store is %T", s)
			}
			return &memSession{m: m, table: table, id: id}
		},
		OpenTypes: func(t testing.TB, table string) guard.Store {
			m := guard.NewMemory()
			if err := m.CreateTable(table, []string{Key}, TypesColumns...); err != nil {
				t.Fatal(err)
			}
			return &lockedMemory{Memory: m}
		},
	}
}

// lockedMemory is a Memory whose writes wait while a Session holds its
// lock.
type lockedMemory struct {
	*guard.Memory
	lock sync.RWMutex
}

func (m *lockedMemory) Apply(ctx context.Context, w *guard.Write) (guard.Result, error) {
	for !m.lock.TryRLock() {
		select {
		case <-ctx.Done():
			return guard.Result{}, fmt.Errorf("memory: waiting for a lock: %w", ctx.Err())
		case <-time.After(time.Millisecond):
		}
	}
	defer m.lock.RUnlock()
	return m.Memory.Apply(ctx, w)
}

// memSession is a Session on a lockedMemory: its first Set takes the write
// lock; it keeps what it sets and writes it at Commit, in one Apply.
type memSession struct {
	m         *lockedMemory
	table, id string
	set       []guard.Value
	held      bool
}

func (s *memSession) Set(set ...guard.Value) error {
	if !s.held {
		s.m.lock.Lock()
		s.held = true
	}
	s.set = append(s.set, set...)
	return nil
}

func (s *memSession) Commit() error {
	if !s.held {
		return nil
	}
	res, err := s.m.Memory.Apply(context.Background(), &guard.Write{Table: s.table, Key: keyOf(s.id), Set: s.set})
	if err == nil && res.Outcome != guard.Applied {
		err = fmt.Errorf("memory session: commit: %v", res.Outcome)
	}
	s.set, s.held = nil, false
	s.m.lock.Unlock()
	return err
}

func (s *memSession) Rollback() error {
	if s.held {
		s.set, s.held = nil, false
		s.m.lock.Unlock()
	}
	return nil
}

func ctxOf(t *testing.T) context.Context { return t.Context() }

// strp and the reflect types are shorthands for the store-level cases.
func strp(s string) *string { return &s }

var (
	typeString    = reflect.TypeFor[string]()
	typeStringPtr = reflect.TypeFor[*string]()
	typeInt64     = reflect.TypeFor[int64]()
)
