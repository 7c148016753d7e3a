// Package concourse ports the volume and container state transitions of
// Concourse: a transition call carries both of its ends.
package concourse

import (
	"errors"
	"slices"
)

// VolumeState is the state of a volume.
type VolumeState string

// The volume states.
const (
	VolumeStateCreating   VolumeState = "creating"
	VolumeStateCreated    VolumeState = "created"
	VolumeStateDestroying VolumeState = "destroying"
	VolumeStateFailed     VolumeState = "failed"
)

// ContainerState is the state of a container.
type ContainerState string

// The container states.
const (
	ContainerStateCreating   ContainerState = "creating"
	ContainerStateCreated    ContainerState = "created"
	ContainerStateDestroying ContainerState = "destroying"
)

// Conn is a database connection.
type Conn interface {
	Exec(query string, args ...any) (rowsAffected int64, err error)
}

var errTransition = errors.New("state transition failed: the row was not in the expected state")

// volumeStateTransition moves volume id from one state to another.
func volumeStateTransition(id int, conn Conn, from, to VolumeState) error {
	n, err := conn.Exec(`UPDATE volumes SET state = $1 WHERE id = $2 AND state = $3`, to, id, from)
	if err != nil {
		return err
	}
	if n != 1 {
		return errTransition
	}
	return nil
}

// containerStateTransition moves container id from any of several states.
func containerStateTransition(id int, conn Conn, from []ContainerState, to ContainerState) error {
	if len(from) == 0 || slices.Contains(from, "") {
		return errTransition
	}
	n, err := conn.Exec(`UPDATE containers SET state = $1 WHERE id = $2 AND state = ANY($3)`, to, id, from)
	if err != nil {
		return err
	}
	if n != 1 {
		return errTransition
	}
	return nil
}

// Created marks a volume created: correct.
func Created(conn Conn, id int) error {
	return volumeStateTransition(id, conn, VolumeStateCreating, VolumeStateCreated)
}

// Destroying marks a volume destroying: correct.
func Destroying(conn Conn, id int) error {
	return volumeStateTransition(id, conn, VolumeStateCreated, VolumeStateDestroying)
}

// CreatedAgain is a seeded mistake: the same state at both ends.
func CreatedAgain(conn Conn, id int) error {
	return volumeStateTransition(id, conn, VolumeStateCreated, VolumeStateCreated) // want `ineffective-guard: `
}

// ContainerCreated accepts the state it writes among its sources:
// idempotent on purpose in Concourse, and reported, since a duplicate
// concurrent transition cannot be seen.
func ContainerCreated(conn Conn, id int) error {
	return containerStateTransition(id, conn, []ContainerState{ContainerStateCreating, ContainerStateCreated}, ContainerStateCreated) // want `reentrant-guard: `
}

// ContainerDestroying is correct: the sources do not contain the target.
func ContainerDestroying(conn Conn, id int) error {
	return containerStateTransition(id, conn, []ContainerState{ContainerStateCreating, ContainerStateCreated}, ContainerStateDestroying)
}

// Transition moves a volume between states given by the caller: unknown
// at compile time, nothing to report.
func Transition(conn Conn, id int, from, to VolumeState) error { // want Transition:`transition\(from=#2 to=#3\) by convention`
	return volumeStateTransition(id, conn, from, to)
}

// Retransition passes one value for both ends: the same value, reported.
func Retransition(conn Conn, id int, state VolumeState) error {
	return volumeStateTransition(id, conn, state, state) // want `ineffective-guard: `
}
