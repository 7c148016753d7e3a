// Package orders is a small order service. An order moves
// new -> paid -> shipped, or to cancelled; the store applies a save only if
// the stored status is still one the caller expects, so of two concurrent
// duplicates of one action only the first wins.
package orders

import (
	"context"
	"errors"
	"sync"
)

// Status is where an order is in its life.
type Status string

// The statuses of an order.
const (
	StatusNew       Status = "new"
	StatusPaid      Status = "paid"
	StatusShipped   Status = "shipped"
	StatusCancelled Status = "cancelled"
)

// Order is one customer order.
type Order struct {
	ID     int
	Status Status
	Note   string

	// Refund is the state of a refund: "", "requested" or "done".
	//stateguard:state
	Refund string
}

// ErrConflict means the order changed concurrently.
var ErrConflict = errors.New("orders: status changed concurrently")

// Store keeps orders in memory.
type Store struct {
	mu   sync.Mutex
	rows map[int]Order
}

// NewStore returns an empty store.
func NewStore() *Store { return &Store{rows: map[int]Order{}} }

// Save writes o if the stored status is one of expectedStatus.
func (s *Store) Save(ctx context.Context, o *Order, expectedStatus ...Status) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.rows[o.ID]
	for _, e := range expectedStatus {
		if cur.Status == e {
			s.rows[o.ID] = *o
			return nil
		}
	}
	return ErrConflict
}

// SaveNote writes o if the stored status is still expectedStatus.
func (s *Store) SaveNote(ctx context.Context, o *Order, expectedStatus Status) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	cur := s.rows[o.ID]
	if cur.Note == o.Note {
		return nil // finding shortcut-save
	}
	if cur.Status != expectedStatus {
		return ErrConflict
	}
	s.rows[o.ID] = *o
	return nil
}

// Transition moves order id from one status to another.
func (s *Store) Transition(ctx context.Context, id int, from, to Status) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	o := s.rows[id]
	if o.Status != from {
		return ErrConflict
	}
	o.Status = to
	s.rows[id] = o
	return nil
}
