package checksites

import (
	"context"
	"unsafe"
)

// unsafeWrite writes the phase through unsafe: out of reach, not reported.
func unsafeWrite(ctx context.Context, b *Build) error {
	p := (*Phase)(unsafe.Pointer(&b.Phase))
	*p = Running
	return b.Save(ctx, Running)
}
