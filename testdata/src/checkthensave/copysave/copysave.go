// Package copysave holds the actions of a deploy queue whose failure
// path saves a copy of the deployment: a function named for saving,
// given the deployment by pointer, hands a copy of it to a helper that
// sets the copy's status to Failed and saves the copy. What that call
// saves is Failed, whatever the caller wrote to the deployment itself,
// and the finding says so.
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

// MarkReleased sets a copy of the deployment to Released and saves the copy.
func MarkReleased(st Store, d Deploy) (*Deploy, error) { // want MarkReleased:`helper\(Status of a copy of #1 = "released" then saved\)`
	d.Status = Released
	return &d, st.UpdateDeploy(&d)
}

// UpdateDeployFailed saves a copy of the deployment as failed; the
// deployment itself keeps its status. Named for saving, it is no plain
// save (what it saves is not the deployment as its caller has it), but a
// helper that saves a copy.
func UpdateDeployFailed(st Store, d *Deploy, note string) error { // want UpdateDeployFailed:`helper\(Status of a copy of #1 = "failed" then saved\)`
	_, err := MarkFailed(st, *d, note)
	return err
}

func invalid(d *Deploy) bool { return d.Note == "" }

// Release lets a parked deployment go; an invalid one is saved as failed.
func Release(st Store, d *Deploy) error {
	if d.Status != Parked {
		return errBadStatus
	}
	d.Status = Released
	if invalid(d) {
		return UpdateDeployFailed(st, d, "invalid") // want `compared with Parked at line \d+, then set to Failed by UpdateDeployFailed \(in MarkFailed, copysave.go:37\) and saved by UpdateDeployFailed`
	}
	_, err := MarkReleased(st, *d) // want `compared with Parked at line \d+, then set to Released by MarkReleased \(copysave.go:44\) and saved by MarkReleased`
	return err
}
