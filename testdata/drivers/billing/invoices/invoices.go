// Package invoices moves invoices through their phases with repo's saves.
package invoices

import (
	"context"

	"example.com/drivers/billing/repo"
)

// Issue issues a draft invoice.
func Issue(ctx context.Context, r *repo.Repo, inv *repo.Invoice) error {
	inv.Phase = repo.Issued
	return r.Put(ctx, inv, repo.Draft)
}

// Pay marks inv paid. Wrong: it expects the phase it has just written.
func Pay(ctx context.Context, r *repo.Repo, inv *repo.Invoice) error {
	inv.Phase = repo.Paid
	return r.Put(ctx, inv, repo.Paid) // finding ineffective-guard
}
