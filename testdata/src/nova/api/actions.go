package api

import (
	"context"

	"nova/objects"
	"nova/taskstate"
	"nova/vmstate"
)

// The 22 actions of Nova bug 1821373 but hard reboot, which is re-entrant
// on purpose (reboot.go), written correctly: each expects [None] and writes
// a task state other than None. Nothing here is reported.

// Restore undeletes a soft-deleted instance.
func (a *API) Restore(ctx context.Context, inst *objects.Instance) error {
	if err := checkVMState(inst, vmstate.SoftDeleted); err != nil {
		return err
	}
	inst.TaskState = taskstate.Restoring
	inst.DeletedAt = nil
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "restore_instance", inst)
	return nil
}

// ForceStop powers inst off.
func (a *API) ForceStop(ctx context.Context, inst *objects.Instance) error { // want ForceStop:`helper\(TaskState of #1 = "powering-off" then saved guarded\)`
	inst.TaskState = taskstate.PoweringOff
	inst.Progress = 0
	if err := inst.Save(ctx, []taskstate.State{taskstate.None}...); err != nil {
		return err
	}
	a.cast(ctx, "stop_instance", inst)
	return nil
}

// Start powers inst on.
func (a *API) Start(ctx context.Context, inst *objects.Instance) error {
	if err := checkVMState(inst, vmstate.Stopped); err != nil {
		return err
	}
	inst.TaskState = taskstate.PoweringOn
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "start_instance", inst)
	return nil
}

// Backup takes a rotating backup image.
func (a *API) Backup(ctx context.Context, inst *objects.Instance) error { // want Backup:`helper\(TaskState of #1 = "image_backup" then saved guarded\)`
	inst.TaskState = taskstate.ImageBackup
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "backup_instance", inst)
	return nil
}

// Snapshot takes a snapshot image.
func (a *API) Snapshot(ctx context.Context, inst *objects.Instance) error { // want Snapshot:`helper\(TaskState of #1 = "image_snapshot_pending" then saved guarded\)`
	inst.TaskState = taskstate.ImageSnapshotPending
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "snapshot_instance", inst)
	return nil
}

// SoftReboot asks the guest to reboot.
func (a *API) SoftReboot(ctx context.Context, inst *objects.Instance) error { // want SoftReboot:`helper\(TaskState of #1 = "rebooting" then saved guarded\)`
	expected := []taskstate.State{taskstate.None}
	inst.TaskState = taskstate.Rebooting
	if err := inst.Save(ctx, expected...); err != nil {
		return err
	}
	a.cast(ctx, "reboot_instance soft", inst)
	return nil
}

// Rebuild reinstalls inst from an image.
func (a *API) Rebuild(ctx context.Context, inst *objects.Instance) error {
	if err := checkVMState(inst, vmstate.Active, vmstate.Stopped, vmstate.Error); err != nil {
		return err
	}
	inst.TaskState = taskstate.Rebuilding
	inst.Progress = 0
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "rebuild_instance", inst)
	return nil
}

// RevertResize goes back to the flavor before a resize.
func (a *API) RevertResize(ctx context.Context, inst *objects.Instance) error {
	if err := checkVMState(inst, vmstate.Resized); err != nil {
		return err
	}
	inst.TaskState = taskstate.ResizeReverting
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "revert_resize", inst)
	return nil
}

// Resize moves inst to a new flavor (or, with no flavor, cold-migrates it).
func (a *API) Resize(ctx context.Context, inst *objects.Instance, flavor string) error { // want Resize:`helper\(TaskState of #1 = "resize_prep" then saved guarded\)`
	if flavor != "" {
		inst.Progress = 0
	}
	inst.TaskState = taskstate.ResizePrep
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "prep_resize", inst)
	return nil
}

// Shelve stops inst and keeps an image of it.
func (a *API) Shelve(ctx context.Context, inst *objects.Instance) error {
	if err := checkVMState(inst, vmstate.Active, vmstate.Stopped, vmstate.Paused, vmstate.Suspended); err != nil {
		return err
	}
	inst.TaskState = taskstate.Shelving
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "shelve_instance", inst)
	return nil
}

// ShelveOffload frees the host of a shelved instance.
func (a *API) ShelveOffload(ctx context.Context, inst *objects.Instance) error {
	if err := checkVMState(inst, vmstate.Shelved); err != nil {
		return err
	}
	inst.TaskState = taskstate.ShelvingOffloading
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "shelve_offload_instance", inst)
	return nil
}

// Unshelve brings a shelved instance back.
func (a *API) Unshelve(ctx context.Context, inst *objects.Instance) error {
	if err := checkVMState(inst, vmstate.Shelved, vmstate.ShelvedOffloaded); err != nil {
		return err
	}
	inst.TaskState = taskstate.Unshelving
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "unshelve_instance", inst)
	return nil
}

// Pause freezes inst in memory.
func (a *API) Pause(ctx context.Context, inst *objects.Instance) error { // want Pause:`helper\(TaskState of #1 = "pausing"\)`
	inst.TaskState = taskstate.Pausing
	return a.saveAndCast(ctx, inst, "pause_instance")
}

// saveAndCast saves inst expecting no task and casts method. It writes no
// task state itself: the write is its caller's, and the call below is not
// a transition of its own.
func (a *API) saveAndCast(ctx context.Context, inst *objects.Instance, method string) error {
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, method, inst)
	return nil
}

// Unpause thaws a paused instance.
func (a *API) Unpause(ctx context.Context, inst *objects.Instance) error {
	if err := checkVMState(inst, vmstate.Paused); err != nil {
		return err
	}
	inst.TaskState = taskstate.Unpausing
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "unpause_instance", inst)
	return nil
}

// Suspend saves inst to disk.
func (a *API) Suspend(ctx context.Context, inst *objects.Instance) error { // want Suspend:`helper\(TaskState of #1 = "suspending" then saved guarded\)`
	inst.TaskState = taskstate.Suspending
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "suspend_instance", inst)
	return nil
}

// Resume restores a suspended instance.
func (a *API) Resume(ctx context.Context, inst *objects.Instance) error {
	if err := checkVMState(inst, vmstate.Suspended); err != nil {
		return err
	}
	inst.TaskState = taskstate.Resuming
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "resume_instance", inst)
	return nil
}

// Rescue boots inst from a rescue image.
func (a *API) Rescue(ctx context.Context, inst *objects.Instance) error { // want Rescue:`helper\(TaskState of #1 = "rescuing" then saved guarded\)`
	inst.TaskState = taskstate.Rescuing
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "rescue_instance", inst)
	return nil
}

// Unrescue boots inst from its own disk again.
func (a *API) Unrescue(ctx context.Context, inst *objects.Instance) error {
	if err := checkVMState(inst, vmstate.Rescued); err != nil {
		return err
	}
	inst.TaskState = taskstate.Unrescuing
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "unrescue_instance", inst)
	return nil
}

// SetAdminPassword changes the guest's administrator password.
func (a *API) SetAdminPassword(ctx context.Context, inst *objects.Instance) error { // want SetAdminPassword:`helper\(TaskState of #1 = "updating_password" then saved guarded\)`
	inst.TaskState = taskstate.UpdatingPassword
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "set_admin_password", inst)
	return nil
}

// LiveMigrate moves a running instance to another host.
func (a *API) LiveMigrate(ctx context.Context, inst *objects.Instance) error {
	if err := checkVMState(inst, vmstate.Active, vmstate.Paused); err != nil {
		return err
	}
	inst.TaskState = taskstate.Migrating
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "live_migration", inst)
	return nil
}

// Evacuate rebuilds inst on another host after its host failed. This is
// the guarded form Nova used until 2022; delete.go holds today's.
func (a *API) Evacuate(ctx context.Context, inst *objects.Instance) error { // want Evacuate:`helper\(TaskState of #1 = "rebuilding" then saved guarded\)`
	inst.TaskState = taskstate.Rebuilding
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	a.cast(ctx, "rebuild_instance evacuate", inst)
	return nil
}
