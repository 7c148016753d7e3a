package guardtest

import (
	"context"
	"sync"

	"github.com/stateguard/stateguard/guard"
)

// recorder wraps a Store, records a deep copy of every Write it is given,
// and lets a case intercept an Apply to inject a fault.
type recorder struct {
	guard.Store

	mu     sync.Mutex
	writes []*guard.Write
	// intercept, when set, is called with the attempt number (1-based)
	// and the Write; when it returns handled, its result is Apply's.
	intercept func(ctx context.Context, n int, w *guard.Write) (res guard.Result, err error, handled bool)
	// clobber empties the Write's conditions after recording it, as a
	// store that consumes its input would (Nova's popped
	// expected_task_state).
	clobber bool
}

func record(s guard.Store) *recorder { return &recorder{Store: s} }

func (r *recorder) Apply(ctx context.Context, w *guard.Write) (guard.Result, error) {
	r.mu.Lock()
	r.writes = append(r.writes, cloneWrite(w))
	n := len(r.writes)
	intercept := r.intercept
	r.mu.Unlock()
	if r.clobber {
		defer func() { w.Where = nil }()
	}
	if intercept != nil {
		if res, err, ok := intercept(ctx, n, w); ok {
			return res, err
		}
	}
	return r.Store.Apply(ctx, w)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.writes)
}

func (r *recorder) written() []*guard.Write {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]*guard.Write(nil), r.writes...)
}

// unknownCause answers a Write with a Mismatch whose Actual values are read
// from the store and so satisfy the Write's conditions when nothing else
// changed the row: a store that matched nothing for no visible reason.
func unknownCause(ctx context.Context, s guard.Store, w *guard.Write) (guard.Result, error) {
	vals, err := s.Load(ctx, w.Table, w.Key, w.Read)
	if err != nil {
		return guard.Result{}, err
	}
	return guard.Result{Outcome: guard.Mismatch, Actual: vals}, nil
}
