package api

import (
	"context"

	"nova/objects"
	"nova/taskstate"
)

// Seeded mistakes: the same 22 actions (hard reboot in reboot.go), each
// guarding with the state it has just written, in the many ways Go lets
// one spell it. Every one is reported: a concurrent duplicate of the action reads the new state,
// finds it expected, and proceeds too.

// RestoreExpectingNew names the same constant twice.
func (a *API) RestoreExpectingNew(ctx context.Context, inst *objects.Instance) error { // want RestoreExpectingNew:`helper\(TaskState of #1 = "restoring" then saved guarded\)`
	inst.TaskState = taskstate.Restoring
	inst.DeletedAt = nil
	if err := inst.Save(ctx, taskstate.Restoring); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "restore_instance", inst)
	return nil
}

// ForceStopExpectingNew spreads a slice literal.
func (a *API) ForceStopExpectingNew(ctx context.Context, inst *objects.Instance) error { // want ForceStopExpectingNew:`helper\(TaskState of #1 = "powering-off" then saved guarded\)`
	inst.TaskState = taskstate.PoweringOff
	if err := inst.Save(ctx, []taskstate.State{taskstate.PoweringOff}...); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "stop_instance", inst)
	return nil
}

// StartExpectingNew reads the field back after writing it: the expectation
// is computed from the mutated object (the shape of gitea PR 35783).
func (a *API) StartExpectingNew(ctx context.Context, inst *objects.Instance) error { // want StartExpectingNew:`helper\(TaskState of #1 = "powering-on" then saved guarded\)`
	inst.TaskState = taskstate.PoweringOn
	if err := inst.Save(ctx, inst.TaskState); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "start_instance", inst)
	return nil
}

// BackupExpectingNew uses one local for both.
func (a *API) BackupExpectingNew(ctx context.Context, inst *objects.Instance) error {
	next := taskstate.ImageBackup
	inst.TaskState = next
	if err := inst.Save(ctx, next); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "backup_instance", inst)
	return nil
}

// SnapshotExpectingNew writes on one path only; on that path the guard is
// ineffective, which is enough.
func (a *API) SnapshotExpectingNew(ctx context.Context, inst *objects.Instance, quiesce bool) error {
	if !quiesce {
		inst.TaskState = taskstate.ImageSnapshotPending
	}
	if err := inst.Save(ctx, taskstate.ImageSnapshotPending); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "snapshot_instance", inst)
	return nil
}

// SoftRebootExpectingNew expects through a local constant.
func (a *API) SoftRebootExpectingNew(ctx context.Context, inst *objects.Instance) error { // want SoftRebootExpectingNew:`helper\(TaskState of #1 = "rebooting" then saved guarded\)`
	const expected = taskstate.Rebooting
	inst.TaskState = taskstate.Rebooting
	if err := inst.Save(ctx, expected); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "reboot_instance soft", inst)
	return nil
}

// RebuildExpectingNew is given the new state and uses it for both ends:
// the value is unknown here, but it is the same value.
func (a *API) RebuildExpectingNew(ctx context.Context, inst *objects.Instance, next taskstate.State) error { // want RebuildExpectingNew:`helper\(TaskState of #1 = #2 then saved guarded\)`
	inst.TaskState = next
	if err := inst.Save(ctx, next); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "rebuild_instance", inst)
	return nil
}

// RevertResizeExpectingNew writes twice; the last write reaches the save.
func (a *API) RevertResizeExpectingNew(ctx context.Context, inst *objects.Instance) error { // want RevertResizeExpectingNew:`helper\(TaskState of #1 = "resize_reverting" then saved guarded\)`
	inst.TaskState = taskstate.None
	inst.Progress = 0
	inst.TaskState = taskstate.ResizeReverting
	if err := inst.Save(ctx, taskstate.ResizeReverting); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "revert_resize", inst)
	return nil
}

// ResizeExpectingNew writes in both arms of a switch.
func (a *API) ResizeExpectingNew(ctx context.Context, inst *objects.Instance, flavor string) error { // want ResizeExpectingNew:`helper\(TaskState of #1 = "resize_prep" then saved guarded\)`
	switch flavor {
	case "":
		inst.TaskState = taskstate.ResizePrep
	default:
		inst.Progress = 0
		inst.TaskState = taskstate.ResizePrep
	}
	if err := inst.Save(ctx, taskstate.ResizePrep); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "prep_resize", inst)
	return nil
}

// ShelveExpectingNew is the shape of Nova bug 1821373's report: two shelves
// in quick succession both pass.
func (a *API) ShelveExpectingNew(ctx context.Context, inst *objects.Instance) error { // want ShelveExpectingNew:`helper\(TaskState of #1 = "shelving" then saved guarded\)`
	inst.TaskState = taskstate.Shelving
	if err := inst.Save(ctx, taskstate.Shelving); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "shelve_instance", inst)
	return nil
}

// ShelveOffloadExpectingNew expects an alias of the constant it writes.
func (a *API) ShelveOffloadExpectingNew(ctx context.Context, inst *objects.Instance) error { // want ShelveOffloadExpectingNew:`helper\(TaskState of #1 = "shelving_offloading" then saved guarded\)`
	inst.TaskState = taskstate.ShelvingOffloading
	if err := inst.Save(ctx, taskstate.OffloadingShelved); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "shelve_offload_instance", inst)
	return nil
}

// UnshelveExpectingNew builds the expectation in a local slice literal.
func (a *API) UnshelveExpectingNew(ctx context.Context, inst *objects.Instance) error { // want UnshelveExpectingNew:`helper\(TaskState of #1 = "unshelving" then saved guarded\)`
	expected := []taskstate.State{taskstate.Unshelving}
	inst.TaskState = taskstate.Unshelving
	if err := inst.Save(ctx, expected...); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "unshelve_instance", inst)
	return nil
}

// PauseExpectingNew saves in the return statement.
func (a *API) PauseExpectingNew(ctx context.Context, inst *objects.Instance) error { // want PauseExpectingNew:`helper\(TaskState of #1 = "pausing" then saved guarded\)`
	inst.TaskState = taskstate.Pausing
	return inst.Save(ctx, taskstate.Pausing) // want `ineffective-guard: .*TaskState`
}

// UnpauseExpectingNew saves in a plain statement and drops the error.
func (a *API) UnpauseExpectingNew(ctx context.Context, inst *objects.Instance) { // want UnpauseExpectingNew:`helper\(TaskState of #1 = "unpausing" then saved guarded\)`
	inst.TaskState = taskstate.Unpausing
	_ = inst.Save(ctx, taskstate.Unpausing) // want `ineffective-guard: .*TaskState`
	a.cast(ctx, "unpause_instance", inst)
}

// SuspendExpectingNew converts an untyped constant of the same value.
func (a *API) SuspendExpectingNew(ctx context.Context, inst *objects.Instance) error { // want SuspendExpectingNew:`helper\(TaskState of #1 = "suspending" then saved guarded\)`
	inst.TaskState = taskstate.Suspending
	if err := inst.Save(ctx, taskstate.State("suspending")); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "suspend_instance", inst)
	return nil
}

// ResumeExpectingNew writes in a tuple assignment.
func (a *API) ResumeExpectingNew(ctx context.Context, inst *objects.Instance) error { // want ResumeExpectingNew:`helper\(TaskState of #1 = "resuming" then saved guarded\)`
	inst.TaskState, inst.Progress = taskstate.Resuming, 0
	if err := inst.Save(ctx, taskstate.Resuming); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "resume_instance", inst)
	return nil
}

// RescueExpectingNew writes through a copy of the pointer: the same object.
func (a *API) RescueExpectingNew(ctx context.Context, inst *objects.Instance) error {
	i := inst
	i.TaskState = taskstate.Rescuing
	if err := inst.Save(ctx, taskstate.Rescuing); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "rescue_instance", inst)
	return nil
}

// UnrescueExpectingNew spells the call over several lines; the finding is
// at the start of the call.
func (a *API) UnrescueExpectingNew(ctx context.Context, inst *objects.Instance) error { // want UnrescueExpectingNew:`helper\(TaskState of #1 = "unrescuing" then saved guarded\)`
	inst.TaskState = taskstate.Unrescuing
	err := inst.Save( // want `ineffective-guard: .*TaskState`
		ctx,
		taskstate.Unrescuing,
	)
	if err != nil {
		return err
	}
	a.cast(ctx, "unrescue_instance", inst)
	return nil
}

// SetAdminPasswordExpectingNew parenthesizes both values.
func (a *API) SetAdminPasswordExpectingNew(ctx context.Context, inst *objects.Instance) error { // want SetAdminPasswordExpectingNew:`helper\(TaskState of #1 = "updating_password" then saved guarded\)`
	inst.TaskState = (taskstate.UpdatingPassword)
	if err := inst.Save(ctx, (taskstate.UpdatingPassword)); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "set_admin_password", inst)
	return nil
}

// LiveMigrateExpectingNew writes the object through a value loaded from a
// map; the save uses the same pointer.
func (a *API) LiveMigrateExpectingNew(ctx context.Context, byUUID map[string]*objects.Instance, uuid string) error {
	inst := byUUID[uuid]
	inst.TaskState = taskstate.Migrating
	if err := inst.Save(ctx, taskstate.Migrating); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "live_migration", inst)
	return nil
}

// EvacuateExpectingNew writes, then checks an argument on a path that
// returns early, then saves.
func (a *API) EvacuateExpectingNew(ctx context.Context, inst *objects.Instance, host string) error { // want EvacuateExpectingNew:`helper\(TaskState of #1 = "rebuilding"\)`
	inst.TaskState = taskstate.Rebuilding
	if host == "" {
		return errNoHost
	}
	if err := inst.Save(ctx, taskstate.Rebuilding); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "rebuild_instance evacuate", inst)
	return nil
}

// SoftRebootReentrant accepts a reboot already in progress: the written
// state is one of two expected ones, so two soft reboots both pass.
func (a *API) SoftRebootReentrant(ctx context.Context, inst *objects.Instance) error { // want SoftRebootReentrant:`helper\(TaskState of #1 = "rebooting" then saved guarded\)`
	inst.TaskState = taskstate.Rebooting
	if err := inst.Save(ctx, taskstate.None, taskstate.Rebooting); err != nil { // want `reentrant-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "reboot_instance soft", inst)
	return nil
}

// ShelveNoneMeantNoCheck is Nova bug 1225659 in Go: the author meant
// "expect no task" ([None]) and passed no expectation at all (None), so
// the save is unconditional.
func (a *API) ShelveNoneMeantNoCheck(ctx context.Context, inst *objects.Instance) error { // want ShelveNoneMeantNoCheck:`helper\(TaskState of #1 = "shelving" then saved guarded\)`
	inst.TaskState = taskstate.Shelving
	if err := inst.Save(ctx); err != nil { // want `unguarded-transition: .*TaskState`
		return err
	}
	a.cast(ctx, "shelve_instance", inst)
	return nil
}
