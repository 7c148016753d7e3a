// Package checksites exercises the call-site checks across the shapes of
// the language: closures, goroutines, defer, method values and
// expressions, interface methods, embedded fields, labeled loops,
// package-level function literals and generics.
package checksites

import "context"

type Phase string

const (
	Pending Phase = "pending"
	Running Phase = "running"
	Done    Phase = "done"
)

type Base struct {
	ID    int
	Phase Phase
}

type Build struct {
	Base
	Log string
}

type Ptr struct {
	*Base
}

type Saver interface {
	// SaveBuild saves b if its phase is expectedPhase.
	SaveBuild(ctx context.Context, b *Build, expectedPhase Phase) error // want SaveBuild:"save\\(Phase of #1, expect=#2\\) by convention"
}

// Save is a method of Base, reached through embedding.
func (b *Base) Save(ctx context.Context, expectedPhase Phase) error { // want Save:"save\\(Phase of receiver, expect=#1\\) by convention"
	_ = expectedPhase
	return nil
}

func closure(ctx context.Context, b *Build) {
	f := func() error {
		b.Phase = Running
		return b.Save(ctx, Running) // want `ineffective-guard: Phase is set to Running`
	}
	_ = f()
}

func goroutine(ctx context.Context, b *Build) {
	b.Phase = Running
	go b.Save(ctx, Running) // want `ineffective-guard`
}

func deferred(ctx context.Context, b *Build) {
	b.Phase = Done
	defer b.Save(ctx, Done) // want `ineffective-guard`
}

func methodValue(ctx context.Context, b *Build) error {
	save := b.Save
	b.Phase = Running
	return save(ctx, Running) // want `ineffective-guard`
}

func methodExpr(ctx context.Context, b *Base) error {
	b.Phase = Running
	return (*Base).Save(b, ctx, Running) // want `ineffective-guard`
}

func iface(ctx context.Context, s Saver, b *Build) error {
	b.Phase = Done
	return s.SaveBuild(ctx, b, Done) // want `ineffective-guard`
}

func embeddedPtr(ctx context.Context, p *Ptr) error {
	p.Phase = Running
	return p.Save(ctx, Running) // want `ineffective-guard`
}

func labeled(ctx context.Context, bs []*Build) {
outer:
	for _, b := range bs {
		for i := 0; i < 3; i++ {
			if i == 1 {
				continue outer
			}
			b.Phase = Running
			if err := b.Save(ctx, Running); err != nil { // want `ineffective-guard`
				break outer
			}
		}
	}
}

func loopCarried(ctx context.Context, b *Build, n int) {
	for i := 0; i < n; i++ {
		_ = b.Save(ctx, Done) // want `ineffective-guard`
		b.Phase = Done
	}
}

var pkgLevel = func(ctx context.Context, b *Build) error {
	b.Phase = Done
	return b.Save(ctx, Done) // want `ineffective-guard`
}

type Box[T comparable] struct {
	Stage T
}

// Put is a generic save.
func (x *Box[T]) Put(expectedStage T) error { // want Put:"save\\(Stage of receiver, expect=#0\\) by convention"
	_ = expectedStage
	return nil
}

func generic[T comparable](x *Box[T], v T) error {
	x.Stage = v
	return x.Put(v) // want `ineffective-guard: Stage is set to v`
}

func instance(x *Box[Phase]) error {
	x.Stage = Done
	return x.Put(Done) // want `ineffective-guard`
}

func genericRight(x *Box[Phase]) error {
	x.Stage = Done
	return x.Put(Running)
}

func deferBeforeWrite(ctx context.Context, b *Build) {
	defer b.Save(ctx, Done) // want `ineffective-guard`
	b.Phase = Done
}

func deferCorrect(ctx context.Context, b *Build) {
	defer b.Save(ctx, Running)
	b.Phase = Done
}

func sameIndex(ctx context.Context, bs []*Build, i int) error {
	bs[i].Phase = Running
	return bs[i].Save(ctx, Running) // want `ineffective-guard`
}

func otherIndex(ctx context.Context, bs []*Build, i, j int) error {
	bs[i].Phase = Running
	return bs[j].Save(ctx, Running)
}
