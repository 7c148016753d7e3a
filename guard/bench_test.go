package guard_test

import (
	"context"
	"errors"
	"reflect"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/stateguard/stateguard/guard"
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

// BenchmarkRace32 has 32 goroutines race to shelve one server on the memory
// store; each op is a load and a guarded save, and the winner clears the
// task again. It reports conflicts per op. The SQL stores' benchmarks
// (BenchmarkStore/<store> in guard/conformance) measure the same race, and
// a guarded save against the hand-written conditional UPDATE.
func BenchmarkRace32(b *testing.B) {
	ctx := context.Background()
	store := newStore()
	var conflicts atomic.Int64
	b.SetParallelism(max(1, 32/runtime.GOMAXPROCS(0)))
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
