// Package helperfactsc calls a helper of helperfactsb, itself a helper
// over one of helperfacts: two packages away from the assignment.
package helperfactsc

import (
	"context"

	"helperfacts"
	"helperfactsb"
)

func both(ctx context.Context, n *helperfacts.Node) error {
	helperfactsb.MarkBoth(n)
	return helperfacts.SaveNode(ctx, n, helperfacts.Draining) // want `ineffective-guard: Status is set to helperfacts.Draining by MarkBoth \(in MarkDraining, helperfacts.go:44\)`
}

func right(ctx context.Context, n *helperfacts.Node) error {
	helperfactsb.MarkBoth(n)
	return helperfacts.SaveNode(ctx, n, helperfacts.Idle)
}
