package guard_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/stateguard/stateguard/guard"
)

type zeroThing struct {
	ID    string  `guard:"id,key"`
	State *string `guard:"state,state"`
}

// A zero Table (declared, not built with NewTable) and a nil *Table answer
// every method without a panic: the accessors with empty values, the
// operations with ErrInvalid saying what to do.
func TestZeroTable(t *testing.T) {
	ctx := context.Background()
	m := guard.NewMemory()
	for name, tab := range map[string]*guard.Table[zeroThing]{"zero": new(guard.Table[zeroThing]), "nil": nil} {
		t.Run(name, func(t *testing.T) {
			if got := tab.String(); got != "zero guard.Table[guard_test.zeroThing]" {
				t.Errorf("String() = %q", got)
			}
			if tab.TableName() != "" || tab.Columns() != nil || tab.KeyColumns() != nil {
				t.Errorf("TableName %q, Columns %v, KeyColumns %v; want empty", tab.TableName(), tab.Columns(), tab.KeyColumns())
			}
			_, ferr := tab.Field("State")
			_, lerr := tab.Load(ctx, m, "a")
			_, ierr := tab.Insert(ctx, m, zeroThing{ID: "a"})
			_, rerr := tab.Loaded(zeroThing{ID: "a"})
			_, uerr := tab.Update(ctx, m, "a", func(*zeroThing) ([]guard.Option, error) { return nil, nil })
			serr := tab.Save(ctx, m, nil)
			for op, err := range map[string]error{"Field": ferr, "Load": lerr, "Insert": ierr, "Loaded": rerr, "Update": uerr, "Save": serr} {
				if !errors.Is(err, guard.ErrInvalid) {
					t.Errorf("%s: err = %v, want ErrInvalid", op, err)
					continue
				}
				msg := err.Error()
				if !strings.Contains(msg, "NewTable") || strings.Contains(msg, "panic") || strings.Contains(msg, "nil pointer") {
					t.Errorf("%s: message %q should say to build the table with NewTable, and no panic", op, msg)
				}
			}
		})
	}
}
