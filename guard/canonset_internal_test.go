package guard

import (
	"errors"
	"reflect"
	"testing"
)

// TestFieldOptionCanonicalizedOnce: an Expect or Fence built from a Field
// holds its values in canonical form from the start, and a save plans the
// same Write with it as with the Option built by name, which is put in
// canonical form at each save; a value that does not fit the field is
// refused at the save either way.
func TestFieldOptionCanonicalizedOnce(t *testing.T) {
	tab := MustTable[canonRow]("canon")
	p := plainState("b")
	for _, tc := range []struct {
		field  string
		values []any
		set    func(r *canonRow)
	}{
		{"Plain", []any{"", plainState("a"), &p, "b"}, func(r *canonRow) { r.Plain = "c" }},
		{"PPtr", []any{nil, plainState("a"), nil}, func(r *canonRow) { r.PPtr = &p }},
		{"Upper", []any{upperState(""), upperState("a"), "A"}, func(r *canonRow) { r.Upper = "c" }},
		{"N", []any{int32(0), int64(0), 3}, func(r *canonRow) { r.N = 9 }},
	} {
		byName := Expect(tc.field, tc.values...)
		byField := tab.MustField(tc.field).Expect(tc.values...)
		if byField.pre == nil || byField.pre.err != nil {
			t.Fatalf("%s: Field.Expect kept no canonical values: %+v", tc.field, byField.pre)
		}
		var writes [2]Write
		for i, o := range []Option{byName, byField} {
			r, err := tab.Loaded(canonRow{ID: "k"})
			if err != nil {
				t.Fatal(err)
			}
			tc.set(&r.V)
			pl, err := tab.plan(r, []Option{o})
			if err != nil {
				t.Fatalf("%s: plan: %v", tc.field, err)
			}
			writes[i] = pl.write
		}
		if !reflect.DeepEqual(writes[0].Where, writes[1].Where) {
			t.Errorf("%s: by name %+v, by Field %+v", tc.field, writes[0].Where, writes[1].Where)
		}
	}
	// An int does not fit a string field: refused when the save is planned.
	r, err := tab.Loaded(canonRow{ID: "k"})
	if err != nil {
		t.Fatal(err)
	}
	r.V.Plain = "c"
	for _, o := range []Option{Expect("Plain", "", 7), tab.MustField("Plain").Expect("", 7)} {
		if _, err := tab.plan(r, []Option{o}); !errors.Is(err, ErrInvalid) {
			t.Errorf("Expect(Plain, 7): plan = %v, want ErrInvalid", err)
		}
	}
	// A Field of another table is refused, canonical values or not.
	other := MustTable[canonRow]("other")
	if _, err := tab.plan(r, []Option{other.MustField("Plain").Expect("", "a")}); !errors.Is(err, ErrInvalid) {
		t.Errorf("a Field of another table: plan = %v, want ErrInvalid", err)
	}
}

// TestSnapshotSince: the snapshot a save takes, reusing the loaded
// snapshot's unchanged strings, is the snapshot taken afresh, whatever
// changed between the two.
func TestSnapshotSince(t *testing.T) {
	tab := MustTable[canonRow]("canon")
	s, s2, p := "s", "t", plainState("p")
	rows := []canonRow{
		{ID: "a"},
		{ID: "a", Plain: "x", PPtr: &p, SPtr: &s, Upper: "y", N: 7, Dec: "2.5"},
		{ID: "a", Plain: "z", SPtr: &s2, Upper: "y", N: 8, Dec: "2.5"},
	}
	for i := range rows {
		for j := range rows {
			prev, err := tab.snapshot(&rows[i])
			if err != nil {
				t.Fatal(err)
			}
			got, err := tab.snapshotSince(&rows[j], prev)
			if err != nil {
				t.Fatal(err)
			}
			want, err := tab.snapshot(&rows[j])
			if err != nil {
				t.Fatal(err)
			}
			for k := range want {
				if !canonEqual(got[k], want[k]) || reflect.TypeOf(got[k]) != reflect.TypeOf(want[k]) {
					t.Errorf("rows %d then %d, field %s: %#v, want %#v", i, j, tab.fields[k].name, got[k], want[k])
				}
			}
		}
	}
}
