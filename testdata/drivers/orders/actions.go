package orders

import "context"

// Pay marks o paid. Wrong: it expects the status it has just written.
func Pay(ctx context.Context, s *Store, o *Order) error {
	o.Status = StatusPaid
	return s.Save(ctx, o, StatusPaid) // finding ineffective-guard
}

// Ship marks o shipped. Wrong: a second Ship passes the guard.
func Ship(ctx context.Context, s *Store, o *Order) error {
	o.Status = StatusShipped
	return s.Save(ctx, o, StatusPaid, StatusShipped) // finding reentrant-guard
}

// Cancel cancels o. Right: it expects the statuses it leaves.
func Cancel(ctx context.Context, s *Store, o *Order) error {
	o.Status = StatusCancelled
	return s.Save(ctx, o, StatusNew, StatusPaid)
}

// Reopen moves order id back to new. Wrong: from equals to.
func Reopen(ctx context.Context, s *Store, id int) error {
	return s.Transition(ctx, id, StatusNew, StatusNew) // finding ineffective-guard
}

// RequestRefund asks for a refund. Wrong: the declared state Refund is
// saved with no expectation on it, so the last writer wins.
func RequestRefund(ctx context.Context, s *Store, o *Order) error {
	o.Refund = "requested"
	return s.Save(ctx, o, StatusPaid) // finding unguarded-transition
}

// Deliver marks o shipped once more, knowingly.
func Deliver(ctx context.Context, s *Store, o *Order) error {
	o.Status = StatusShipped
	//stateguard:ignore the carrier retries deliveries; a duplicate is harmless here
	return s.Save(ctx, o, StatusShipped)
}

// Annotate changes the note of a paid order.
func Annotate(ctx context.Context, s *Store, o *Order, note string) error {
	o.Note = note
	// finding directive
	//stateguard:ignroe the note is free text
	return s.SaveNote(ctx, o, StatusPaid)
}

// Archive saves o as it is.
func Archive(ctx context.Context, s *Store, o *Order) error {
	// finding directive
	//stateguard:ignore nothing to silence here
	return s.Save(ctx, o, StatusCancelled)
}
