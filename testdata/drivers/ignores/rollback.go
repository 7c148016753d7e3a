package ignores

//stateguard:file-ignore reentrant-guard a rollback may restart one in progress, by design

import "context"

// Rollback rolls d back from any phase, its own included.
func Rollback(ctx context.Context, d *Deploy) error {
	d.Phase = PhaseRollback
	return d.Save(ctx, PhaseNone, PhaseRolling, PhaseRollback)
}

// RollbackOnly expects only the phase it writes: not silenced by the
// file's ignore, which names another check.
func RollbackOnly(ctx context.Context, d *Deploy) error {
	d.Phase = PhaseRollback
	return d.Save(ctx, PhaseRollback) // finding ineffective-guard
}
