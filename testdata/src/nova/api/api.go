// Package api is a Go port of the guarded actions of nova/compute/api.py.
// Each action checks the stable state, sets the task state, and saves
// expecting the task states it may leave (taskstate.None: no task running),
// so that of two concurrent duplicates only one reaches the compute
// service. actions.go holds the correct actions and finds nothing;
// mistakes.go seeds the mistakes the analyzer must find; reboot.go and
// delete.go hold the deliberate exceptions Nova makes.
package api

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"nova/objects"
	"nova/vmstate"
)

// API is the compute API.
type API struct {
	casts []string
}

// cast sends method to the compute service that hosts inst.
func (a *API) cast(_ context.Context, method string, inst *objects.Instance) {
	a.casts = append(a.casts, method+" "+inst.UUID)
}

var errNoHost = errors.New("no target host")

// checkVMState refuses an action when inst is in none of the allowed
// stable states.
func checkVMState(inst *objects.Instance, allowed ...vmstate.State) error {
	if !slices.Contains(allowed, inst.VMState) {
		return fmt.Errorf("instance %s is %s: cannot act on it", inst.UUID, inst.VMState)
	}
	return nil
}
