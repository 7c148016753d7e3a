// Package juju ports an older juju setMachineBlockDevices, which returned
// "nothing to do" before it built the assertion that the machine is still
// alive. The field is not named like a state, so the save is declared with
// a directive.
package juju

import "errors"

// Life is the lifecycle of an entity.
type Life int

// The lives.
const (
	Alive Life = iota
	Dying
	Dead
)

// Machine is one machine.
type Machine struct {
	ID           string
	Life         Life
	BlockDevices []string
}

// Op is one transaction operation.
type Op struct {
	Collection string
	ID         string
	Assert     any
	Update     any
}

// setMachineBlockDevices returns the operations that write m's block
// devices while m has the life expected. With no change it returns no
// operations and no error before it builds the assertion.
//
//stateguard:save field=Life expect=expectedLife object=m
func setMachineBlockDevices(m *Machine, old []string, expectedLife Life) ([]Op, error) {
	if len(old) == len(m.BlockDevices) {
		return nil, nil // want `shortcut-save: .*expectedLife`
	}
	return []Op{{Collection: "machines", ID: m.ID, Assert: map[string]Life{"life": expectedLife}, Update: m.BlockDevices}}, nil
}

// setMachineBlockDevicesFixed builds the assertion first.
//
//stateguard:save field=Life expect=expectedLife object=m
func setMachineBlockDevicesFixed(m *Machine, old []string, expectedLife Life) ([]Op, error) {
	assert := Op{Collection: "machines", ID: m.ID, Assert: map[string]Life{"life": expectedLife}}
	if len(old) == len(m.BlockDevices) {
		return []Op{assert}, nil
	}
	assert.Update = m.BlockDevices
	return []Op{assert}, nil
}

// Destroy marks a machine dying, guarded on alive: correct.
func Destroy(m *Machine) ([]Op, error) {
	m.Life = Dying
	return setMachineBlockDevicesFixed(m, nil, Alive)
}

// Kill is a seeded mistake through the directive-declared save.
func Kill(m *Machine) ([]Op, error) {
	if m == nil {
		return nil, errors.New("juju: no machine")
	}
	m.Life = Dead
	return setMachineBlockDevicesFixed(m, nil, Dead) // want `ineffective-guard: .*Life`
}
