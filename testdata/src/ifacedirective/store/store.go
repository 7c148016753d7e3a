// Package store declares a store interface whose methods carry
// //stateguard: directives: their names alone say nothing, and their
// implementations live in other packages. Every call through the
// interface is a guarded save or a transition, here and, through the
// facts, in package use.
package store

import (
	"context"
	"errors"
)

var ErrConflict = errors.New("conflict")

type Phase string

const (
	Pending Phase = "pending"
	Active  Phase = "active"
	Closed  Phase = "closed"
)

type Ticket struct {
	ID    int
	Phase Phase
	Title string
}

// Tickets stores tickets.
type Tickets interface {
	// Write stores t where its phase is still one of allowed; false when
	// it was not.
	//
	//stateguard:save field=Phase expect=allowed object=t
	Write(ctx context.Context, t *Ticket, allowed []Phase) (bool, error) // want Write:`save\(Phase of #1, expect=#2\) by directive, refuses by result #0`

	// Put is Write with a single expected phase; the object is the one
	// parameter with a field Phase.
	//
	//stateguard:save field=Phase expect=want
	Put(t *Ticket, want Phase) error // want Put:`save\(Phase of #0, expect=#1\) by directive`

	// Shift moves the ticket id from src to dst.
	//
	//stateguard:transition from=src to=dst
	Shift(ctx context.Context, id int, src, dst Phase) error // want Shift:`transition\(from=#2 to=#3\) by directive`

	// Broken's directive names a field tickets do not have.
	//
	//stateguard:save field=State expect=allowed // want `directive: //stateguard:save has no effect: no parameter of Broken has a field State`
	Broken(t *Ticket, allowed []Phase) error

	// Self names the interface's receiver, which is no object.
	//
	//stateguard:save field=Phase expect=want object=s // want `directive: //stateguard:save has no effect: object=s names no parameter or receiver of Self`
	Self(t *Ticket, want Phase) error
}

// Admin embeds Tickets: its methods are the same, directives included.
type Admin interface {
	Tickets
	Purge(ctx context.Context) error
}

// Close closes t: the expectation is the phase it writes.
func Close(ctx context.Context, ts Tickets, t *Ticket) error {
	t.Phase = Closed
	ok, err := ts.Write(ctx, t, []Phase{Closed}) // want `ineffective-guard: Phase is set to Closed and this save expects only Closed`
	if err == nil && !ok {
		err = ErrConflict
	}
	return err
}

// Activate is the correct form.
func Activate(ctx context.Context, ts Tickets, t *Ticket) error {
	t.Phase = Active
	ok, err := ts.Write(ctx, t, []Phase{Pending})
	if err == nil && !ok {
		err = ErrConflict
	}
	return err
}
