// Package vmstate is a Go port of nova/compute/vm_states.py: the stable
// state of a server between actions.
package vmstate

// State is the stable state of an instance.
type State string

// The states of nova/compute/vm_states.py.
const (
	Active           State = "active"
	Building         State = "building"
	Paused           State = "paused"
	Suspended        State = "suspended"
	Stopped          State = "stopped"
	Rescued          State = "rescued"
	Resized          State = "resized"
	SoftDeleted      State = "soft-delete"
	Deleted          State = "deleted"
	Error            State = "error"
	Shelved          State = "shelved"
	ShelvedOffloaded State = "shelved_offloaded"
)
