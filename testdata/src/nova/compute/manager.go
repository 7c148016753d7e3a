// Package compute is a Go port of the guarded saves of
// nova/compute/manager.py: the compute service moves an instance through
// the intermediate task states an API action started, and fences saves
// that change other fields on the task the instance is known to run.
package compute

import (
	"context"
	"errors"
	"time"

	"nova/objects"
	"nova/taskstate"
	"nova/vmstate"
)

// Manager is the compute service of one host.
type Manager struct {
	Host string
	Node string
	now  func() time.Time
}

// BuildAndRunInstance claims a scheduled instance and spawns it. Nova's
// claim sets None expecting (Scheduling, None): the build may be
// rescheduled onto this host, in which case the instance already has no
// task. By the rule a written value that is one of several expected values
// is reentrant-guard, and it is reported: two concurrent builds of one
// instance would both claim it. Nova accepts that because the scheduler
// sends one build per host; a project that relies on the same would
// silence the finding with a reason.
func (m *Manager) BuildAndRunInstance(ctx context.Context, inst *objects.Instance) error {
	inst.VMState = vmstate.Building
	inst.TaskState = taskstate.None
	if err := inst.Save(ctx, taskstate.Scheduling, taskstate.None); err != nil { // want `reentrant-guard: .*TaskState`
		return err
	}
	inst.TaskState = taskstate.BlockDeviceMapping
	if err := inst.Save(ctx, taskstate.None); err != nil {
		return err
	}
	inst.TaskState = taskstate.Spawning
	if err := inst.Save(ctx, taskstate.BlockDeviceMapping); err != nil {
		return err
	}
	inst.VMState = vmstate.Active
	inst.TaskState = taskstate.None
	inst.LaunchedAt = m.now()
	return inst.Save(ctx, taskstate.Spawning)
}

// ConfirmResize finishes a resize. Nova sets None expecting
// [None, Deleting, SoftDeleting] so that a confirm racing a delete does not
// fail. The written None is one of the expected values, so by the rule it
// is reentrant-guard and it is reported: two concurrent confirms both pass
// and both clean up the source host. Decision: the rule is applied as
// written; a project that wants this save idempotent says so with a
// //stateguard:ignore and a reason.
func (m *Manager) ConfirmResize(ctx context.Context, inst *objects.Instance) error { // want ConfirmResize:`helper\(TaskState of #1 = "" then saved guarded; VMState of #1 = "active" then saved\)`
	inst.VMState = vmstate.Active
	inst.TaskState = taskstate.None
	return inst.Save(ctx, taskstate.None, taskstate.Deleting, taskstate.SoftDeleting) // want `reentrant-guard: .*TaskState`
}

// AckReboot is the compute side of a hard reboot. It accepts the state it
// writes so that a restarted compute service can replay the
// acknowledgement; reported, like every reentrant save with no reason.
func (m *Manager) AckReboot(ctx context.Context, inst *objects.Instance) error { // want AckReboot:`helper\(TaskState of #1 = "reboot_started_hard" then saved guarded\)`
	inst.TaskState = taskstate.RebootStartedHard
	return inst.Save(ctx, taskstate.RebootPendingHard, taskstate.RebootStartedHard) // want `reentrant-guard: .*TaskState`
}

// SnapshotInstance moves a snapshot through its steps, each expecting the
// previous one. Nothing is reported.
func (m *Manager) SnapshotInstance(ctx context.Context, inst *objects.Instance) error {
	inst.TaskState = taskstate.ImagePendingUpload
	if err := inst.Save(ctx, taskstate.ImageSnapshot); err != nil {
		return err
	}
	inst.TaskState = taskstate.ImageUploading
	if err := inst.Save(ctx, taskstate.ImagePendingUpload); err != nil {
		return err
	}
	inst.TaskState = taskstate.None
	return inst.Save(ctx, taskstate.ImageUploading)
}

// ShelveInstance is the compute side of shelve. Nothing is reported.
func (m *Manager) ShelveInstance(ctx context.Context, inst *objects.Instance) error {
	inst.TaskState = taskstate.ShelvingImagePendingUpload
	if err := inst.Save(ctx, taskstate.Shelving); err != nil {
		return err
	}
	inst.TaskState = taskstate.ShelvingImageUploading
	if err := inst.Save(ctx, taskstate.ShelvingImagePendingUpload); err != nil {
		return err
	}
	inst.VMState = vmstate.Shelved
	inst.TaskState = taskstate.None
	return inst.Save(ctx, taskstate.ShelvingImageUploading)
}

// PostLiveMigration is a fence: the instance moves to another host while
// its task stays Migrating, so the save expects the current task state and
// writes other fields. No task state is written, so nothing is reported.
func (m *Manager) PostLiveMigration(ctx context.Context, inst *objects.Instance, dest, node string) error {
	inst.Host = dest
	inst.Node = node
	return inst.Save(ctx, taskstate.Migrating)
}

// PostLiveMigrationAtDestination ends the migration: a transition.
func (m *Manager) PostLiveMigrationAtDestination(ctx context.Context, inst *objects.Instance) error { // want PostLiveMigrationAtDestination:`helper\(PowerState of #1 = 1 then saved; TaskState of #1 = "" then saved guarded\)`
	inst.Host = m.Host
	inst.Node = m.Node
	inst.PowerState = 1
	inst.TaskState = taskstate.None
	return inst.Save(ctx, taskstate.Migrating)
}

// SyncPowerState is a fence that reads the expectation from the object:
// the task state was not written, so reading it back is the current state,
// not the new one. Nothing is reported.
func (m *Manager) SyncPowerState(ctx context.Context, inst *objects.Instance, power int) error { // want SyncPowerState:`helper\(PowerState of #1 = #2 then saved\)`
	inst.PowerState = power
	return inst.Save(ctx, inst.TaskState)
}

// SpawnFence records the launch time while the spawn runs: a fence on
// Spawning. Nothing is reported.
func (m *Manager) SpawnFence(ctx context.Context, inst *objects.Instance) error {
	inst.LaunchedAt = m.now()
	return inst.Save(ctx, taskstate.Spawning)
}

// ShelveRetryingWithoutGuard retries a conflict whose cause is unknown, and
// the retry drops the expectation: the shape of the Nova regression fixed
// by commit aae5c7aa, at the call site. The retry is an unguarded save of a
// declared state and is reported.
func (m *Manager) ShelveRetryingWithoutGuard(ctx context.Context, inst *objects.Instance) error { // want ShelveRetryingWithoutGuard:`helper\(TaskState of #1 = "shelving" then saved guarded\)`
	inst.TaskState = taskstate.Shelving
	err := inst.Save(ctx, taskstate.None)
	var unknown *objects.UnknownInstanceUpdateConflictError
	if errors.As(err, &unknown) {
		err = inst.Save(ctx) // want `unguarded-transition: .*TaskState`
	}
	return err
}

// ShelveRetryingWithGuard retries with the exact same condition: correct.
func (m *Manager) ShelveRetryingWithGuard(ctx context.Context, inst *objects.Instance) error { // want ShelveRetryingWithGuard:`helper\(TaskState of #1 = "shelving"\)`
	inst.TaskState = taskstate.Shelving
	var err error
	for range 3 {
		err = inst.Save(ctx, taskstate.None)
		var unknown *objects.UnknownInstanceUpdateConflictError
		if !errors.As(err, &unknown) {
			break
		}
	}
	return err
}

// LocalDelete deletes an instance whose host is down. Unlike the API's
// Delete it gives no reason for saving with no expectation, so it is
// reported.
func (m *Manager) LocalDelete(ctx context.Context, inst *objects.Instance) error { // want LocalDelete:`helper\(TaskState of #1 = "deleting" then saved guarded\)`
	inst.TaskState = taskstate.Deleting
	return inst.Save(ctx) // want `unguarded-transition: .*TaskState`
}

// ClearHost writes no declared state and saves with no expectation: not a
// transition, nothing is reported.
func (m *Manager) ClearHost(ctx context.Context, inst *objects.Instance) error {
	inst.Host = ""
	inst.Node = ""
	return inst.Save(ctx)
}

// ErrorOut puts an instance in error. The stable state is not a declared
// state, and the task state is cleared from the one the failed action
// set: a transition, nothing is reported.
func (m *Manager) ErrorOut(ctx context.Context, inst *objects.Instance, from taskstate.State) error { // want ErrorOut:`helper\(TaskState of #1 = "" then saved guarded; VMState of #1 = "error" then saved\)`
	inst.VMState = vmstate.Error
	inst.TaskState = taskstate.None
	return inst.Save(ctx, from)
}

// ShelveUpload uploads the shelved image. On failure it hands the instance
// to ErrorOut with the task state it is in: ErrorOut writes its own task
// state (None) before it saves, so the write here does not reach that
// save. Nothing is reported.
func (m *Manager) ShelveUpload(ctx context.Context, inst *objects.Instance, upload func() error) error {
	inst.TaskState = taskstate.ShelvingImageUploading
	if err := inst.Save(ctx, taskstate.ShelvingImagePendingUpload); err != nil {
		return err
	}
	if err := upload(); err != nil {
		return m.ErrorOut(ctx, inst, taskstate.ShelvingImageUploading)
	}
	inst.VMState = vmstate.Shelved
	inst.TaskState = taskstate.None
	return inst.Save(ctx, taskstate.ShelvingImageUploading)
}

// SpawnThenFence spawns, then records the launch time on the task the
// instance now runs. The write of Spawning was consumed by the first save:
// the second save is a fence on the state just stored, not a transition.
// Nothing is reported.
func (m *Manager) SpawnThenFence(ctx context.Context, inst *objects.Instance) error { // want SpawnThenFence:`helper\(TaskState of #1 = "spawning" then saved guarded\)`
	inst.TaskState = taskstate.Spawning
	if err := inst.Save(ctx, taskstate.BlockDeviceMapping); err != nil {
		return err
	}
	inst.LaunchedAt = m.now()
	return inst.Save(ctx, taskstate.Spawning)
}

// ShelveThenClearHost shelves, then clears the host with an unguarded
// save. The task state written before the guarded save was stored by it
// (the function returns if that save fails), so the unguarded save writes
// no new task state. Nothing is reported.
func (m *Manager) ShelveThenClearHost(ctx context.Context, inst *objects.Instance) error { // want ShelveThenClearHost:`helper\(TaskState of #1 = "" then saved guarded; VMState of #1 = "shelved_offloaded" then saved\)`
	inst.VMState = vmstate.ShelvedOffloaded
	inst.TaskState = taskstate.None
	if err := inst.Save(ctx, taskstate.ShelvingOffloading); err != nil {
		return err
	}
	inst.Host = ""
	inst.Node = ""
	return inst.Save(ctx)
}

// ShelveIgnoringConflict logs a failed guarded save and carries on; a later
// unguarded save writes the task state the failed save did not store,
// overwriting whatever the winner set (Nova bug 1848666: a DELETING state
// set by a concurrent delete is lost). Reported on the path where the
// first save failed.
func (m *Manager) ShelveIgnoringConflict(ctx context.Context, inst *objects.Instance, logf func(string, ...any)) error { // want ShelveIgnoringConflict:`helper\(TaskState of #1 = "shelving" then saved guarded\)`
	inst.TaskState = taskstate.Shelving
	if err := inst.Save(ctx, taskstate.None); err != nil {
		logf("shelve %s: %v", inst.UUID, err)
	}
	inst.Host = m.Host
	return inst.Save(ctx) // want `unguarded-transition: .*TaskState`
}
