// Package crossb calls the saves of crossa: recognized through facts.
package crossb

import (
	"context"

	"crossa"
)

func run(ctx context.Context, s *crossa.Store, j *crossa.Job) error {
	j.Status = crossa.Running
	return s.UpdateOptimistically(ctx, j, crossa.Running) // want `ineffective-guard: Status is set to crossa.Running and this save expects only crossa.Running`
}

func write(s *crossa.Store, j *crossa.Job) error {
	j.Status = crossa.Running
	return s.Write(j, []crossa.Status{crossa.Running}) // want `ineffective-guard: Status is set to crossa.Running`
}

func persist(s *crossa.Store, j *crossa.Job) error {
	j.Status = crossa.Done
	return crossa.Persist(s, j, crossa.Running, crossa.Done) // want `reentrant-guard: Status is set to crossa.Done`
}

func persistTwice(s *crossa.Store, j *crossa.Job) error {
	j.Status = crossa.Done
	return crossa.PersistTwice(s, j, []crossa.Status{crossa.Done}) // want `ineffective-guard`
}

func notWrapper(s *crossa.Store, j *crossa.Job) error {
	j.Status = crossa.Done
	return crossa.NotWrapper(s, j, []crossa.Status{crossa.Done})
}

func flip() error {
	return crossa.Flip(1, crossa.Done, crossa.Done) // want `ineffective-guard: this Flip call goes from crossa.Done to crossa.Done`
}

func unguarded(h *crossa.Holder) error {
	h.Lease = "mine"
	return crossa.SaveHolder(h, crossa.Queued) // want `unguarded-transition: Lease is declared a state and is set to "mine", then saved by SaveHolder which guards Status and carries no expectation on Lease`
}

func guarded(h *crossa.Holder) error {
	h.Lease = "theirs"
	return crossa.SaveLease(h, "mine")
}

func leaseIneffective(h *crossa.Holder) error {
	h.Lease = "mine"
	return crossa.SaveLease(h, "mine") // want `ineffective-guard: Lease is set to "mine"`
}

func fail(s *crossa.Store, j *crossa.Job) error {
	j.Status = crossa.Running
	return crossa.Fail(s, j, crossa.Running) // Fail overwrites Status first
}
