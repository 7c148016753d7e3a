// Package helperfactsb calls the helpers of helperfacts, and declares
// helpers of its own over them: facts carry both across packages.
package helperfactsb

import (
	"context"

	"helperfacts"
)

// MarkBoth forwards its node to a helper of another package.
func MarkBoth(n *helperfacts.Node) { // want MarkBoth:`helper\(Status of #0 = "draining"\)`
	helperfacts.MarkDraining(n)
}

// Approve forwards its copy to a helper of another package that saves it.
func Approve(ctx context.Context, n helperfacts.Node) (*helperfacts.Node, error) { // want Approve:`helper\(Status of a copy of #1 = "done" then saved\)`
	return helperfacts.FinishCopy(ctx, n)
}

// Stop passes a constant for the status StopCopy saves.
func Stop(ctx context.Context, n *helperfacts.Node) (*helperfacts.Node, error) { // want Stop:`helper\(Status of a copy of #1 = "idle" then saved\)`
	return helperfacts.StopCopy(ctx, *n, helperfacts.Idle)
}

// Maybe forwards on one path only.
func Maybe(n *helperfacts.Node, ok bool) {
	if ok {
		helperfacts.MarkDraining(n)
	}
}

func drain(ctx context.Context, n *helperfacts.Node) error {
	helperfacts.MarkDraining(n)
	return helperfacts.SaveNode(ctx, n, helperfacts.Draining) // want `ineffective-guard: Status is set to helperfacts.Draining by MarkDraining \(helperfacts.go:44\)`
}

func both(ctx context.Context, n *helperfacts.Node) error {
	MarkBoth(n)
	return helperfacts.SaveNode(ctx, n, helperfacts.Draining) // want `ineffective-guard: Status is set to helperfacts.Draining by MarkBoth \(in MarkDraining, helperfacts.go:44\)`
}

func lease(ctx context.Context, n *helperfacts.Node) error {
	helperfacts.HoldLease(n)
	return helperfacts.SaveNode(ctx, n, helperfacts.Idle) // want `unguarded-transition: Lease is declared a state and is set to "held" by HoldLease`
}

func maybe(ctx context.Context, n *helperfacts.Node) error {
	Maybe(n, true)
	return helperfacts.SaveNode(ctx, n, helperfacts.Draining)
}

func right(ctx context.Context, n *helperfacts.Node) error {
	MarkBoth(n)
	return helperfacts.SaveNode(ctx, n, helperfacts.Idle)
}

// Ready gives back what a function of another package gives back: its
// node.
func Ready(ctx context.Context, n *helperfacts.Node) (*helperfacts.Node, error) { // want Ready:`helper\(returns #1 as result 0\)`
	return helperfacts.PrepareTwice(ctx, n)
}

func rebound(ctx context.Context, n *helperfacts.Node) error {
	n.Status = helperfacts.Draining
	n, err := Ready(ctx, n)
	if err != nil {
		return err
	}
	return helperfacts.SaveNode(ctx, n, helperfacts.Draining) // want `ineffective-guard: Status is set to helperfacts.Draining and this save expects only helperfacts.Draining`
}

func reboundRight(ctx context.Context, n *helperfacts.Node) error {
	n.Status = helperfacts.Draining
	n, err := Ready(ctx, n)
	if err != nil {
		return err
	}
	return helperfacts.SaveNode(ctx, n, helperfacts.Idle)
}

func decline(s helperfacts.Store, n *helperfacts.Node) (*helperfacts.Node, error) {
	if n.Status == helperfacts.Running {
		return nil, nil
	}
	return helperfacts.DeclineNode(s, *n) // want `unguarded-transition: Status is checked in Go, not in the store: it is compared with helperfacts.Running at line 83, then set to helperfacts.Declined by DeclineNode \(helperfacts.go:351\) and saved by DeclineNode`
}

func declineUnchecked(s helperfacts.Store, n *helperfacts.Node) (*helperfacts.Node, error) {
	return helperfacts.DeclineNode(s, *n)
}
