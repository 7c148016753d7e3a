package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stateguard/stateguard/guard"
)

// scriptConn answers the column query with the columns id and state, each
// UPDATE with the next of updates (rows affected), each other SELECT with
// the next of reads (the conditions' check, whether the values set are
// stored when the SELECT asks, and the state read; a negative check: no
// row), and records what it is sent; BeginTx, the locked path, fails with
// errSent.
type scriptConn struct {
	updates []int64
	reads   [][3]any
	sent    []string
}

type scriptResult int64

func (r scriptResult) RowsAffected() (int64, error) { return int64(r), nil }

// scriptRows are rows of one or two columns.
type scriptRows struct {
	vals [][]any
	i    int
}

func (r *scriptRows) Columns() ([]string, error) { return []string{"name", "exact"}, nil }
func (r *scriptRows) Next() bool                 { r.i++; return r.i <= len(r.vals) }
func (r *scriptRows) Err() error                 { return nil }
func (r *scriptRows) Close() error               { return nil }
func (r *scriptRows) Scan(dest ...any) error {
	for j, d := range dest {
		switch d := d.(type) {
		case *string:
			*d = r.vals[r.i-1][j].(string)
		case *bool:
			*d = r.vals[r.i-1][j].(bool)
		case *int64:
			*d = r.vals[r.i-1][j].(int64)
		case *any:
			*d = r.vals[r.i-1][j]
		default:
			return fmt.Errorf("scan into %T", d)
		}
	}
	return nil
}

func (c *scriptConn) ExecContext(_ context.Context, query string, _ ...any) (Result, error) {
	c.sent = append(c.sent, query)
	if len(c.updates) == 0 {
		return nil, errors.New("script: UPDATE not expected")
	}
	n := c.updates[0]
	c.updates = c.updates[1:]
	return scriptResult(n), nil
}

func (c *scriptConn) QueryContext(_ context.Context, query string, _ ...any) (Rows, error) {
	if query == "COLUMNS" {
		return &scriptRows{vals: [][]any{{"id", false}, {"state", false}}}, nil
	}
	c.sent = append(c.sent, query)
	if len(c.reads) == 0 {
		return nil, errors.New("script: SELECT not expected")
	}
	r := c.reads[0]
	c.reads = c.reads[1:]
	switch {
	case r[0].(int64) < 0:
		return &scriptRows{}, nil
	case strings.Count(query, "CASE WHEN") == 2:
		return &scriptRows{vals: [][]any{{r[0], r[1], r[2]}}}, nil
	}
	return &scriptRows{vals: [][]any{{r[0], r[2]}}}, nil
}

func (c *scriptConn) BeginTx(context.Context) (Tx, error) {
	c.sent = append(c.sent, "BEGIN")
	return nil, errSent
}

// kinds abbreviates the statements sent: U (UPDATE), R (plain read), L
// (locking read), B (BEGIN).
func kinds(sent []string) string {
	var sb strings.Builder
	for _, q := range sent {
		switch {
		case strings.HasPrefix(q, "UPDATE"):
			sb.WriteByte('U')
		case strings.HasPrefix(q, "SELECT") && strings.HasSuffix(q, "FOR UPDATE"):
			sb.WriteByte('L')
		case strings.HasPrefix(q, "SELECT"):
			sb.WriteByte('R')
		case q == "BEGIN":
			sb.WriteByte('B')
		default:
			sb.WriteByte('?')
		}
	}
	return sb.String()
}

// A fast-path UPDATE that wrote nothing is explained by a read, and sent
// again only while the row read satisfies the conditions and does not
// hold the values set already, at most Resend times (once with WaitRead
// alone), before the locked path.
func TestLostSaveResend(t *testing.T) {
	hold := [3]any{int64(1), int64(0), "s0"}
	stored := [3]any{int64(1), int64(1), "s0"}
	moved := [3]any{int64(0), int64(0), "s1"}
	gone := [3]any{int64(-1), nil, nil}
	cases := []struct {
		name    string
		d       func(*Dialect)
		updates []int64
		reads   [][3]any
		want    string // statements sent
		outcome guard.Outcome
		actual  any
		locked  bool // ends on the locked path (errSent)
	}{
		{name: "won", updates: []int64{1}, want: "U", outcome: guard.Applied},
		{name: "mismatch", updates: []int64{0}, reads: [][3]any{moved}, want: "UR", outcome: guard.Mismatch, actual: "s1"},
		{name: "gone", updates: []int64{0}, reads: [][3]any{gone}, want: "UR", outcome: guard.NotFound},
		{name: "came back, resend won", updates: []int64{0, 1}, reads: [][3]any{hold}, want: "URU", outcome: guard.Applied},
		{name: "came back, then moved", updates: []int64{0, 0}, reads: [][3]any{hold, moved}, want: "URUR", outcome: guard.Mismatch, actual: "s1"},
		{name: "third resend won", updates: []int64{0, 0, 0, 1}, reads: [][3]any{hold, hold, hold}, want: "URURURU", outcome: guard.Applied},
		{name: "always holds", updates: []int64{0, 0, 0, 0}, reads: [][3]any{hold, hold, hold, hold}, want: "URURURURB", locked: true},
		{name: "values stored", updates: []int64{0}, reads: [][3]any{stored}, want: "URB", locked: true},
		{name: "came back, then stored", updates: []int64{0, 0}, reads: [][3]any{hold, stored}, want: "URURB", locked: true},
		{name: "no resend", d: func(d *Dialect) { d.Resend = 0 }, updates: []int64{0}, reads: [][3]any{hold}, want: "URB", locked: true},
		{name: "wait read", d: func(d *Dialect) { d.Resend, d.WaitRead = 0, true }, updates: []int64{0, 0}, reads: [][3]any{hold, hold}, want: "ULULB", locked: true},
		{name: "wait read, mismatch", d: func(d *Dialect) { d.Resend, d.WaitRead = 0, true }, updates: []int64{0}, reads: [][3]any{moved}, want: "UL", outcome: guard.Mismatch, actual: "s1"},
		{name: "no latest read", d: func(d *Dialect) { d.LatestRead = false }, updates: []int64{0}, want: "UB", locked: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := Dialect{Name: "script", ColumnsQuery: "COLUMNS", FastPath: true, LatestRead: true, Resend: 3}
			if tc.d != nil {
				tc.d(&d)
			}
			c := &scriptConn{updates: tc.updates, reads: tc.reads}
			s := NewConn(c, d)
			w := &guard.Write{
				Table: "t",
				Key:   []guard.Value{{Column: "id", Value: 1}},
				Set:   []guard.Value{{Column: "state", Value: "s1"}},
				Where: []guard.Cond{{Column: "state", Values: []any{"s0"}}},
				Read:  []guard.Column{{Name: "state"}},
			}
			res, err := s.Apply(context.Background(), w)
			if got := kinds(c.sent); got != tc.want {
				t.Errorf("sent %s, want %s (%q)", got, tc.want, c.sent)
			}
			if tc.locked {
				if !errors.Is(err, errSent) {
					t.Errorf("Apply: %+v, %v; want the locked path", res, err)
				}
				return
			}
			if err != nil || res.Outcome != tc.outcome {
				t.Fatalf("Apply: %+v, %v; want %v", res, err, tc.outcome)
			}
			if tc.actual != nil && (len(res.Actual) != 1 || res.Actual[0] != tc.actual) {
				t.Errorf("Actual = %v, want [%v]", res.Actual, tc.actual)
			}
		})
	}
}
