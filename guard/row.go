package guard

import (
	"context"
	"fmt"
	"reflect"
	"slices"
)

// A Row is an object of type T together with the values it was loaded
// with: its snapshot. Load, Insert and Loaded return one; Save compares V
// with the snapshot to know which fields change, fails fast against the
// snapshot, and moves the snapshot to V's values when, and only when, the
// write applied.
//
// The snapshot lives in the Row rather than in the Table (keyed by object
// pointer) on purpose: its lifetime is the object's, it needs no lock and
// no cleanup, two loads of one row are two independent snapshots, and a
// Row that is dropped takes its snapshot with it. V is a value like
// sql.Null's V: change its fields, then Save the Row.
//
// A Row is not safe for concurrent use.
type Row[T any] struct {
	V T

	t    *Table[T]
	snap []any // canonical value of each mapped field, as loaded or last saved
}

// Loaded wraps v, which the caller read from the store by other means (a
// list query, a join), as a Row whose snapshot is v's current values.
func (t *Table[T]) Loaded(v T) (*Row[T], error) {
	if err := t.errZero(); err != nil {
		return nil, err
	}
	r := &Row[T]{V: v, t: t}
	snap, err := t.snapshot(&r.V)
	if err != nil {
		return nil, err
	}
	r.snap = snap
	return r, nil
}

func (t *Table[T]) snapshot(v *T) ([]any, error) {
	snap := make([]any, len(t.fields))
	for i := range t.fields {
		c, err := t.canonOf(v, i)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		snap[i] = c
	}
	return snap, nil
}

// snapshotSince is snapshot, reusing prev's value of each string field
// that has not changed, so that a save does not box it again.
func (t *Table[T]) snapshotSince(v *T, prev []any) ([]any, error) {
	snap := make([]any, len(t.fields))
	for i := range t.fields {
		if t.fields[i].str && i < len(prev) {
			if old, ok := prev[i].(string); ok {
				rv := t.get(v, i)
				if rv.Kind() == reflect.Pointer {
					if rv.IsNil() {
						snap[i] = nil
						continue
					}
					rv = rv.Elem()
				}
				if s := rv.String(); s == old {
					snap[i] = prev[i]
					continue
				}
			}
		}
		c, err := t.canonOf(v, i)
		if err != nil {
			return nil, fmt.Errorf("%w: %w", ErrInvalid, err)
		}
		snap[i] = c
	}
	return snap, nil
}

// Changed returns the Go names of the mapped fields whose values differ
// from the snapshot, in field order.
func (r *Row[T]) Changed() []string {
	if r == nil || r.t == nil {
		return nil
	}
	var names []string
	for i, f := range r.t.fields {
		c, err := r.t.canonOf(&r.V, i)
		if err != nil || !canonEqual(c, r.snap[i]) {
			names = append(names, f.name)
		}
	}
	return names
}

// Reset sets every mapped field of V back to its snapshot, discarding the
// changes made since the row was loaded or last saved. Call it after a
// failed save when the object lives on, so that a later save does not
// write stale intentions (Nova bug 1848666).
func (r *Row[T]) Reset() error {
	if r == nil || r.t == nil {
		return fmt.Errorf("%w: Reset of a Row not made by a Table", ErrInvalid)
	}
	for i, f := range r.t.fields {
		if err := assignValue(r.t.get(&r.V, i), r.snap[i]); err != nil {
			return fmt.Errorf("guard: Reset %s: %w", f.name, err)
		}
	}
	return nil
}

// Load reads the row whose key is key (the key value, or a Key for a table
// with several key fields) and returns it with its snapshot. A missing row
// is an error matching ErrNotFound.
func (t *Table[T]) Load(ctx context.Context, s Store, key any) (*Row[T], error) {
	if err := t.errZero(); err != nil {
		return nil, err
	}
	if err := checkCall(ctx, s); err != nil {
		return nil, err
	}
	kv, err := t.keyValues(key)
	if err != nil {
		return nil, err
	}
	idx := t.loadIdx
	vals, err := s.Load(ctx, t.name, kv, slices.Clip(t.loadCols))
	if err != nil {
		return nil, fmt.Errorf("guard: load %s%s: %w", t.name, formatKey(keyAny(kv)), err)
	}
	if len(vals) != len(idx) {
		return nil, fmt.Errorf("guard: load %s: store returned %d values for %d columns", t.name, len(vals), len(idx))
	}
	r := &Row[T]{t: t}
	for j, i := range t.key {
		if err := assignValue(t.get(&r.V, i), kv[j].Value); err != nil {
			return nil, fmt.Errorf("guard: load %s: key %s: %w", t.name, t.fields[i].name, err)
		}
	}
	for j, i := range idx {
		dst := t.get(&r.V, i)
		if v := reflect.ValueOf(vals[j]); v.IsValid() && v.Type() == dst.Type() {
			dst.Set(v)
			continue
		}
		c, err := canon(vals[j])
		if err == nil {
			err = assignValue(dst, c)
		}
		if err != nil {
			return nil, fmt.Errorf("guard: load %s: column %s: %w", t.name, t.fields[i].column, err)
		}
	}
	if r.snap, err = t.snapshot(&r.V); err != nil {
		return nil, err
	}
	return r, nil
}

// Insert creates the row v and returns it with its snapshot. A row with the
// same key is an error matching ErrExists.
func (t *Table[T]) Insert(ctx context.Context, s Store, v T) (*Row[T], error) {
	if err := t.errZero(); err != nil {
		return nil, err
	}
	if err := checkCall(ctx, s); err != nil {
		return nil, err
	}
	r, err := t.Loaded(v)
	if err != nil {
		return nil, err
	}
	vals := make([]Value, len(t.fields))
	for i, f := range t.fields {
		if f.key && r.snap[i] == nil {
			return nil, fmt.Errorf("%w: insert into %s: key %s is NULL", ErrInvalid, t.name, f.name)
		}
		vals[i] = Value{Column: f.column, Value: r.snap[i]}
	}
	if err := s.Insert(ctx, t.name, vals); err != nil {
		return nil, fmt.Errorf("guard: insert %s%s: %w", t.name, formatKey(r.keyAny()), err)
	}
	return r, nil
}

func checkCall(ctx context.Context, s Store) error {
	if ctx == nil {
		return fmt.Errorf("%w: nil context", ErrInvalid)
	}
	if s == nil {
		return fmt.Errorf("%w: nil Store", ErrInvalid)
	}
	if rv := reflect.ValueOf(s); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return fmt.Errorf("%w: nil %T as the Store", ErrInvalid, s)
	}
	return nil
}

func keyAny(kv []Value) []any {
	out := make([]any, len(kv))
	for i, v := range kv {
		out[i] = v.Value
	}
	return out
}

func (r *Row[T]) keyAny() []any {
	out := make([]any, len(r.t.key))
	for j, i := range r.t.key {
		out[j] = r.snap[i]
	}
	return out
}

// expectation is one resolved Expect or Fence.
type expectation struct {
	kind      optKind
	field     int
	values    []any // canonical, non-nil
	null      bool  // NULL is accepted
	reentrant bool
	buf       [2]any // room for values
}

func (e *expectation) accepts(c any) bool {
	if c == nil {
		return e.null
	}
	return canonIn(c, e.values)
}

// shown returns the expected set for errors, in the field's type.
func (e *expectation) shown(f *field) []any {
	var out []any
	if e.null {
		out = append(out, nil)
	}
	for _, v := range e.values {
		out = append(out, f.present(v))
	}
	return out
}

// A plan is a validated save: the Write to send and what to do with its
// outcome.
type plan struct {
	write   Write
	exps    []*expectation // in Where order (the version condition comes last)
	cur     []any          // canonical current values of every field
	retries int
	version int64 // the new version, when the table has one

	// Room for a typical save (one key, one expectation, two fields set),
	// so that planning it allocates the plan and not each slice; a larger
	// save grows its slices as usual.
	keyBuf   [1]Value
	setBuf   [2]Value
	whereBuf [1]Cond
	readBuf  [1]Column
	expsBuf  [1]*expectation
	expBuf   [1]expectation

	// Room for the per-field bookkeeping of a table of up to 8 fields.
	byFieldBuf [8]*expectation
	preemptBuf [8]bool
	changedBuf [8]bool
}

// newExpectation returns a zero expectation, from p's room while it lasts.
func (p *plan) newExpectation() *expectation {
	for i := range p.expBuf {
		if e := &p.expBuf[i]; e.kind == 0 {
			return e
		}
	}
	return new(expectation)
}

// Save writes the fields of r.V that differ from r's snapshot as one atomic
// conditional write that applies only if every expectation in opts holds
// (and, when the table has a version field, only if the row's version is
// still the loaded one). It never skips the write: a save with nothing to
// set still checks its conditions against the store.
//
// Save refuses, before any I/O: bad input (ErrInvalid); an expectation
// that cannot serialise the action (a *RuleError: no-transition,
// ineffective-guard, reentrant-guard, unguarded-transition); and a loaded
// value that is not expected (a *ConflictError with Local set).
//
// When the store finds the row changed, Save returns a *ConflictError
// naming the field, the expected set and the actual value read under the
// store's lock; when the row is gone, an error matching ErrNotFound. When
// the store cannot tell why the write did not apply, Save sends the very
// same conditions again, up to Retries times. An error matching
// ErrOutcomeUnknown means the write may or may not have been applied: it
// is never retried and never reported as success; reload to find out. Any
// other error means the write was not applied.
//
// On success the snapshot becomes r.V's values (and r.V's version field
// the new version, when the save wrote something); on any failure r is
// left exactly as it was.
func (t *Table[T]) Save(ctx context.Context, s Store, r *Row[T], opts ...Option) error {
	if err := t.errZero(); err != nil {
		return err
	}
	if err := checkCall(ctx, s); err != nil {
		return err
	}
	p, err := t.plan(r, opts)
	if err != nil {
		return err
	}
	for attempt := 1; ; attempt++ {
		w := cloneWrite(&p.write) // the store gets a copy: every attempt sends the same conditions
		res, err := s.Apply(ctx, w)
		if err != nil {
			return fmt.Errorf("guard: save %s%s: %w", t.name, formatKey(r.keyAny()), err)
		}
		switch res.Outcome {
		case Applied:
			t.commit(r, p)
			return nil
		case NotFound:
			return fmt.Errorf("%w: %s%s", ErrNotFound, t.name, formatKey(r.keyAny()))
		case Mismatch:
			if len(res.Actual) != len(p.write.Read) {
				return fmt.Errorf("guard: save %s: store reported %d values for %d columns", t.name, len(res.Actual), len(p.write.Read))
			}
			if cerr := t.classify(r, p, res.Actual, attempt); cerr != nil {
				return cerr
			}
			// Every condition holds in what the store read: the cause is
			// unknown. Retry the same Write, a bounded number of times.
			if attempt > p.retries {
				return &ConflictError{Table: t.name, Key: r.keyAny(), Unknown: true, Attempts: attempt, Compared: t.compared(p, res.Actual)}
			}
			if err := ctx.Err(); err != nil {
				return fmt.Errorf("guard: save %s%s: not applied (%d attempts): %w", t.name, formatKey(r.keyAny()), attempt, err)
			}
		default:
			return fmt.Errorf("guard: save %s: store returned invalid outcome %v", t.name, res.Outcome)
		}
	}
}

// classify returns the *ConflictError for the first condition that the
// values read by the store do not satisfy, or nil when they satisfy all.
func (t *Table[T]) classify(r *Row[T], p *plan, actual []any, attempt int) error {
	for j, e := range p.exps {
		f := &t.fields[e.field]
		c, err := canon(actual[j])
		if err != nil {
			return fmt.Errorf("guard: save %s: column %s: %w", t.name, f.column, err)
		}
		if !e.accepts(c) {
			return &ConflictError{
				Table: t.name, Key: r.keyAny(), Field: f.name, Column: f.column,
				Expected: e.shown(f), Actual: f.present(c), Attempts: attempt,
			}
		}
	}
	return nil
}

// compared lists p's conditions with the values the store read back.
func (t *Table[T]) compared(p *plan, actual []any) []Comparison {
	out := make([]Comparison, len(p.exps))
	for j, e := range p.exps {
		f := &t.fields[e.field]
		c, _ := canon(actual[j])
		out[j] = Comparison{Field: f.name, Column: f.column, Expected: e.shown(f), Actual: f.present(c)}
	}
	return out
}

// commit moves r's snapshot to the values just written.
func (t *Table[T]) commit(r *Row[T], p *plan) {
	if t.version >= 0 {
		v := t.get(&r.V, t.version)
		if v.CanInt() {
			v.SetInt(p.version)
		} else {
			v.SetUint(uint64(p.version))
		}
		p.cur[t.version] = p.version
	}
	r.snap = p.cur
}

// plan validates a save and builds its Write.
func (t *Table[T]) plan(r *Row[T], opts []Option) (*plan, error) {
	if r == nil {
		return nil, fmt.Errorf("%w: Save of a nil *Row[%s]", ErrInvalid, t.typ)
	}
	if r.t != t {
		if r.t == nil {
			return nil, fmt.Errorf("%w: Save of a Row[%s] with no snapshot: get rows from Load, Insert or Loaded", ErrInvalid, t.typ)
		}
		return nil, fmt.Errorf("%w: Save to %s of a row of %s", ErrInvalid, t, r.t)
	}
	p := &plan{retries: DefaultRetries}
	p.write.Key, p.write.Set = p.keyBuf[:0], p.setBuf[:0]
	p.write.Where, p.write.Read, p.exps = p.whereBuf[:0], p.readBuf[:0], p.expsBuf[:0]
	// Per field: its expectation, whether it preempts, whether it changes.
	n := len(t.fields)
	byField, preempt, changed := p.byFieldBuf[:], p.preemptBuf[:], p.changedBuf[:]
	if n > len(byField) {
		byField, preempt, changed = make([]*expectation, n), make([]bool, n), make([]bool, n)
	}
	byField, preempt, changed = byField[:n], preempt[:n], changed[:n]
	var reentrant []int
	for _, o := range opts {
		if o.kind == 0 {
			return nil, fmt.Errorf("%w: zero Option; build Options with Expect, Fence, Preempt, Reentrant or Retries", ErrInvalid)
		}
		if o.kind == optAttempts {
			return nil, fmt.Errorf("%w: Attempts(%d) is an option of Update, which redoes the whole read-modify-write; Save sends its write once (see Retries)", ErrInvalid, o.n)
		}
		if o.kind == optRetries {
			if o.n < 0 {
				return nil, fmt.Errorf("%w: Retries(%d): negative", ErrInvalid, o.n)
			}
			p.retries = o.n
			continue
		}
		i, err := t.resolve(o)
		if err != nil {
			return nil, err
		}
		f := &t.fields[i]
		switch {
		case f.key:
			return nil, fmt.Errorf("%w: %s(%q): %s is a key field; the key names the row and cannot be guarded", ErrInvalid, o.kind, o.name, f.name)
		case f.version:
			return nil, fmt.Errorf("%w: %s(%q): %s is the version field; every save checks it already", ErrInvalid, o.kind, o.name, f.name)
		}
		switch o.kind {
		case optExpect, optFence:
			if byField[i] != nil || preempt[i] {
				return nil, fmt.Errorf("%w: %s(%q): %s has another expectation in this save; give one Expect or Fence per field, with every accepted value", ErrInvalid, o.kind, o.name, f.name)
			}
			if len(o.values) == 0 {
				return nil, t.ruleError(checkInvalidOption, f, fmt.Sprintf("%s(%q) with no values would match nothing; to expect NULL write %s(%q, nil)", o.kind, o.name, o.kind, o.name))
			}
			e := p.newExpectation()
			e.kind, e.field = o.kind, i
			if pre := o.pre; pre != nil && o.field.table == any(t) {
				if pre.err != nil {
					return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, o.kind, pre.err)
				}
				e.values, e.null = pre.values, pre.null // shared, never modified
			} else if e.values, e.null, err = f.canonSet(o.values, e.buf[:0]); err != nil {
				return nil, fmt.Errorf("%w: %s: %w", ErrInvalid, o.kind, err)
			}
			byField[i] = e
		case optPreempt:
			if !f.state {
				return nil, fmt.Errorf("%w: Preempt(%q): %s is not tagged state, so it needs no permission to change", ErrInvalid, o.name, f.name)
			}
			if byField[i] != nil {
				return nil, fmt.Errorf("%w: Preempt(%q): %s also has an expectation in this save; a preempting write has none", ErrInvalid, o.name, f.name)
			}
			preempt[i] = true
		case optReentrant:
			reentrant = append(reentrant, i)
		}
	}
	for _, i := range reentrant {
		e := byField[i]
		if e == nil || e.kind != optExpect {
			return nil, fmt.Errorf("%w: Reentrant(%q) without Expect(%q, ...) in the same save", ErrInvalid, t.fields[i].name, t.fields[i].name)
		}
		e.reentrant = true
	}

	// What changes.
	cur, err := t.snapshotSince(&r.V, r.snap)
	if err != nil {
		return nil, err
	}
	p.cur = cur
	for i, f := range t.fields {
		changed[i] = !canonEqual(cur[i], r.snap[i])
		if changed[i] && f.key {
			return nil, fmt.Errorf("%w: key field %s changed from %s to %s; a save cannot move a row", ErrInvalid, f.name, formatValue(f.present(r.snap[i])), formatValue(f.present(cur[i])))
		}
		if changed[i] && f.version {
			return nil, fmt.Errorf("%w: version field %s changed from %v to %v; guard sets it", ErrInvalid, f.name, r.snap[i], cur[i])
		}
	}

	// The rules, in field order, before any I/O.
	for i := range t.fields {
		f := &t.fields[i]
		e := byField[i]
		switch {
		case e != nil && e.kind == optFence && changed[i]:
			return nil, t.ruleError(checkInvalidOption, f, fmt.Sprintf("Fence(%q): %s changes from %s to %s in this save; a fence is a precondition on a field that stays: to guard a change use Expect", f.name, f.name, formatValue(f.present(r.snap[i])), formatValue(f.present(cur[i]))))
		case e != nil && e.kind == optExpect && changed[i] && e.accepts(cur[i]):
			if len(e.values)+boolInt(e.null) == 1 {
				return nil, t.ruleError(checkIneffectiveGuard, f, fmt.Sprintf(
					"%s.%s is set to %s and this save expects only %s, so a concurrent duplicate passes the guard; expect the state this action leaves (for example %s), or, if this save only fences, drop the write and use guard.Fence",
					t.typ.Name(), f.name, formatValue(f.present(cur[i])), formatValue(f.present(cur[i])), formatValue(f.present(r.snap[i]))))
			}
			if !e.reentrant {
				return nil, t.ruleError(checkReentrantGuard, f, fmt.Sprintf(
					"%s.%s is set to %s, which is among the expected %s, so a concurrent duplicate passes the guard; drop %s from the expected set, or add guard.Reentrant(%q) if repeating the action while it runs is intended",
					t.typ.Name(), f.name, formatValue(f.present(cur[i])), formatSet(e.shown(f)), formatValue(f.present(cur[i])), f.name))
			}
		case e == nil && f.state && changed[i] && !preempt[i]:
			return nil, t.ruleError(checkUnguardedTransition, f, fmt.Sprintf(
				"%s.%s is a guarded state and changes from %s to %s with no expectation, so the last writer wins; add guard.Expect(%q, <the states this action leaves>), or guard.Preempt(%q) if this action overrides whatever runs",
				t.typ.Name(), f.name, formatValue(f.present(r.snap[i])), formatValue(f.present(cur[i])), f.name, f.name))
		}
	}

	// Fail fast: the loaded values must be expected.
	for i := range t.fields {
		if e := byField[i]; e != nil && !e.accepts(r.snap[i]) {
			f := &t.fields[i]
			return nil, &ConflictError{
				Table: t.name, Key: r.keyAny(), Field: f.name, Column: f.column,
				Expected: e.shown(f), Actual: f.present(r.snap[i]), Local: true,
			}
		}
	}

	// An expectation on a field that stays, whose loaded value is expected:
	// not a transition. (When the loaded value is not expected, the
	// conflict above is the true answer: Nova's second shelve loaded the
	// server already in SHELVING.)
	for i := range t.fields {
		f := &t.fields[i]
		if e := byField[i]; e != nil && e.kind == optExpect && !changed[i] && !e.reentrant {
			return nil, t.ruleError(checkNoTransition, f, fmt.Sprintf(
				"%s.%s is expected to be %s but this save does not change it (it stays %s); an expectation guards a transition, so the field must change: set the new state, or use guard.Fence(%q, ...) for a precondition on a field that stays",
				t.typ.Name(), f.name, formatSet(e.shown(f)), formatValue(f.present(cur[i])), f.name))
		}
	}

	// The Write.
	w := &p.write
	w.Table = t.name
	for _, i := range t.key {
		w.Key = append(w.Key, Value{Column: t.fields[i].column, Value: r.snap[i]})
	}
	for i, f := range t.fields {
		if changed[i] {
			w.Set = append(w.Set, Value{Column: f.column, Value: cur[i]})
		}
	}
	for i, f := range t.fields {
		if e := byField[i]; e != nil {
			w.Where = append(w.Where, Cond{Column: f.column, Values: e.values, Null: e.null})
			w.Read = append(w.Read, Column{Name: f.column, Type: f.typ})
			p.exps = append(p.exps, e)
		}
	}
	if t.version >= 0 {
		f := &t.fields[t.version]
		old, _ := r.snap[t.version].(int64)
		if old == 1<<63-1 {
			return nil, fmt.Errorf("guard: save %s: version %s overflows", t.name, f.name)
		}
		// A save that sets nothing (a fence) checks the version but does
		// not write it: fences do not conflict with one another.
		p.version = old
		if len(w.Set) > 0 {
			p.version = old + 1
			w.Set = append(w.Set, Value{Column: f.column, Value: p.version})
		}
		w.Where = append(w.Where, Cond{Column: f.column, Values: []any{old}})
		w.Read = append(w.Read, Column{Name: f.column, Type: f.typ})
		p.exps = append(p.exps, &expectation{kind: optFence, field: t.version, values: []any{old}})
	}
	return p, nil
}

// resolve returns the index of the field an Option names.
func (t *Table[T]) resolve(o Option) (int, error) {
	if o.field.table != nil {
		if o.field.table != any(t) {
			return 0, fmt.Errorf("%w: %s(%s): the Field belongs to another table than %s", ErrInvalid, o.kind, o.field.name, t)
		}
		return o.field.index, nil
	}
	i, msg := t.find(o.name)
	if msg != "" {
		return 0, &RuleError{Check: checkInvalidOption, Table: t.name, Field: o.name, msg: fmt.Sprintf("%s(%q): %s", o.kind, o.name, msg)}
	}
	return i, nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// writeCopy holds a copy of a typical Write (one key, two fields set, one
// condition with up to two values) in one allocation.
type writeCopy struct {
	w     Write
	vals  [3]Value
	conds [1]Cond
	any   [2]any
	read  [1]Column
}

// room returns a slice of length and capacity n: buf's when it is long
// enough, a new one otherwise.
func room[E any](buf []E, n int) []E {
	if n <= len(buf) {
		return buf[:n:n]
	}
	return make([]E, n)
}

// cloneWrite returns a deep copy of w that shares no slice with it, in one
// allocation for a typical Write. Empty slices of the copy are nil.
func cloneWrite(w *Write) *Write {
	nk, ns, nv := len(w.Key), len(w.Set), 0
	for _, cond := range w.Where {
		nv += len(cond.Values)
	}
	wc := new(writeCopy)
	c := &wc.w
	c.Table = w.Table
	if nk+ns > 0 {
		vals := room(wc.vals[:], nk+ns)
		copy(vals, w.Key)
		copy(vals[nk:], w.Set)
		if nk > 0 {
			c.Key = vals[:nk:nk]
		}
		if ns > 0 {
			c.Set = vals[nk:]
		}
	}
	if len(w.Where) > 0 {
		c.Where = room(wc.conds[:], len(w.Where))
		condVals := room(wc.any[:], nv)
		for i, cond := range w.Where {
			if n := len(cond.Values); n > 0 {
				cond.Values = condVals[:n:n]
				copy(cond.Values, w.Where[i].Values)
				condVals = condVals[n:]
			} else {
				cond.Values = nil
			}
			c.Where[i] = cond
		}
	}
	if len(w.Read) > 0 {
		c.Read = room(wc.read[:], len(w.Read))
		copy(c.Read, w.Read)
	}
	return c
}
