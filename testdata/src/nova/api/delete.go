package api

import (
	"context"

	"nova/objects"
	"nova/taskstate"
)

// Delete sets Deleting with no expectation, on purpose: it pre-empts
// whatever task runs. The pre-empted task's later guarded saves then fail
// with UnexpectedDeletingTaskStateError, which the compute service treats
// as "instance gone". The unguarded-transition finding is silenced with a
// trailing reason.
func (a *API) Delete(ctx context.Context, inst *objects.Instance) error { // want Delete:`helper\(TaskState of #1 = "deleting" then saved guarded\)`
	inst.TaskState = taskstate.Deleting
	inst.Progress = 0
	if err := inst.Save(ctx); err != nil { //stateguard:ignore delete pre-empts any running task; its later guarded saves fail with UnexpectedDeletingTaskStateError
		return err
	}
	a.cast(ctx, "terminate_instance", inst)
	return nil
}

// EvacuateUnchecked is evacuate as Nova has written it since 2022 (bug
// 1978983): the host is down, so no task on it can make progress, and the
// save deliberately carries no check.
func (a *API) EvacuateUnchecked(ctx context.Context, inst *objects.Instance) error { // want EvacuateUnchecked:`helper\(TaskState of #1 = "rebuilding" then saved guarded\)`
	inst.TaskState = taskstate.Rebuilding
	//stateguard:ignore the source host is down: no task there can progress (Nova bug 1978983)
	if err := inst.Save(ctx); err != nil {
		return err
	}
	a.cast(ctx, "rebuild_instance evacuate", inst)
	return nil
}

// SoftDelete writes a declared state and saves with no expectation and no
// reason: two concurrent soft deletes, or a soft delete racing a shelve,
// both win.
func (a *API) SoftDelete(ctx context.Context, inst *objects.Instance) error { // want SoftDelete:`helper\(TaskState of #1 = "soft-deleting" then saved guarded\)`
	inst.TaskState = taskstate.SoftDeleting
	if err := inst.Save(ctx); err != nil { // want `unguarded-transition: .*TaskState`
		return err
	}
	a.cast(ctx, "soft_delete_instance", inst)
	return nil
}
