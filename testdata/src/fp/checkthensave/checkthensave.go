// Package checkthensave holds the forms of check-then-save that are not
// races, or whose check the store makes: none is reported.
package checkthensave

import (
	"context"
	"errors"
	"io"
	"sync"
)

// Status is the status of a build.
type Status string

// The statuses.
const (
	Held     Status = "held"
	Queued   Status = "queued"
	Running  Status = "running"
	Passed   Status = "passed"
	Archived Status = "archived"
)

var (
	errBadStatus = errors.New("build: not in a status that allows this")
	errConflict  = errors.New("build: changed concurrently")
)

// Build is one build.
type Build struct {
	ID       int64
	Status   Status
	Phase    Status
	Reviewer string
}

// Store persists builds.
type Store interface {
	UpdateBuild(b *Build) error // want UpdateBuild:`save\(#0\) by plain save`
	// UpdateBuildStatus saves b if its stored status is expectedStatus.
	UpdateBuildStatus(b *Build, expectedStatus Status) error // want UpdateBuildStatus:`save\(Status of #0, expect=#1\) by convention`
	// SwapBuild saves b if its stored status is expectedStatus and
	// returns the number of rows it changed: 0 when the status changed.
	SwapBuild(ctx context.Context, b *Build, expectedStatus Status) (int64, error) // want SwapBuild:`save\(Status of #1, expect=#2\) by convention`
}

// Server serializes the requests of its one process with a mutex.
type Server struct {
	mu   sync.Mutex
	rw   sync.RWMutex
	st   Store
	seen int
}

// Release holds the lock from the check to the save (deferred unlock).
func (s *Server) Release(b *Build) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if b.Status != Held {
		return errBadStatus
	}
	b.Status = Queued
	return s.st.UpdateBuild(b)
}

// Start unlocks after the save.
func (s *Server) Start(b *Build) error {
	s.rw.Lock()
	if b.Status != Queued {
		s.rw.Unlock()
		return errBadStatus
	}
	b.Status = Running
	err := s.st.UpdateBuild(b)
	s.rw.Unlock()
	return err
}

// releaseLocked runs with s.mu held by its caller, as its name says.
func (s *Server) releaseLocked(b *Build) error {
	if b.Status != Held {
		return errBadStatus
	}
	b.Status = Queued
	return s.st.UpdateBuild(b)
}

// Create saves a new build: no status was checked.
func Create(st Store, id int64) error {
	b := &Build{ID: id, Status: Held}
	return st.UpdateBuild(b)
}

// Force sets a status with no check at all.
func Force(st Store, b *Build) error { // want Force:`helper\(Status of #1 = "queued" then saved\)`
	b.Status = Queued
	return st.UpdateBuild(b)
}

// Settle compares the status it has just computed, not the stored one.
func Settle(st Store, b *Build, ok bool) error {
	b.Status = Running
	if ok {
		b.Status = Passed
	}
	if b.Status == Passed {
		b.Status = Archived
	}
	return st.UpdateBuild(b)
}

// Follow checks the parent and saves the child.
func Follow(st Store, parent, child *Build) error {
	if parent.Status != Passed {
		return errBadStatus
	}
	child.Status = Queued
	return st.UpdateBuild(child)
}

// Approve makes the store check the status it expects.
func Approve(st Store, b *Build) error {
	if b.Status != Held {
		return errBadStatus
	}
	b.Status = Queued
	return st.UpdateBuildStatus(b, Held)
}

// Swap checks the count the conditional save returns.
func Swap(ctx context.Context, st Store, b *Build) error {
	if b.Status != Queued {
		return errBadStatus
	}
	b.Status = Running
	n, err := st.SwapBuild(ctx, b, Queued)
	if err != nil {
		return err
	}
	if n == 0 {
		return errConflict
	}
	return nil
}

// Assign checks the reviewer, another field, and writes the status.
func Assign(st Store, b *Build, who string) error {
	if b.Reviewer != "" {
		return errBadStatus
	}
	b.Reviewer = who
	b.Status = Queued
	return st.UpdateBuild(b)
}

// Advance checks the phase, another state field, and writes the status.
func Advance(st Store, b *Build) error {
	if b.Phase != Passed {
		return errBadStatus
	}
	b.Status = Archived
	return st.UpdateBuild(b)
}

// Count compares the status for a counter only: the write and the save
// happen whatever the comparison says.
func (s *Server) Count(b *Build) error { // want Count:`helper\(Status of #0 = "queued" then saved\)`
	if b.Status == Passed {
		s.seen++
	}
	b.Status = Queued
	return s.st.UpdateBuild(b)
}

// Blob is an uploaded blob.
type Blob struct {
	Digest string
	Status Status
}

// UpdateBlobStatus saves a blob whole.
func UpdateBlobStatus(ctx context.Context, b *Blob) error { // want UpdateBlobStatus:`save\(#1\) by plain save`
	return ctx.Err()
}

// Commit sets a blob's status and saves it, with no check.
func Commit(ctx context.Context, b *Blob) error { // want Commit:`helper\(Status of #1 = "passed" then saved\)`
	b.Status = Passed
	return UpdateBlobStatus(ctx, b)
}

// Report is written to a stream, not saved: Write takes a writer.
type Report struct {
	Status Status
	Lines  []string
}

// Write encodes the report onto w.
func (r *Report) Write(w io.Writer) error {
	_, err := io.WriteString(w, string(r.Status))
	return err
}

// Print marks a passed report archived and prints it.
func Print(w io.Writer, r *Report) error {
	if r.Status == Passed {
		r.Status = Archived
		return r.Write(w)
	}
	return nil
}

// Settler is not a save: Settle is not Set followed by a word.
type Settler struct{ Status Status }

// Settle finishes s.
func (s *Settler) Settle() error { return nil }

// Finish checks and writes s, then calls Settle.
func Finish(s *Settler) error {
	if s.Status != Running {
		return errBadStatus
	}
	s.Status = Passed
	return s.Settle()
}

// Response is a reply being written to a client: its methods change it in
// memory or write it to the connection, none saves it.
type Response struct {
	status int
	conn   io.Writer
}

// SetDeadline sets a deadline: not a save of the response.
func (r *Response) SetDeadline(d int64) error { return nil }

// WriteString writes s onto the connection.
func (r *Response) WriteString(s string) (int, error) { return io.WriteString(r.conn, s) }

// Conn writes responses onto a connection.
type Conn struct{ w io.Writer }

// Write writes resp: a connection writing a message.
func (c *Conn) Write(resp *Response) error { return nil }

// writeStatus writes the status line of resp.
func writeStatus(c *Conn, resp *Response) error { return c.Write(resp) }

// Reply checks the status and writes through each of them.
func Reply(c *Conn, r *Response) error {
	if r.status != 200 {
		return errBadStatus
	}
	r.status = 204
	if err := r.SetDeadline(1); err != nil {
		return err
	}
	if _, err := r.WriteString("no content"); err != nil {
		return err
	}
	if err := writeStatus(c, r); err != nil {
		return err
	}
	return c.Write(r)
}

// Rows is a store with a body: a plain save that returns success early is
// no shortcut of a guard it does not have.
type Rows struct{ byID map[int64]Build }

// SaveBuild stores b, and nothing for an unsaved build.
func (r *Rows) SaveBuild(b *Build) error { // want SaveBuild:`save\(#0\) by plain save`
	if b.ID == 0 {
		return nil
	}
	r.byID[b.ID] = *b
	return nil
}

// Resave retries a failed plain save: it guarded nothing, so its failure
// is no lost race, and the retry writes nothing the store refused.
func Resave(st Store, b *Build) error { // want Resave:`helper\(Status of #1 = "queued" then saved\)`
	b.Status = Queued
	if err := st.UpdateBuild(b); err != nil {
		return st.UpdateBuild(b)
	}
	return nil
}

// Drain checks and saves each build under the lock, taken and released
// once per pass of the loop.
func (s *Server) Drain(bs []*Build) {
	for _, b := range bs {
		s.mu.Lock()
		if b.Status == Queued {
			b.Status = Held
			_ = s.st.UpdateBuild(b)
		}
		s.mu.Unlock()
	}
}

// ReleaseWith holds a lock given as a sync.Locker from the check to the
// save.
func ReleaseWith(l sync.Locker, st Store, b *Build) error {
	l.Lock()
	defer l.Unlock()
	if b.Status != Held {
		return errBadStatus
	}
	b.Status = Queued
	return st.UpdateBuild(b)
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

// TaskStore saves tasks whole.
type TaskStore interface {
	SaveTask(t *Task) error // want SaveTask:`save\(#0\) by plain save`
}

// NewTask creates a task: its declared state is set on a new object, and
// saving it creates the row, leaving no state behind.
func NewTask(st TaskStore, id int64) error {
	t := &Task{ID: id, Phase: "new"}
	return st.SaveTask(t)
}

// NewTaskVar is NewTask with a variable.
func NewTaskVar(st TaskStore, id int64) error {
	var t Task
	t.ID = id
	t.Phase = "new"
	return st.SaveTask(&t)
}

// Cond is a query condition keyed by column.
type Cond map[string]any

// Where saves builds where a condition holds.
type Where interface {
	// UpdateBuildWhere saves b where cond holds.
	UpdateBuildWhere(b *Build, cond Cond) (int64, error) // want UpdateBuildWhere:`save\(Status of #0, expect=#1; Phase of #0, expect=#1\) by convention`
}

// StartWhere checks in Go and makes the store check the same status.
func StartWhere(st Where, b *Build) error {
	if b.Status != Queued {
		return errBadStatus
	}
	b.Status = Running
	n, err := st.UpdateBuildWhere(b, Cond{"status": Queued})
	if err == nil && n == 0 {
		return errConflict
	}
	return err
}

// Probe is a periodic health probe of an endpoint.
type Probe struct {
	ID           int64
	HealthStatus Status
}

// ProbeStore saves probes.
type ProbeStore interface {
	UpdateProbe(p *Probe) error // want UpdateProbe:`save\(#0\) by plain save`
}

// RefreshHealth writes the health it measured only when it changed: the
// comparison is with the value it writes, a change detection, not a
// check of the state it leaves; two concurrent probes write the same
// value.
func RefreshHealth(s ProbeStore, probes []*Probe) error {
	for _, p := range probes {
		health := Status("healthy")
		if !reachable(p) {
			health = "unhealthy"
		}
		if p.HealthStatus == health {
			continue
		}
		p.HealthStatus = health
		if err := s.UpdateProbe(p); err != nil {
			return err
		}
	}
	return nil
}

func reachable(p *Probe) bool { return p.ID%2 == 0 }
