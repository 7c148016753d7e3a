package guardtest

import (
	"context"
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/stateguard/stateguard/guard"
)

// TaskState is the suite's state type, after Nova's task_state.
type TaskState string

// Task states of the suite.
const (
	Shelving        TaskState = "shelving"
	ResizeReverting TaskState = "resize_reverting"
	RebootingHard   TaskState = "rebooting_hard"
	Deleting        TaskState = "deleting"
)

// Server is the suite's object, mapped on TableDDL without its version
// column.
type Server struct {
	ID        string     `guard:"id,key"`
	TaskState *TaskState `guard:"task_state,state"`
	VMState   string     `guard:"vm_state,state"`
	Host      *string    `guard:"host"`
}

// VersionedServer maps the version column too, which protects its saves
// from ABA.
type VersionedServer struct {
	Server
	Version int64 `guard:"version,version"`
}

func ts(s TaskState) *TaskState { return &s }

func guardCases() []testCase {
	return []testCase{
		{"guard/Transition", guardTransition},
		{"guard/NovaShelveLoadedBefore", guardNovaLoadedBefore},
		{"guard/NovaShelveLoadedAfter", guardNovaLoadedAfter},
		{"guard/Race", guardRace},
		{"guard/UnknownCauseRetryKeepsCondition", guardRetryKeepsCondition},
		{"guard/UnknownCauseBounded", guardRetryBounded},
		{"guard/OutcomeUnknown", guardOutcomeUnknown},
		{"guard/NullStates", guardNullStates},
		{"guard/DeletedRow", guardDeletedRow},
		{"guard/Fence", guardFence},
		{"guard/NoShortcut", guardNoShortcut},
		{"guard/ABA", guardABA},
		{"guard/Rules", guardRules},
		{"guard/BadInput", guardBadInput},
		{"guard/UnknownColumn", guardUnknownColumn},
		{"guard/CancelledContext", guardCancelled},
		{"guard/Update", guardUpdate},
	}
}

// setup opens a table holding server "s1" (ACTIVE, no task, on h1).
func setup(t *testing.T, b Backend) (*recorder, *guard.Table[Server], string) {
	t.Helper()
	s, tbl := b.open(t)
	servers, err := guard.NewTable[Server](tbl)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := servers.Insert(ctxOf(t), s, Server{ID: "s1", VMState: "active", Host: strp("h1")}); err != nil {
		t.Fatal(err)
	}
	return record(s), servers, tbl
}

func load[T any](t *testing.T, tab *guard.Table[T], s guard.Store, key any) *guard.Row[T] {
	t.Helper()
	r, err := tab.Load(ctxOf(t), s, key)
	if err != nil {
		t.Fatalf("Load %v: %v", key, err)
	}
	return r
}

func showTS(p *TaskState) string {
	if p == nil {
		return "NULL"
	}
	return strconv.Quote(string(*p))
}

func wantTask(t *testing.T, servers *guard.Table[Server], s guard.Store, want *TaskState) {
	t.Helper()
	r := load(t, servers, s, "s1")
	if showTS(r.V.TaskState) != showTS(want) {
		t.Fatalf("stored task_state = %s, want %s", showTS(r.V.TaskState), showTS(want))
	}
}

// asConflict returns err as a *ConflictError, failing t when it is not one.
func asConflict(t *testing.T, err error) *guard.ConflictError {
	t.Helper()
	var ce *guard.ConflictError
	if !errors.As(err, &ce) || !errors.Is(err, guard.ErrConflict) {
		t.Fatalf("err = %v (%T), want a *guard.ConflictError matching ErrConflict", err, err)
	}
	return ce
}

func guardTransition(t *testing.T, b Backend) {
	s, servers, _ := setup(t, b)
	r := load(t, servers, s, "s1")
	r.V.TaskState = ts(Shelving)
	if got := r.Changed(); !slices.Equal(got, []string{"TaskState"}) {
		t.Errorf("Changed = %v, want [TaskState]", got)
	}
	if err := servers.Save(ctxOf(t), s, r, guard.Expect("TaskState", nil)); err != nil {
		t.Fatalf("Save: %v", err)
	}
	if got := r.Changed(); len(got) != 0 {
		t.Errorf("after a successful Save, Changed = %v, want none", got)
	}
	wantTask(t, servers, s, ts(Shelving))
	// The snapshot moved: the next transition starts from SHELVING.
	r.V.TaskState, r.V.VMState = nil, "shelved"
	if err := servers.Save(ctxOf(t), s, r, guard.Expect("TaskState", Shelving), guard.Expect("VMState", "active")); err != nil {
		t.Fatalf("second Save: %v", err)
	}
	got := load(t, servers, s, "s1")
	if got.V.TaskState != nil || got.V.VMState != "shelved" || got.V.Host == nil || *got.V.Host != "h1" {
		t.Errorf("stored %+v, want task NULL, vm shelved, host h1", got.V)
	}
	// A typed Field, resolved once.
	taskState := servers.MustField("TaskState")
	r.V.TaskState = ts(Deleting)
	if err := servers.Save(ctxOf(t), s, r, taskState.Expect(nil)); err != nil {
		t.Fatalf("Save with a Field: %v", err)
	}
	wantTask(t, servers, s, ts(Deleting))
	if n := s.count(); n != 3 {
		t.Errorf("%d writes sent, want 3", n)
	}
}

// shelve is the action of the Nova cases: it sets SHELVING expecting no task,
// and counts the actions that went ahead.
func shelve(ctx context.Context, servers *guard.Table[Server], s guard.Store, r *guard.Row[Server], ran *atomic.Int64) error {
	r.V.TaskState = ts(Shelving)
	if err := servers.Save(ctx, s, r, guard.Expect("TaskState", nil)); err != nil {
		return err
	}
	ran.Add(1)
	return nil
}

// guardNovaLoadedBefore: both requests load the server with no task; the
// second save reaches the store and is refused there.
func guardNovaLoadedBefore(t *testing.T, b Backend) {
	s, servers, _ := setup(t, b)
	var ran atomic.Int64
	first, second := load(t, servers, s, "s1"), load(t, servers, s, "s1")
	if err := shelve(ctxOf(t), servers, s, first, &ran); err != nil {
		t.Fatalf("first shelve: %v", err)
	}
	err := shelve(ctxOf(t), servers, s, second, &ran)
	ce := asConflict(t, err)
	if ce.Local || ce.Field != "TaskState" || ce.Column != "task_state" || ce.Actual != Shelving || !reflect.DeepEqual(ce.Expected, []any{nil}) {
		t.Errorf("conflict = %+v, want TaskState found %q by the store, expected [NULL]", ce, Shelving)
	}
	if ran.Load() != 1 {
		t.Errorf("%d shelve actions ran, want 1", ran.Load())
	}
	// The loser is left as it was: its change is still pending and its
	// snapshot is still the loaded one.
	if got := second.Changed(); !slices.Equal(got, []string{"TaskState"}) {
		t.Errorf("loser's Changed = %v, want [TaskState]", got)
	}
	if err := second.Reset(); err != nil || second.V.TaskState != nil {
		t.Errorf("Reset: %v, TaskState %s, want NULL", err, showTS(second.V.TaskState))
	}
	if got := second.Changed(); len(got) != 0 {
		t.Errorf("after Reset, Changed = %v", got)
	}
	if !strings.Contains(err.Error(), `TaskState is "shelving", expected NULL`) {
		t.Errorf("message %q does not name the field, the actual and the expected state", err)
	}
}

// guardNovaLoadedAfter: the second request loads the server already in
// SHELVING and sets SHELVING again, so nothing changes; Nova's save returned
// early and both shelves ran. Guard refuses it locally, with no write.
func guardNovaLoadedAfter(t *testing.T, b Backend) {
	s, servers, _ := setup(t, b)
	var ran atomic.Int64
	first := load(t, servers, s, "s1")
	if err := shelve(ctxOf(t), servers, s, first, &ran); err != nil {
		t.Fatalf("first shelve: %v", err)
	}
	before := s.count()
	second := load(t, servers, s, "s1")
	err := shelve(ctxOf(t), servers, s, second, &ran)
	ce := asConflict(t, err)
	if !ce.Local || ce.Actual != Shelving || ce.Field != "TaskState" {
		t.Errorf("conflict = %+v, want a local conflict on TaskState naming %q", ce, Shelving)
	}
	if s.count() != before {
		t.Errorf("a save refused locally sent %d writes", s.count()-before)
	}
	if ran.Load() != 1 {
		t.Errorf("%d shelve actions ran, want 1", ran.Load())
	}
}

// guardRace: Writers goroutines load the same server, then race to move it
// out of "no task", each to its own state. Exactly one wins each round;
// every loser gets a conflict naming the winner's state; the row holds it.
func guardRace(t *testing.T, b Backend) {
	s, servers, _ := setup(t, b)
	n := Writers()
	for round := range Rounds() {
		rows := make([]*guard.Row[Server], n)
		for g := range rows {
			rows[g] = load(t, servers, s, "s1")
			rows[g].V.TaskState = ts(TaskState(fmt.Sprintf("r%d-g%d", round, g)))
		}
		errs := make([]error, n)
		var wg sync.WaitGroup
		start := make(chan struct{})
		for g := range n {
			wg.Go(func() {
				<-start
				errs[g] = servers.Save(ctxOf(t), s, rows[g], guard.Expect("TaskState", nil))
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for g, err := range errs {
			if err == nil {
				if winner >= 0 {
					t.Fatalf("round %d: writers %d and %d both won", round, winner, g)
				}
				winner = g
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: nobody won: %v", round, errs[0])
		}
		want := *rows[winner].V.TaskState
		for g, err := range errs {
			if g == winner {
				continue
			}
			ce := asConflict(t, err)
			if ce.Local || ce.Field != "TaskState" || ce.Actual != want {
				t.Fatalf("round %d loser %d: %v; want a store conflict naming the winner's %q", round, g, err, want)
			}
			if got := rows[g].Changed(); !slices.Equal(got, []string{"TaskState"}) {
				t.Fatalf("round %d loser %d: row changed by a failed save: Changed = %v", round, g, got)
			}
		}
		wantTask(t, servers, s, &want)
		// Clear the task for the next round, pre-empting on purpose.
		r := load(t, servers, s, "s1")
		r.V.TaskState = nil
		if err := servers.Save(ctxOf(t), s, r, guard.Preempt("TaskState")); err != nil {
			t.Fatalf("round %d: reset: %v", round, err)
		}
	}
}

// guardRetryKeepsCondition: the store reports a mismatch it cannot explain
// (the values it read satisfy the condition, as a stale re-read under
// REPEATABLE READ does) while a concurrent shelve commits. Guard retries
// with exactly the same Write, even though the store cleared the Write it
// was given, and the retry is refused: one shelve, not two.
func guardRetryKeepsCondition(t *testing.T, b Backend) {
	s, servers, _ := setup(t, b)
	var ran atomic.Int64
	mine := load(t, servers, s, "s1")
	s.clobber = true
	s.intercept = func(ctx context.Context, n int, w *guard.Write) (guard.Result, error, bool) {
		if n != 1 {
			return guard.Result{}, nil, false
		}
		stale, err := s.Store.Load(ctx, w.Table, w.Key, w.Read)
		if err != nil {
			return guard.Result{}, err, true
		}
		other := load(t, servers, s.Store, "s1")
		if err := shelve(ctx, servers, s.Store, other, &ran); err != nil {
			t.Errorf("concurrent shelve: %v", err)
		}
		return guard.Result{Outcome: guard.Mismatch, Actual: stale}, nil, true
	}
	err := shelve(ctxOf(t), servers, s, mine, &ran)
	ce := asConflict(t, err)
	if ce.Unknown || ce.Actual != Shelving {
		t.Errorf("conflict = %+v, want the concurrent shelve's %q", ce, Shelving)
	}
	if ran.Load() != 1 {
		t.Fatalf("%d shelves ran, want 1", ran.Load())
	}
	ws := s.written()
	if len(ws) != 2 {
		t.Fatalf("%d writes sent, want 2 (the first and one retry)", len(ws))
	}
	if !reflect.DeepEqual(ws[0], ws[1]) {
		t.Errorf("the retry differs from the first write:\nfirst %+v\nretry %+v", ws[0], ws[1])
	}
	if len(ws[1].Where) == 0 || ws[1].Where[0].Column != "task_state" || !ws[1].Where[0].Null {
		t.Errorf("the retry lost its condition: %+v", ws[1].Where)
	}

	// Without the concurrent shelve the retry applies.
	s2, servers2, _ := setup(t, b)
	r := load(t, servers2, s2, "s1")
	s2.intercept = func(ctx context.Context, n int, w *guard.Write) (guard.Result, error, bool) {
		if n != 1 {
			return guard.Result{}, nil, false
		}
		res, err := unknownCause(ctx, s2.Store, w)
		return res, err, true
	}
	r.V.TaskState = ts(Shelving)
	if err := servers2.Save(ctxOf(t), s2, r, guard.Expect("TaskState", nil)); err != nil {
		t.Fatalf("Save after one unknown-cause mismatch: %v", err)
	}
	if ws := s2.written(); len(ws) != 2 || !reflect.DeepEqual(ws[0], ws[1]) {
		t.Errorf("writes = %+v, want two equal writes", ws)
	}
	wantTask(t, servers2, s2, ts(Shelving))
}

func guardRetryBounded(t *testing.T, b Backend) {
	for _, retries := range []int{guard.DefaultRetries, 0} {
		s, servers, _ := setup(t, b)
		s.intercept = func(ctx context.Context, n int, w *guard.Write) (guard.Result, error, bool) {
			res, err := unknownCause(ctx, s.Store, w)
			return res, err, true
		}
		r := load(t, servers, s, "s1")
		r.V.TaskState = ts(Shelving)
		opts := []guard.Option{guard.Expect("TaskState", nil)}
		if retries != guard.DefaultRetries {
			opts = append(opts, guard.Retries(retries))
		}
		err := servers.Save(ctxOf(t), s, r, opts...)
		ce := asConflict(t, err)
		if !ce.Unknown || ce.Attempts != retries+1 {
			t.Errorf("retries %d: conflict = %+v, want Unknown after %d attempts", retries, ce, retries+1)
		}
		if got := s.count(); got != retries+1 {
			t.Errorf("retries %d: %d writes sent, want %d", retries, got, retries+1)
		}
		if got := r.Changed(); !slices.Equal(got, []string{"TaskState"}) {
			t.Errorf("retries %d: row changed by a failed save: Changed = %v", retries, got)
		}
		wantTask(t, servers, s, nil)
	}
}

// guardOutcomeUnknown: the store applies the write, then the reply is lost.
// Save must say so, not retry, and leave the row's snapshot alone.
func guardOutcomeUnknown(t *testing.T, b Backend) {
	s, servers, _ := setup(t, b)
	lost := errors.New("connection reset by peer")
	s.intercept = func(ctx context.Context, n int, w *guard.Write) (guard.Result, error, bool) {
		if _, err := s.Store.Apply(ctx, w); err != nil {
			return guard.Result{}, err, true
		}
		return guard.Result{}, fmt.Errorf("%w: %w", guard.ErrOutcomeUnknown, lost), true
	}
	r := load(t, servers, s, "s1")
	r.V.TaskState = ts(Shelving)
	err := servers.Save(ctxOf(t), s, r, guard.Expect("TaskState", nil))
	if !errors.Is(err, guard.ErrOutcomeUnknown) || !errors.Is(err, lost) {
		t.Fatalf("err = %v, want ErrOutcomeUnknown wrapping the cause", err)
	}
	if errors.Is(err, guard.ErrConflict) {
		t.Errorf("an unknown outcome must not read as a conflict: %v", err)
	}
	if s.count() != 1 {
		t.Errorf("%d writes sent, want 1: an unknown outcome is never retried", s.count())
	}
	if got := r.Changed(); !slices.Equal(got, []string{"TaskState"}) {
		t.Errorf("Changed = %v: the snapshot moved although the outcome is unknown", got)
	}
	// Update does not retry it either.
	s.writes = nil
	_, err = servers.Update(ctxOf(t), s, "s1", func(v *Server) ([]guard.Option, error) {
		v.Host = strp("h9")
		return nil, nil
	})
	if !errors.Is(err, guard.ErrOutcomeUnknown) || s.count() != 1 {
		t.Errorf("Update: err = %v after %d writes, want ErrOutcomeUnknown after 1", err, s.count())
	}
}

func guardNullStates(t *testing.T, b Backend) {
	s, servers, _ := setup(t, b)
	a, c := load(t, servers, s, "s1"), load(t, servers, s, "s1")
	// Another writer starts a task.
	a.V.TaskState = ts(RebootingHard)
	if err := servers.Save(ctxOf(t), s, a, guard.Expect("TaskState", nil)); err != nil {
		t.Fatal(err)
	}
	// No expectation on TaskState: a change of Host applies whatever the task.
	c.V.Host = strp("h2")
	if err := servers.Save(ctxOf(t), s, c); err != nil {
		t.Fatalf("Save with no expectation: %v", err)
	}
	// Expect NULL: refused, the task is RebootingHard.
	d := load(t, servers, s, "s1")
	d.V.Host = strp("h3")
	err := servers.Save(ctxOf(t), s, d, guard.Fence("TaskState", nil))
	ce := asConflict(t, err)
	if ce.Actual != RebootingHard || !reflect.DeepEqual(ce.Expected, []any{nil}) {
		t.Errorf("conflict = %+v, want actual %q expected [NULL]", ce, RebootingHard)
	}
	// NULL among values.
	d.V.TaskState = nil
	if err := servers.Save(ctxOf(t), s, d, guard.Fence("Host", "h2"), guard.Expect("TaskState", RebootingHard, Shelving)); !errors.Is(err, guard.ErrInvalid) || !strings.Contains(err.Error(), "Fence") {
		t.Fatalf("Fence on a field that changes: err = %v, want ErrInvalid naming the Fence", err)
	}
	d.V.Host = strp("h2")
	if err := servers.Save(ctxOf(t), s, d, guard.Expect("TaskState", RebootingHard, Shelving)); err != nil {
		t.Fatalf("writing NULL: %v", err)
	}
	wantTask(t, servers, s, nil)
	e := load(t, servers, s, "s1")
	e.V.TaskState = ts(Shelving)
	if err := servers.Save(ctxOf(t), s, e, guard.Expect("TaskState", nil, RebootingHard)); err != nil {
		t.Fatalf("NULL among expected values: %v", err)
	}
	wantTask(t, servers, s, ts(Shelving))
	// A NOT NULL field cannot be expected to be NULL.
	f := load(t, servers, s, "s1")
	f.V.VMState = "shelved"
	err = servers.Save(ctxOf(t), s, f, guard.Expect("VMState", nil))
	if !errors.Is(err, guard.ErrInvalid) || !strings.Contains(err.Error(), "cannot be NULL") {
		t.Errorf("Expect(VMState, nil): err = %v, want ErrInvalid saying it cannot be NULL", err)
	}
}

func guardDeletedRow(t *testing.T, b Backend) {
	if b.Delete == nil {
		t.Skipf("%s: Backend.Delete is nil", b.Name)
	}
	s, servers, tbl := setup(t, b)
	r := load(t, servers, s, "s1")
	b.Delete(t, s.Store, tbl, "s1")
	r.V.TaskState = ts(Shelving)
	err := servers.Save(ctxOf(t), s, r, guard.Expect("TaskState", nil))
	if !errors.Is(err, guard.ErrNotFound) || errors.Is(err, guard.ErrConflict) {
		t.Fatalf("Save of a deleted row: err = %v, want ErrNotFound", err)
	}
	if s.count() != 1 {
		t.Errorf("%d writes sent, want 1", s.count())
	}
	if got := r.Changed(); !slices.Equal(got, []string{"TaskState"}) {
		t.Errorf("Changed = %v after a failed save", got)
	}
	// A fence on a deleted row, and a save with no expectation at all.
	r2, _ := servers.Loaded(Server{ID: "s1", VMState: "active"})
	if err := servers.Save(ctxOf(t), s, r2, guard.Fence("TaskState", nil)); !errors.Is(err, guard.ErrNotFound) {
		t.Errorf("fence on a deleted row: err = %v, want ErrNotFound", err)
	}
	if err := servers.Save(ctxOf(t), s, r2); !errors.Is(err, guard.ErrNotFound) {
		t.Errorf("plain save of a deleted row: err = %v, want ErrNotFound", err)
	}
	if _, err := servers.Load(ctxOf(t), s, "s1"); !errors.Is(err, guard.ErrNotFound) {
		t.Errorf("Load of a deleted row: err = %v, want ErrNotFound", err)
	}
}

// guardFence: Nova moves a server's host while its task state stays
// RESIZE_REVERTING, and requires it to still be so.
func guardFence(t *testing.T, b Backend) {
	s, servers, _ := setup(t, b)
	r := load(t, servers, s, "s1")
	r.V.TaskState = ts(ResizeReverting)
	if err := servers.Save(ctxOf(t), s, r, guard.Expect("TaskState", nil)); err != nil {
		t.Fatal(err)
	}
	r.V.Host = strp("h2")
	if err := servers.Save(ctxOf(t), s, r, guard.Fence("TaskState", ResizeReverting)); err != nil {
		t.Fatalf("fenced save: %v", err)
	}
	if got := load(t, servers, s, "s1"); got.V.Host == nil || *got.V.Host != "h2" {
		t.Fatalf("host = %v, want h2", got.V.Host)
	}
	// The task is pre-empted by a delete; the fenced save must fail.
	stale := load(t, servers, s, "s1")
	del := load(t, servers, s, "s1")
	del.V.TaskState = ts(Deleting)
	if err := servers.Save(ctxOf(t), s, del, guard.Preempt("TaskState")); err != nil {
		t.Fatalf("preempting delete: %v", err)
	}
	stale.V.Host = strp("h3")
	ce := asConflict(t, servers.Save(ctxOf(t), s, stale, guard.Fence("TaskState", ResizeReverting)))
	if ce.Local || ce.Actual != Deleting || ce.Field != "TaskState" {
		t.Errorf("conflict = %+v, want DELETING found by the store", ce)
	}
	if got := load(t, servers, s, "s1"); *got.V.Host != "h2" {
		t.Errorf("host = %s, want h2: a failed fence wrote", *got.V.Host)
	}
}

// guardNoShortcut: a save with nothing to set still checks its condition in
// the store.
func guardNoShortcut(t *testing.T, b Backend) {
	s, servers, _ := setup(t, b)
	stale := load(t, servers, s, "s1")
	other := load(t, servers, s, "s1")
	other.V.TaskState = ts(Shelving)
	if err := servers.Save(ctxOf(t), s, other, guard.Expect("TaskState", nil)); err != nil {
		t.Fatal(err)
	}
	n := s.count()
	ce := asConflict(t, servers.Save(ctxOf(t), s, stale, guard.Fence("TaskState", nil)))
	if ce.Local || ce.Actual != Shelving {
		t.Errorf("conflict = %+v, want SHELVING from the store", ce)
	}
	if s.count() != n+1 {
		t.Errorf("a pure fence sent %d writes, want 1", s.count()-n)
	}
	fresh := load(t, servers, s, "s1")
	if err := servers.Save(ctxOf(t), s, fresh, guard.Fence("TaskState", Shelving)); err != nil {
		t.Errorf("a holding pure fence: %v", err)
	}
	if s.count() != n+2 {
		t.Errorf("a holding pure fence sent %d writes, want 1", s.count()-n-1)
	}
}

// guardABA: the row goes NULL -> SHELVING -> NULL between a load and a
// save. Without a version column the save cannot tell; with one it fails.
func guardABA(t *testing.T, b Backend) {
	s, tbl := b.open(t)
	vservers, err := guard.NewTable[VersionedServer](tbl)
	if err != nil {
		t.Fatal(err)
	}
	servers, err := guard.NewTable[Server](tbl)
	if err != nil {
		t.Fatal(err)
	}
	ins, err := vservers.Insert(ctxOf(t), s, VersionedServer{Server: Server{ID: "s1", VMState: "active"}})
	if err != nil {
		t.Fatal(err)
	}
	if ins.V.Version != 0 {
		t.Fatalf("inserted version %d", ins.V.Version)
	}
	aba := func() {
		t.Helper()
		x := load(t, vservers, s, "s1")
		v := x.V.Version
		x.V.TaskState = ts(Shelving)
		if err := vservers.Save(ctxOf(t), s, x, guard.Expect("TaskState", nil)); err != nil {
			t.Fatal(err)
		}
		if x.V.Version != v+1 {
			t.Fatalf("after a save, Version = %d, want %d", x.V.Version, v+1)
		}
		x.V.TaskState = nil
		if err := vservers.Save(ctxOf(t), s, x, guard.Expect("TaskState", Shelving)); err != nil {
			t.Fatal(err)
		}
	}
	// With a version column.
	a := load(t, vservers, s, "s1")
	aba()
	a.V.TaskState = ts(Shelving)
	ce := asConflict(t, vservers.Save(ctxOf(t), s, a, guard.Expect("TaskState", nil)))
	if ce.Field != "Version" || ce.Actual != int64(2) || !reflect.DeepEqual(ce.Expected, []any{int64(0)}) {
		t.Errorf("conflict = %+v, want Version 2, expected 0", ce)
	}
	if a.V.Version != 0 {
		t.Errorf("a failed save changed Version to %d", a.V.Version)
	}
	if got := load(t, vservers, s, "s1"); got.V.TaskState != nil || got.V.Version != 2 {
		t.Errorf("stored %+v, want NULL task at version 2", got.V)
	}
	// Without one, the same interleaving goes through: that is ABA.
	p := load(t, servers, s, "s1")
	aba()
	p.V.TaskState = ts(Shelving)
	if err := servers.Save(ctxOf(t), s, p, guard.Expect("TaskState", nil)); err != nil {
		t.Errorf("without a version column the ABA save should apply: %v", err)
	}
}

// guardRules: every refusal named after the analyzer's checks, before any
// write.
func guardRules(t *testing.T, b Backend) {
	s, servers, _ := setup(t, b)
	for _, tc := range []struct {
		name   string
		check  string
		target error
		edit   func(v *Server)
		opts   []guard.Option
	}{
		{"expect on a field that stays", guard.CheckNoTransition, guard.ErrNoTransition,
			func(v *Server) { v.Host = strp("h2") }, []guard.Option{guard.Expect("TaskState", nil)}},
		{"expect only the new value", guard.CheckIneffectiveGuard, guard.ErrIneffectiveGuard,
			func(v *Server) { v.TaskState = ts(Shelving) }, []guard.Option{guard.Expect("TaskState", Shelving)}},
		{"expect the new value among others", guard.CheckReentrantGuard, guard.ErrReentrantGuard,
			func(v *Server) { v.TaskState = ts(RebootingHard) }, []guard.Option{guard.Expect("TaskState", nil, RebootingHard)}},
		{"state changed with no expectation", guard.CheckUnguardedTransition, guard.ErrUnguardedTransition,
			func(v *Server) { v.TaskState = ts(Deleting) }, nil},
		{"second state changed with no expectation", guard.CheckUnguardedTransition, guard.ErrUnguardedTransition,
			func(v *Server) { v.TaskState = ts(Shelving); v.VMState = "shelved" }, []guard.Option{guard.Expect("TaskState", nil)}},
		{"reentrant does not excuse an ineffective guard", guard.CheckIneffectiveGuard, guard.ErrIneffectiveGuard,
			func(v *Server) { v.TaskState = ts(RebootingHard) }, []guard.Option{guard.Expect("TaskState", RebootingHard), guard.Reentrant("TaskState")}},
	} {
		r := load(t, servers, s, "s1")
		tc.edit(&r.V)
		n := s.count()
		err := servers.Save(ctxOf(t), s, r, tc.opts...)
		var re *guard.RuleError
		if !errors.As(err, &re) || re.Check != tc.check || !errors.Is(err, tc.target) || !errors.Is(err, guard.ErrInvalid) {
			t.Errorf("%s: err = %v, want a *RuleError %s", tc.name, err, tc.check)
			continue
		}
		if !strings.HasPrefix(err.Error(), "guard: "+tc.check+": ") {
			t.Errorf("%s: message %q does not start with the check name", tc.name, err)
		}
		if s.count() != n {
			t.Errorf("%s: a refused save sent a write", tc.name)
		}
	}
	// The permitted forms.
	r := load(t, servers, s, "s1")
	r.V.TaskState = ts(RebootingHard)
	if err := servers.Save(ctxOf(t), s, r, guard.Expect("TaskState", nil, RebootingHard), guard.Reentrant("TaskState")); err != nil {
		t.Errorf("reentrant hard reboot: %v", err)
	}
	// Re-issued while it runs: nothing changes, the guard still goes to the store.
	n := s.count()
	if err := servers.Save(ctxOf(t), s, r, guard.Expect("TaskState", nil, RebootingHard), guard.Reentrant("TaskState")); err != nil {
		t.Errorf("re-issued reentrant hard reboot: %v", err)
	}
	if s.count() != n+1 {
		t.Errorf("re-issued reentrant save sent %d writes, want 1", s.count()-n)
	}
	r.V.TaskState = ts(Deleting)
	if err := servers.Save(ctxOf(t), s, r, guard.Preempt("TaskState")); err != nil {
		t.Errorf("preempting delete: %v", err)
	}
	wantTask(t, servers, s, ts(Deleting))
}

type noKey struct {
	State string `guard:"state,state"`
}

type badTag struct {
	ID string `guard:"id,primary"`
}

// Inner is embedded by pointer in viaPtr.
type Inner struct {
	State string `guard:"state,state"`
}

type viaPtr struct {
	ID string `guard:"id,key"`
	*Inner
}

type badType struct {
	ID   string         `guard:"id,key"`
	Tags map[string]int `guard:"tags"`
}

func guardBadInput(t *testing.T, b Backend) {
	s, servers, _ := setup(t, b)
	ctx := ctxOf(t)
	if _, err := guard.NewTable[noKey]("t"); !errors.Is(err, guard.ErrInvalid) || !strings.Contains(err.Error(), "no key") {
		t.Errorf("struct without a key: %v", err)
	}
	if _, err := guard.NewTable[badTag]("t"); !errors.Is(err, guard.ErrInvalid) || !strings.Contains(err.Error(), "primary") {
		t.Errorf("unknown tag option: %v", err)
	}
	if _, err := guard.NewTable[badType]("t"); !errors.Is(err, guard.ErrInvalid) || !strings.Contains(err.Error(), "map[string]int") {
		t.Errorf("unstorable field: %v", err)
	}
	if _, err := guard.NewTable[*Server]("t"); !errors.Is(err, guard.ErrInvalid) {
		t.Errorf("pointer type: %v", err)
	}
	if _, err := guard.NewTable[viaPtr]("t"); !errors.Is(err, guard.ErrInvalid) || !strings.Contains(err.Error(), "embedded pointer") {
		t.Errorf("field promoted through an embedded pointer: %v", err)
	}
	if _, err := servers.Field("Zone"); !errors.Is(err, guard.ErrInvalid) || !strings.Contains(err.Error(), `"Zone"`) {
		t.Errorf("Field(Zone): %v", err)
	}
	edited := func() *guard.Row[Server] {
		r := load(t, servers, s, "s1")
		r.V.TaskState = ts(Shelving)
		return r
	}
	other, _ := guard.NewTable[Server]("other")
	for _, tc := range []struct {
		name string
		save func() error
		want string
	}{
		{"nil row", func() error { return servers.Save(ctx, s, nil, guard.Expect("TaskState", nil)) }, "nil *Row"},
		{"row not from a table", func() error { return servers.Save(ctx, s, &guard.Row[Server]{}, guard.Expect("TaskState", nil)) }, "no snapshot"},
		{"row of another table", func() error {
			r, _ := other.Loaded(Server{ID: "s1"})
			return servers.Save(ctx, s, r)
		}, "of a row of"},
		{"nil store", func() error { return servers.Save(ctx, nil, edited(), guard.Expect("TaskState", nil)) }, "nil Store"},
		{"nil *Memory store", func() error {
			return servers.Save(ctx, (*guard.Memory)(nil), edited(), guard.Expect("TaskState", nil))
		}, "nil *guard.Memory as the Store"},
		{"nil context", func() error { return servers.Save(nilContext(), s, edited(), guard.Expect("TaskState", nil)) }, "nil context"},
		{"unknown field", func() error { return servers.Save(ctx, s, edited(), guard.Expect("TaskStat", nil)) }, `no mapped field "TaskStat"`},
		{"empty expected set", func() error { return servers.Save(ctx, s, edited(), guard.Expect("TaskState")) }, "match nothing"},
		{"empty fence", func() error {
			return servers.Save(ctx, s, edited(), guard.Expect("TaskState", nil), guard.Fence("Host"))
		}, "match nothing"},
		{"value of the wrong type", func() error { return servers.Save(ctx, s, edited(), guard.Expect("TaskState", 42)) }, "does not fit"},
		{"two expectations on a field", func() error {
			return servers.Save(ctx, s, edited(), guard.Expect("TaskState", nil), guard.Expect("task_state", nil))
		}, "another expectation"},
		{"expectation on the key", func() error {
			return servers.Save(ctx, s, edited(), guard.Expect("TaskState", nil), guard.Fence("ID", "s1"))
		}, "key field"},
		{"reentrant without expect", func() error {
			return servers.Save(ctx, s, edited(), guard.Preempt("TaskState"), guard.Reentrant("TaskState"))
		}, "without Expect"},
		{"preempt with expect", func() error {
			return servers.Save(ctx, s, edited(), guard.Expect("TaskState", nil), guard.Preempt("TaskState"))
		}, "also has an expectation"},
		{"preempt of a non-state", func() error {
			return servers.Save(ctx, s, edited(), guard.Expect("TaskState", nil), guard.Preempt("Host"))
		}, "not tagged state"},
		{"zero option", func() error { return servers.Save(ctx, s, edited(), guard.Option{}) }, "zero Option"},
		{"negative retries", func() error { return servers.Save(ctx, s, edited(), guard.Expect("TaskState", nil), guard.Retries(-1)) }, "negative"},
		{"field of another table", func() error { return servers.Save(ctx, s, edited(), other.MustField("TaskState").Expect(nil)) }, "another table"},
		{"key changed", func() error {
			r := edited()
			r.V.ID = "s2"
			return servers.Save(ctx, s, r, guard.Expect("TaskState", nil))
		}, "cannot move a row"},
		{"load with a key of the wrong type", func() error { _, err := servers.Load(ctx, s, 7); return err }, "does not fit"},
		{"load with too many key values", func() error { _, err := servers.Load(ctx, s, guard.Key{"s1", "x"}); return err }, "key values"},
		{"update with nil change", func() error { _, err := servers.Update(ctx, s, "s1", nil); return err }, "nil change"},
		{"retry with no attempts", func() error { return guard.Retry(ctx, 0, func(context.Context) error { return nil }) }, "attempts"},
	} {
		n := s.count()
		var err error
		func() {
			defer func() {
				if p := recover(); p != nil {
					t.Errorf("%s: panic: %v", tc.name, p)
				}
			}()
			err = tc.save()
		}()
		if !errors.Is(err, guard.ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: err = %v, want ErrInvalid mentioning %q", tc.name, err, tc.want)
		}
		if s.count() != n {
			t.Errorf("%s: bad input reached the store", tc.name)
		}
	}
	wantTask(t, servers, s, nil)
}

// nilContext hides a nil context from vet.
func nilContext() context.Context {
	var ctx context.Context
	return ctx
}

// zoned maps a column the suite's table lacks.
type zoned struct {
	ID        string     `guard:"id,key"`
	TaskState *TaskState `guard:"task_state,state"`
	Zone      *string    `guard:"zone"`
}

// guardUnknownColumn: an expectation on a column the table lacks is refused
// by the store and writes nothing.
func guardUnknownColumn(t *testing.T, b Backend) {
	s, servers, tbl := setup(t, b)
	zones, err := guard.NewTable[zoned](tbl)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zones.Load(ctxOf(t), s, "s1"); !errors.Is(err, guard.ErrUnknownColumn) {
		t.Errorf("Load: err = %v, want ErrUnknownColumn", err)
	}
	r, err := zones.Loaded(zoned{ID: "s1", Zone: strp("eu-1")})
	if err != nil {
		t.Fatal(err)
	}
	r.V.TaskState = ts(Shelving)
	err = zones.Save(ctxOf(t), s, r, guard.Expect("TaskState", nil), guard.Fence("Zone", "eu-1"))
	if !errors.Is(err, guard.ErrUnknownColumn) {
		t.Errorf("Save: err = %v, want ErrUnknownColumn", err)
	}
	wantTask(t, servers, s, nil)
}

func guardCancelled(t *testing.T, b Backend) {
	s, servers, _ := setup(t, b)
	r := load(t, servers, s, "s1")
	r.V.TaskState = ts(Shelving)
	ctx, cancel := context.WithCancel(ctxOf(t))
	cancel()
	err := servers.Save(ctx, s, r, guard.Expect("TaskState", nil))
	if !errors.Is(err, context.Canceled) || errors.Is(err, guard.ErrOutcomeUnknown) {
		t.Fatalf("err = %v, want context.Canceled: nothing was sent, so the outcome is known", err)
	}
	if got := r.Changed(); !slices.Equal(got, []string{"TaskState"}) {
		t.Errorf("Changed = %v after a failed save", got)
	}
	wantTask(t, servers, s, nil)
	if _, err := servers.Update(ctx, s, "s1", func(v *Server) ([]guard.Option, error) {
		t.Error("Update ran its change with a cancelled context")
		return nil, nil
	}); !errors.Is(err, context.Canceled) {
		t.Errorf("Update: err = %v, want context.Canceled", err)
	}
}

// guardUpdate: concurrent read-modify-writes of a versioned row through
// Update. Every increment that Update reports as saved is in the row, and
// no failure is reported as success.
func guardUpdate(t *testing.T, b Backend) {
	s, tbl := b.open(t)
	vservers, err := guard.NewTable[VersionedServer](tbl)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := vservers.Insert(ctxOf(t), s, VersionedServer{Server: Server{ID: "s1", VMState: "active", Host: strp("0")}}); err != nil {
		t.Fatal(err)
	}
	const workers, each = 4, 5
	var ok, failed atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range each {
				_, err := vservers.Update(ctxOf(t), s, "s1", func(v *VersionedServer) ([]guard.Option, error) {
					n, err := strconv.Atoi(*v.Host)
					if err != nil {
						return nil, err
					}
					v.Host = strp(strconv.Itoa(n + 1))
					return nil, nil
				})
				switch {
				case err == nil:
					ok.Add(1)
				case errors.Is(err, guard.ErrConflict):
					failed.Add(1)
				default:
					t.Errorf("Update: %v", err)
				}
			}
		})
	}
	wg.Wait()
	got := load(t, vservers, s, "s1")
	if *got.V.Host != strconv.Itoa(int(ok.Load())) || got.V.Version != ok.Load() {
		t.Errorf("counter %s at version %d, want %d (%d failed)", *got.V.Host, got.V.Version, ok.Load(), failed.Load())
	}
	if ok.Load() == 0 {
		t.Error("no Update succeeded")
	}
	// change's own error stops Update at once.
	busy := errors.New("busy")
	calls := 0
	_, err = vservers.Update(ctxOf(t), s, "s1", func(v *VersionedServer) ([]guard.Option, error) {
		calls++
		return nil, busy
	})
	if !errors.Is(err, busy) || calls != 1 {
		t.Errorf("Update: err = %v after %d calls, want busy after 1", err, calls)
	}
}
