// Package checkthensave holds the review actions of a build server that
// check a build's status in memory, then write a new status and save the
// whole build with a plain save: the store applies the save whatever the
// stored status has become since the build was read, so two concurrent
// actions both pass the check.
package checkthensave

import (
	"errors"
	"sync"
)

// Status is the status of a build or of one of its stages.
type Status string

// The statuses.
const (
	Held     Status = "held"
	Queued   Status = "queued"
	Rejected Status = "rejected"
	Running  Status = "running"
	Aborted  Status = "aborted"
	Passed   Status = "passed"
)

var errBadStatus = errors.New("build: not in a status that allows this")

// Build is one build of a repository.
type Build struct {
	ID       int64
	Status   Status
	Reviewer string
}

// Stage is one stage of a build.
type Stage struct {
	ID    int64
	State Status
}

// Store persists builds and stages.
type Store interface {
	GetBuild(id int64) (*Build, error)
	UpdateBuild(b *Build) error // want UpdateBuild:`save\(#0\) by plain save`
	StagesOf(b *Build) ([]*Stage, error)
	SaveStage(s *Stage) error // want SaveStage:`save\(#0\) by plain save`
}

// Release lets a held build run: checked in memory, saved unconditionally.
func Release(st Store, id int64, who string) error {
	b, err := st.GetBuild(id)
	if err != nil {
		return err
	}
	if b.Status != Held {
		return errBadStatus
	}
	b.Status = Queued
	b.Reviewer = who
	return st.UpdateBuild(b) // want `unguarded-transition: Status is checked in Go, not in the store: it is compared with Held at line 55, then set to Queued and saved by UpdateBuild, which carries no expectation on Status, so two concurrent requests both pass the check`
}

// Reject refuses a held build, or aborts a queued one: a switch is a
// check too.
func Reject(st Store, b *Build) error {
	switch b.Status {
	case Held:
		b.Status = Rejected
	case Queued:
		b.Status = Aborted
	default:
		return errBadStatus
	}
	return st.UpdateBuild(b) // want `unguarded-transition: Status is checked in Go`
}

// AbortWaiting aborts the stages that have not started: the check is on
// the loop variable, and each stage is saved unconditionally.
func AbortWaiting(st Store, b *Build) error {
	stages, err := st.StagesOf(b)
	if err != nil {
		return err
	}
	for _, s := range stages {
		if s.State == Queued {
			s.State = Aborted
			if err := st.SaveStage(s); err != nil { // want `unguarded-transition: State is checked in Go, not in the store: it is compared with Queued`
				return err
			}
		}
	}
	return nil
}

// SkipWaiting is AbortWaiting over stages held by value, each saved
// through the address of its loop variable, going on past a failure.
func SkipWaiting(st Store, stages []Stage) {
	for _, s := range stages {
		if s.State == Queued {
			s.State = Aborted
			_ = st.SaveStage(&s) // want `unguarded-transition: State is checked in Go`
		}
	}
}

// Abort stops a running or queued build: comparisons joined by && with an
// early return.
func Abort(st Store, b *Build) error {
	if b.Status != Running && b.Status != Queued {
		return errBadStatus
	}
	b.Status = Aborted
	return st.UpdateBuild(b) // want `unguarded-transition: Status is checked in Go, not in the store: it is compared with Queued`
}

// Cancel is Abort with ||.
func Cancel(st Store, b *Build) error {
	if b.Status == Running || b.Status == Queued {
		b.Status = Aborted
		return st.UpdateBuild(b) // want `unguarded-transition: Status is checked in Go`
	}
	return errBadStatus
}

// Retry saves a copy of the build: the copy holds the status checked.
func Retry(st Store, b *Build) error {
	if b.Status != Aborted {
		return errBadStatus
	}
	next := *b
	next.Status = Queued
	return st.UpdateBuild(&next) // want `unguarded-transition: Status is checked in Go, not in the store: it is compared with Aborted`
}

// DB is a store with concrete methods.
type DB struct{ rows map[int64]Build }

// PutBuild saves a build given by value.
func (db *DB) PutBuild(b Build) error { // want PutBuild:`save\(#0\) by plain save`
	db.rows[b.ID] = b
	return nil
}

// Requeue saves the build by value.
func Requeue(db *DB, b *Build) error {
	if b.Status != Passed {
		return errBadStatus
	}
	b.Status = Queued
	return db.PutBuild(*b) // want `unguarded-transition: Status is checked in Go`
}

// Save saves the build it is called on.
func (b *Build) Save(db *DB) error { // want Save:`save\(receiver\) by plain save`
	return db.PutBuild(*b)
}

// Hold puts a queued build on hold through its own Save.
func Hold(db *DB, b *Build) error {
	if b.Status == Queued {
		b.Status = Held
		return b.Save(db) // want `unguarded-transition: Status is checked in Go`
	}
	return nil
}

// Flush writes a build to the store; its name does not say it saves, the
// directive does.
//
//stateguard:save object=b
func Flush(db *DB, b *Build, reason string) error { // want Flush:`save\(#1\) by directive, plain save`
	_ = reason
	return db.PutBuild(*b)
}

// Pass marks a running build passed through Flush.
func Pass(db *DB, b *Build) error {
	if b.Status != Running {
		return errBadStatus
	}
	b.Status = Passed
	return Flush(db, b, "passed") // want `unguarded-transition: Status is checked in Go`
}

// Server serializes its own requests with a mutex, but lets go of it
// between the check and the save.
type Server struct {
	mu sync.Mutex
	st Store
}

// Approve checks under the lock and saves after unlocking it.
func (s *Server) Approve(b *Build) error {
	s.mu.Lock()
	if b.Status != Held {
		s.mu.Unlock()
		return errBadStatus
	}
	s.mu.Unlock()
	b.Status = Queued
	return s.st.UpdateBuild(b) // want `unguarded-transition: Status is checked in Go`
}

// ReleaseAll releases held builds one by one, each loaded in the loop: a
// write to one build does not reach the check of the next.
func ReleaseAll(st Store, ids []int64) {
	for _, id := range ids {
		b, err := st.GetBuild(id)
		if err != nil {
			continue
		}
		if b.Status == Held {
			b.Status = Queued
			if err := st.UpdateBuild(b); err != nil { // want `unguarded-transition: Status is checked in Go`
				continue
			}
		}
	}
}

// Tally names an object that is no struct.
//
//stateguard:save object=count // want `directive: //stateguard:save has no effect: parameter count is of type int, not a struct or a pointer to one`
func Tally(count int, b *Build) error { return nil }

// Mark names a field its object does not have.
//
//stateguard:save object=b field=Phase // want `directive: //stateguard:save has no effect: parameter b \(of type \*Build\) has no field Phase`
func Mark(b *Build) error { return nil }

// Stamp names its object by the receiver's name, and the field the state
// is in.
//
//stateguard:save object=b field=Status
func (b *Build) Stamp(note string) error { return nil } // want Stamp:`save\(receiver\) by directive, plain save`

// Expecting names an expectation but no field.
//
//stateguard:save object=b expect=want // want `directive: malformed directive: //stateguard:save is missing the key field`
func Expecting(b *Build, want Status) error { return nil }

// Move moves a build from one status to another, both given: the
// message names them by their parameters.
func Move(st Store, b *Build, want, then Status) error {
	if b.Status != want {
		return errBadStatus
	}
	b.Status = then
	return st.UpdateBuild(b) // want `unguarded-transition: Status is checked in Go, not in the store: it is compared with want at line \d+, then set to then and saved by UpdateBuild`
}

// Next moves a build to the status a function computes from another.
func Next(st Store, b *Build, next func(Status) Status, other *Build) error {
	if b.Status == other.Status {
		return errBadStatus
	}
	b.Status = next(Queued)
	return st.UpdateBuild(b) // want `unguarded-transition: Status is checked in Go, not in the store: it is compared with other.Status at line \d+, then set to a new value and saved`
}

// Promote checks under a read lock and saves under the write lock: the
// lock is released in between, and another request gets in.
func (s *Server) Promote(b *Build, rw *sync.RWMutex) error {
	rw.RLock()
	if b.Status != Queued {
		rw.RUnlock()
		return errBadStatus
	}
	rw.RUnlock()
	rw.Lock()
	defer rw.Unlock()
	b.Status = Running
	return s.st.UpdateBuild(b) // want `unguarded-transition: Status is checked in Go`
}

// AbortByIndex is AbortWaiting over the elements of a slice by index.
func AbortByIndex(st Store, stages []Stage) error {
	for i := range stages {
		if stages[i].State == Queued {
			stages[i].State = Aborted
			if err := st.SaveStage(&stages[i]); err != nil { // want `unguarded-transition: State is checked in Go`
				continue
			}
		}
	}
	return nil
}

// Phase is a declared state.
//
//stateguard:state
type Phase string // want Phase:`state`

// Task has a declared state.
type Task struct {
	ID    int64
	Phase Phase
}

// TaskStore loads and saves tasks whole.
type TaskStore interface {
	LoadTask(t *Task) error
	SaveTask(t *Task) error // want SaveTask:`save\(#0\) by plain save`
}

// Restart loads a task into a variable, sets its declared state and
// saves it with no expectation: no new object, a transition.
func Restart(st TaskStore, id int64) error {
	t := Task{ID: id}
	if err := st.LoadTask(&t); err != nil {
		return err
	}
	t.Phase = "new"
	return st.SaveTask(&t) // want `unguarded-transition: Phase is declared a state and is set to "new", then saved by SaveTask which carries no expectation at all`
}

// Reset sets the declared state of a task it is given.
func Reset(st TaskStore, t *Task) error { // want Reset:`helper\(Phase of #1 = "new" then saved\)`
	t.Phase = "new"
	return st.SaveTask(t) // want `unguarded-transition: Phase is declared a state`
}

// Cond is a query condition keyed by column.
type Cond map[string]any

// Where saves builds where a condition holds.
type Where interface {
	// UpdateBuildWhere saves b where cond holds; a nil cond holds always.
	UpdateBuildWhere(b *Build, cond Cond) (int64, error) // want UpdateBuildWhere:`save\(Status of #0, expect=#1\) by convention`
}

// StartAnyway checks in Go and saves with no condition.
func StartAnyway(st Where, b *Build) error {
	if b.Status != Queued {
		return errBadStatus
	}
	b.Status = Running
	_, err := st.UpdateBuildWhere(b, nil) // want `unguarded-transition: Status is checked in Go`
	return err
}

// Settle leaves a build alone when nothing changes, and moves only a
// passed or failed one to the result it is given: the second check is a
// precondition the store does not hold.
func Settle(st Store, b *Build, result Status, who string) error {
	if b.Reviewer == who && b.Status == result {
		return nil
	}
	b.Reviewer = who
	if b.Status == "passed" || b.Status == "failed" {
		b.Status = result
	}
	return st.UpdateBuild(b) // want `unguarded-transition: Status is checked in Go, not in the store: it is compared with "failed"`
}
