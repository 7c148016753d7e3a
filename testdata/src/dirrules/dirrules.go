// Package dirrules holds //stateguard:save and //stateguard:transition
// directives at the edges of their rules, with calls: a directive that is
// reported as having no effect must have none, and one that is not
// reported must be applied.
package dirrules

import "errors"

var errConflict = errors.New("conflict")

// Status is where a job is.
type Status string

// The statuses.
const (
	Idle    Status = "idle"
	Running Status = "running"
)

// A and B both carry a Status.
type A struct{ Status Status }

// B is the other one.
type B struct{ Status Status }

// Both embeds A and B, so Both.Status is ambiguous: Go rejects b.Status.
type Both struct {
	A
	B
}

// SaveBoth names a field that its object does not have unambiguously.
//
//stateguard:save field=Status expect=want // want `directive: //stateguard:save has no effect: Status is ambiguous in \*Both`
func SaveBoth(b *Both, want Status) error { // want SaveBoth:`save\(#0\) by plain save`
	if b.A.Status != want {
		return errConflict
	}
	return nil
}

// UseBoth writes A's Status and saves expecting the same value: the
// directive above has no effect, so nothing is reported here.
func UseBoth(b *Both) error {
	b.A.Status = Running
	return SaveBoth(b, Running)
}

// L6 holds the status six embeddings below Deep.
type L6 struct{ Status Status }

// L5 and the others embed one level each.
type L5 struct{ L6 }

// L4 embeds L5.
type L4 struct{ L5 }

// L3 embeds L4.
type L3 struct{ L4 }

// L2 embeds L3.
type L2 struct{ L3 }

// L1 embeds L2.
type L1 struct{ L2 }

// Deep has Status promoted six levels deep: d.Status is valid Go.
type Deep struct{ L1 }

// SaveDeep guards the deep Status: the directive is valid, so it applies.
//
//stateguard:save field=Status expect=want
func SaveDeep(d *Deep, want Status) error { // want SaveDeep:"save\\(Status of #0, expect=#1\\) by directive"
	if d.Status != want {
		return errConflict
	}
	return nil
}

// UseDeep writes the deep Status and expects the value it writes.
func UseDeep(d *Deep) error {
	d.Status = Running
	return SaveDeep(d, Running) // want `ineffective-guard: Status is set to Running and this save expects only Running`
}

// Info is a record, not a state.
type Info struct {
	Phase string
	Since int64
}

// Rec holds a record named like a state.
type Rec struct {
	State Info
}

// SaveRec names a field whose type is a struct: not a state.
//
//stateguard:save field=State expect=want // want `directive: //stateguard:save has no effect: field State of \*Rec is of type Info, not a state`
func SaveRec(r *Rec, want Info) error { // want SaveRec:`save\(#1\) by plain save`
	if r.State != want {
		return errConflict
	}
	return nil
}

// Rewire names parameters that are objects, not states.
//
//stateguard:transition from=a to=b // want `directive: //stateguard:transition has no effect: b is of type \*Rec, not a state`
func Rewire(a, b *Rec) error {
	if a == b {
		return errConflict
	}
	return nil
}

// Narrow names a from whose type carries no value of to's type.
//
//stateguard:transition from=a to=b // want `directive: //stateguard:transition has no effect: a \(of type int\) carries no value of b's type Status`
func Narrow(a int, b Status) error {
	if a == 0 {
		return errConflict
	}
	return nil
}

// UseRec calls them with equal values: no directive applies.
func UseRec(r *Rec, i Info) {
	r.State = i
	_ = SaveRec(r, i)
	_ = Rewire(r, r)
	_ = Rewire(nil, nil)
	_ = Narrow(0, Idle)
}

// Move is a valid transition directive over a state type.
//
//stateguard:transition from=src to=dst
func Move(src []Status, dst Status) error { // want Move:"transition\\(from=#0 to=#1\\) by directive"
	if len(src) == 0 {
		return errConflict
	}
	return nil
}

// UseMove moves from Running to Running.
func UseMove() error {
	return Move([]Status{Running}, Running) // want `ineffective-guard: this Move call goes from Running to Running`
}

// Nullable is a state that may be NULL.
type Nullable struct {
	Phase *Status
}

// SavePhase guards the nullable phase.
//
//stateguard:save field=Phase expect=want
func SavePhase(n *Nullable, want *Status) error { // want SavePhase:"save\\(Phase of #0, expect=#1\\) by directive"
	if n.Phase != want {
		return errConflict
	}
	return nil
}

// ClearPhase writes NULL and expects NULL: nil is the same state as nil
// for a nullable state.
func ClearPhase(n *Nullable) error { // want ClearPhase:`helper\(Phase of #0 = nil then saved guarded\)`
	n.Phase = nil
	return SavePhase(n, nil) // want `ineffective-guard: Phase is set to nil and this save expects only nil`
}

// Blob is a struct: declaring it a state declares nothing.
//
//stateguard:state // want `directive: //stateguard:state has no effect: Blob is a struct, not a state`
type Blob struct{ Data []byte }

// Doc holds a status and a record declared a state, which it cannot be.
type Doc struct {
	Status Status
	Meta   Info //stateguard:state // want `directive: //stateguard:state has no effect: field Meta is of type Info, not a state`
	Body   Blob
}

// SaveDoc writes d if its status is still expectedStatus.
func SaveDoc(d *Doc, expectedStatus Status) error { // want SaveDoc:"save\\(Status of #0, expect=#1\\) by convention"
	if d.Status != expectedStatus {
		return errConflict
	}
	return nil
}

// EditDoc writes the record and the blob and saves with an expectation on
// the status only: neither is a state, so no transition is unguarded.
func EditDoc(d *Doc, m Info, b Blob) error {
	d.Meta = m
	d.Body = b
	return SaveDoc(d, Idle)
}
