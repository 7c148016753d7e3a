// Package copysave holds a failure path that saves a copy of a
// deployment through a helper and takes the saved copy back only when
// the save succeeded. The function is named for saving, but what it saves
// is the copy the helper set to Failed, not the deployment as its caller
// wrote it: it is no plain save, and since the whole deployment is
// overwritten on one path only, no helper either. Its call is no save the
// analyzer can describe, so it is not reported with the caller's value.
package copysave

import "errors"

// Status is the status of a deployment.
type Status string

// The statuses.
const (
	Parked   Status = "parked"
	Released Status = "released"
	Failed   Status = "failed"
)

var errBadStatus = errors.New("deploy: not in a status that allows this")

// Deploy is one deployment.
type Deploy struct {
	ID     int64
	Status Status
	Note   string
}

// Store persists deployments.
type Store interface {
	UpdateDeploy(d *Deploy) error // want UpdateDeploy:`save\(#0\) by plain save`
}

// MarkFailed sets a copy of the deployment to Failed and saves the copy.
func MarkFailed(st Store, d Deploy, note string) (*Deploy, error) { // want MarkFailed:`helper\(Status of a copy of #1 = "failed" then saved\)`
	d.Status = Failed
	d.Note = note
	return &d, st.UpdateDeploy(&d)
}

// updateDeployFailed saves the deployment as failed through a copy, and
// takes the saved copy back only when the save succeeded.
func updateDeployFailed(st Store, d *Deploy, note string) error {
	saved, err := MarkFailed(st, *d, note)
	if err != nil {
		return err
	}
	*d = *saved
	return nil
}

// failCopy is updateDeployFailed through a method of the deployment's
// value.
func (d Deploy) failCopy(st Store) error {
	d.Status = Failed
	return st.UpdateDeploy(&d)
}

// saveFailed hands its deployment to failCopy, a copy as its receiver.
func saveFailed(st Store, d *Deploy) error {
	if err := d.failCopy(st); err != nil {
		return err
	}
	*d = Deploy{ID: d.ID, Status: Failed}
	return nil
}

func invalid(d *Deploy) bool { return d.Note == "" }

// Release lets a parked deployment go; an invalid one is saved as failed.
// The race is real (the check is in Go), but the calls of
// updateDeployFailed and saveFailed save no value the analyzer knows.
func Release(st Store, d *Deploy) error {
	if d.Status != Parked {
		return errBadStatus
	}
	d.Status = Released
	if invalid(d) {
		return updateDeployFailed(st, d, "invalid")
	}
	if d.ID == 0 {
		return saveFailed(st, d)
	}
	return nil
}
