package guardtest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"

	"github.com/stateguard/stateguard/guard"
)

func randSuffix() int { return rand.IntN(1_000_000) }

// row is one row of the suite's table, as the store-level cases see it.
type row struct {
	ID        string
	TaskState *string
	VMState   string
	Host      *string
	Version   int64
}

var rowCols = []guard.Column{
	{Name: "task_state", Type: typeStringPtr},
	{Name: "vm_state", Type: typeString},
	{Name: "host", Type: typeStringPtr},
	{Name: "version", Type: typeInt64},
}

func keyOf(id string) []guard.Value { return []guard.Value{{Column: Key, Value: id}} }

func insertRow(t *testing.T, s guard.Store, table string, r row) {
	t.Helper()
	vals := []guard.Value{
		{Column: Key, Value: r.ID},
		{Column: "task_state", Value: nullable(r.TaskState)},
		{Column: "vm_state", Value: r.VMState},
		{Column: "host", Value: nullable(r.Host)},
		{Column: "version", Value: r.Version},
	}
	if err := s.Insert(ctxOf(t), table, vals); err != nil {
		t.Fatalf("Insert %s: %v", r.ID, err)
	}
}

// nullable turns a nil *string into an untyped nil, the Value of NULL.
func nullable(p *string) any {
	if p == nil {
		return nil
	}
	return *p
}

func loadRow(t *testing.T, s guard.Store, table, id string) row {
	t.Helper()
	vals, err := s.Load(ctxOf(t), table, keyOf(id), rowCols)
	if err != nil {
		t.Fatalf("Load %s: %v", id, err)
	}
	return rowFrom(t, id, vals)
}

func rowFrom(t *testing.T, id string, vals []any) row {
	t.Helper()
	if len(vals) != len(rowCols) {
		t.Fatalf("got %d values for %d columns: %v", len(vals), len(rowCols), vals)
	}
	r := row{ID: id}
	var ok [4]bool
	r.TaskState, ok[0] = vals[0].(*string)
	r.VMState, ok[1] = vals[1].(string)
	r.Host, ok[2] = vals[2].(*string)
	r.Version, ok[3] = vals[3].(int64)
	for i, o := range ok {
		if !o {
			t.Fatalf("column %s: got %T, want %s", rowCols[i].Name, vals[i], rowCols[i].Type)
		}
	}
	return r
}

func (r row) String() string {
	return fmt.Sprintf("{id=%s task_state=%s vm_state=%s host=%s version=%d}", r.ID, show(r.TaskState), r.VMState, show(r.Host), r.Version)
}

func show(p *string) string {
	if p == nil {
		return "NULL"
	}
	return fmt.Sprintf("%q", *p)
}

func sameRow(a, b row) bool { return a.String() == b.String() }

func cloneWrite(w *guard.Write) *guard.Write {
	c := &guard.Write{Table: w.Table}
	c.Key = append(c.Key, w.Key...)
	c.Set = append(c.Set, w.Set...)
	for _, cond := range w.Where {
		cond.Values = append([]any(nil), cond.Values...)
		c.Where = append(c.Where, cond)
	}
	c.Read = append(c.Read, w.Read...)
	return c
}

// apply runs w and checks that the store left it as it was.
func apply(t *testing.T, s guard.Store, w *guard.Write) (guard.Result, error) {
	t.Helper()
	before := cloneWrite(w)
	res, err := s.Apply(ctxOf(t), w)
	if !reflect.DeepEqual(before, w) {
		t.Errorf("Apply modified its Write:\nbefore %+v\nafter  %+v", before, w)
	}
	return res, err
}

func mustOutcome(t *testing.T, res guard.Result, err error, want guard.Outcome) {
	t.Helper()
	if err != nil {
		t.Fatalf("Apply: %v", err)
	}
	if res.Outcome != want {
		t.Fatalf("Apply: outcome %v (actual %v), want %v", res.Outcome, res.Actual, want)
	}
}

func storeCases() []testCase {
	return []testCase{
		{"store/InsertLoad", storeInsertLoad},
		{"store/Applied", storeApplied},
		{"store/Mismatch", storeMismatch},
		{"store/NullOrValues", storeNullOrValues},
		{"store/EmptySet", storeEmptySet},
		{"store/SeveralConditions", storeSeveralConditions},
		{"store/NotFound", storeNotFound},
		{"store/DeletedRow", storeDeletedRow},
		{"store/UnknownColumn", storeUnknownColumn},
		{"store/CancelledBefore", storeCancelledBefore},
		{"store/Race", storeRace},
		{"store/Linearizable", storeLinearizable},
	}
}

func storeInsertLoad(t *testing.T, b Backend) {
	s, tbl := b.open(t)
	want := row{ID: "a", TaskState: nil, VMState: "active", Host: strp("h1"), Version: 7}
	insertRow(t, s, tbl, want)
	if got := loadRow(t, s, tbl, "a"); !sameRow(got, want) {
		t.Errorf("Load = %v, want %v", got, want)
	}
	want2 := row{ID: "b", TaskState: strp("spawning"), VMState: "building"}
	insertRow(t, s, tbl, want2)
	if got := loadRow(t, s, tbl, "b"); !sameRow(got, want2) {
		t.Errorf("Load = %v, want %v", got, want2)
	}
	err := s.Insert(ctxOf(t), tbl, []guard.Value{{Column: Key, Value: "a"}, {Column: "vm_state", Value: "x"}})
	if !errors.Is(err, guard.ErrExists) {
		t.Errorf("Insert of an existing key: err = %v, want ErrExists", err)
	}
	if got := loadRow(t, s, tbl, "a"); !sameRow(got, want) {
		t.Errorf("after the refused Insert, Load = %v, want %v", got, want)
	}
	_, err = s.Load(ctxOf(t), tbl, keyOf("missing"), rowCols)
	if !errors.Is(err, guard.ErrNotFound) {
		t.Errorf("Load of a missing row: err = %v, want ErrNotFound", err)
	}
}

func storeApplied(t *testing.T, b Backend) {
	s, tbl := b.open(t)
	insertRow(t, s, tbl, row{ID: "a", VMState: "active"})
	w := &guard.Write{
		Table: tbl, Key: keyOf("a"),
		Set:   []guard.Value{{Column: "task_state", Value: "shelving"}},
		Where: []guard.Cond{{Column: "task_state", Null: true}},
		Read:  rowCols[:1],
	}
	res, err := apply(t, s, w)
	mustOutcome(t, res, err, guard.Applied)
	want := row{ID: "a", TaskState: strp("shelving"), VMState: "active"}
	if got := loadRow(t, s, tbl, "a"); !sameRow(got, want) {
		t.Errorf("after Applied, Load = %v, want %v", got, want)
	}
	// The same Write again: the row is no longer NULL.
	res, err = apply(t, s, w)
	mustOutcome(t, res, err, guard.Mismatch)
	if len(res.Actual) != 1 || !reflect.DeepEqual(res.Actual[0], strp("shelving")) {
		t.Errorf("Mismatch Actual = %#v, want [*string shelving]", res.Actual)
	}
	// Setting a column to the value it has is still applied when the
	// condition holds (MySQL would report 0 changed rows here).
	w2 := &guard.Write{
		Table: tbl, Key: keyOf("a"),
		Set:   []guard.Value{{Column: "vm_state", Value: "active"}},
		Where: []guard.Cond{{Column: "task_state", Values: []any{"shelving"}}},
		Read:  rowCols[:1],
	}
	res, err = apply(t, s, w2)
	mustOutcome(t, res, err, guard.Applied)
	// Writing NULL.
	w3 := &guard.Write{
		Table: tbl, Key: keyOf("a"),
		Set:   []guard.Value{{Column: "task_state", Value: nil}, {Column: "version", Value: int64(1)}},
		Where: []guard.Cond{{Column: "task_state", Values: []any{"shelving"}}, {Column: "version", Values: []any{int64(0)}}},
		Read:  rowCols,
	}
	res, err = apply(t, s, w3)
	mustOutcome(t, res, err, guard.Applied)
	want = row{ID: "a", VMState: "active", Version: 1}
	if got := loadRow(t, s, tbl, "a"); !sameRow(got, want) {
		t.Errorf("after writing NULL, Load = %v, want %v", got, want)
	}
}

func storeMismatch(t *testing.T, b Backend) {
	s, tbl := b.open(t)
	orig := row{ID: "a", TaskState: strp("rebooting"), VMState: "active", Host: strp("h1"), Version: 3}
	insertRow(t, s, tbl, orig)
	w := &guard.Write{
		Table: tbl, Key: keyOf("a"),
		Set:   []guard.Value{{Column: "task_state", Value: "shelving"}, {Column: "host", Value: "h2"}},
		Where: []guard.Cond{{Column: "task_state", Null: true}},
		Read:  rowCols,
	}
	res, err := apply(t, s, w)
	mustOutcome(t, res, err, guard.Mismatch)
	if got := rowFrom(t, "a", res.Actual); !sameRow(got, orig) {
		t.Errorf("Mismatch Actual = %v, want %v", got, orig)
	}
	if got := loadRow(t, s, tbl, "a"); !sameRow(got, orig) {
		t.Errorf("after Mismatch, Load = %v, want the row unchanged %v", got, orig)
	}
	// A value that is not among Values.
	w.Where = []guard.Cond{{Column: "task_state", Values: []any{"pausing", "resuming"}}}
	res, err = apply(t, s, w)
	mustOutcome(t, res, err, guard.Mismatch)
	if got := loadRow(t, s, tbl, "a"); !sameRow(got, orig) {
		t.Errorf("after Mismatch, Load = %v, want the row unchanged %v", got, orig)
	}
}

func storeNullOrValues(t *testing.T, b Backend) {
	s, tbl := b.open(t)
	insertRow(t, s, tbl, row{ID: "null", VMState: "active"})
	insertRow(t, s, tbl, row{ID: "a", TaskState: strp("a"), VMState: "active"})
	insertRow(t, s, tbl, row{ID: "b", TaskState: strp("b"), VMState: "active"})
	for _, tc := range []struct {
		cond guard.Cond
		want map[string]guard.Outcome
	}{
		{guard.Cond{Column: "task_state", Null: true}, map[string]guard.Outcome{"null": guard.Applied, "a": guard.Mismatch, "b": guard.Mismatch}},
		{guard.Cond{Column: "task_state", Values: []any{"a"}}, map[string]guard.Outcome{"null": guard.Mismatch, "a": guard.Applied, "b": guard.Mismatch}},
		{guard.Cond{Column: "task_state", Values: []any{"a"}, Null: true}, map[string]guard.Outcome{"null": guard.Applied, "a": guard.Applied, "b": guard.Mismatch}},
		{guard.Cond{Column: "task_state", Values: []any{"a", "b"}}, map[string]guard.Outcome{"null": guard.Mismatch, "a": guard.Applied, "b": guard.Applied}},
		// A nil among Values is NULL, as Null is: never SQL's IN (NULL),
		// which matches nothing.
		{guard.Cond{Column: "task_state", Values: []any{nil}}, map[string]guard.Outcome{"null": guard.Applied, "a": guard.Mismatch, "b": guard.Mismatch}},
		{guard.Cond{Column: "task_state", Values: []any{"b", nil}}, map[string]guard.Outcome{"null": guard.Applied, "a": guard.Mismatch, "b": guard.Applied}},
		{guard.Cond{Column: "task_state", Values: []any{(*string)(nil)}}, map[string]guard.Outcome{"null": guard.Applied, "a": guard.Mismatch, "b": guard.Mismatch}},
	} {
		for _, id := range []string{"null", "a", "b"} {
			before := loadRow(t, s, tbl, id)
			// A fence: nothing to set, only the condition.
			w := &guard.Write{Table: tbl, Key: keyOf(id), Where: []guard.Cond{tc.cond}, Read: rowCols[:1]}
			res, err := apply(t, s, w)
			if err != nil {
				t.Fatalf("%s with %+v: %v", id, tc.cond, err)
			}
			if res.Outcome != tc.want[id] {
				t.Errorf("row %s (task_state %s) with %+v: outcome %v, want %v", id, show(before.TaskState), tc.cond, res.Outcome, tc.want[id])
			}
			if after := loadRow(t, s, tbl, id); !sameRow(after, before) {
				t.Errorf("a fence changed row %s: %v -> %v", id, before, after)
			}
		}
	}
}

func storeEmptySet(t *testing.T, b Backend) {
	s, tbl := b.open(t)
	orig := row{ID: "a", TaskState: strp("resize_reverting"), VMState: "resized", Host: strp("h1")}
	insertRow(t, s, tbl, orig)
	w := &guard.Write{Table: tbl, Key: keyOf("a"), Where: []guard.Cond{{Column: "task_state", Values: []any{"resize_reverting"}}}, Read: rowCols[:1]}
	res, err := apply(t, s, w)
	mustOutcome(t, res, err, guard.Applied)
	w = &guard.Write{Table: tbl, Key: keyOf("a"), Where: []guard.Cond{{Column: "task_state", Null: true}}, Read: rowCols[:1]}
	res, err = apply(t, s, w)
	mustOutcome(t, res, err, guard.Mismatch)
	if !reflect.DeepEqual(res.Actual, []any{strp("resize_reverting")}) {
		t.Errorf("Actual = %#v, want [resize_reverting]", res.Actual)
	}
	// A condition that expects no value and not NULL can never hold: the
	// store refuses it, before it looks at the row.
	w = &guard.Write{Table: tbl, Key: keyOf("a"), Set: []guard.Value{{Column: "host", Value: "h2"}}, Where: []guard.Cond{{Column: "task_state"}}, Read: rowCols[:1]}
	if res, err := apply(t, s, w); err == nil {
		t.Errorf("a condition with no values and not NULL: %+v, want an error", res)
	}
	// No condition and nothing to set still looks at the row.
	w = &guard.Write{Table: tbl, Key: keyOf("missing")}
	res, err = apply(t, s, w)
	mustOutcome(t, res, err, guard.NotFound)
	if got := loadRow(t, s, tbl, "a"); !sameRow(got, orig) {
		t.Errorf("Load = %v, want %v", got, orig)
	}
}

func storeSeveralConditions(t *testing.T, b Backend) {
	s, tbl := b.open(t)
	orig := row{ID: "a", TaskState: strp("resize_reverting"), VMState: "resized", Host: strp("h1"), Version: 4}
	insertRow(t, s, tbl, orig)
	w := &guard.Write{
		Table: tbl, Key: keyOf("a"),
		Set: []guard.Value{{Column: "host", Value: "h2"}, {Column: "version", Value: int64(5)}},
		Where: []guard.Cond{
			{Column: "task_state", Values: []any{"resize_reverting"}},
			{Column: "version", Values: []any{int64(3)}},
		},
		Read: rowCols,
	}
	res, err := apply(t, s, w)
	mustOutcome(t, res, err, guard.Mismatch)
	if got := rowFrom(t, "a", res.Actual); !sameRow(got, orig) {
		t.Errorf("Actual = %v, want %v", got, orig)
	}
	w.Where[1].Values = []any{int64(4)}
	res, err = apply(t, s, w)
	mustOutcome(t, res, err, guard.Applied)
	want := orig
	want.Host, want.Version = strp("h2"), 5
	if got := loadRow(t, s, tbl, "a"); !sameRow(got, want) {
		t.Errorf("Load = %v, want %v", got, want)
	}
}

func storeNotFound(t *testing.T, b Backend) {
	s, tbl := b.open(t)
	w := &guard.Write{
		Table: tbl, Key: keyOf("missing"),
		Set:   []guard.Value{{Column: "task_state", Value: "x"}},
		Where: []guard.Cond{{Column: "task_state", Null: true}},
		Read:  rowCols[:1],
	}
	res, err := apply(t, s, w)
	mustOutcome(t, res, err, guard.NotFound)
}

func storeDeletedRow(t *testing.T, b Backend) {
	if b.Delete == nil {
		t.Skipf("%s: Backend.Delete is nil", b.Name)
	}
	s, tbl := b.open(t)
	insertRow(t, s, tbl, row{ID: "a", VMState: "active"})
	loadRow(t, s, tbl, "a")
	b.Delete(t, s, tbl, "a")
	w := &guard.Write{
		Table: tbl, Key: keyOf("a"),
		Set:   []guard.Value{{Column: "task_state", Value: "x"}},
		Where: []guard.Cond{{Column: "task_state", Null: true}},
		Read:  rowCols[:1],
	}
	res, err := apply(t, s, w)
	mustOutcome(t, res, err, guard.NotFound)
	if _, err := s.Load(ctxOf(t), tbl, keyOf("a"), rowCols); !errors.Is(err, guard.ErrNotFound) {
		t.Errorf("Load after delete: err = %v, want ErrNotFound", err)
	}
}

func storeUnknownColumn(t *testing.T, b Backend) {
	s, tbl := b.open(t)
	orig := row{ID: "a", VMState: "active"}
	insertRow(t, s, tbl, orig)
	base := func() *guard.Write {
		return &guard.Write{
			Table: tbl, Key: keyOf("a"),
			Set:   []guard.Value{{Column: "task_state", Value: "x"}},
			Where: []guard.Cond{{Column: "task_state", Null: true}},
			Read:  []guard.Column{rowCols[0]},
		}
	}
	for name, mutate := range map[string]func(*guard.Write){
		"set":      func(w *guard.Write) { w.Set = append(w.Set, guard.Value{Column: "zone", Value: "z"}) },
		"where":    func(w *guard.Write) { w.Where = append(w.Where, guard.Cond{Column: "zone", Values: []any{"z"}}) },
		"read":     func(w *guard.Write) { w.Read = append(w.Read, guard.Column{Name: "zone", Type: typeString}) },
		"table":    func(w *guard.Write) { w.Table = tbl + "_missing" },
		"notfound": func(w *guard.Write) { w.Key = keyOf("missing"); w.Where[0].Column = "zone" },
	} {
		w := base()
		mutate(w)
		_, err := apply(t, s, w)
		if !errors.Is(err, guard.ErrUnknownColumn) {
			t.Errorf("%s: err = %v, want ErrUnknownColumn", name, err)
		}
		if got := loadRow(t, s, tbl, "a"); !sameRow(got, orig) {
			t.Fatalf("%s: the refused Write changed the row: %v, want %v", name, got, orig)
		}
	}
	_, err := s.Load(ctxOf(t), tbl, keyOf("a"), []guard.Column{{Name: "zone", Type: typeString}})
	if !errors.Is(err, guard.ErrUnknownColumn) {
		t.Errorf("Load of an unknown column: err = %v, want ErrUnknownColumn", err)
	}
}

func storeCancelledBefore(t *testing.T, b Backend) {
	s, tbl := b.open(t)
	orig := row{ID: "a", VMState: "active"}
	insertRow(t, s, tbl, orig)
	ctx, cancel := context.WithCancel(ctxOf(t))
	cancel()
	w := &guard.Write{
		Table: tbl, Key: keyOf("a"),
		Set:   []guard.Value{{Column: "task_state", Value: "x"}},
		Where: []guard.Cond{{Column: "task_state", Null: true}},
		Read:  rowCols[:1],
	}
	res, err := s.Apply(ctx, w)
	if err == nil {
		t.Fatalf("Apply with a cancelled context: %v, nil error", res.Outcome)
	}
	if !errors.Is(err, context.Canceled) || errors.Is(err, guard.ErrOutcomeUnknown) {
		t.Errorf("Apply with a cancelled context: err = %v, want context.Canceled: nothing was sent, so the outcome is known", err)
	}
	if got := loadRow(t, s, tbl, "a"); !sameRow(got, orig) {
		t.Errorf("a save cancelled before it started changed the row: %v", got)
	}
}

// storeRace has Writers goroutines apply the same transition, each writing
// its own value, for Rounds rounds: exactly one wins each round, every loser
// sees the winner's value, and the row holds the winner's value.
func storeRace(t *testing.T, b Backend) {
	s, tbl := b.open(t)
	insertRow(t, s, tbl, row{ID: "a", VMState: "active"})
	n := Writers()
	for round := range Rounds() {
		var (
			wg      sync.WaitGroup
			start   = make(chan struct{})
			results = make([]guard.Result, n)
			errs    = make([]error, n)
		)
		for g := range n {
			wg.Go(func() {
				w := &guard.Write{
					Table: tbl, Key: keyOf("a"),
					Set:   []guard.Value{{Column: "task_state", Value: fmt.Sprintf("r%d-g%d", round, g)}},
					Where: []guard.Cond{{Column: "task_state", Null: true}},
					Read:  rowCols[:1],
				}
				<-start
				results[g], errs[g] = s.Apply(ctxOf(t), w)
			})
		}
		close(start)
		wg.Wait()
		winner := -1
		for g := range n {
			if errs[g] != nil {
				t.Fatalf("round %d writer %d: %v", round, g, errs[g])
			}
			if results[g].Outcome == guard.Applied {
				if winner >= 0 {
					t.Fatalf("round %d: writers %d and %d both applied", round, winner, g)
				}
				winner = g
			}
		}
		if winner < 0 {
			t.Fatalf("round %d: no writer applied", round)
		}
		want := fmt.Sprintf("r%d-g%d", round, winner)
		for g := range n {
			if g == winner {
				continue
			}
			r := results[g]
			if r.Outcome != guard.Mismatch || len(r.Actual) != 1 || !reflect.DeepEqual(r.Actual[0], &want) {
				t.Errorf("round %d loser %d: %v %#v, want Mismatch with the winner's %q", round, g, r.Outcome, r.Actual, want)
			}
		}
		if got := loadRow(t, s, tbl, "a"); got.TaskState == nil || *got.TaskState != want {
			t.Fatalf("round %d: row holds %v, want the winner's %q", round, got, want)
		}
		// Reset for the next round.
		reset := &guard.Write{Table: tbl, Key: keyOf("a"), Set: []guard.Value{{Column: "task_state", Value: nil}}, Where: []guard.Cond{{Column: "task_state", Values: []any{want}}}}
		res, err := s.Apply(ctxOf(t), reset)
		mustOutcome(t, res, err, guard.Applied)
	}
}
