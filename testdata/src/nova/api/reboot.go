package api

import (
	"context"

	"nova/objects"
	"nova/taskstate"
)

// RebootHard expects a list that contains the state it writes, on purpose:
// an operator may re-issue a hard reboot to unstick a server whose reboot
// hangs (Nova bugs 1376384, 1768927). The analyzer reports it as
// reentrant-guard; this deliberate one is silenced with a reason on the
// line above the call.
func (a *API) RebootHard(ctx context.Context, inst *objects.Instance) error { // want RebootHard:`helper\(TaskState of #1 = "rebooting_hard" then saved guarded\)`
	inst.TaskState = taskstate.RebootingHard
	//stateguard:ignore a hard reboot may be re-issued to unstick a server (Nova bugs 1376384, 1768927)
	err := inst.Save(ctx, taskstate.None, taskstate.Rebooting, taskstate.RebootPending,
		taskstate.RebootStarted, taskstate.Resuming, taskstate.RebootingHard,
		taskstate.Unpausing, taskstate.Pausing, taskstate.Suspending)
	if err != nil {
		return err
	}
	a.cast(ctx, "reboot_instance hard", inst)
	return nil
}

// RebootHardUnexplained is the same save with nobody saying it is
// deliberate: it is reported.
func (a *API) RebootHardUnexplained(ctx context.Context, inst *objects.Instance) error { // want RebootHardUnexplained:`helper\(TaskState of #1 = "rebooting_hard" then saved guarded\)`
	inst.TaskState = taskstate.RebootingHard
	err := inst.Save(ctx, []taskstate.State{ // want `reentrant-guard: .*TaskState`
		taskstate.None, taskstate.Rebooting, taskstate.RebootPending,
		taskstate.RebootStarted, taskstate.RebootingHard,
	}...)
	if err != nil {
		return err
	}
	a.cast(ctx, "reboot_instance hard", inst)
	return nil
}

// RebootHardExpectingNew expects only the state it writes, through a
// variable the two ends share: every concurrent hard reboot passes.
func (a *API) RebootHardExpectingNew(ctx context.Context, inst *objects.Instance) error {
	state := taskstate.RebootingHard
	inst.TaskState = state
	if err := inst.Save(ctx, state); err != nil { // want `ineffective-guard: .*TaskState`
		return err
	}
	a.cast(ctx, "reboot_instance hard", inst)
	return nil
}
