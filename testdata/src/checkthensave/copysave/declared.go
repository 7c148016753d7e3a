package copysave

// Stage is a declared state: checkSave judges its saves, with no
// comparison needed.
//
//stateguard:state
type Stage string // want Stage:`state`

// The stages.
const (
	Warm Stage = "warm"
	Cold Stage = "cold"
)

// Slot is one slot of a deployment.
type Slot struct {
	ID    int64
	Stage Stage
}

// SlotStore persists slots.
type SlotStore interface {
	UpdateSlot(s *Slot) error // want UpdateSlot:`save\(#0\) by plain save`
}

// CoolCopy sets a copy of the slot to Cold and saves the copy: the
// unguarded transition is here, where the write and the save are.
func CoolCopy(st SlotStore, s Slot) (*Slot, error) { // want CoolCopy:`helper\(Stage of a copy of #1 = "cold" then saved\)`
	s.Stage = Cold
	return &s, st.UpdateSlot(&s) // want `unguarded-transition: Stage is declared a state and is set to Cold, then saved by UpdateSlot`
}

// updateSlotCold saves the slot as cold through a copy and takes the
// copy back on success: named for saving, it saves Cold, not the stage
// its caller wrote, so it is no plain save of the caller's slot.
func updateSlotCold(st SlotStore, s *Slot) error {
	saved, err := CoolCopy(st, *s)
	if err != nil {
		return err
	}
	*s = *saved
	return nil
}

// Rewarm warms a slot, or cools it when told to: the cooling call saves
// Cold (reported in CoolCopy), not the Warm written here.
func Rewarm(st SlotStore, s *Slot, cool bool) error {
	s.Stage = Warm
	if cool {
		return updateSlotCold(st, s)
	}
	return nil
}
