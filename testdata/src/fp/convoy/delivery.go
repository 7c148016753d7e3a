// Package convoy ports Convoy's event delivery update, which takes the NEW
// status: a matcher that sees the same constant written and passed would
// fire falsely. Roles come from names and declarations, not positions:
// status is not an expectation, so this is not a guarded save.
package convoy

import "context"

// EventDeliveryStatus is the status of a delivery.
type EventDeliveryStatus string

// The statuses.
const (
	ScheduledEventStatus  EventDeliveryStatus = "Scheduled"
	ProcessingEventStatus EventDeliveryStatus = "Processing"
	SuccessEventStatus    EventDeliveryStatus = "Success"
	FailureEventStatus    EventDeliveryStatus = "Failure"
	RetryEventStatus      EventDeliveryStatus = "Retry"
)

// EventDelivery is one delivery attempt.
type EventDelivery struct {
	UID    string
	Status EventDeliveryStatus
}

// Project owns deliveries.
type Project struct{ UID string }

// Repository stores deliveries.
type Repository struct {
	rows map[string]EventDeliveryStatus
}

// UpdateStatusOfEventDelivery writes status, the new status, for delivery.
func (r *Repository) UpdateStatusOfEventDelivery(ctx context.Context, project Project, delivery EventDelivery, status EventDeliveryStatus) error { // want UpdateStatusOfEventDelivery:`save\(#2\) by plain save`
	r.rows[project.UID+"/"+delivery.UID] = status
	return ctx.Err()
}

// Succeed sets the new status on the object and passes the same new status.
func Succeed(ctx context.Context, r *Repository, p Project, d *EventDelivery) error { // want Succeed:`helper\(Status of #3 = "Success" then saved\)`
	d.Status = SuccessEventStatus
	return r.UpdateStatusOfEventDelivery(ctx, p, *d, SuccessEventStatus)
}

// Retry does the same for retries.
func Retry(ctx context.Context, r *Repository, p Project, d *EventDelivery) error {
	d.Status = RetryEventStatus
	if err := r.UpdateStatusOfEventDelivery(ctx, p, *d, RetryEventStatus); err != nil {
		d.Status = FailureEventStatus
		return r.UpdateStatusOfEventDelivery(ctx, p, *d, d.Status)
	}
	return nil
}
