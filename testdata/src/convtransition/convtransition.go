// Package convtransition exercises rule 3: transition calls recognized by
// convention, and their checks.
package convtransition

import "errors"

type VolumeState int

const (
	Creating VolumeState = iota
	Created
	Destroying
)

type Volumes struct{}

// Transition: from and to of a named state type, X empty.
func (v *Volumes) Transition(id int, from, to VolumeState) error { // want Transition:"transition\\(from=#1 to=#2\\) by convention"
	if from == to {
		return errors.New("no transition")
	}
	return nil
}

// Move: several allowed sources.
func (v *Volumes) Move(id int, fromState []VolumeState, toState VolumeState) error { // want Move:"transition\\(from=#1 to=#2\\) by convention"
	if len(fromState) == 0 {
		return errors.New("no source")
	}
	return nil
}

// SetStatus: X is a state word, T a plain string.
func SetStatus(id int, oldStatus, newStatus string) error { // want SetStatus:"transition\\(from=#1 to=#2\\) by convention"
	_ = oldStatus
	return nil
}

// Copy is not a transition: X is empty and string is not a state type.
func Copy(from, to string) error { return nil }

// Rename is not a transition: the names do not share their X.
func Rename(oldName, newStatus string) error { return nil }

// Advance: previous/next with a state X and different case.
func Advance(previousPhase VolumeState, nextPhase VolumeState) error { // want Advance:"transition\\(from=#0 to=#1\\) by convention"
	_ = previousPhase
	return nil
}

func calls(v *Volumes, next VolumeState) {
	_ = v.Transition(1, Created, Created)                    // want `ineffective-guard: this Transition call goes from Created to Created`
	_ = v.Transition(1, Creating, Created)                   // a real transition
	_ = v.Transition(1, next, next)                          // want `ineffective-guard: this Transition call goes from next to next`
	_ = v.Move(1, []VolumeState{Creating, Created}, Created) // want `reentrant-guard: this Move call moves to Created and accepts Created among its source states \(Creating, Created\)`
	_ = v.Move(1, []VolumeState{Creating}, Created)
	_ = SetStatus(1, "running", "running") // want `ineffective-guard`
	_ = SetStatus(1, "queued", "running")
	_ = Copy("a", "a")
	_ = Rename("a", "a")
	_ = Advance(Destroying, Destroying) // want `ineffective-guard`
}

func unknown(v *Volumes, a, b VolumeState) {
	_ = v.Transition(1, a, b) // unknown at compile time
}

// Change describes a transition; it does not guard one.
type Change struct{ From, To VolumeState }

// Describe cannot refuse anything (no error or bool result): not a
// transition call, as internal/trace's MakeProcStateTransition.
func Describe(from, to VolumeState) Change { return Change{from, to} }

func describe() Change { return Describe(Created, Created) }

// validTransition checks a pair of states; it guards nothing (no error
// result), so its callers may pass equal ends.
func validTransition(from, to VolumeState) bool { return from != to }

func validation() bool { return validTransition(Created, Created) }

// Reassign moves a nullable state, where nil is NULL.
func Reassign(id int, fromOwnerState, toOwnerState *VolumeState) error { // want Reassign:"transition\\(from=#1 to=#2\\) by convention"
	if fromOwnerState == toOwnerState {
		return errors.New("no transition")
	}
	return nil
}

// spelled names each end of a transition as the call writes it.
func spelled(v *Volumes, cond bool) {
	_ = v.Transition(1, 1, Created) // want `ineffective-guard: this Transition call goes from 1 to Created, the same state, so`
	cur := Creating
	if cond {
		cur = Created
	}
	_ = v.Transition(1, cur, Created) // want `ineffective-guard: this Transition call goes from cur to Created, the same state on some path, so`
	_ = Reassign(1, nil, nil)         // want `ineffective-guard: this Reassign call goes from nil to nil, so`
	var none *VolumeState
	_ = Reassign(1, nil, none)                  // want `ineffective-guard: this Reassign call goes from nil to none, the same state, so`
	_ = (*Volumes).Transition(v, 2, 1, Created) // want `ineffective-guard: this Transition call goes from 1 to Created, the same state, so`
}
