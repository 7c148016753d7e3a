// Package unguarded holds saves of an object with a declared state that
// are no unguarded transition: the save may carry an expectation (a slice
// from the caller), or no write of the state reaches it (none made, one
// stored by an earlier guarded save, one made after the save).
package unguarded

import (
	"context"
	"errors"
	"slices"
)

// Phase is a declared state.
//
//stateguard:state
type Phase string // want Phase:`state`

// The phases.
const (
	Draft     Phase = "draft"
	Published Phase = "published"
)

// Doc is a document.
type Doc struct {
	ID    int
	Phase Phase
	Title string
	saved Phase
}

// Save writes d if its stored phase is one of expectedPhase.
func (d *Doc) Save(ctx context.Context, expectedPhase ...Phase) error { // want Save:`save\(Phase of receiver, expect=#1\) by convention`
	if len(expectedPhase) > 0 && !slices.Contains(expectedPhase, d.saved) {
		return errors.New("phase changed concurrently")
	}
	d.saved = d.Phase
	return ctx.Err()
}

// UnknownExpectations spreads a slice given by the caller: it may hold
// expectations, so the save is not known to carry none.
func UnknownExpectations(ctx context.Context, d *Doc, allowed []Phase) error { // want UnknownExpectations:`helper\(Phase of #1 = "published" then saved guarded\)`
	d.Phase = Published
	return d.Save(ctx, allowed...)
}

// TitleOnly writes no state and saves with no expectation.
func TitleOnly(ctx context.Context, d *Doc, title string) error {
	d.Title = title
	return d.Save(ctx)
}

// PublishedThenRetitled publishes with a guard, returns on failure, then
// saves a title change with no expectation: the state was stored.
func PublishedThenRetitled(ctx context.Context, d *Doc, title string) error { // want PublishedThenRetitled:`helper\(Phase of #1 = "published" then saved guarded\)`
	d.Phase = Published
	if err := d.Save(ctx, Draft); err != nil {
		return err
	}
	d.Title = title
	return d.Save(ctx)
}

// WriteAfterUnguardedSave saves, then writes the state.
func WriteAfterUnguardedSave(ctx context.Context, d *Doc) error { // want WriteAfterUnguardedSave:`helper\(Phase of #1 = "draft"\)`
	err := d.Save(ctx)
	d.Phase = Draft
	return err
}
