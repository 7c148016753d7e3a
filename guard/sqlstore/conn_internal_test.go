package sqlstore

import (
	"context"
	"errors"
	"testing"

	"github.com/stateguard/stateguard/guard"
)

// fakeConn records the statements it is sent and fails each with errSent.
type fakeConn struct{ sent []string }

var errSent = errors.New("fake: not a database")

func (c *fakeConn) ExecContext(_ context.Context, query string, _ ...any) (Result, error) {
	c.sent = append(c.sent, query)
	return nil, errSent
}

func (c *fakeConn) QueryContext(_ context.Context, query string, _ ...any) (Rows, error) {
	c.sent = append(c.sent, query)
	return nil, errSent
}

type fakeBeginner struct{ fakeConn }

func (c *fakeBeginner) BeginTx(context.Context) (Tx, error) { return nil, errSent }

// A Conn that cannot begin is the caller's transaction; one that can is a
// pool; WithConn runs inside the Conn it is given and shares the caches.
func TestNewConn(t *testing.T) {
	d := Dialect{Name: "fake", ColumnsQuery: "COLUMNS"}
	if s := NewConn(&fakeConn{}, d); s.begin != nil {
		t.Error("a store over a Conn that cannot begin would begin transactions")
	}
	pool := NewConn(&fakeBeginner{}, d)
	if pool.begin == nil {
		t.Error("a store over a Beginner would not begin its own transactions")
	}
	c := &fakeBeginner{}
	in := pool.WithConn(c)
	if in.begin != nil || in.schema != pool.schema || in.idents != pool.idents || in.stmts != pool.stmts || in.d != pool.d {
		t.Errorf("WithConn: %+v, want the caches of %+v and no transactions of its own", in, pool)
	}
	// Statements go to the Conn, and its errors come back.
	w := &guard.Write{Table: "t", Key: []guard.Value{{Column: "id", Value: 1}}}
	if _, err := in.Apply(t.Context(), w); !errors.Is(err, errSent) || len(c.sent) != 1 || c.sent[0] != "COLUMNS" {
		t.Errorf("Apply: %v, sent %q", err, c.sent)
	}
	if _, err := NewConn(nil, d).Apply(t.Context(), w); !errors.Is(err, errNoQuerier) {
		t.Errorf("a store over a nil Conn: %v", err)
	}
}
