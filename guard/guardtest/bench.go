package guardtest

import (
	"context"
	"errors"
	"fmt"
	mrand "math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/sqlstore"
)

// BenchTarget is what BenchOn measures: a SQL store, and the same
// database reached by hand through the driver the store runs on, so that
// a store over another driver API than database/sql (guard/pgxstore) is
// compared with the hand-written statements of that API.
type BenchTarget struct {
	// Store is the store under test; Locked the same store with its
	// dialect's fast path off.
	Store, Locked *sqlstore.Store
	// Table is a table of TableDDL, empty; BenchOn inserts its rows.
	Table string
	// Exec runs a statement by hand and returns its rows-affected count.
	Exec func(query string, args ...any) (int64, error)
	// QueryString runs a query by hand that returns one string.
	QueryString func(query string, args ...any) (string, error)
}

// benchServer maps the table of TableDDL for the benchmarks, without its
// version column.
type benchServer struct {
	ID        string  `guard:"id,key"`
	TaskState *string `guard:"task_state,state"`
	VMState   string  `guard:"vm_state"`
	Host      *string `guard:"host"`
}

// BenchOn runs the store benchmarks on t. Every benchmark uses the same
// table and the same connection pool, and each op moves a row's
// task_state between s0 and s1, so that every write is a real transition:
//
//   - Save: a guarded transition through the typed API (Table.Save with
//     Expect of the state it leaves);
//   - Handwritten: the equivalent conditional UPDATE by hand,
//     UPDATE t SET task_state = ? WHERE id = ? AND task_state = ?, checking
//     that it matched one row;
//   - Interleaved: one Save and one hand-written UPDATE per iteration, on
//     two rows of the table, timed apart in random order, reporting
//     the means and the medians of both and their ratios (save/update,
//     p50-save/update), on which the machine's load weighs alike;
//   - Apply and ApplyLocked: the store's share, the same Write sent to
//     Store.Apply with the dialect's fast path on and off;
//   - FailFast: a save refused before any I/O, the loaded state not being
//     expected;
//   - Race32 and Race32Handwritten: Writers() goroutines (32)
//     each load the row and move it out of the state they loaded, through
//     guard or by hand (a SELECT and the conditional UPDATE); ns/op is
//     per attempt, applied/op the share that won;
//   - Race32Interleaved: the same two races in alternating rounds, in
//     random order, Writers()*16 attempts a round, so that the machine's
//     load weighs on both alike: applied transitions per second of each
//     (guard-wins/s, hand-wins/s) and their ratio (wins-guard/hand).
func BenchOn(b *testing.B, t BenchTarget) {
	s := t.Store
	tab := t.Table
	for _, id := range []string{"b", "c"} {
		sqlInsert(b, s, tab, id, "s0")
	}
	ctx := context.Background()
	servers, err := guard.NewTable[benchServer](tab)
	if err != nil {
		b.Fatal(err)
	}
	states := [2]string{"s0", "s1"}
	// expect[i] guards the transition out of states[i].
	taskState := servers.MustField("TaskState")
	expect := [2]guard.Option{taskState.Expect("s0"), taskState.Expect("s1")}
	d := s.Dialect()
	update := fmt.Sprintf("UPDATE %s SET %s = %s WHERE %s = %s AND %s = %s",
		d.Quote(tab), d.Quote("task_state"), d.Placeholder(1),
		d.Quote("id"), d.Placeholder(2), d.Quote("task_state"), d.Placeholder(3))
	selectState := fmt.Sprintf("SELECT %s FROM %s WHERE %s = %s",
		d.Quote("task_state"), d.Quote(tab), d.Quote("id"), d.Placeholder(1))
	reset := fmt.Sprintf("UPDATE %s SET %s = 's0' WHERE %s = %s",
		d.Quote(tab), d.Quote("task_state"), d.Quote("id"), d.Placeholder(1))

	// load resets row id to s0 and loads it.
	load := func(b *testing.B, id string) *guard.Row[benchServer] {
		if _, err := t.Exec(reset, id); err != nil {
			b.Fatal(err)
		}
		r, err := servers.Load(ctx, s, id)
		if err != nil {
			b.Fatal(err)
		}
		return r
	}
	// save moves r out of states[i%2].
	save := func(b *testing.B, i int, r *guard.Row[benchServer]) {
		r.V.TaskState = &states[(i+1)%2]
		if err := servers.Save(ctx, s, r, expect[i%2]); err != nil {
			b.Fatalf("iteration %d: %v", i, err)
		}
	}
	// hand moves row id out of states[i%2] by hand.
	hand := func(b *testing.B, i int, id string) {
		n, err := t.Exec(update, states[(i+1)%2], id, states[i%2])
		if err != nil {
			b.Fatal(err)
		}
		if n != 1 {
			b.Fatalf("iteration %d: %d rows", i, n)
		}
	}

	// Warm up: the first writes to a fresh database grow its files (SQLite's
	// WAL, past its first checkpoint) and fill the pool and the drivers'
	// statement caches; the benchmark that ran first would pay for them.
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
			// A random order, not an alternating one: a periodic cost
			// (SQLite's WAL checkpoint every so many commits) would
			// otherwise fall on the same side every time.
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
		// The means carry the database's occasional long writes (a
		// checkpoint, a slow fsync), which land on either side at random;
		// the medians are the typical save and UPDATE.
		sumSave, sumHand := sum(tSave), sum(tHand)
		b.ReportMetric(float64(sumSave.Nanoseconds())/float64(len(tSave)), "save-ns/op")
		b.ReportMetric(float64(sumHand.Nanoseconds())/float64(len(tHand)), "update-ns/op")
		b.ReportMetric(float64(sumSave)/float64(sumHand), "save/update")
		p50Save, p50Hand := median(tSave), median(tHand)
		b.ReportMetric(float64(p50Save.Nanoseconds()), "save-p50-ns")
		b.ReportMetric(float64(p50Hand.Nanoseconds()), "update-p50-ns")
		b.ReportMetric(float64(p50Save)/float64(p50Hand), "p50-save/update")
	})
	read := []guard.Column{{Name: "task_state", Type: strPtr}}
	writes := [2]*guard.Write{
		{Table: tab, Key: sqlKey("b"), Set: []guard.Value{{Column: "task_state", Value: "s1"}}, Where: []guard.Cond{sqlExpect("task_state", "s0")}, Read: read},
		{Table: tab, Key: sqlKey("b"), Set: []guard.Value{{Column: "task_state", Value: "s0"}}, Where: []guard.Cond{sqlExpect("task_state", "s1")}, Read: read},
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
	b.Run("ApplyLocked", applyBench(t.Locked))
	b.Run("FailFast", func(b *testing.B) {
		r := load(b, "b")
		r.V.TaskState = &states[0]
		b.ReportAllocs()
		for b.Loop() {
			// Loaded s0, expects s1: refused locally.
			err := servers.Save(ctx, s, r, expect[1])
			var ce *guard.ConflictError
			if !errors.As(err, &ce) || !ce.Local {
				b.Fatal(err)
			}
		}
	})
	// guardAttempt and handAttempt load row b and move it out of the state
	// they loaded; they report whether they won.
	guardAttempt := func() (bool, error) {
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
	}
	handAttempt := func() (bool, error) {
		cur, err := t.QueryString(selectState, "b")
		if err != nil {
			return false, err
		}
		next := states[0]
		if cur == states[0] {
			next = states[1]
		}
		n, err := t.Exec(update, next, "b", cur)
		return n == 1, err
	}
	race := func(attempt func() (bool, error)) func(b *testing.B) {
		return func(b *testing.B) {
			load(b, "b")
			var applied, total atomic.Int64
			b.SetParallelism(max(1, Writers()/runtime.GOMAXPROCS(0)))
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
	b.Run("Race32", race(guardAttempt))
	b.Run("Race32Handwritten", race(handAttempt))
	b.Run("Race32Interleaved", func(b *testing.B) {
		load(b, "b")
		perRound := Writers() * 16
		// phase runs perRound attempts on Writers() goroutines and returns
		// how long they took and how many won.
		phase := func(attempt func() (bool, error)) (time.Duration, int64) {
			var next, won atomic.Int64
			var wg sync.WaitGroup
			t0 := time.Now()
			for range Writers() {
				wg.Go(func() {
					for next.Add(1) <= int64(perRound) {
						ok, err := attempt()
						if err != nil {
							b.Error(err)
							return
						}
						if ok {
							won.Add(1)
						}
					}
				})
			}
			wg.Wait()
			return time.Since(t0), won.Load()
		}
		var tGuard, tHand time.Duration
		var wGuard, wHand int64
		for b.Loop() {
			if mrand.IntN(2) == 0 {
				dg, wg := phase(guardAttempt)
				dh, wh := phase(handAttempt)
				tGuard, wGuard, tHand, wHand = tGuard+dg, wGuard+wg, tHand+dh, wHand+wh
			} else {
				dh, wh := phase(handAttempt)
				dg, wg := phase(guardAttempt)
				tGuard, wGuard, tHand, wHand = tGuard+dg, wGuard+wg, tHand+dh, wHand+wh
			}
		}
		if tGuard > 0 && tHand > 0 && wHand > 0 {
			g, h := float64(wGuard)/tGuard.Seconds(), float64(wHand)/tHand.Seconds()
			b.ReportMetric(g, "guard-wins/s")
			b.ReportMetric(h, "hand-wins/s")
			b.ReportMetric(g/h, "wins-guard/hand")
		}
	})
}
