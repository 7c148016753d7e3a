package condmap

import (
	"context"

	"xsq"
)

// VolumeState is the state of a volume.
type VolumeState string

// The states of a volume.
const (
	VolumeCreating  VolumeState = "creating"
	VolumeCreated   VolumeState = "created"
	VolumeDestroyed VolumeState = "destroyed"
)

// Volume is a volume on a worker.
type Volume struct {
	Handle string
	State  VolumeState `db:"volume_state"`
}

// SaveVolume writes v where the condition holds.
func SaveVolume(ctx context.Context, v *Volume, where xsq.Sqlizer) error { // want SaveVolume:`save\(State of #1, expect=#2\) by convention`
	if where == nil {
		return ctx.Err()
	}
	_, _, err := where.ToSql()
	return err
}

// Transition accepts the state it writes as a source: a second transition
// to the same state passes the guard, whatever to is.
func Transition(ctx context.Context, v *Volume, from, to VolumeState) error { // want Transition:`transition\(from=#2 to=#3\) by convention`
	v.State = to
	return SaveVolume(ctx, v, xsq.And{xsq.Eq{"handle": v.Handle}, xsq.Or{xsq.Eq{"volume_state": from}, xsq.Eq{"volume_state": to}}}) // want `reentrant-guard: State is set to to and this save accepts to among its expected states \(from, to\)`
}

// IntendedTransition is the same, intended and said so.
func IntendedTransition(ctx context.Context, v *Volume, from, to VolumeState) error { // want IntendedTransition:`transition\(from=#2 to=#3\) by convention`
	v.State = to
	//stateguard:ignore reentrant-guard a repeated transition to the same state is a success here
	return SaveVolume(ctx, v, xsq.Or{xsq.Eq{"volume_state": from}, xsq.Eq{"volume_state": to}})
}

// DestroyIn expects the state in a slice: IN.
func DestroyIn(ctx context.Context, v *Volume) error {
	v.State = VolumeDestroyed
	return SaveVolume(ctx, v, xsq.Eq{"volume_state": []VolumeState{VolumeCreated, VolumeDestroyed}}) // want `reentrant-guard: State is set to VolumeDestroyed`
}

// Create expects the state it leaves.
func Create(ctx context.Context, v *Volume) error {
	v.State = VolumeCreated
	return SaveVolume(ctx, v, xsq.Eq{"handle": v.Handle, "volume_state": VolumeCreating})
}

// TransitionRight expects only the source.
func TransitionRight(ctx context.Context, v *Volume, from, to VolumeState) error { // want TransitionRight:`transition\(from=#2 to=#3\) by convention`
	v.State = to
	return SaveVolume(ctx, v, xsq.Eq{"volume_state": from})
}
