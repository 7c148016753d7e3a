package guard_test

import (
	"context"
	"database/sql"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stateguard/stateguard/guard"
)

type Base struct {
	ID string `guard:",key"`
}

type embedded struct {
	Base
	VMState   string    `guard:",state"`
	HTTPPort  uint16    `guard:""`
	CreatedAt time.Time `guard:"created_at"`
	Notes     []byte    `guard:"notes"`
	Label     sql.NullString
	Ignored   string `guard:"-"`
	Rev       uint32 `guard:"rev,version"`
}

func TestNewTableMapping(t *testing.T) {
	tab, err := guard.NewTable[embedded]("things")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := tab.KeyColumns(), []string{"id"}; !slices.Equal(got, want) {
		t.Errorf("KeyColumns = %v, want %v", got, want)
	}
	if got, want := tab.Columns(), []string{"vm_state", "http_port", "created_at", "notes", "rev"}; !slices.Equal(got, want) {
		t.Errorf("Columns = %v, want %v", got, want)
	}
	if got := tab.String(); got != "things(guard_test.embedded)" {
		t.Errorf("String = %q", got)
	}
	// Fields answer to their Go name and their column name.
	for _, n := range []string{"HTTPPort", "http_port", "CreatedAt", "created_at"} {
		if _, err := tab.Field(n); err != nil {
			t.Errorf("Field(%q): %v", n, err)
		}
	}
	if _, err := tab.Field("Label"); err == nil || !strings.Contains(err.Error(), "no guard tag") {
		t.Errorf("Field(Label) of an untagged field: %v", err)
	}
}

func TestNewTableRefuses(t *testing.T) {
	type dupColumn struct {
		ID string `guard:"id,key"`
		A  string `guard:"x"`
		B  string `guard:"x"`
	}
	type stringVersion struct {
		ID string `guard:"id,key"`
		V  string `guard:"v,version"`
	}
	type twoVersions struct {
		ID string `guard:"id,key"`
		A  int    `guard:"a,version"`
		B  int    `guard:"b,version"`
	}
	type unexported struct {
		ID string `guard:"id,key"`
		s  string `guard:"s"`
	}
	type keyState struct {
		ID string `guard:"id,key,state"`
	}
	type nested struct {
		ID string   `guard:"id,key"`
		P  **string `guard:"p"`
	}
	_ = unexported{}.s
	for name, f := range map[string]func() error{
		"duplicate column":        func() error { _, err := guard.NewTable[dupColumn]("t"); return err },
		"string version":          func() error { _, err := guard.NewTable[stringVersion]("t"); return err },
		"two versions":            func() error { _, err := guard.NewTable[twoVersions]("t"); return err },
		"unexported tagged field": func() error { _, err := guard.NewTable[unexported]("t"); return err },
		"key and state":           func() error { _, err := guard.NewTable[keyState]("t"); return err },
		"pointer to pointer":      func() error { _, err := guard.NewTable[nested]("t"); return err },
		"empty name":              func() error { _, err := guard.NewTable[Server](""); return err },
		"not a struct":            func() error { _, err := guard.NewTable[int]("t"); return err },
	} {
		if err := f(); !errors.Is(err, guard.ErrInvalid) {
			t.Errorf("%s: err = %v, want ErrInvalid", name, err)
		}
	}
	defer func() {
		if recover() == nil {
			t.Error("MustTable of a struct without a key did not panic")
		}
	}()
	guard.MustTable[struct{ A string }]("t")
}

// TestTypes round-trips the supported field types through the memory store.
func TestTypes(t *testing.T) {
	ctx := context.Background()
	tab := guard.MustTable[embedded]("things")
	m := guard.NewMemory()
	if err := m.Create(tab); err != nil {
		t.Fatal(err)
	}
	when := time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC)
	in := embedded{Base: Base{ID: "x"}, VMState: "active", HTTPPort: 8080, CreatedAt: when, Notes: []byte("n"), Rev: 7}
	if _, err := tab.Insert(ctx, m, in); err != nil {
		t.Fatal(err)
	}
	r, err := tab.Load(ctx, m, "x")
	if err != nil {
		t.Fatal(err)
	}
	if r.V.ID != "x" || r.V.HTTPPort != 8080 || !r.V.CreatedAt.Equal(when) || string(r.V.Notes) != "n" || r.V.Rev != 7 {
		t.Errorf("loaded %+v, want %+v", r.V, in)
	}
	r.V.VMState = "stopped"
	r.V.Notes = nil
	if err := tab.Save(ctx, m, r, guard.Expect("VMState", "active")); err != nil {
		t.Fatal(err)
	}
	if r.V.Rev != 8 {
		t.Errorf("Rev = %d after a save, want 8", r.V.Rev)
	}
	again, err := tab.Load(ctx, m, "x")
	if err != nil {
		t.Fatal(err)
	}
	if again.V.VMState != "stopped" || again.V.Notes != nil || again.V.Rev != 8 {
		t.Errorf("stored %+v", again.V)
	}
}

type account struct {
	Region string  `guard:"region,key"`
	Number int     `guard:"number,key"`
	Status *string `guard:"status,state"`
}

func TestCompositeKey(t *testing.T) {
	ctx := context.Background()
	accounts := guard.MustTable[account]("accounts")
	m := guard.NewMemory()
	if err := m.Create(accounts); err != nil {
		t.Fatal(err)
	}
	for _, a := range []account{{Region: "eu", Number: 1}, {Region: "eu", Number: 2}, {Region: "us", Number: 1}} {
		if _, err := accounts.Insert(ctx, m, a); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := accounts.Insert(ctx, m, account{Region: "eu", Number: 1}); !errors.Is(err, guard.ErrExists) {
		t.Errorf("duplicate Insert: %v, want ErrExists", err)
	}
	r, err := accounts.Load(ctx, m, guard.Key{"eu", 2})
	if err != nil {
		t.Fatal(err)
	}
	r.V.Status = guard.Ptr("frozen")
	if err := accounts.Save(ctx, m, r, guard.Expect("Status", nil)); err != nil {
		t.Fatal(err)
	}
	for _, k := range []guard.Key{{"eu", 1}, {"us", 1}} {
		o, err := accounts.Load(ctx, m, k)
		if err != nil || o.V.Status != nil {
			t.Errorf("%v: %+v, %v; want untouched", k, o, err)
		}
	}
	if _, err := accounts.Load(ctx, m, "eu"); !errors.Is(err, guard.ErrInvalid) {
		t.Errorf("Load with one of two key values: %v", err)
	}
}

func TestChangedReset(t *testing.T) {
	ctx := context.Background()
	store := newStore()
	srv, err := servers.Load(ctx, store, "s1")
	if err != nil {
		t.Fatal(err)
	}
	if got := srv.Changed(); len(got) != 0 {
		t.Errorf("fresh row: Changed = %v", got)
	}
	srv.V.TaskState = guard.Ptr(Shelving)
	*srv.V.Host = "h9" // through the pointer: still a change
	if got := srv.Changed(); !slices.Equal(got, []string{"TaskState", "Host"}) {
		t.Errorf("Changed = %v", got)
	}
	if err := srv.Reset(); err != nil {
		t.Fatal(err)
	}
	if srv.V.TaskState != nil || *srv.V.Host != "h1" || len(srv.Changed()) != 0 {
		t.Errorf("after Reset: %+v, Changed %v", srv.V, srv.Changed())
	}
	var zero *guard.Row[Server]
	if zero.Changed() != nil || zero.Reset() == nil {
		t.Error("nil Row: Changed should be nil and Reset an error")
	}
}

func TestRetry(t *testing.T) {
	ctx := context.Background()
	storeConflict := &guard.ConflictError{Table: "t", Field: "F"}
	localConflict := &guard.ConflictError{Table: "t", Field: "F", Local: true}

	calls := 0
	err := guard.Retry(ctx, 3, func(context.Context) error {
		calls++
		if calls < 3 {
			return storeConflict
		}
		return nil
	})
	if err != nil || calls != 3 {
		t.Errorf("succeeding on the third call: err %v, %d calls", err, calls)
	}

	calls = 0
	err = guard.Retry(ctx, 3, func(context.Context) error { calls++; return storeConflict })
	if !errors.Is(err, guard.ErrConflict) || calls != 3 || !strings.Contains(err.Error(), "3 attempts") {
		t.Errorf("always conflicting: err %v, %d calls", err, calls)
	}

	for _, e := range []error{localConflict, guard.ErrOutcomeUnknown, guard.ErrNotFound, errors.New("boom")} {
		calls = 0
		err = guard.Retry(ctx, 3, func(context.Context) error { calls++; return e })
		if !errors.Is(err, e) || calls != 1 {
			t.Errorf("%v: err %v after %d calls, want it at once", e, err, calls)
		}
	}

	// Cancelled while waiting: both the context error and the last one.
	cctx, cancel := context.WithCancel(ctx)
	calls = 0
	err = guard.Retry(cctx, 10, func(context.Context) error { calls++; cancel(); return storeConflict })
	if !errors.Is(err, context.Canceled) || !errors.Is(err, guard.ErrConflict) || calls != 1 {
		t.Errorf("cancelled: err %v after %d calls", err, calls)
	}
	if err := guard.Retry(ctx, 1, nil); !errors.Is(err, guard.ErrInvalid) {
		t.Errorf("nil fn: %v", err)
	}
}

// lyingStore answers every Apply with the same Result.
type lyingStore struct {
	*guard.Memory
	res guard.Result
}

func (s lyingStore) Apply(context.Context, *guard.Write) (guard.Result, error) { return s.res, nil }

func TestSaveRefusesBadStoreAnswers(t *testing.T) {
	ctx := context.Background()
	for _, res := range []guard.Result{{}, {Outcome: 9}, {Outcome: guard.Mismatch, Actual: []any{nil, nil}}} {
		store := lyingStore{Memory: newStore(), res: res}
		srv, _ := servers.Load(ctx, store, "s1")
		srv.V.TaskState = guard.Ptr(Shelving)
		err := servers.Save(ctx, store, srv, guard.Expect("TaskState", nil))
		if err == nil || errors.Is(err, guard.ErrConflict) {
			t.Errorf("store answering %+v: err = %v, want an error that is not a conflict", res, err)
		}
		if len(srv.Changed()) != 1 {
			t.Errorf("store answering %+v: the row changed", res)
		}
	}
}

func TestMemoryRefuses(t *testing.T) {
	ctx := context.Background()
	m := guard.NewMemory()
	for name, err := range map[string]error{
		"no name":       m.CreateTable("", []string{"id"}),
		"no key":        m.CreateTable("t", nil, "a"),
		"column twice":  m.CreateTable("t", []string{"id"}, "a", "a"),
		"empty column":  m.CreateTable("t", []string{"id"}, ""),
		"exists":        errors.Join(m.CreateTable("t", []string{"id"}, "a"), m.CreateTable("t", []string{"id"})),
		"no key value":  m.Insert(ctx, "t", []guard.Value{{Column: "a", Value: "x"}}),
		"NULL key":      m.Insert(ctx, "t", []guard.Value{{Column: "id", Value: nil}}),
		"unknown table": m.Insert(ctx, "u", []guard.Value{{Column: "id", Value: "x"}}),
	} {
		if err == nil {
			t.Errorf("%s: no error", name)
		}
	}
	if ok, err := m.Delete("t", "missing"); ok || err != nil {
		t.Errorf("Delete of a missing row: %v, %v", ok, err)
	}
	if _, err := m.Apply(ctx, nil); err == nil {
		t.Error("Apply(nil): no error")
	}
}

func TestConflictErrorMessages(t *testing.T) {
	for _, tc := range []struct {
		err  *guard.ConflictError
		want string
	}{
		{&guard.ConflictError{Table: "servers", Key: []any{"s1"}, Field: "TaskState", Expected: []any{nil, Shelving}, Actual: Deleting},
			`guard: conflict: servers[s1].TaskState is "DELETING", expected one of [NULL "SHELVING"]`},
		{&guard.ConflictError{Table: "t", Key: []any{"eu", 1}, Field: "Version", Expected: []any{int64(3)}, Actual: int64(5)},
			`guard: conflict: t[eu,1].Version is 5, expected 3`},
		{&guard.ConflictError{Table: "t", Key: []any{"a"}, Unknown: true, Attempts: 4},
			`guard: conflict: t[a]: the store matched no row although the values it read satisfy every condition (4 attempts with the same conditions); cause unknown`},
	} {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got  %s\nwant %s", got, tc.want)
		}
	}
}

// The options guard refuses as invalid-option, the analyzer's name for the
// same mistakes in source code, are *RuleErrors of that check, and still
// ErrInvalid.
func TestInvalidOption(t *testing.T) {
	ctx := context.Background()
	store := newStore()
	for _, tc := range []struct {
		name string
		opt  guard.Option
		msg  string
	}{
		{"unknown field", guard.Expect("TaskStat", nil), `no mapped field "TaskStat"`},
		{"no values", guard.Expect("TaskState"), "match nothing"},
		{"fence on a field that changes", guard.Fence("TaskState", nil), "a fence is a precondition"},
	} {
		srv, err := servers.Load(ctx, store, "s1")
		if err != nil {
			t.Fatal(err)
		}
		srv.V.TaskState = guard.Ptr(Shelving)
		err = servers.Save(ctx, store, srv, tc.opt)
		var re *guard.RuleError
		if !errors.As(err, &re) || re.Check != "invalid-option" || !errors.Is(err, guard.ErrInvalidOption) || !errors.Is(err, guard.ErrInvalid) {
			t.Errorf("%s: err = %v, want a RuleError of invalid-option matching ErrInvalid", tc.name, err)
			continue
		}
		if !strings.HasPrefix(err.Error(), "guard: invalid-option: ") || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("%s: message %q, want it to start with guard: invalid-option: and say %q", tc.name, err, tc.msg)
		}
	}
}
