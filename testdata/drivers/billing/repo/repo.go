// Package repo stores invoices. Its saves are recognized where other
// packages call them: the drivers must carry what they learn here across
// the package boundary.
package repo

import (
	"context"
	"errors"
)

// Phase is where an invoice is.
type Phase int

// The phases of an invoice.
const (
	Draft Phase = iota
	Issued
	Paid
	Void
)

// Invoice is one invoice.
type Invoice struct {
	Number string
	Phase  Phase
	Total  int64
}

// ErrConflict means the invoice changed concurrently.
var ErrConflict = errors.New("repo: invoice changed concurrently")

// Repo stores invoices.
type Repo struct{ rows map[string]Invoice }

// Put writes inv if its stored phase is want.
//
//stateguard:save field=Phase expect=want object=inv
func (r *Repo) Put(ctx context.Context, inv *Invoice, want Phase) error {
	if r.rows[inv.Number].Phase != want {
		return ErrConflict
	}
	r.rows[inv.Number] = *inv
	return nil
}
