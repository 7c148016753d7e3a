package guard_test

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"reflect"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/guardtest"
	"github.com/stateguard/stateguard/guard/sqlitestore"
)

// BenchmarkSaveFailFast measures the local refusal: the loaded state is
// not expected, so Save answers without calling the store.
func BenchmarkSaveFailFast(b *testing.B) {
	ctx := context.Background()
	store := newStore()
	srv, _ := servers.Loaded(Server{ID: "s1", TaskState: guard.Ptr(Deleting), Host: guard.Ptr("h1")})
	srv.V.TaskState = guard.Ptr(Shelving)
	expect := servers.MustField("TaskState").Expect(nil)
	b.ReportAllocs()
	for b.Loop() {
		err := servers.Save(ctx, store, srv, expect)
		var ce *guard.ConflictError
		if !errors.As(err, &ce) || !ce.Local {
			b.Fatal(err)
		}
	}
}

// BenchmarkSaveGuarded measures a guarded transition on the memory store:
// NULL -> SHELVING -> NULL, one Save per iteration.
func BenchmarkSaveGuarded(b *testing.B) {
	ctx := context.Background()
	store := newStore()
	srv, _ := servers.Load(ctx, store, "s1")
	taskState := servers.MustField("TaskState")
	toShelving, toNone := taskState.Expect(nil), taskState.Expect(Shelving)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var err error
		if i%2 == 0 {
			srv.V.TaskState = guard.Ptr(Shelving)
			err = servers.Save(ctx, store, srv, toShelving)
		} else {
			srv.V.TaskState = nil
			err = servers.Save(ctx, store, srv, toNone)
		}
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkApplyMemory is the store's share of BenchmarkSaveGuarded: the
// same Writes sent to the memory store directly.
func BenchmarkApplyMemory(b *testing.B) {
	ctx := context.Background()
	store := newStore()
	key := []guard.Value{{Column: "id", Value: "s1"}}
	read := []guard.Column{{Name: "task_state", Type: reflect.TypeFor[*TaskState]()}}
	ws := []*guard.Write{
		{Table: "servers", Key: key, Set: []guard.Value{{Column: "task_state", Value: "SHELVING"}}, Where: []guard.Cond{{Column: "task_state", Null: true}}, Read: read},
		{Table: "servers", Key: key, Set: []guard.Value{{Column: "task_state", Value: nil}}, Where: []guard.Cond{{Column: "task_state", Values: []any{"SHELVING"}}}, Read: read},
	}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		res, err := store.Apply(ctx, ws[i%2])
		if err != nil || res.Outcome != guard.Applied {
			b.Fatal(res, err)
		}
		i++
	}
}

// BenchmarkRace32 has 32 goroutines per CPU race to shelve one server on the
// memory store; each op is a load and a guarded save, and the winner clears
// the task again. It reports conflicts per op.
func BenchmarkRace32(b *testing.B) {
	ctx := context.Background()
	store := newStore()
	var conflicts atomic.Int64
	b.SetParallelism(32)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			srv, err := servers.Load(ctx, store, "s1")
			if err != nil {
				b.Error(err)
				return
			}
			if srv.V.TaskState == nil {
				srv.V.TaskState = guard.Ptr(Shelving)
				err = servers.Save(ctx, store, srv, guard.Expect("TaskState", nil))
			} else {
				srv.V.TaskState = nil
				err = servers.Save(ctx, store, srv, guard.Expect("TaskState", Shelving))
			}
			if errors.Is(err, guard.ErrConflict) {
				conflicts.Add(1)
			} else if err != nil {
				b.Error(err)
				return
			}
		}
	})
	b.ReportMetric(float64(conflicts.Load())/float64(b.N), "conflicts/op")
}

// sqliteServers opens a SQLite database in b's temporary directory holding
// the suite's table with server s1.
func sqliteServers(b *testing.B) (*sql.DB, *guard.Table[guardtest.Server]) {
	db, err := sqlitestore.Open(filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	if _, err := db.Exec(guardtest.TableDDL("servers")); err != nil {
		b.Fatal(err)
	}
	if _, err := db.Exec(`INSERT INTO servers (id, vm_state) VALUES ('s1', 'active')`); err != nil {
		b.Fatal(err)
	}
	return db, guard.MustTable[guardtest.Server]("servers")
}

// BenchmarkSaveSQLite is a guarded transition through the whole guard API
// on SQLite; compare with BenchmarkHandWrittenSQLite.
func BenchmarkSaveSQLite(b *testing.B) {
	ctx := context.Background()
	db, tab := sqliteServers(b)
	store := sqlitestore.New(db)
	srv, err := tab.Load(ctx, store, "s1")
	if err != nil {
		b.Fatal(err)
	}
	taskState := tab.MustField("TaskState")
	toShelving, toNone := taskState.Expect(nil), taskState.Expect(guardtest.Shelving)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		if i%2 == 0 {
			srv.V.TaskState = guard.Ptr(guardtest.Shelving)
			err = tab.Save(ctx, store, srv, toShelving)
		} else {
			srv.V.TaskState = nil
			err = tab.Save(ctx, store, srv, toNone)
		}
		if err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkHandWrittenSQLite is the conditional UPDATE a careful programmer
// writes by hand through database/sql, checking the matched row count.
func BenchmarkHandWrittenSQLite(b *testing.B) {
	ctx := context.Background()
	db, _ := sqliteServers(b)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		var res sql.Result
		var err error
		if i%2 == 0 {
			res, err = db.ExecContext(ctx, `UPDATE servers SET task_state = ? WHERE id = ? AND task_state IS NULL`, "shelving", "s1")
		} else {
			res, err = db.ExecContext(ctx, `UPDATE servers SET task_state = NULL WHERE id = ? AND task_state = ?`, "s1", "shelving")
		}
		if err != nil {
			b.Fatal(err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			b.Fatal(n, err)
		}
		i++
	}
}

// BenchmarkSQLiteInterleaved alternates a guarded Save of one row and the
// hand-written conditional UPDATE of another in the same loop, so that both
// see the same machine load, and reports their mean times and the ratio.
func BenchmarkSQLiteInterleaved(b *testing.B) {
	ctx := context.Background()
	db, tab := sqliteServers(b)
	if _, err := db.Exec(`INSERT INTO servers (id, vm_state) VALUES ('s2', 'active')`); err != nil {
		b.Fatal(err)
	}
	store := sqlitestore.New(db)
	srv, err := tab.Load(ctx, store, "s1")
	if err != nil {
		b.Fatal(err)
	}
	taskState := tab.MustField("TaskState")
	toShelving, toNone := taskState.Expect(nil), taskState.Expect(guardtest.Shelving)
	save := func(i int) {
		if i%2 == 0 {
			srv.V.TaskState = guard.Ptr(guardtest.Shelving)
			err = tab.Save(ctx, store, srv, toShelving)
		} else {
			srv.V.TaskState = nil
			err = tab.Save(ctx, store, srv, toNone)
		}
		if err != nil {
			b.Fatal(err)
		}
	}
	update := func(i int) {
		var res sql.Result
		if i%2 == 0 {
			res, err = db.ExecContext(ctx, `UPDATE servers SET task_state = ? WHERE id = ? AND task_state IS NULL`, "shelving", "s2")
		} else {
			res, err = db.ExecContext(ctx, `UPDATE servers SET task_state = NULL WHERE id = ? AND task_state = ?`, "s2", "shelving")
		}
		if err != nil {
			b.Fatal(err)
		}
		if n, err := res.RowsAffected(); err != nil || n != 1 {
			b.Fatal(n, err)
		}
	}
	timed := func(f func(int), i int) time.Duration {
		start := time.Now()
		f(i)
		return time.Since(start)
	}
	var saveNs, updateNs time.Duration
	i := 0
	for b.Loop() {
		// Alternate which goes first, so that neither always pays for
		// the other's WAL work.
		if i%4 < 2 {
			saveNs += timed(save, i)
			updateNs += timed(update, i)
		} else {
			updateNs += timed(update, i)
			saveNs += timed(save, i)
		}
		i++
	}
	b.ReportMetric(float64(saveNs.Nanoseconds())/float64(i), "save-ns/op")
	b.ReportMetric(float64(updateNs.Nanoseconds())/float64(i), "update-ns/op")
	b.ReportMetric(float64(saveNs)/float64(updateNs), "save/update")
}
