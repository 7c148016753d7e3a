package condmap

import (
	"errors"

	"xsq"
)

var psql = xsq.StatementBuilder

// errNoTransition is returned when no row changed.
var errNoTransition = errors.New("no transition")

// BuildState is the state of a build row.
type BuildState string

// volumeTransition accepts the state it sets as a source: a repeated
// transition to the same state passes the guard, whatever to is.
func volumeTransition(id int, from, to VolumeState) error {
	n, err := psql.Update("volumes"). // want `reentrant-guard: this UPDATE sets state to string\(to\) and its condition accepts string\(to\) among its expected states \(from, to\)`
						Set("state", string(to)).
						Where(xsq.And{xsq.Eq{"id": id}, xsq.Or{xsq.Eq{"state": string(from)}, xsq.Eq{"state": string(to)}}}).
						Exec()
	if err == nil && n == 0 {
		return errNoTransition
	}
	return err
}

// volumeTransitionIntended is the same, intended and said so.
func volumeTransitionIntended(id int, from, to VolumeState) error {
	//stateguard:ignore reentrant-guard a repeated transition to the same state is a success here
	n, err := xsq.Update("volumes").Set("state", string(to)).Where(xsq.Or{xsq.Eq{"id": id, "state": string(from)}, xsq.Eq{"id": id, "state": string(to)}}).Exec()
	if err == nil && n == 0 {
		return errNoTransition
	}
	return err
}

// startBuild sets the status its condition expects.
func startBuild(id int) error {
	_, err := xsq.Update("builds").Set("status", BuildState("started")).Where(xsq.Eq{"id": id, "status": BuildState("started")}).Exec() // want `ineffective-guard: this UPDATE sets status to BuildState\("started"\) and its condition expects only`
	return err
}

// --- the correct forms ---

// volumeTransitionRight expects only the source.
func volumeTransitionRight(id int, from, to VolumeState) error {
	n, err := psql.Update("volumes").
		Set("state", string(to)).
		Where(xsq.And{xsq.Eq{"id": id}, xsq.Eq{"state": string(from)}}).
		Exec()
	if err == nil && n == 0 {
		return errNoTransition
	}
	return err
}

// finishBuild expects the state it leaves.
func finishBuild(id int) error {
	_, err := xsq.Update("builds").Set("status", BuildState("succeeded")).Where(xsq.Eq{"id": id, "status": BuildState("started")}).Exec()
	return err
}

// renameBuild sets a column that is no state.
func renameBuild(id int, name string) error {
	_, err := xsq.Update("builds").Set("name", name).Where(xsq.Eq{"id": id, "name": name}).Exec()
	return err
}

// twoWheres has two conditions: not read.
func twoWheres(id int) error {
	_, err := xsq.Update("builds").Set("status", BuildState("started")).Where(xsq.Eq{"id": id}).Where(xsq.Eq{"status": BuildState("started")}).Exec()
	return err
}
