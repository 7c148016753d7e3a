package guard

// A canonSet is the values of an Expect or Fence built from a Field, in
// canonical form and without repeats, computed once when the Option is
// built; err is what checking them against the field found.
type canonSet struct {
	values []any // canonical, non-nil
	null   bool  // NULL is among them
	err    error
}

// precanon returns the canonSet of values for f (nil for a zero Field).
func (f Field) precanon(values []any) *canonSet {
	if f.f == nil || len(values) == 0 {
		return nil
	}
	cs := new(canonSet)
	cs.values, cs.null, cs.err = f.f.canonSet(values, nil)
	return cs
}

// canonSet checks values against f and returns them in canonical form,
// appended to buf without repeats, with NULL apart.
func (f *field) canonSet(values []any, buf []any) (set []any, null bool, err error) {
	set = buf
	for _, v := range values {
		c, err := f.fits(v)
		if err != nil {
			return nil, false, err
		}
		if c == nil {
			null = true
		} else if !canonIn(c, set) {
			set = append(set, c)
		}
	}
	return set, null, nil
}
