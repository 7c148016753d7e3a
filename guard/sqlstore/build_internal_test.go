package sqlstore

import (
	"database/sql"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/stateguard/stateguard/guard"
)

func TestConds(t *testing.T) {
	var nilStr *string
	one := "one"
	for _, tc := range []struct {
		name string
		cond guard.Cond
		sql  string
		args []any
	}{
		{"null only", guard.Cond{Column: "c", Null: true}, `"c" IS NULL`, nil},
		{"nil value", guard.Cond{Column: "c", Values: []any{nil}}, `"c" IS NULL`, nil},
		{"typed nil pointer", guard.Cond{Column: "c", Values: []any{nilStr}}, `"c" IS NULL`, nil},
		{"one value", guard.Cond{Column: "c", Values: []any{"a"}}, `"c" = $1`, []any{"a"}},
		{"pointer value", guard.Cond{Column: "c", Values: []any{&one}}, `"c" = $1`, []any{&one}},
		{"values", guard.Cond{Column: "c", Values: []any{"a", "b"}}, `"c" IN ($1, $2)`, []any{"a", "b"}},
		{"null and values", guard.Cond{Column: "c", Null: true, Values: []any{"a", "b"}}, `("c" IS NULL OR "c" IN ($1, $2))`, []any{"a", "b"}},
		{"nil among values", guard.Cond{Column: "c", Values: []any{"a", nil}}, `("c" IS NULL OR "c" = $1)`, []any{"a"}},
		{"empty", guard.Cond{Column: "c"}, `1=0`, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := &builder{d: &Dialect{Quote: QuoteDouble, Placeholder: DollarN}}
			b.conds("", []guard.Cond{tc.cond})
			if got := b.sb.String(); got != tc.sql {
				t.Errorf("SQL = %s, want %s", got, tc.sql)
			}
			if strings.Contains(b.sb.String(), "IN (NULL") {
				t.Errorf("SQL %s compares with IN (NULL)", b.sb.String())
			}
			if !reflect.DeepEqual(b.args, tc.args) {
				t.Errorf("args = %#v, want %#v", b.args, tc.args)
			}
		})
	}
}

func TestWriteStatements(t *testing.T) {
	w := &guard.Write{
		Table: `odd"name`,
		Key:   []guard.Value{{Column: "id", Value: "x"}},
		Set:   []guard.Value{{Column: "task_state", Value: "s1"}},
		Where: []guard.Cond{{Column: "task_state", Values: []any{"s0"}}, {Column: "vm_state", Null: true}},
	}
	b := &builder{d: &Dialect{Quote: QuoteBacktick, Placeholder: QuestionMark}}
	b.str("UPDATE ").ident(w.Table).str(" SET ").set(w.Set).str(" WHERE ").key("", w.Key).str(" AND ").conds("", w.Where)
	want := "UPDATE `odd\"name` SET `task_state` = ? WHERE `id` = ? AND `task_state` = ? AND `vm_state` IS NULL"
	if got := b.sb.String(); got != want {
		t.Errorf("UPDATE = %s\nwant     %s", got, want)
	}
	if want := []any{"s1", "x", "s0"}; !reflect.DeepEqual(b.args, want) {
		t.Errorf("args = %v, want %v", b.args, want)
	}
	if got := QuoteDouble(`a"b`); got != `"a""b"` {
		t.Errorf("QuoteDouble = %s", got)
	}
	if got := QuoteBacktick("a`b"); got != "`a``b`" {
		t.Errorf("QuoteBacktick = %s", got)
	}
	b = &builder{d: &Dialect{Quote: QuoteDouble, Placeholder: DollarN}}
	b.check("t", nil)
	if got := b.sb.String(); got != "CASE WHEN 1=1 THEN 1 ELSE 0 END" {
		t.Errorf("check with no conditions = %s", got)
	}
}

func TestNilDatabase(t *testing.T) {
	ctx := t.Context()
	for name, s := range map[string]*Store{
		"nil store":   nil,
		"nil DB":      New((*sql.DB)(nil), Dialect{}),
		"nil Querier": New(nil, Dialect{}),
	} {
		w := &guard.Write{Table: "t", Key: []guard.Value{{Column: "id", Value: 1}}}
		if _, err := s.Apply(ctx, w); !errors.Is(err, errNoQuerier) {
			t.Errorf("%s: Apply: %v", name, err)
		}
		if _, err := s.Load(ctx, "t", w.Key, nil); !errors.Is(err, errNoQuerier) {
			t.Errorf("%s: Load: %v", name, err)
		}
		if err := s.Insert(ctx, "t", w.Key); !errors.Is(err, errNoQuerier) {
			t.Errorf("%s: Insert: %v", name, err)
		}
	}
}

func TestNewOverTx(t *testing.T) {
	// A *sql.Tx cannot begin a transaction: the store must run inside it.
	s := New(nilTx, Dialect{})
	if s.begin != nil {
		t.Fatal("a store over a *sql.Tx would begin transactions of its own")
	}
}

var nilTx = (*sql.Tx)(nil)

func TestIdentCache(t *testing.T) {
	var c identCache
	calls := 0
	q := func(s string) string { calls++; return QuoteDouble(s) }
	for range 3 {
		if got := c.quote(q, `a"b`); got != `"a""b"` {
			t.Fatalf("quote = %s", got)
		}
	}
	if calls != 1 {
		t.Errorf("the quoter ran %d times for one name, want once", calls)
	}
	var nilCache *identCache
	if got := nilCache.quote(QuoteBacktick, "x"); got != "`x`" {
		t.Errorf("a nil cache quotes %s", got)
	}
	c.n.Store(maxIdents)
	c.quote(q, "late")
	c.quote(q, "late")
	if calls != 3 {
		t.Errorf("past maxIdents a name must be quoted each time: %d calls", calls)
	}
}

// The UPDATE taken from the statement cache is the one the builder writes,
// with the same arguments, for every shape, on the first write of a shape
// and on the next; two shapes that differ only in a condition's NULL, its
// number of values or its exactness get different statements.
func TestUpdateStatementCache(t *testing.T) {
	upper := func(e string) string { return "EXACT(" + e + ")" }
	mark := func(v any) any {
		if s, ok := v.(string); ok {
			return "arg:" + s
		}
		return v
	}
	for _, d := range []Dialect{
		{Quote: QuoteDouble, Placeholder: DollarN},
		{Quote: QuoteBacktick, Placeholder: QuestionMark, FoldCase: true, Exact: upper, Arg: mark},
	} {
		s := New(nil, d)
		s.schema.put("t", &tableCols{cols: map[string]bool{"id": true, "a": true, "b": true, "c": true}, exact: map[string]bool{"a": true}})
		key := []guard.Value{{Column: "id", Value: "k"}}
		set := []guard.Value{{Column: "b", Value: "x"}, {Column: "c", Value: nil}}
		writes := []*guard.Write{
			{Table: "t", Key: key, Set: set},
			{Table: "t", Key: key, Set: set, Where: []guard.Cond{{Column: "a", Values: []any{"v"}}}},
			{Table: "t", Key: key, Set: set, Where: []guard.Cond{{Column: "A", Values: []any{"v"}}}},
			{Table: "t", Key: key, Set: set, Where: []guard.Cond{{Column: "a", Values: []any{"v", nil}}}},
			{Table: "t", Key: key, Set: set, Where: []guard.Cond{{Column: "a", Values: []any{"v", "w"}}}},
			{Table: "t", Key: key, Set: set, Where: []guard.Cond{{Column: "a", Null: true}}},
			{Table: "t", Key: key, Set: set, Where: []guard.Cond{{Column: "b", Values: []any{"v"}}, {Column: "c", Null: true, Values: []any{int64(3)}}}},
		}
		texts := map[string]bool{}
		for _, w := range writes {
			b := s.writeBuilder(w.Table)
			b.str("UPDATE ").ident(w.Table).str(" SET ").set(w.Set).
				str(" WHERE ").key("", w.Key).str(" AND ").conds("", w.Where)
			for round := range 2 {
				text, args := s.updateStatement(w)
				if text != b.sb.String() || !reflect.DeepEqual(args, b.args) {
					t.Errorf("round %d: %q %v, want %q %v", round, text, args, b.sb.String(), b.args)
				}
			}
			texts[b.sb.String()] = true
		}
		if len(texts) != len(writes) {
			t.Errorf("%d distinct statements for %d shapes", len(texts), len(writes))
		}
	}
}
