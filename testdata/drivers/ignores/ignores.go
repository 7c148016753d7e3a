// Package ignores silences findings by check, on a line and in a file,
// with //stateguard:ignore CHECKS REASON and //stateguard:file-ignore.
package ignores

import (
	"context"
	"errors"
)

// Phase is where a deployment is.
type Phase string

// The phases of a deployment.
const (
	PhaseNone     Phase = ""
	PhaseRolling  Phase = "rolling"
	PhaseRollback Phase = "rollback"
)

// ErrConflict is returned by a save whose expectation fails.
var ErrConflict = errors.New("conflict")

// Deploy is one deployment.
type Deploy struct {
	ID    int
	Phase Phase
}

// Save writes d if its stored phase is one of expectedPhase.
func (d *Deploy) Save(ctx context.Context, expectedPhase ...Phase) error {
	if len(expectedPhase) == 0 {
		return ErrConflict
	}
	return nil
}

// Roll starts rolling d; a second roll joining the first is intended.
func Roll(ctx context.Context, d *Deploy) error {
	d.Phase = PhaseRolling
	return d.Save(ctx, PhaseNone, PhaseRolling) //stateguard:ignore reentrant-guard a second roll joins the first
}

// RollOnly expects only the phase it writes; the ignore names another
// check, so the finding stays and the ignore is reported.
func RollOnly(ctx context.Context, d *Deploy) error {
	d.Phase = PhaseRolling
	// finding directive
	//stateguard:ignore reentrant-guard the wrong check
	return d.Save(ctx, PhaseRolling) // finding ineffective-guard
}

// Back rolls d back; the ignore misspells its check.
func Back(ctx context.Context, d *Deploy) error {
	d.Phase = PhaseRollback
	return d.Save(ctx, PhaseRollback) //stateguard:ignore ineffective-gaurd a fence // finding ineffective-guard, directive
}
