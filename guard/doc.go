// Package guard saves objects with compare-and-swap semantics that cannot
// lie: a save that expects a state either applies atomically while the
// stored state is one it expects, or fails with an error that says why.
//
// Services serialise actions on one object with a state field: shelving a
// server sets its task state to SHELVING and saves it expecting "no task",
// so that of two concurrent shelves only one proceeds. OpenStack Nova
// learnt how such a guard fails silently (bug 1821373 and relatives): the
// save returned early when nothing changed, a retry dropped its condition,
// call sites expected the very state they wrote, MySQL counted changed
// rather than matched rows, and the "actual" state of a conflict came from
// a stale read. This package makes each of those an error or impossible.
//
// # Use
//
// Map a struct to a table once, load a row, change it, save it with the
// states the action leaves:
//
//	type Server struct {
//		ID        string     `guard:"id,key"`
//		TaskState *TaskState `guard:"task_state,state"`
//		Host      *string    `guard:"host"`
//	}
//
//	var servers = guard.MustTable[Server]("servers")
//
//	srv, err := servers.Load(ctx, store, id)
//	...
//	srv.V.TaskState = guard.Ptr(Shelving)
//	err = servers.Save(ctx, store, srv, guard.Expect("TaskState", nil))
//	if errors.Is(err, guard.ErrConflict) { /* another action runs: 409 */ }
//
// A Store is where rows live: NewMemory here, and guard/sqlitestore,
// guard/pgstore and guard/mysqlstore over database/sql. A SQL store bound to
// the caller's *sql.Tx is just another Store, so a guarded save can be part
// of a larger transaction. Table.Update and Retry redo a whole
// read-modify-write when the store reports a conflict.
//
// # Transition, fence, pre-empt
//
// Every expectation says which of three things the save does with a state
// field:
//
//   - A transition (Expect) changes the field and requires the stored value
//     to be one of the states the action may leave: Expect("TaskState", nil)
//     while setting SHELVING. The field must change; the expected set must
//     not hold the new value.
//   - A fence (Fence) requires a value of a field that this save does not
//     change, as Nova requires RESIZE_REVERTING to hold while it moves a
//     server's host. A fence with nothing else to write still goes to the
//     store: it is a conditional write of nothing.
//   - A pre-emption (Preempt) changes a field tagged state with no
//     expectation, on purpose: Nova's delete sets DELETING whatever runs,
//     and the pre-empted action's next guarded save then fails.
//
// Fields tagged state cannot change without one of Expect or Preempt. A
// field tagged version is checked by every save and incremented by every
// save that writes, which catches a row that changed and changed back
// (ABA); a fence with nothing to write checks it without writing it, so
// that fences do not conflict with one another.
//
// # The contract of Save
//
//  1. It never short-cuts: with nothing to set it still performs one
//     atomic conditional write, or fails locally.
//  2. It fails fast, with no I/O, when the row's loaded value of a guarded
//     field is not expected (a *ConflictError with Local set).
//  3. It refuses expectations that cannot serialise the action, under the
//     names the stateguard analyzer uses for the same mistakes in source
//     code (see below).
//  4. When the write does not apply it tells why from a read that is not
//     stale: ErrNotFound, or a *ConflictError naming the field, the expected
//     set and the actual value; when the store cannot tell, it re-sends the
//     very same Write a bounded number of times (Retries).
//  5. An error matching ErrOutcomeUnknown means the write may have
//     committed (a context cancelled, a connection lost or a commit failed
//     after the write was sent, with no word from the store on how it
//     ended): it is never nil and never retried; reload to find out. Every
//     other error means the write did not commit: nothing was sent, or
//     the store knows it was refused or rolled back (a statement the server
//     confirms cancelled, a wait for a lock interrupted before the
//     statement ran).
//  6. On success the row's snapshot becomes its values; on failure the row
//     is left exactly as it was (Row.Reset discards the pending changes).
//  7. NULL is a state: Expect("TaskState", nil) expects NULL, and differs
//     from no expectation.
//  8. Bad input (a nil row, a struct without a key, an unknown field, an
//     empty expected set, a value of the wrong type, an expectation on a
//     column the table lacks) is an error matching ErrInvalid or
//     ErrUnknownColumn, never a panic.
//
// # Names shared with the analyzer
//
// The stateguard analyzer (package analyzer) finds the same mistakes at
// compile time; a runtime refusal is a *RuleError whose Check is the
// analyzer's category and whose message starts with "guard: <check>: ":
//
//   - ineffective-guard (ErrIneffectiveGuard): the expected set holds only
//     the state being written, so a concurrent duplicate passes.
//   - reentrant-guard (ErrReentrantGuard): the state being written is one
//     of several expected states; allowed with Reentrant when repeating the
//     action is intended (Nova's hard reboot).
//   - unguarded-transition (ErrUnguardedTransition): a state field changes
//     with no expectation; allowed with Preempt.
//   - no-transition (ErrNoTransition): an Expect on a field that does not
//     change; a precondition on a field that stays is a Fence.
//   - invalid-option (ErrInvalidOption, also ErrInvalid): an option names
//     a field the table does not map, an Expect or Fence has no values, or
//     a Fence is on a field that changes.
//
// The analyzer's shortcut-save finds save implementations that return
// success without looking at the expectation; Save itself never does. A
// struct field tagged `guard:",state"` is a declared state for this package
// as a field marked //stateguard:state is for the analyzer.
//
// # Stores
//
// A Store applies a Write (a table, a key, assignments, conditions) as one
// compare-and-swap and reports Applied, NotFound or Mismatch with the
// current values; it never decides what is allowed. The conformance suite
// in guard/guardtest checks a Store against that contract, through the
// Store interface and through this package's API.
package guard
