// Package api calls the guard package's own API: every mistake guard
// refuses at run time that the source shows, and the correct forms.
package api

import (
	"context"
	"errors"

	"github.com/stateguard/stateguard/guard"
)

type TaskState string

const (
	Shelving      TaskState = "shelving"
	Deleting      TaskState = "deleting"
	Rebooting     TaskState = "rebooting"
	RebootingHard TaskState = "rebooting_hard"
)

type Server struct {
	ID        string     `guard:"id,key"`
	TaskState *TaskState `guard:"task_state,state"`
	VMState   string     `guard:",state"` // column vm_state
	Host      *string    `guard:"host"`
	Note      string     // not mapped
	Version   int64      `guard:"version,version"`
}

var servers = guard.MustTable[Server]("servers")

var taskField = servers.MustField("task_state")

// --- reported ---

func ineffectivePtr(ctx context.Context, st guard.Store, id string) error {
	srv, err := servers.Load(ctx, st, id)
	if err != nil {
		return err
	}
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, guard.Expect("TaskState", Shelving)) // want `ineffective-guard: Server.TaskState is set to Shelving and this save expects only Shelving`
}

func ineffectiveColumnAddr(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	c := Shelving
	srv.V.TaskState = &c
	return servers.Save(ctx, st, srv, guard.Expect("task_state", Shelving)) // want `ineffective-guard`
}

func ineffectiveThroughPointer(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	v := &srv.V
	v.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, guard.Expect("TaskState", Shelving)) // want `ineffective-guard`
}

func ineffectiveNull(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = nil
	return servers.Save(ctx, st, srv, guard.Expect("TaskState", nil)) // want `ineffective-guard: Server.TaskState is set to nil`
}

func reentrant(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(RebootingHard)
	return servers.Save(ctx, st, srv, guard.Expect("TaskState", nil, Rebooting, RebootingHard)) // want `reentrant-guard: Server.TaskState is set to RebootingHard, which is among the 3 values`
}

func reentrantField(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(RebootingHard)
	return servers.Save(ctx, st, srv, taskField.Expect(nil, RebootingHard)) // want `reentrant-guard`
}

func ineffectiveLocalField(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	f := servers.MustField("TaskState")
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, f.Expect(Shelving)) // want `ineffective-guard`
}

func ineffectiveFieldErr(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	f, err := servers.Field("task_state")
	if err != nil {
		return err
	}
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, f.Expect(Shelving)) // want `ineffective-guard`
}

func ineffectiveSpread(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	opts := []guard.Option{guard.Retries(1), guard.Expect("TaskState", Shelving)}
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, opts...) // want `ineffective-guard`
}

// from builds the expectation of the task state from its parameters.
func from(s ...any) guard.Option { return guard.Expect("TaskState", s...) }

func expectTask(v any) guard.Option { return taskField.Expect(v) }

func ineffectiveHelper(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, from(Shelving)) // want `ineffective-guard`
}

func reentrantHelper(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(RebootingHard)
	return servers.Save(ctx, st, srv, from(nil, RebootingHard)) // want `reentrant-guard`
}

func ineffectiveFieldHelper(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, expectTask(Shelving)) // want `ineffective-guard`
}

func unguarded(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.VMState = "stopped"
	return servers.Save(ctx, st, srv) // want `unguarded-transition: Server.VMState is tagged state and is set to "stopped"`
}

func unguardedOther(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, guard.Fence("vm_state", "active")) // want `unguarded-transition: Server.TaskState`
}

func noTransition(ctx context.Context, st guard.Store, id string) error {
	srv, err := servers.Load(ctx, st, id)
	if err != nil {
		return err
	}
	h := "host-2"
	srv.V.Host = &h
	return servers.Save(ctx, st, srv, guard.Expect("TaskState", nil)) // want `no-transition: guard.Expect\("TaskState"\) on Server.TaskState, which nothing writes`
}

func unknownField(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, guard.Expect("TaskState", nil), guard.Fence("Status", "x")) // want `invalid-option: guard.Fence\("Status"\) names no field of Server`
}

func unmappedField(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, guard.Expect("TaskState", nil), guard.Fence("Note", "x")) // want `invalid-option: guard.Fence\("Note"\)`
}

func noValues(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, guard.Expect("TaskState")) // want `invalid-option: guard.Expect\("TaskState"\) has no values`
}

func fenceWritten(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, guard.Fence("TaskState", nil)) // want `invalid-option: guard.Fence\("TaskState"\) on Server.TaskState, which is set to Shelving`
}

func updateIneffective(ctx context.Context, st guard.Store, id string) error {
	_, err := servers.Update(ctx, st, id, func(s *Server) ([]guard.Option, error) {
		if s.TaskState != nil {
			return nil, errors.New("busy")
		}
		s.TaskState = guard.Ptr(Shelving)
		return []guard.Option{guard.Expect("TaskState", Shelving)}, nil // want `ineffective-guard: Server.TaskState is set to Shelving and the save this change function asks for expects only Shelving`
	})
	return err
}

func updateIneffectiveAttempts(ctx context.Context, st guard.Store, id string) error {
	_, err := servers.Update(ctx, st, id, func(s *Server) ([]guard.Option, error) {
		s.TaskState = guard.Ptr(Shelving)
		return []guard.Option{guard.Expect("TaskState", Shelving)}, nil // want `ineffective-guard: Server.TaskState is set to Shelving and the save this change function asks for expects only Shelving`
	}, guard.Attempts(8))
	return err
}

func shelveChange(s *Server) ([]guard.Option, error) {
	s.VMState = "shelved"
	return []guard.Option{guard.Expect("TaskState", nil)}, nil // want `unguarded-transition: Server.VMState` `no-transition: guard.Expect\("TaskState"\)`
}

func updateNamed(ctx context.Context, st guard.Store, id string) error {
	_, err := servers.Update(ctx, st, id, shelveChange)
	return err
}

// --- not reported ---

func shelve(ctx context.Context, st guard.Store, id string) error {
	srv, err := servers.Load(ctx, st, id)
	if err != nil {
		return err
	}
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, guard.Expect("TaskState", nil))
}

func shelveByColumn(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, guard.Expect("task_state", nil), guard.Retries(0))
}

func shelveByField(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, taskField.Expect(nil))
}

func shelveHelper(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, from(nil))
}

func fence(ctx context.Context, st guard.Store, id string) error {
	srv, err := servers.Load(ctx, st, id)
	if err != nil {
		return err
	}
	h := "host-2"
	srv.V.Host = &h
	return servers.Save(ctx, st, srv, guard.Fence("TaskState", Rebooting))
}

func fenceByField(ctx context.Context, st guard.Store, id string) error {
	srv, err := servers.Load(ctx, st, id)
	if err != nil {
		return err
	}
	srv.V.Host = nil
	return servers.Save(ctx, st, srv, taskField.Fence(Rebooting), guard.Fence("vm_state", "active"))
}

func fenceOnly(ctx context.Context, st guard.Store, id string) error {
	srv, err := servers.Load(ctx, st, id)
	if err != nil {
		return err
	}
	return servers.Save(ctx, st, srv, guard.Fence("TaskState", nil))
}

func preempt(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(Deleting)
	return servers.Save(ctx, st, srv, guard.Preempt("TaskState"))
}

func preemptByField(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(Deleting)
	srv.V.VMState = "deleted"
	return servers.Save(ctx, st, srv, taskField.Preempt(), guard.Preempt("vm_state"))
}

func reentrantOnPurpose(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(RebootingHard)
	return servers.Save(ctx, st, srv, guard.Expect("TaskState", nil, Rebooting, RebootingHard), guard.Reentrant("TaskState"))
}

func reentrantOnPurposeByField(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(RebootingHard)
	return servers.Save(ctx, st, srv, taskField.Expect(nil, RebootingHard), taskField.Reentrant())
}

// The repeat of a hard reboot loads the row already rebooting: nothing
// changes, and Reentrant lets the save through.
func reentrantRepeat(ctx context.Context, st guard.Store, id string) error {
	srv, err := servers.Load(ctx, st, id)
	if err != nil {
		return err
	}
	return servers.Save(ctx, st, srv, guard.Expect("TaskState", nil, RebootingHard), guard.Reentrant("task_state"))
}

func unknownValue(ctx context.Context, st guard.Store, srv *guard.Row[Server], want TaskState, to *TaskState) error {
	srv.V.TaskState = to
	return servers.Save(ctx, st, srv, guard.Expect("TaskState", want))
}

func unknownExpectation(ctx context.Context, st guard.Store, srv *guard.Row[Server], want any) error {
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, guard.Expect("TaskState", want))
}

func anotherRow(ctx context.Context, st guard.Store, a, b *guard.Row[Server]) error {
	a.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, b, guard.Expect("TaskState", Shelving))
}

func writeAfter(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	if err := servers.Save(ctx, st, srv, guard.Fence("TaskState", Shelving)); err != nil {
		return err
	}
	srv.V.TaskState = guard.Ptr(Shelving)
	return nil
}

// The row is a parameter: the caller may have changed it.
func expectFromCaller(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	return servers.Save(ctx, st, srv, guard.Expect("TaskState", nil))
}

func prepare(srv *guard.Row[Server]) { srv.V.TaskState = guard.Ptr(Shelving) }

// The row is handed to a function that writes it.
func expectAfterHelper(ctx context.Context, st guard.Store, id string) error {
	srv, err := servers.Load(ctx, st, id)
	if err != nil {
		return err
	}
	prepare(srv)
	return servers.Save(ctx, st, srv, guard.Expect("TaskState", nil))
}

// Options that cannot be known: nothing is judged but what they show.
func appended(ctx context.Context, st guard.Store, srv *guard.Row[Server], more []guard.Option) error {
	opts := append([]guard.Option{}, more...)
	srv.V.VMState = "stopped"
	return servers.Save(ctx, st, srv, opts...)
}

func choose(hard bool) guard.Option {
	if hard {
		return guard.Reentrant("TaskState")
	}
	return guard.Retries(1)
}

func chosen(ctx context.Context, st guard.Store, srv *guard.Row[Server], hard bool) error {
	srv.V.TaskState = guard.Ptr(RebootingHard)
	return servers.Save(ctx, st, srv, guard.Expect("TaskState", nil, RebootingHard), choose(hard))
}

func updateRight(ctx context.Context, st guard.Store, id string) error {
	_, err := servers.Update(ctx, st, id, func(s *Server) ([]guard.Option, error) {
		if s.TaskState != nil {
			return nil, errors.New("busy")
		}
		s.TaskState = guard.Ptr(Shelving)
		return []guard.Option{guard.Expect("TaskState", nil)}, nil
	})
	return err
}

func updateRefuses(ctx context.Context, st guard.Store, id string) error {
	_, err := servers.Update(ctx, st, id, func(s *Server) ([]guard.Option, error) {
		s.VMState = "stopped"
		return nil, errors.New("not today")
	})
	return err
}

func localFieldForms(ctx context.Context, st guard.Store, id string) error {
	f, err := servers.Field("TaskState")
	if err != nil {
		return err
	}
	srv, err := servers.Load(ctx, st, id)
	if err != nil {
		return err
	}
	srv.V.TaskState = guard.Ptr(RebootingHard)
	if err := servers.Save(ctx, st, srv, f.Expect(nil, Rebooting, RebootingHard), f.Reentrant()); err != nil {
		return err
	}
	srv.V.Host = nil
	if err := servers.Save(ctx, st, srv, f.Fence(RebootingHard)); err != nil {
		return err
	}
	srv.V.TaskState = guard.Ptr(Deleting)
	return servers.Save(ctx, st, srv, f.Preempt())
}

// The variable changes after its address is taken: its value is unknown.
func changedVariable(ctx context.Context, st guard.Store, srv *guard.Row[Server], next func(*TaskState)) error {
	c := Shelving
	next(&c)
	srv.V.TaskState = &c
	return servers.Save(ctx, st, srv, guard.Expect("TaskState", Shelving))
}

func updateForms(ctx context.Context, st guard.Store, id string) error {
	_, err := servers.Update(ctx, st, id, func(s *Server) ([]guard.Option, error) {
		s.TaskState = guard.Ptr(Deleting)
		return []guard.Option{taskField.Preempt()}, nil
	})
	if err != nil {
		return err
	}
	_, err = servers.Update(ctx, st, id, func(s *Server) ([]guard.Option, error) {
		h := "h"
		s.Host = &h
		return []guard.Option{guard.Fence("TaskState", nil), guard.Retries(2)}, nil
	})
	return err
}

func noTransitionLoaded(ctx context.Context, st guard.Store, v Server) error {
	srv, err := servers.Loaded(v)
	if err != nil {
		return err
	}
	return servers.Save(ctx, st, srv, guard.Expect("vm_state", "active")) // want `no-transition: guard.Expect\("vm_state"\) on Server.VMState`
}

// shelveOpts returns the options of a shelve.
func shelveOpts(from ...any) []guard.Option {
	return []guard.Option{guard.Expect("TaskState", from...), guard.Retries(1)}
}

func ineffectiveOptsHelper(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, shelveOpts(Shelving)...) // want `ineffective-guard`
}

func optsHelper(ctx context.Context, st guard.Store, srv *guard.Row[Server]) error {
	srv.V.TaskState = guard.Ptr(Shelving)
	return servers.Save(ctx, st, srv, shelveOpts(nil)...)
}
