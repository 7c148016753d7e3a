// Package names holds functions whose parameter names or types look like a
// guard's but are not one: none of them is a recognized save or
// transition, so calling them with equal values is not reported.
package names

import (
	"context"
	"time"
)

// Status is a state type.
type Status string

// Two statuses.
const (
	Open   Status = "open"
	Closed Status = "closed"
)

// Copy copies a file: from and to of type string are not states.
func Copy(from, to string) error {
	if from == to {
		return nil
	}
	return nil
}

// Point is not a state.
type Point struct{ X, Y int }

// Move draws a line: from and to of a non-state type.
func Move(from, to Point) int { return to.X - from.X }

// Between measures an interval: from and to are times.
func Between(from, to time.Time) time.Duration { return to.Sub(from) }

// Account is not a state.
type Account struct {
	ID      int
	Balance int
}

// Transfer moves money between accounts: fromAccount and toAccount are
// objects, not states.
func Transfer(fromAccount, toAccount *Account, amount int) {
	fromAccount.Balance -= amount
	toAccount.Balance += amount
}

// Cell is a named type whose name is not a state word.
type Cell int

// Swap exchanges two cells: from, to of a non-state named type.
func Swap(from, to Cell) (Cell, Cell) { return to, from }

// Ticket is an object with a state field.
type Ticket struct {
	ID     int
	Status Status
	Title  string
}

// Rename writes the title expecting oldTitle: Title is not a state field,
// so this is not a guarded save.
func Rename(ctx context.Context, t *Ticket, oldTitle string) error {
	_ = oldTitle
	return ctx.Err()
}

// Store writes t with the new status: status is not an expectation.
func Store(ctx context.Context, t *Ticket, status Status) error { // want Store:`save\(#1\) by plain save` Store:`helper\(Status of #1 = #2\)`
	t.Status = status
	return ctx.Err()
}

// Notify sends the status change to a subscriber; expectedStatusCode is
// an HTTP code, not a field of t.
func Notify(ctx context.Context, t *Ticket, expectedStatusCode int) error {
	_ = expectedStatusCode
	return ctx.Err()
}

// Mixed has a from and a to that name different things.
func Mixed(fromStatus Status, toOwner string) string { return string(fromStatus) + toOwner }

// Uses calls each with equal values.
func Uses(ctx context.Context, t *Ticket) { // want Uses:`helper\(Status of #1 = "closed" then saved\)`
	_ = Copy("a", "a")
	_ = Move(Point{}, Point{})
	_ = Between(time.Time{}, time.Time{})
	a := &Account{ID: 1}
	Transfer(a, a, 0)
	_, _ = Swap(1, 1)
	t.Title = "x"
	_ = Rename(ctx, t, "x")
	t.Status = Closed
	_ = Store(ctx, t, Closed)
	_ = Notify(ctx, t, 200)
	_ = Mixed(Open, "open")
}
