// Package valuerecv checks saves with a value receiver: the object is the
// variable the method is called on.
package valuerecv

import (
	"context"
	"errors"
)

// Phase is the phase of a Step.
type Phase int

// The phases.
const (
	Queued Phase = iota
	Started
	Finished
)

// Step is saved by value.
type Step struct {
	Name  string
	Phase Phase
}

// Save writes s if the stored phase is previousPhase.
func (s Step) Save(ctx context.Context, previousPhase Phase) error { // want Save:`save\(Phase of receiver, expect=#1\) by convention`
	if previousPhase == s.Phase {
		return errors.New("valuerecv: no phase change")
	}
	return ctx.Err()
}

// LocalValue writes a local variable and saves it.
func LocalValue(ctx context.Context) error {
	var s Step
	s.Phase = Started
	return s.Save(ctx, Started) // want `ineffective-guard: .*Phase`
}

// LocalValueCorrect expects the phase it leaves.
func LocalValueCorrect(ctx context.Context) error {
	s := Step{Name: "build"}
	s.Phase = Started
	return s.Save(ctx, Queued)
}

// CopyThenWrite saves a copy taken before the write.
func CopyThenWrite(ctx context.Context, s Step) error { // want CopyThenWrite:`helper\(Phase of a copy of #1 = 2 then saved guarded\)`
	saved := s
	s.Phase = Finished
	return saved.Save(ctx, Finished)
}
