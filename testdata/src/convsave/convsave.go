// Package convsave exercises rule 1: guarded saves recognized by
// convention, and the call-site checks on them.
package convsave

import (
	"context"
	"errors"
)

type TaskState string

const (
	TaskNone          TaskState = ""
	TaskShelving      TaskState = "shelving"
	TaskRebooting     TaskState = "rebooting"
	TaskRebootingHard TaskState = "rebooting_hard"
	TaskDeleting      TaskState = "deleting"
)

var ErrConflict = errors.New("conflict")

type Server struct {
	ID        int
	Host      string
	TaskState TaskState
}

// Save: the receiver is the object, expectedTaskState a slice of F's type.
func (s *Server) Save(ctx context.Context, expectedTaskState ...TaskState) error { // want Save:"save\\(TaskState of receiver, expect=#1\\) by convention"
	for _, e := range expectedTaskState {
		if e == s.TaskState {
			return nil
		}
	}
	return ErrConflict
}

type Store struct{}

// SaveServer: a parameter is the object, the expectation is a single value
// named current<F>.
func (st *Store) SaveServer(ctx context.Context, srv *Server, currentTaskState TaskState) error { // want SaveServer:"save\\(TaskState of #1, expect=#2\\) by convention"
	if srv.TaskState != currentTaskState {
		return ErrConflict
	}
	return nil
}

type Job struct {
	Status int
	Name   string
}

// Update: the parameter is named exactly "expected" and the object has
// exactly one field of its type.
func (st *Store) Update(j *Job, expected []int) error { // want Update:"save\\(Status of #0, expect=#1\\) by convention"
	if len(expected) == 0 {
		return ErrConflict
	}
	return nil
}

type Pair struct {
	Phase     int
	Attempts  int
	OtherInts int
}

// Not a save: "expected" matches more than one field of its type... only
// one of which is a state; the rule asks for exactly one field of that type.
func (st *Store) UpdatePair(p *Pair, expected int) error { // want UpdatePair:`save\(#0\) by plain save`
	return nil
}

// Not a save: the expectation's type is not the field's type.
func (st *Store) Mismatch(s *Server, expectedTaskState string) error {
	return nil
}

// Not a save: the field name is not a state name.
func (st *Store) Other(s *Server, expectedHost string) error {
	return nil
}

// Prev<F> with a value object (a struct, not a pointer) is fine too.
func SaveValue(s Server, prevTaskState TaskState) error { // want SaveValue:"save\\(TaskState of #0, expect=#1\\) by convention"
	_ = prevTaskState
	return nil
}

func shelve(ctx context.Context, s *Server) error {
	s.TaskState = TaskShelving
	return s.Save(ctx, TaskShelving) // want `ineffective-guard: TaskState is set to TaskShelving and this save expects only TaskShelving`
}

func shelveRight(ctx context.Context, s *Server) error {
	s.TaskState = TaskShelving
	return s.Save(ctx, TaskNone)
}

func rebootHard(ctx context.Context, s *Server) error {
	s.TaskState = TaskRebootingHard
	return s.Save(ctx, TaskNone, TaskRebooting, TaskRebootingHard) // want `reentrant-guard: TaskState is set to TaskRebootingHard and this save accepts TaskRebootingHard among its expected states \(TaskNone, TaskRebooting, TaskRebootingHard\)`
}

func rebootHardSpread(ctx context.Context, s *Server) error {
	s.TaskState = TaskRebootingHard
	return s.Save(ctx, []TaskState{TaskRebooting, TaskRebootingHard}...) // want `reentrant-guard: TaskState is set to TaskRebootingHard`
}

func spreadOne(ctx context.Context, s *Server) error {
	s.TaskState = TaskShelving
	return s.Save(ctx, []TaskState{TaskShelving}...) // want `ineffective-guard`
}

func storeParam(ctx context.Context, st *Store, s *Server) error {
	s.TaskState = TaskShelving
	return st.SaveServer(ctx, s, TaskShelving) // want `ineffective-guard: TaskState is set to TaskShelving`
}

func readBack(ctx context.Context, st *Store, s *Server) error {
	s.TaskState = TaskShelving
	return st.SaveServer(ctx, s, s.TaskState) // want `ineffective-guard: TaskState is set to TaskShelving and this save expects only TaskState as read back after that write`
}

func sameLocal(ctx context.Context, st *Store, s *Server, next TaskState) error {
	s.TaskState = next
	return st.SaveServer(ctx, s, next) // want `ineffective-guard: TaskState is set to next and this save expects only next`
}

func someBranch(ctx context.Context, st *Store, s *Server, hard bool) error {
	next := TaskRebooting
	if hard {
		next = TaskRebootingHard
	}
	s.TaskState = next
	return st.SaveServer(ctx, s, TaskRebootingHard) // want `ineffective-guard: TaskState is set to next and this save expects only TaskRebootingHard, the same value`
}

func someWritePath(ctx context.Context, st *Store, s *Server, hard bool) error {
	if hard {
		s.TaskState = TaskRebootingHard
	}
	return st.SaveServer(ctx, s, TaskRebootingHard) // want `ineffective-guard: .* on the path through the write at line`
}

func jobs(st *Store, j *Job) error {
	j.Status = 3
	return st.Update(j, []int{1, 3}) // want `reentrant-guard: Status is set to 3`
}

func valueObject() error {
	var s Server
	s.TaskState = TaskShelving
	return SaveValue(s, TaskShelving) // want `ineffective-guard`
}

func literalObject(ctx context.Context, st *Store) error {
	s := &Server{TaskState: TaskShelving}
	return st.SaveServer(ctx, s, TaskShelving) // want `ineffective-guard`
}

// TaskOffloading is another name for TaskShelving.
const TaskOffloading = TaskShelving

func alias(ctx context.Context, s *Server) error {
	s.TaskState = TaskShelving
	return s.Save(ctx, TaskOffloading) // want `ineffective-guard: TaskState is set to TaskShelving and this save expects only TaskOffloading, the same value`
}

func arrayElem(ctx context.Context, servers [3]*Server) error {
	servers[1].TaskState = TaskShelving
	return servers[1].Save(ctx, TaskShelving) // want `ineffective-guard`
}

func arrayOther(ctx context.Context, servers [3]*Server) error {
	servers[1].TaskState = TaskShelving
	return servers[2].Save(ctx, TaskShelving)
}

func sliceElem(ctx context.Context, servers []*Server) error {
	servers[0].TaskState = TaskShelving
	return servers[0].Save(ctx, TaskShelving) // want `ineffective-guard`
}

func pointerField(ctx context.Context, h struct{ S *Server }) error {
	h.S.TaskState = TaskShelving
	return h.S.Save(ctx, TaskShelving) // want `ineffective-guard`
}

func valueCopy(s Server) error {
	saved := s
	s.TaskState = TaskShelving
	return SaveValue(saved, TaskShelving) // a copy taken before the write
}

func wholeStruct(ctx context.Context, s *Server) error {
	*s = Server{ID: s.ID, TaskState: TaskShelving}
	return s.Save(ctx, TaskShelving) // want `ineffective-guard: TaskState is set to TaskShelving`
}

func wholeStructOmitted(ctx context.Context, s *Server) error {
	*s = Server{ID: s.ID}
	return s.Save(ctx, TaskNone) // want `ineffective-guard: TaskState is set to TaskNone`
}

func wholeStructRight(ctx context.Context, s *Server) error {
	*s = Server{ID: s.ID, TaskState: TaskShelving}
	return s.Save(ctx, TaskNone)
}
