package guard

import (
	"database/sql/driver"
	"reflect"
	"strings"
	"testing"
)

type plainState string

// upperState is a state whose value is a driver.Valuer: it is stored upper
// case.
type upperState string

func (s upperState) Value() (driver.Value, error) { return strings.ToUpper(string(s)), nil }

// ptrUpperState is a driver.Valuer through its pointer only.
type ptrUpperState string

func (s *ptrUpperState) Value() (driver.Value, error) {
	if s == nil {
		return "NONE", nil
	}
	return strings.ToUpper(string(*s)), nil
}

// decimal is a string type that database/sql's converter keeps as it is:
// it has the Decompose method of the decimal interface.
type decimal string

func (d decimal) Decompose([]byte) (form byte, negative bool, coefficient []byte, exponent int32) {
	return 0, false, []byte(d), 0
}

type canonRow struct {
	ID    string         `guard:"id,key"`
	Plain plainState     `guard:"plain"`
	PPtr  *plainState    `guard:"p_ptr"`
	SPtr  *string        `guard:"s_ptr"`
	Upper upperState     `guard:"upper"`
	UPtr  *upperState    `guard:"u_ptr"`
	PU    ptrUpperState  `guard:"pu"`
	PUPtr *ptrUpperState `guard:"pu_ptr"`
	N     int32          `guard:"n"`
	Dec   decimal        `guard:"dec"`
	DPtr  *decimal       `guard:"d_ptr"`
}

// TestCanonOf checks that the canonical value canonOf reads for each field
// is the one database/sql's converter gives, with or without its fast path
// for strings.
func TestCanonOf(t *testing.T) {
	tab := MustTable[canonRow]("canon")
	s, p, u, pu, d := "s", plainState("p"), upperState("u"), ptrUpperState("pu"), decimal("1.5")
	rows := []canonRow{
		{ID: "a"},
		{ID: "b", Plain: "x", PPtr: &p, SPtr: &s, Upper: "y", UPtr: &u, PU: "z", PUPtr: &pu, N: 7, Dec: "2.5", DPtr: &d},
	}
	fast := 0
	for _, r := range rows {
		for i, f := range tab.fields {
			if f.str {
				fast++
			}
			got, err := tab.canonOf(&r, i)
			if err != nil {
				t.Fatalf("%s: %v", f.name, err)
			}
			want, err := canon(tab.get(&r, i).Interface())
			if err != nil {
				t.Fatalf("%s: canon: %v", f.name, err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("row %s field %s: canonOf = %#v, canon = %#v", r.ID, f.name, got, want)
			}
		}
	}
	if fast == 0 {
		t.Error("no field took the fast path")
	}
	for _, name := range []string{"Upper", "UPtr", "PUPtr", "Dec", "DPtr"} {
		if tab.fields[tab.byName[name]].str {
			t.Errorf("%s is not converted to a plain string but takes the fast path for strings", name)
		}
	}
}
