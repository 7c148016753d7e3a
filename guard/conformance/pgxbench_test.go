package conformance_test

import (
	"context"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"runtime"
	"slices"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/guardtest"
	"github.com/stateguard/stateguard/guard/pgxstore"
	"github.com/stateguard/stateguard/guard/sqlstore"
)

// pgxBenchServer maps the suite's table for the benchmarks, without its
// version column.
type pgxBenchServer struct {
	ID        string  `guard:"id,key"`
	TaskState *string `guard:"task_state,state"`
	VMState   string  `guard:"vm_state"`
	Host      *string `guard:"host"`
}

// BenchmarkStore has the benchmarks of the database/sql stores
// (guardtest.Bench), over a pgx pool: every op moves a
// row's task_state between s0 and s1, and the hand-written counterpart is
// the same conditional UPDATE sent with pool.Exec.
//
//   - Save: a guarded transition through the typed API (Table.Save);
//   - Handwritten: UPDATE t SET task_state = $1 WHERE id = $2 AND
//     task_state = $3 through pgx, checking that it matched one row;
//   - Interleaved: one Save and one hand-written UPDATE per iteration on
//     two rows, timed apart in random order (means, medians, ratios);
//   - Apply and ApplyLocked: the same Write sent to Store.Apply with the
//     fast path on and off;
//   - FailFast: a save refused before any I/O;
//   - Race32 and Race32Handwritten: guardtest.Writers() goroutines (32)
//     each load the row and move it out of the state they loaded; ns/op
//     is per attempt, applied/op the share that won.
func benchPgx(b *testing.B) {
	pool := pgxPool(b)
	s := pgxstore.New(pool)
	tab := pgxTable(b, pool)
	ctx := context.Background()
	for _, id := range []string{"b", "c"} {
		if err := s.Insert(ctx, tab, []guard.Value{{Column: "id", Value: id}, {Column: "task_state", Value: "s0"}, {Column: "vm_state", Value: "active"}}); err != nil {
			b.Fatal(err)
		}
	}
	servers, err := guard.NewTable[pgxBenchServer](tab)
	if err != nil {
		b.Fatal(err)
	}
	states := [2]string{"s0", "s1"}
	taskState := servers.MustField("TaskState")
	expect := [2]guard.Option{taskState.Expect("s0"), taskState.Expect("s1")}
	update := fmt.Sprintf(`UPDATE %s SET "task_state" = $1 WHERE "id" = $2 AND "task_state" = $3`, sqlstore.QuoteDouble(tab))
	selectState := fmt.Sprintf(`SELECT "task_state" FROM %s WHERE "id" = $1`, sqlstore.QuoteDouble(tab))

	load := func(b *testing.B, id string) *guard.Row[pgxBenchServer] {
		if _, err := pool.Exec(ctx, "UPDATE "+tab+" SET task_state = 's0' WHERE id = $1", id); err != nil {
			b.Fatal(err)
		}
		r, err := servers.Load(ctx, s, id)
		if err != nil {
			b.Fatal(err)
		}
		return r
	}
	save := func(b *testing.B, i int, r *guard.Row[pgxBenchServer]) {
		r.V.TaskState = &states[(i+1)%2]
		if err := servers.Save(ctx, s, r, expect[i%2]); err != nil {
			b.Fatalf("iteration %d: %v", i, err)
		}
	}
	hand := func(b *testing.B, i int, id string) {
		tag, err := pool.Exec(ctx, update, states[(i+1)%2], id, states[i%2])
		if err != nil {
			b.Fatal(err)
		}
		if n := tag.RowsAffected(); n != 1 {
			b.Fatalf("iteration %d: %d rows", i, n)
		}
	}
	// Warm up the pool and pgx's statement caches.
	for i, t0 := 0, time.Now(); i < 2000 && time.Since(t0) < time.Second; i++ {
		hand(b, i, "b")
	}

	b.Run("Save", func(b *testing.B) {
		r := load(b, "b")
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			save(b, i, r)
		}
	})
	b.Run("Handwritten", func(b *testing.B) {
		load(b, "b")
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			hand(b, i, "b")
		}
	})
	b.Run("Interleaved", func(b *testing.B) {
		r := load(b, "b")
		load(b, "c")
		var tSave, tHand []time.Duration
		for i := 0; b.Loop(); i++ {
			t0 := time.Now()
			if mrand.IntN(2) == 0 {
				save(b, i, r)
				t1 := time.Now()
				hand(b, i, "c")
				tSave, tHand = append(tSave, t1.Sub(t0)), append(tHand, time.Since(t1))
			} else {
				hand(b, i, "c")
				t1 := time.Now()
				save(b, i, r)
				tHand, tSave = append(tHand, t1.Sub(t0)), append(tSave, time.Since(t1))
			}
		}
		sumSave, sumHand := pgxSum(tSave), pgxSum(tHand)
		b.ReportMetric(float64(sumSave.Nanoseconds())/float64(len(tSave)), "save-ns/op")
		b.ReportMetric(float64(sumHand.Nanoseconds())/float64(len(tHand)), "update-ns/op")
		b.ReportMetric(float64(sumSave)/float64(sumHand), "save/update")
		p50Save, p50Hand := pgxMedian(tSave), pgxMedian(tHand)
		b.ReportMetric(float64(p50Save.Nanoseconds()), "save-p50-ns")
		b.ReportMetric(float64(p50Hand.Nanoseconds()), "update-p50-ns")
		b.ReportMetric(float64(p50Save)/float64(p50Hand), "p50-save/update")
	})
	benchRead := []guard.Column{{Name: "task_state", Type: pgxStrPtr}}
	writes := [2]*guard.Write{
		{Table: tab, Key: pgxKey("b"), Set: []guard.Value{{Column: "task_state", Value: "s1"}}, Where: []guard.Cond{{Column: "task_state", Values: []any{"s0"}}}, Read: benchRead},
		{Table: tab, Key: pgxKey("b"), Set: []guard.Value{{Column: "task_state", Value: "s0"}}, Where: []guard.Cond{{Column: "task_state", Values: []any{"s1"}}}, Read: benchRead},
	}
	applyBench := func(s guard.Store) func(b *testing.B) {
		return func(b *testing.B) {
			load(b, "b")
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				res, err := s.Apply(ctx, writes[i%2])
				if err != nil || res.Outcome != guard.Applied {
					b.Fatalf("iteration %d: %+v, %v", i, res, err)
				}
			}
		}
	}
	b.Run("Apply", applyBench(s))
	locked := pgxstore.Dialect()
	locked.FastPath = false
	b.Run("ApplyLocked", applyBench(sqlstore.NewConn(pgxstore.Conn(pool), locked)))
	b.Run("FailFast", func(b *testing.B) {
		r := load(b, "b")
		r.V.TaskState = &states[0]
		b.ReportAllocs()
		for b.Loop() {
			err := servers.Save(ctx, s, r, expect[1])
			var ce *guard.ConflictError
			if !errors.As(err, &ce) || !ce.Local {
				b.Fatal(err)
			}
		}
	})
	race := func(attempt func() (bool, error)) func(b *testing.B) {
		return func(b *testing.B) {
			load(b, "b")
			var applied, total atomic.Int64
			b.SetParallelism(max(1, guardtest.Writers()/runtime.GOMAXPROCS(0)))
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					won, err := attempt()
					if err != nil {
						b.Error(err)
						return
					}
					total.Add(1)
					if won {
						applied.Add(1)
					}
				}
			})
			if total.Load() > 0 {
				b.ReportMetric(float64(applied.Load())/float64(total.Load()), "applied/op")
			}
		}
	}
	b.Run("Race32", race(func() (bool, error) {
		r, err := servers.Load(ctx, s, "b")
		if err != nil {
			return false, err
		}
		from := 0
		if *r.V.TaskState == states[1] {
			from = 1
		}
		r.V.TaskState = &states[1-from]
		err = servers.Save(ctx, s, r, expect[from])
		if errors.Is(err, guard.ErrConflict) {
			return false, nil
		}
		return err == nil, err
	}))
	b.Run("Race32Handwritten", race(func() (bool, error) {
		var cur string
		if err := pool.QueryRow(ctx, selectState, "b").Scan(&cur); err != nil {
			return false, err
		}
		next := states[0]
		if cur == states[0] {
			next = states[1]
		}
		tag, err := pool.Exec(ctx, update, next, "b", cur)
		if err != nil {
			return false, err
		}
		return tag.RowsAffected() == 1, nil
	}))
}

func pgxSum(ds []time.Duration) time.Duration {
	var t time.Duration
	for _, d := range ds {
		t += d
	}
	return t
}

func pgxMedian(ds []time.Duration) time.Duration {
	slices.Sort(ds)
	n := len(ds)
	if n%2 == 1 {
		return ds[n/2]
	}
	return (ds[n/2-1] + ds[n/2]) / 2
}
