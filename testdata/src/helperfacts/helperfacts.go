// Package helperfacts declares helpers: functions that write a state
// field of their object to a value known at the call, and perhaps save
// it. Their facts carry them to helperfactsb and helperfactsc.
package helperfacts

import (
	"context"
	"errors"
)

type Status string

const (
	Idle     Status = "idle"
	Draining Status = "draining"
	Running  Status = "running"
	Done     Status = "done"
)

type Lease string

type Node struct {
	ID     int
	Status Status
	//stateguard:state
	Lease Lease // want Lease:"state"
	Name  string
}

// SaveNode guards the status by convention.
func SaveNode(ctx context.Context, n *Node, expectedStatus Status) error { // want SaveNode:`save\(Status of #1, expect=#2\) by convention`
	return ctx.Err()
}

// SaveLease guards the lease alone.
//
//stateguard:save field=Lease expect=expectedLease
func SaveLease(ctx context.Context, n *Node, expectedLease Lease) error { // want SaveLease:`save\(Lease of #1, expect=#2\) by directive`
	return ctx.Err()
}

// MarkDraining writes a constant.
func MarkDraining(n *Node) { // want MarkDraining:`helper\(Status of #0 = "draining"\)`
	n.Status = Draining
}

// Drain is a method that writes its receiver.
func (n *Node) Drain() { // want Drain:`helper\(Status of receiver = "draining"\)`
	n.Status = Draining
}

// SetTo writes the value of another parameter.
func SetTo(n *Node, st Status) { // want SetTo:`helper\(Status of #0 = #1\)`
	n.Status = st
}

// HoldLease writes a declared state.
func HoldLease(n *Node) { // want HoldLease:`helper\(Lease of #0 = "held"\)`
	n.Lease = "held"
}

// MarkDrainingTwice forwards its object to a helper.
func MarkDrainingTwice(n *Node) { // want MarkDrainingTwice:`helper\(Status of #0 = "draining"\)`
	MarkDraining(n)
}

// Finish writes the status and saves the node with no expectation on it.
func Finish(ctx context.Context, n *Node) error { // want Finish:`helper\(Status of #1 = "done" then saved\)`
	n.Status = Done
	return SaveLease(ctx, n, "held")
}

// FinishCopy takes the node by value, writes the copy and saves it.
func FinishCopy(ctx context.Context, n Node) (*Node, error) { // want FinishCopy:`helper\(Status of a copy of #1 = "done" then saved\)`
	n.Status = Done
	return &n, SaveLease(ctx, &n, "held")
}

// StopCopy saves a copy with the status it is given.
func StopCopy(ctx context.Context, n Node, st Status) (*Node, error) { // want StopCopy:`helper\(Status of a copy of #1 = #2 then saved\)`
	n.Name = "stopped"
	n.Status = st
	return &n, SaveLease(ctx, &n, "held")
}

// DrainThenFail writes on every path, then fails: the write is made all
// the same.
func DrainThenFail(n *Node) error { // want DrainThenFail:`helper\(Status of #0 = "draining"\)`
	n.Status = Draining
	return errors.New("refused")
}

// --- no helpers ---

// MaybeDrain writes on some paths only.
func MaybeDrain(n *Node, ok bool) {
	if ok {
		n.Status = Draining
	}
}

// Toggle writes a different value on each path.
func Toggle(n *Node, ok bool) {
	if ok {
		n.Status = Draining
	} else {
		n.Status = Idle
	}
}

// DrainOrFail returns an error before it writes, on one path.
func DrainOrFail(n *Node) error {
	if n.ID == 0 {
		return errors.New("no id")
	}
	n.Status = Draining
	return nil
}

// Rename writes a field that is no state.
func Rename(n *Node) {
	n.Name = "renamed"
}

// Fresh writes a node of its own.
func Fresh() *Node {
	n := &Node{}
	n.Status = Draining
	return n
}

// MarkCopy writes a copy it never saves.
func MarkCopy(n Node) Node {
	n.Status = Draining
	return n
}

// Later writes in a function literal, which runs when its caller wants.
func Later(n *Node) func() {
	return func() { n.Status = Done }
}

// Spin calls itself before it writes, on one path.
func Spin(n *Node, k int) {
	if k > 0 {
		Spin(n, k-1)
		return
	}
	n.Status = Idle
}

// Ping and Pong call each other: the analysis ends, and neither is a
// helper (Pong may write the status again, as far as Ping can tell).
func Ping(n *Node) {
	n.Status = Running
	Pong(n)
}

func Pong(n *Node) {
	Ping(n)
}

// ThenMaybe writes, then calls a function that may write again.
func ThenMaybe(n *Node, ok bool) {
	n.Status = Running
	MaybeDrain(n, ok)
}

// Computed writes a value known only at run time.
func Computed(n *Node, names []string) {
	n.Status = Status(names[0])
}

// Recovers may return after a panic, before its write.
func Recovers(n *Node) {
	defer func() { _ = recover() }()
	n.Status = Draining
}

// --- the calls ---

func drain(ctx context.Context, n *Node) error {
	MarkDraining(n)
	return SaveNode(ctx, n, Draining) // want `ineffective-guard: Status is set to Draining by MarkDraining \(helperfacts.go:44\) and this save expects only Draining`
}

func drainMethod(ctx context.Context, n *Node) error {
	n.Drain()
	return SaveNode(ctx, n, Draining) // want `ineffective-guard: Status is set to Draining by Drain`
}

func drainMethodValue(ctx context.Context, n *Node) error {
	drain := n.Drain
	drain()
	return SaveNode(ctx, n, Draining) // want `ineffective-guard: Status is set to Draining by Drain`
}

func setTo(ctx context.Context, n *Node) error {
	SetTo(n, Running)
	return SaveNode(ctx, n, Running) // want `ineffective-guard: Status is set to Running by SetTo \(helperfacts.go:54\)`
}

func setToParam(ctx context.Context, n *Node, st Status) error {
	SetTo(n, st)
	return SaveNode(ctx, n, st) // want `ineffective-guard: Status is set to st by SetTo`
}

func twice(ctx context.Context, n *Node) error {
	MarkDrainingTwice(n)
	return SaveNode(ctx, n, Draining) // want `ineffective-guard: Status is set to Draining by MarkDrainingTwice \(in MarkDraining, helperfacts.go:44\)`
}

func lease(ctx context.Context, n *Node) error {
	HoldLease(n)
	return SaveNode(ctx, n, Idle) // want `unguarded-transition: Lease is declared a state and is set to "held" by HoldLease \(helperfacts.go:59\), then saved by SaveNode`
}

func thenFail(ctx context.Context, n *Node) error {
	_ = DrainThenFail(n)
	return SaveNode(ctx, n, Draining) // want `ineffective-guard: Status is set to Draining by DrainThenFail`
}

// The correct forms, and calls of functions that are no helpers.

func drainRight(ctx context.Context, n *Node) error {
	MarkDraining(n)
	return SaveNode(ctx, n, Idle)
}

func maybe(ctx context.Context, n *Node, ok bool) error {
	MaybeDrain(n, ok)
	return SaveNode(ctx, n, Draining)
}

func overwritten(ctx context.Context, n *Node) error {
	MarkDraining(n)
	n.Status = Running
	return SaveNode(ctx, n, Draining)
}

func otherObject(ctx context.Context, n, m *Node) error {
	MarkDraining(m)
	return SaveNode(ctx, n, Draining)
}

// The copy FinishCopy saves is not n: n keeps its status.
func copyNotWritten(ctx context.Context, n *Node) error {
	if _, err := FinishCopy(ctx, *n); err != nil {
		return err
	}
	return SaveNode(ctx, n, Done)
}

// Finish saved n: the lease written before it is stored, no longer
// pending at the next save.
func fencedByHelper(ctx context.Context, n *Node) error {
	n.Lease = "held"
	if err := Finish(ctx, n); err != nil {
		return err
	}
	return SaveNode(ctx, n, Done)
}

func later(ctx context.Context, n *Node) error {
	f := Later(n)
	defer f()
	return SaveNode(ctx, n, Done)
}

func deferred(ctx context.Context, n *Node) error {
	defer MarkDraining(n)
	return SaveNode(ctx, n, Draining)
}

// --- results that are the object ---

// Prepare gives its node back, or nil with an error.
func Prepare(ctx context.Context, n *Node) (*Node, error) { // want Prepare:`helper\(returns #1 as result 0\)`
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return n, nil
}

// PrepareTwice gives back what Prepare gives back.
func PrepareTwice(ctx context.Context, n *Node) (*Node, error) { // want PrepareTwice:`helper\(returns #1 as result 0\)`
	return Prepare(ctx, n)
}

// Self is a method that gives its receiver back.
func (n *Node) Self() *Node { // want Self:`helper\(returns receiver as result 0\)`
	return n
}

// Clone returns another node.
func Clone(n *Node) *Node {
	c := *n
	return &c
}

// NilOK returns nil with no error: not the node.
func NilOK(n *Node, ok bool) (*Node, error) {
	if ok {
		return nil, nil
	}
	return n, nil
}

func rebound(ctx context.Context, n *Node) error {
	n.Status = Draining
	n, err := PrepareTwice(ctx, n)
	if err != nil {
		return err
	}
	return SaveNode(ctx, n.Self(), Draining) // want `ineffective-guard: Status is set to Draining and this save expects only Draining`
}

func cloned(ctx context.Context, n *Node) error {
	n.Status = Draining
	n = Clone(n)
	return SaveNode(ctx, n, Draining)
}

func nilOK(ctx context.Context, n *Node) error {
	n.Status = Draining
	n, err := NilOK(n, false)
	if err != nil {
		return err
	}
	return SaveNode(ctx, n, Draining)
}

// MixedCopy writes its node, then saves a copy with another status: the
// node and the row disagree, and no fact can say both.
func MixedCopy(ctx context.Context, n *Node) error {
	n.Status = Running
	_, err := FinishCopy(ctx, *n)
	return err
}

// --- helpers that save through a plain save: check-then-save ---

const Declined Status = "declined"

type Store interface {
	UpdateNode(n *Node) error // want UpdateNode:`save\(#0\) by plain save`
}

// DeclineNode saves a copy of the node, declined.
func DeclineNode(s Store, n Node) (*Node, error) { // want DeclineNode:`helper\(Status of a copy of #1 = "declined" then saved\)`
	n.Status = Declined
	return &n, s.UpdateNode(&n)
}

// DrainAndUpdate writes the node and saves it.
func DrainAndUpdate(s Store, n *Node) error { // want DrainAndUpdate:`helper\(Status of #1 = "draining" then saved\)`
	n.Status = Draining
	return s.UpdateNode(n)
}

func decline(s Store, n *Node) (*Node, error) {
	if n.Status != Idle {
		return nil, errors.New("not idle")
	}
	return DeclineNode(s, *n) // want `unguarded-transition: .* set to Declined by DeclineNode`
}

func drainChecked(s Store, n *Node) error {
	if n.Status != Idle {
		return nil
	}
	return DrainAndUpdate(s, n) // want `unguarded-transition: Status is checked in Go, not in the store: it is compared with Idle at line 369, then set to Draining by DrainAndUpdate \(helperfacts.go:357\) and saved by DrainAndUpdate`
}

// With no comparison in Go, the helper's save is no check-then-save.
func declineUnchecked(s Store, n *Node) (*Node, error) {
	return DeclineNode(s, *n)
}
