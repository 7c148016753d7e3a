package guard_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/stateguard/stateguard/guard"
)

// TaskState is a server's task state; NULL (a nil *TaskState) means no task.
type TaskState string

const (
	Shelving        TaskState = "SHELVING"
	ResizeReverting TaskState = "RESIZE_REVERTING"
	RebootingHard   TaskState = "REBOOTING_HARD"
	Deleting        TaskState = "DELETING"
)

type Server struct {
	ID        string     `guard:"id,key"`
	TaskState *TaskState `guard:"task_state,state"`
	Host      *string    `guard:"host"`
}

var servers = guard.MustTable[Server]("servers")

// newStore returns a memory store holding server s1 with no task on host h1.
func newStore() *guard.Memory {
	store := guard.NewMemory()
	if err := store.Create(servers); err != nil {
		panic(err)
	}
	if _, err := servers.Insert(context.Background(), store, Server{ID: "s1", Host: guard.Ptr("h1")}); err != nil {
		panic(err)
	}
	return store
}

// A transition: shelving sets SHELVING and expects no task (NULL).
func ExampleTable_Save() {
	ctx := context.Background()
	store := newStore()

	srv, err := servers.Load(ctx, store, "s1")
	if err != nil {
		panic(err)
	}
	srv.V.TaskState = guard.Ptr(Shelving)
	err = servers.Save(ctx, store, srv, guard.Expect("TaskState", nil))
	fmt.Println("shelve:", err)

	again, _ := servers.Load(ctx, store, "s1")
	fmt.Println("stored:", *again.V.TaskState)
	// Output:
	// shelve: <nil>
	// stored: SHELVING
}

// Two shelve requests load the server before either saves: the store lets
// one through and tells the other what it found.
func ExampleConflictError() {
	ctx := context.Background()
	store := newStore()

	first, _ := servers.Load(ctx, store, "s1")
	second, _ := servers.Load(ctx, store, "s1")
	for _, srv := range []*guard.Row[Server]{first, second} {
		srv.V.TaskState = guard.Ptr(Shelving)
		err := servers.Save(ctx, store, srv, guard.Expect("TaskState", nil))
		var conflict *guard.ConflictError
		switch {
		case err == nil:
			fmt.Println("shelving")
		case errors.As(err, &conflict):
			fmt.Printf("409: %s is %v\n", conflict.Field, conflict.Actual)
			fmt.Println(err)
		}
	}
	// Output:
	// shelving
	// 409: TaskState is SHELVING
	// guard: conflict: servers[s1].TaskState is "SHELVING", expected NULL
}

// A request that loads the server already shelving is refused locally,
// without a write, even though setting SHELVING changes nothing.
func ExampleConflictError_local() {
	ctx := context.Background()
	store := newStore()
	first, _ := servers.Load(ctx, store, "s1")
	first.V.TaskState = guard.Ptr(Shelving)
	_ = servers.Save(ctx, store, first, guard.Expect("TaskState", nil))

	late, _ := servers.Load(ctx, store, "s1")
	late.V.TaskState = guard.Ptr(Shelving)
	err := servers.Save(ctx, store, late, guard.Expect("TaskState", nil))
	fmt.Println(err)
	// Output:
	// guard: conflict: servers[s1].TaskState is "SHELVING", expected NULL (as loaded; nothing was sent)
}

// A fence: move the host while the task state stays RESIZE_REVERTING.
func ExampleFence() {
	ctx := context.Background()
	store := newStore()
	srv, _ := servers.Load(ctx, store, "s1")
	srv.V.TaskState = guard.Ptr(ResizeReverting)
	_ = servers.Save(ctx, store, srv, guard.Expect("TaskState", nil))

	srv.V.Host = guard.Ptr("h2")
	err := servers.Save(ctx, store, srv, guard.Fence("TaskState", ResizeReverting))
	fmt.Println("move host:", err)
	// Output:
	// move host: <nil>
}

// Delete pre-empts whatever runs; the pre-empted action's next guarded save
// fails.
func ExamplePreempt() {
	ctx := context.Background()
	store := newStore()
	resize, _ := servers.Load(ctx, store, "s1")
	resize.V.TaskState = guard.Ptr(ResizeReverting)
	_ = servers.Save(ctx, store, resize, guard.Expect("TaskState", nil))

	del, _ := servers.Load(ctx, store, "s1")
	del.V.TaskState = guard.Ptr(Deleting)
	fmt.Println("delete:", servers.Save(ctx, store, del, guard.Preempt("TaskState")))

	resize.V.Host = guard.Ptr("h2")
	err := servers.Save(ctx, store, resize, guard.Fence("TaskState", ResizeReverting))
	fmt.Println("move host:", err)
	// Output:
	// delete: <nil>
	// move host: guard: conflict: servers[s1].TaskState is "DELETING", expected "RESIZE_REVERTING"
}

// The mistakes the analyzer reports are refused at run time under the same
// names, before any write.
func ExampleRuleError() {
	ctx := context.Background()
	store := newStore()
	srv, _ := servers.Load(ctx, store, "s1")

	srv.V.TaskState = guard.Ptr(Shelving)
	err := servers.Save(ctx, store, srv, guard.Expect("TaskState", Shelving))
	fmt.Println(errors.Is(err, guard.ErrIneffectiveGuard))

	var rule *guard.RuleError
	errors.As(err, &rule)
	fmt.Println(rule.Check)

	err = servers.Save(ctx, store, srv) // no expectation on a state
	fmt.Println(errors.Is(err, guard.ErrUnguardedTransition))
	// Output:
	// true
	// ineffective-guard
	// true
}

// A hard reboot may be re-issued while it runs, on purpose.
func ExampleReentrant() {
	ctx := context.Background()
	store := newStore()
	srv, _ := servers.Load(ctx, store, "s1")
	srv.V.TaskState = guard.Ptr(RebootingHard)
	opts := []guard.Option{guard.Expect("TaskState", nil, RebootingHard), guard.Reentrant("TaskState")}
	fmt.Println(servers.Save(ctx, store, srv, opts...))
	fmt.Println(servers.Save(ctx, store, srv, opts...)) // re-issued
	// Output:
	// <nil>
	// <nil>
}

// Update reloads and re-runs the change when the store reports a conflict;
// change decides from what it sees.
func ExampleTable_Update() {
	ctx := context.Background()
	store := newStore()
	errBusy := errors.New("server is busy")
	shelve := func(srv *Server) ([]guard.Option, error) {
		if srv.TaskState != nil {
			return nil, fmt.Errorf("%w: %s", errBusy, *srv.TaskState)
		}
		srv.TaskState = guard.Ptr(Shelving)
		return []guard.Option{guard.Expect("TaskState", nil)}, nil
	}
	_, err := servers.Update(ctx, store, "s1", shelve)
	fmt.Println(err)
	_, err = servers.Update(ctx, store, "s1", shelve)
	fmt.Println(err)
	// Output:
	// <nil>
	// server is busy: SHELVING
}

// Fields resolved once, e.g. in package variables, skip the lookup by name.
func ExampleTable_Field() {
	taskState := servers.MustField("TaskState")
	ctx := context.Background()
	store := newStore()
	srv, _ := servers.Load(ctx, store, "s1")
	srv.V.TaskState = guard.Ptr(Shelving)
	fmt.Println(servers.Save(ctx, store, srv, taskState.Expect(nil)))

	_, err := servers.Field("TaskStat")
	fmt.Println(err)
	// Output:
	// <nil>
	// guard: invalid input: guard_test.Server has no mapped field "TaskStat" (mapped: ID, TaskState, Host)
}
