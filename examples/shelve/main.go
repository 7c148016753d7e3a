// Command shelve fires N concurrent duplicate "shelve" requests at one
// server, first through a naive save, then through guard, and prints how
// many shelve actions ran each time.
//
// The naive save has the two mistakes of OpenStack Nova's save path around
// bug 1821373. Instance.save returned early when no field changed, before
// it looked at the expected state, so a request that loaded the server
// already SHELVING succeeds without touching the database (the bug report).
// And the database function consumed the expected state on its first
// attempt, so the retry after a conditional UPDATE that matched no row ran
// without the condition and succeeded (fixed by commit aae5c7aa).
// Between them every request believes it won, whatever the interleaving,
// and the shelve action runs N times. Through guard it runs exactly once:
// the other requests get a conflict, refused either before writing (they
// loaded the server already SHELVING) or by the store.
//
// Usage:
//
//	go run ./examples/shelve [-n 32] [-dsn DSN]
//
// With no -dsn it uses a SQLite database in a temporary directory, removed
// on exit. A DSN starting with postgres:// or postgresql:// selects
// PostgreSQL (pgx); any other DSN is taken as a go-sql-driver/mysql DSN for
// MariaDB or MySQL, e.g. root@tcp(127.0.0.1:3306)/test. It creates and
// drops the table shelve_demo_servers.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	_ "github.com/go-sql-driver/mysql" // the "mysql" database/sql driver

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/mysqlstore"
	"github.com/stateguard/stateguard/guard/pgstore"
	"github.com/stateguard/stateguard/guard/sqlitestore"
)

// TaskState is a server's task state; NULL means no task runs.
type TaskState string

// Shelving is the task state of a server being shelved.
const Shelving TaskState = "shelving"

// Server is a row of the demo table.
type Server struct {
	ID        string     `guard:"id,key"`
	TaskState *TaskState `guard:"task_state,state"`
	VMState   string     `guard:"vm_state,state"`
}

const table = "shelve_demo_servers"

var servers = guard.MustTable[Server](table)

func main() {
	n := flag.Int("n", 32, "concurrent duplicate shelve requests")
	dsn := flag.String("dsn", "", "postgres:// URL or MariaDB/MySQL DSN (default: SQLite in a temporary directory)")
	flag.Parse()
	if err := mainErr(context.Background(), os.Stdout, *dsn, *n); err != nil {
		fmt.Fprintln(os.Stderr, "shelve:", err)
		os.Exit(1)
	}
}

func mainErr(ctx context.Context, out io.Writer, dsn string, n int) error {
	if n < 1 {
		return fmt.Errorf("-n must be at least 1, got %d", n)
	}
	b, err := open(dsn)
	if err != nil {
		return err
	}
	defer b.close()
	db := b.db
	db.SetMaxOpenConns(n + 2)
	db.SetMaxIdleConns(n + 2)
	if err := createTable(ctx, db); err != nil {
		return err
	}
	defer db.ExecContext(context.Background(), "DROP TABLE "+table) //nolint:errcheck // best effort

	fmt.Fprintf(out, "%d concurrent shelve requests for one server on %s\n", n, b.name)
	naive, err := race(ctx, b, n, naiveShelve)
	if err != nil {
		return fmt.Errorf("naive: %w", err)
	}
	fmt.Fprintf(out, "naive save: %s\n", naive)
	guarded, err := race(ctx, b, n, guardedShelve)
	if err != nil {
		return fmt.Errorf("guard: %w", err)
	}
	fmt.Fprintf(out, "guard:      %s\n", guarded)
	return nil
}

// A backend is the database the demo runs on.
type backend struct {
	db    *sql.DB
	store guard.Store
	name  string
	param string // the first placeholder in the driver's syntax
	dir   string // SQLite's temporary directory, removed by close
}

// close closes the database and removes its temporary directory, if any.
func (b *backend) close() error {
	err := b.db.Close()
	if b.dir != "" {
		err = errors.Join(err, os.RemoveAll(b.dir))
	}
	return err
}

// open opens the database named by dsn and its guard store.
func open(dsn string) (*backend, error) {
	switch {
	case dsn == "":
		dir, err := os.MkdirTemp("", "shelve")
		if err != nil {
			return nil, err
		}
		db, err := sqlitestore.Open(filepath.Join(dir, "shelve.db"))
		if err != nil {
			os.RemoveAll(dir)
			return nil, err
		}
		return &backend{db: db, store: sqlitestore.New(db), name: "SQLite", param: "?", dir: dir}, nil
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		db, err := pgstore.Open(dsn)
		if err != nil {
			return nil, err
		}
		return &backend{db: db, store: pgstore.New(db), name: "PostgreSQL", param: "$1"}, nil
	default:
		db, err := mysqlstore.Open(dsn)
		if err != nil {
			return nil, err
		}
		return &backend{db: db, store: mysqlstore.New(db), name: "MariaDB/MySQL", param: "?"}, nil
	}
}

func createTable(ctx context.Context, db *sql.DB) error {
	if _, err := db.ExecContext(ctx, "DROP TABLE IF EXISTS "+table); err != nil {
		return err
	}
	_, err := db.ExecContext(ctx, "CREATE TABLE "+table+` (
  id VARCHAR(64) PRIMARY KEY,
  task_state VARCHAR(64) NULL,
  vm_state VARCHAR(64) NOT NULL)`)
	return err
}

// A shelveFunc handles one shelve request: it loads the server, and if the
// save that claims the task succeeds, the caller runs the shelve action.
type shelveFunc func(ctx context.Context, b *backend) error

// Outcome counts what the requests of one race got.
type Outcome struct {
	Requests int
	Actions  int // requests whose save succeeded: the shelve action ran
	Local    int // refused by guard before any write: loaded already SHELVING
	Store    int // refused by the store: another request shelved first
}

func (o Outcome) String() string {
	s := fmt.Sprintf("%d of %d requests ran the shelve action", o.Actions, o.Requests)
	if o.Local+o.Store > 0 {
		s += fmt.Sprintf(" (%d refused by the store, %d refused before writing)", o.Store, o.Local)
	}
	return s
}

// race resets the server to ACTIVE with no task, has n requests shelve it
// at once, and counts the shelve actions that ran.
func race(ctx context.Context, b *backend, n int, shelve shelveFunc) (Outcome, error) {
	if _, err := b.db.ExecContext(ctx, "DELETE FROM "+table); err != nil {
		return Outcome{}, err
	}
	if _, err := servers.Insert(ctx, b.store, Server{ID: "s1", VMState: "active"}); err != nil {
		return Outcome{}, err
	}
	var (
		wg                   sync.WaitGroup
		actions, local, conf atomic.Int64
		mu                   sync.Mutex
		failure              error
		start                = make(chan struct{})
	)
	for range n {
		wg.Go(func() {
			<-start
			err := shelve(ctx, b)
			var ce *guard.ConflictError
			switch {
			case err == nil:
				actions.Add(1) // the shelve action would run here
			case errors.As(err, &ce) && ce.Local:
				local.Add(1)
			case errors.As(err, &ce):
				conf.Add(1)
			default:
				mu.Lock()
				failure = errors.Join(failure, err)
				mu.Unlock()
			}
		})
	}
	close(start)
	wg.Wait()
	return Outcome{Requests: n, Actions: int(actions.Load()), Local: int(local.Load()), Store: int(conf.Load())}, failure
}

// guardedShelve claims the task through guard: SHELVING, expecting no task.
func guardedShelve(ctx context.Context, b *backend) error {
	srv, err := servers.Load(ctx, b.store, "s1")
	if err != nil {
		return err
	}
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, b.store, srv, guard.Expect("TaskState", nil))
}

// naiveShelve claims the task the way Nova's Instance.save did around bug
// 1821373.
func naiveShelve(ctx context.Context, b *backend) error {
	var loaded sql.NullString
	if err := b.db.QueryRowContext(ctx, "SELECT task_state FROM "+table+" WHERE id = 's1'").Scan(&loaded); err != nil {
		return err
	}
	// The request handler sets the new state and saves, expecting no task
	// (Nova's expected_task_state=[None]).
	return naiveSave(ctx, b, loaded, string(Shelving), map[string]bool{"task_state IS NULL": true})
}

// naiveSave is the save with both of Nova's mistakes: it returns early when
// the field did not change, before it looks at the expectation; and it
// consumes the caller's expectations, so that when the conditional UPDATE
// matches no row the retry runs without them.
func naiveSave(ctx context.Context, b *backend, loaded sql.NullString, newState string, expected map[string]bool) error {
	if loaded.Valid && loaded.String == newState {
		return nil // nothing changed: nothing to save
	}
	for attempt := 1; ; attempt++ {
		q := "UPDATE " + table + " SET task_state = " + b.param + " WHERE id = 's1'"
		for cond := range expected {
			q += " AND " + cond
			delete(expected, cond) // popped from the caller's arguments
		}
		res, err := b.db.ExecContext(ctx, q, newState)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 1 || attempt > 1 {
			// A retry's count is not looked at: with no condition left it
			// matched the row, though MySQL counts it 0 when the value was
			// already there.
			return err
		}
		// No row matched. Nova read the row back in the same transaction
		// to find out why; under MySQL's REPEATABLE READ that read could
		// still show the old state, so the cause looked unknown and the
		// save was retried. This sketch retries on every miss.
	}
}
