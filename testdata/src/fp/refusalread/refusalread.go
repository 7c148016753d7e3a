// Package refusalread holds callers that read the count or bool through
// which a guarded save refuses, in the ways real stores do: compared with
// 0 or 1, switched on, handed to a helper, kept in a struct, returned.
// Nothing here may be reported.
package refusalread

import (
	"context"
	"errors"
	"fmt"
)

var errConflict = errors.New("blob status changed concurrently")

type Blob struct {
	Digest string
	Status string
}

// UpdateBlobStatus writes blob where its status is one of
// expectedStatus and returns the rows written.
func UpdateBlobStatus(ctx context.Context, blob *Blob, expectedStatus ...string) (int64, error) { // want UpdateBlobStatus:`save\(Status of #1, expect=#2\) by convention, refuses by result #0`
	for _, s := range expectedStatus {
		if s == blob.Digest {
			return 1, ctx.Err()
		}
	}
	return 0, ctx.Err()
}

func markDeleting(ctx context.Context, b *Blob) error {
	b.Status = "deleting"
	count, err := UpdateBlobStatus(ctx, b, "none")
	if err != nil {
		return err
	}
	if count == 0 {
		return errConflict
	}
	return nil
}

func markNone(ctx context.Context, b *Blob) error {
	b.Status = "none"
	affected, err := UpdateBlobStatus(ctx, b, "delete_failed", "deleting")
	switch {
	case err != nil:
		return err
	case affected != 1:
		return fmt.Errorf("%w: %d rows", errConflict, affected)
	}
	return nil
}

func applied(n int64, err error) error {
	if err == nil && n == 0 {
		return errConflict
	}
	return err
}

func markFailed(ctx context.Context, b *Blob) error {
	b.Status = "delete_failed"
	return applied(UpdateBlobStatus(ctx, b, "deleting"))
}

type outcome struct {
	rows int64
	err  error
}

func markAll(ctx context.Context, bs []*Blob) []outcome {
	var out []outcome
	for _, b := range bs {
		b.Status = "deleting"
		n, err := UpdateBlobStatus(ctx, b, "none")
		out = append(out, outcome{n, err})
	}
	return out
}

func tryMark(ctx context.Context, b *Blob) (int64, error) {
	b.Status = "deleting"
	return UpdateBlobStatus(ctx, b, "none")
}

func retried(ctx context.Context, b *Blob) error {
	b.Status = "deleting"
	for i := 0; i < 3; i++ {
		n, err := UpdateBlobStatus(ctx, b, "none")
		if err != nil {
			continue
		}
		if n > 0 {
			return nil
		}
	}
	return errConflict
}
