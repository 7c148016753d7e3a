// Package analyzer defines the stateguard Analyzer, which finds state
// guards that cannot catch a concurrent duplicate of an action.
//
// # Analyzer stateguard
//
// stateguard: find state guards that cannot catch a concurrent duplicate
//
// Services serialise the actions on one object (a server, a job, an
// invoice) with a state field: an action writes the new state and saves
// the object with the state it expects to leave, and the store applies the
// save as one compare-and-swap, so of two concurrent duplicates of the
// action only one wins. stateguard finds, at compile time and across
// packages, the guards that let both win:
//
//   - ineffective-guard: the save expects the very state it writes.
//   - reentrant-guard: the save accepts the state it writes among others.
//   - unguarded-transition: a state is checked in Go, then written and
//     saved with no expectation on it; or a declared state is written and
//     saved with no expectation on it.
//   - shortcut-save: a guarded save returns success on a path that never
//     reads the expectation.
//   - no-transition: a save of package guard expects a field that it
//     does not change.
//   - invalid-option: an option of package guard names a field the table
//     does not map, has no values, or fences a field the save changes.
//   - save-after-conflict: after a guarded save of an object failed, the
//     object is saved again without the expectation, writing the state
//     the failed save could not.
//   - ignored-conflict: the bool or count of rows through which a guarded
//     save refuses is discarded, so the loser of a race carries on.
//   - directive: a //stateguard: directive is malformed, misplaced,
//     unexplained or unused.
//
// It recognizes guarded saves and transitions by their signatures, by
// //stateguard: directives, through facts from the packages they are
// declared in, and in the API of its own runtime package guard. It reports only what holds on some path of the code and
// stays silent on values it cannot know at compile time.
//
// Flags: -checks=all,-NAME selects the checks by name; -generated also
// reports in generated files. A finding is silenced by
// //stateguard:ignore [CHECKS] REASON on its line or alone on the line
// above, or by //stateguard:file-ignore CHECKS REASON in its file.
// Every check is described, with examples, in the package documentation:
// go doc github.com/stateguard/stateguard/analyzer, or
// https://pkg.go.dev/github.com/stateguard/stateguard/analyzer.
//
// # Guarded saves and transitions
//
// A guarded save writes an object and carries the values that a field F of
// the object may hold beforehand. stateguard recognizes one
//
//   - by convention: a function or method with an object (the receiver,
//     else a parameter) whose type is a struct, or pointer to struct, with
//     a field F of a state type (see below) whose name ends in State,
//     Status, Phase or Stage (in any case), and a parameter named expectedF, currentF, oldF, prevF,
//     previousF or fromF (such as expectedTaskState or currentStatus), or
//     named exactly expected when the object has exactly one field of that
//     type. The parameter's type is F's type, a slice of it, or ... of it,
//     and the function has a result through which it can refuse the save:
//     an error, a bool (applied or not), a count of rows (an int64 or
//     another integer type) or a sql.Result (any value with a
//     RowsAffected method);
//   - by convention, with a query condition: a function or method whose
//     name says it writes (Update, Save, Put, Store, Write, Persist,
//     Upsert, Set, followed by an upper-case letter or nothing), with an
//     object as above and a parameter that carries a condition: a map
//     keyed by strings or an interface (as builder.Cond, sq.Sqlizer, any),
//     or ... of either, named like a condition (cond, condition, where,
//     filter, criteria, predicate) or of a type so named (Cond, Sqlizer,
//     Where, Filter). The condition's entry for the column of F (F, its
//     snake_case form such as task_state for TaskState, or the name its
//     db, gorm or xorm tag gives) is the expectation: a map literal
//     (builder.Eq{"status": X}, sq.Eq{"state": X}, map[string]any{...};
//     a slice value is IN), In("status", A, B) or Eq("status", X), and
//     And and Or of those (sq.And{...}, sq.Or{...}). A nil condition, or
//     one on other columns only, expects nothing of F; a condition filled
//     on some paths, or handed to another function first, is not read;
//   - by convention, with a mutate callback: a function or method whose
//     name says it writes or swaps (the names above, Swap, CAS,
//     CompareAndSwap) with a parameter of func type handed a pointer to a
//     struct T with a state field F, and an expectation of F among its
//     other parameters (expectedF, ..., or a condition), as dagu's
//     CompareAndSwapLatestAttemptStatus(ctx, ref, expectedAttemptID,
//     expectedStatus, mutate func(*DAGRunStatus) error). At a call, the
//     stores to F in the callback (a function literal or a named function)
//     that reach a return which does not certainly fail are the writes;
//   - an UPDATE built by a chain of builder calls in squirrel's style,
//     Update(table).Set(col, v).Where(cond), where col is a state name
//     (state, status, task_state, ...) and the chain has one Where: the
//     condition's entry for col is the expectation, v the value written;
//   - by a //stateguard:save directive on its declaration (see
//     Directives below);
//   - through a fact exported by the package that declares it, so a save
//     declared in one package is checked where another package calls it,
//     also through functions that forward their arguments to it.
//
// A plain save writes an object and carries no expectation: the store
// applies it whatever the object holds. stateguard recognizes one
//
//   - by convention: a function or method (an interface method too) whose
//     name starts with Update, Save, Put, Store, Write, Persist, Upsert or
//     Set followed by the end of the name or a new word (UpdatePipeline,
//     Save, saveJob, save_job; not Settle, Updater; write... and set...
//     in lower case are I/O and setters), with an error result, no
//     expectation parameter, and an object: the one parameter whose type
//     is a struct, or pointer to struct, with a field of a state type
//     whose name ends in State, Status, Phase or Stage, else the receiver
//     when the method is named for saving itself (Save, Update, ... alone
//     or followed by the receiver type's name: Job.SaveJob). A function
//     that also takes []byte or a writer (a Write([]byte) method) writes
//     onto a stream, not a store, as does a Write... method of a receiver
//     that holds a writer; one whose body saves through a guarded save, a
//     transition or package guard is not plain, whatever its name, nor is
//     one that hands a copy of its object (*p) to a function that writes
//     a state field of the copy: what it saves is not the object as its
//     caller has it (its call is a helper's save when helper facts can
//     say what it saves, else no save);
//   - by //stateguard:save object=PARAM with no expect= (see Directives);
//   - through a fact, as a guarded save.
//
// A transition call carries both ends of a state change:
//
//   - by convention: two parameters named (from|old|prev|previous|current|expected)X
//     and (to|new|next|target|desired)X, where X may be empty, of one
//     state type T (the from side may also be []T or ...T, several allowed
//     sources), where T is a named type whose name ends in State, Status,
//     Phase or Stage, or X is such a word (oldStatus, newStatus string), and an
//     error result: a function that cannot fail guards nothing, and
//     validTransition(from, to T) bool only checks a pair.
//     Copy(from, to string) is not a transition;
//   - by a //stateguard:transition directive.
//
// A state type is a string, an integer or a bool type, a named type over
// one, or a pointer to one of those (a nullable state, where nil is
// NULL). An interface, a struct, or a pointer to either is an object, not
// a state, whatever its name: ConflictResolve(ctx, newMutableState,
// currentMutableState MutableState) with an interface MutableState is no
// transition.
//
// A declared state is a named type, or a struct field, whose doc comment
// holds //stateguard:state. A struct field whose type is a declared state
// type is a declared state.
//
// Values are equal when both are the same constant (named constants,
// aliases, iota enumerations; nil equals nil only for a nullable state),
// when they are the same value in the code
// (one local variable used for both), or when the expectation reads the
// field back after the write. Nothing is reported for values unknown at
// compile time, for another object (an element, a field or a variable
// given another pointer between the write and the save is another object,
// as is one at an index that may be the same or in a slice handed to a
// call in between), for an expectation captured before the write
// (prev := s.TaskState), for writes after the save, or for a save whose
// object gets no write to F: such a save is a fence, which only checks
// that nobody else has moved the object.
//
// # Helpers
//
// A write may be made by a function the checked function calls: a
// helper. A function or method is a helper of its object (a parameter,
// or the receiver) when, on every path to a normal return, its last write
// of a state field F of the object (a state-named field of a state type,
// or a declared state) gives F one value, the same on every path: a
// constant, or the value of another of its parameters. Its call counts
// as that write, where the call stands, with the constant or the argument
// passed for that parameter as the value:
//
//	func MarkDraining(n *Node) { n.Status = Draining }
//
//	MarkDraining(n)
//	return SaveNode(ctx, n, Draining) // ineffective-guard: Status is set to Draining by MarkDraining (node.go:12) ...
//
// A helper saves its object when, on every such path, a recognized save
// of the object follows the last write of F; at the call the write is
// then stored, and a save with no expectation on F makes the call itself
// a save of the object that carries none. A struct passed by value is a
// copy: a helper of one counts only when it saves the copy, and the
// caller's object keeps its value. Helpers that call helpers are helpers
// too, through any number of functions and packages: a helper exports
// its writes as a fact, in the style of printf's wrappers. A function
// that writes F on some paths only, writes different values, or recovers
// from a panic is not a helper; neither is a write in a function literal,
// nor a deferred or spawned call of a helper. A call, after the write,
// of a function of the package that writes a state field of the object
// without being a helper of it leaves the field unknown; one of a
// function of another package that is no helper is taken to leave it
// alone. Only the functions
// that assign a state field of a parameter, or call a helper, are
// examined, and a package builds its SSA form for them only when it
// calls a save, or exports such a function that writes an exported
// field or a declared state, or exports one and a save.
//
// A function that returns its parameter on every return (or nil with an
// error) keeps the object's identity across the call, in the same way and
// across packages: after p, err = prepare(ctx, p), p is the object it was.
//
// # The guard package
//
// The saves of package github.com/stateguard/stateguard/guard are
// recognized by its import path, with no directive:
//
//   - (*guard.Table[T]).Save(ctx, store, row, opts...), whose writes are
//     those to row.V.F (also through a pointer holding &row.V), where row
//     is a *guard.Row[T] from Load, Insert, Loaded or a parameter;
//   - (*guard.Table[T]).Update(ctx, store, key, change), whose writes are
//     those of the change function (a function literal or a named
//     function) to its *T parameter, and whose options are what each of
//     its returns with a nil error gives; findings are reported at that
//     return;
//   - a function of the same package that forwards a row and options
//     parameter unchanged to Table.Save, writes no field of the row, and
//     returns Save's error (a service's own save method).
//
// The options are those built by guard.Expect, guard.Fence,
// guard.Preempt, guard.Reentrant and guard.Retries, or by the methods of
// a guard.Field from tbl.MustField("F") or tbl.Field("F") (held in a
// local or a package variable), given directly, spread from a slice
// literal (opts...), or returned by a function of the same package with
// one return that builds the option, or the slice of options, from its
// parameters. A field is named
// by its Go name or its column, resolved against T as guard.NewTable
// does: the column is the name in the `guard` struct tag, else the Go
// name in snake_case (TaskState: task_state); untagged fields are not
// mapped; fields of embedded structs are. The values known are
// constants, nil (NULL), guard.Ptr(C) and &c of a variable holding only
// the constant C, which all stand for C. Nothing is said of values or
// options unknown at compile time (parameters, loaded values, slices
// built with append, helpers with several returns), nor of a type
// NewTable refuses.
//
// For these saves the analyzer reports ineffective-guard, reentrant-guard
// (unless the save has guard.Reentrant for the field), unguarded-transition
// (a field tagged state is written and the save has neither Expect nor
// Preempt for it), no-transition and invalid-option: the refusals of
// guard's Save that the source shows, under guard's names.
//
// # Check ineffective-guard
//
// The value written to the guarded field is the only value the save
// expects, on some path, or a transition call's from equals its to. A
// concurrent duplicate of the action has written the same value, so it
// passes the guard too: two reboots run at once. If the save is meant only
// as a fence, the write is redundant.
//
// Wrong:
//
//	func shelve(ctx context.Context, s *Server) error {
//		s.TaskState = TaskShelving
//		return s.Save(ctx, TaskShelving) // a second shelve passes too
//	}
//
// Right: expect the state the action leaves.
//
//	func shelve(ctx context.Context, s *Server) error {
//		s.TaskState = TaskShelving
//		return s.Save(ctx, TaskNone) // only one of two shelves wins
//	}
//
// Reading the field back after the write is the same mistake:
//
//	s.TaskState = TaskShelving
//	return store.SaveServer(ctx, s, s.TaskState) // expects TaskShelving
//
// Capture the expectation before the write instead:
//
//	prev := s.TaskState
//	s.TaskState = TaskShelving
//	return store.SaveServer(ctx, s, prev)
//
// A condition is an expectation too (see Guarded saves and transitions),
// and so is the expectation of a compare-and-swap whose callback writes
// the state. Wrong:
//
//	job.Status = StatusRunning
//	n, err := UpdateRunJob(ctx, job, builder.Eq{"status": StatusRunning}, "status")
//
//	store.CompareAndSwapStatus(ctx, ref, Queued, func(r *RunStatus) error {
//		r.Status = Queued // the expected status: a second requeue swaps too
//		return nil
//	})
//
// Right: the condition, or the expectation, names the state the object
// leaves.
//
//	job.Status = StatusRunning
//	n, err := UpdateRunJob(ctx, job, builder.Eq{"status": StatusBlocked}, "status")
//
//	store.CompareAndSwapStatus(ctx, ref, Failed, func(r *RunStatus) error {
//		r.Status = Queued
//		return nil
//	})
//
// # Check reentrant-guard
//
// The value written to the guarded field is one of several values the save
// expects. A concurrent duplicate, which sees the state the first one
// wrote, passes the guard. OpenStack Nova's hard reboot accepted
// rebooting_hard among its expected task states, so two hard reboots could
// run at once (bug 1821373 and relatives).
//
// Wrong:
//
//	s.TaskState = TaskRebootingHard
//	return s.Save(ctx, TaskNone, TaskRebooting, TaskRebootingHard)
//
// Right: leave out the state this action writes.
//
//	s.TaskState = TaskRebootingHard
//	return s.Save(ctx, TaskNone, TaskRebooting)
//
// A condition that accepts the written state among others is the same
// mistake, and so is a compare-and-swap whose callback writes one of the
// expected states:
//
//	v.State = to
//	return SaveVolume(ctx, v, sq.Or{sq.Eq{"state": from}, sq.Eq{"state": to}})
//
//	psql.Update("volumes").Set("state", to).
//		Where(sq.Or{sq.Eq{"state": from}, sq.Eq{"state": to}})
//
//	store.SwapStatus(ctx, ref, []Status{Queued, Running}, func(r *RunStatus) error {
//		r.Status = Running
//		return nil
//	})
//
// whatever from and to are: the written value is one of the expected
// ones. Right: sq.Eq{"state": from}, and []Status{Queued}.
//
// If re-entering is intended (the action is idempotent: a repeated
// transition to the same state is a success), say so with
// //stateguard:ignore and the reason, on the line of the call or alone
// on the line above it:
//
//	//stateguard:ignore reentrant-guard a repeated transition to the same state is a success
//	return SaveVolume(ctx, v, sq.Or{sq.Eq{"state": from}, sq.Eq{"state": to}})
//
// # Check unguarded-transition
//
// Check-then-save: a function compares a state field of an object (==,
// !=, a switch, on a loop variable too, in conditions joined by && or ||)
// while the field holds the value loaded with the object (no write of the
// field reaches the comparison), then, on a path the comparison decides,
// writes the field and saves the object with a plain save, or with a save
// that carries no expectation on that field. The check runs in Go, not in
// the store: two concurrent requests both pass it and both save, so two
// approvals of one pipeline both start it, or an approval and a decline
// both succeed. It is reported at the save, with the comparison and the
// write as related information. Not reported: a comparison of another
// object or of another field, a write with no comparison before it (a
// create, a rename), a save with an expectation on the field, and a
// sync.Mutex, sync.RWMutex or sync.Locker locked before the comparison and not
// unlocked before the save (a deferred Unlock included), or a function
// named for running under its caller's lock (fooLocked). A mutex
// serializes one process only: with several replicas of a service, make
// the store check.
//
// Wrong:
//
//	if p.Status != StatusBlocked {
//		return ErrNotBlocked
//	}
//	p.Status = StatusPending
//	return store.UpdatePipeline(p) // saves whatever the stored status is now
//
// Right:
//
//	p.Status = StatusPending
//	return store.UpdatePipelineStatus(p, StatusBlocked) // expectedStatus: the store checks
//
// or, with package guard, pipelines.Save(ctx, st, row, guard.Expect("Status", StatusBlocked)).
//
// Declared states: a declared state (see Guarded saves and transitions)
// is written and then saved by a recognized save that carries no
// expectation for it: the last writer wins, whatever state the object
// was in. No comparison is needed. A plain save of an object the
// function makes itself (&Task{...}, a variable handed to no other call)
// creates it, and is not reported.
//
// Wrong:
//
//	type Invoice struct {
//		// Status is where the invoice is.
//		//
//		//stateguard:state
//		Status string
//	}
//
//	inv.Status = "paid"
//	return store.SaveInvoice(ctx, inv, nil) // no expected status
//
// Right:
//
//	inv.Status = "paid"
//	return store.SaveInvoice(ctx, inv, []string{"open"})
//
// A save with a query condition carries no expectation of the state when
// the condition is nil or names other columns only: UpdateInvoice(ctx,
// inv, nil) or UpdateInvoice(ctx, inv, builder.Eq{"owner": id}) after
// inv.Status = "paid" is reported; builder.Eq{"owner": id, "status":
// "open"} is right.
//
// # Check shortcut-save
//
// The body of a guarded save or transition has a path that returns
// success (every error result a literal nil, and a bool result it
// refuses through not false) without ever reading the expectation
// parameter: a save that returns early when nothing changed,
// or a retry that drops the expectation. Every caller's guard is then
// void on that path. It is reported at the return statement.
//
// Wrong:
//
//	func (s *Server) Save(ctx context.Context, expectedTaskState ...TaskState) error {
//		if !s.dirty {
//			return nil // a duplicate that changed nothing passes unchecked
//		}
//		return s.db.Update(ctx, s, expectedTaskState)
//	}
//
// Right: check the expectation on every path that reports success.
//
//	func (s *Server) Save(ctx context.Context, expectedTaskState ...TaskState) error {
//		return s.db.Update(ctx, s, expectedTaskState)
//	}
//
// # Check no-transition
//
// A save of package guard expects (guard.Expect) a field that no path of
// the function writes before the save, on a row loaded in the function
// and handed to no other function before the save. An expectation guards
// a transition: the field must change. guard refuses such a save at run
// time (ErrNoTransition); a precondition on a field that stays is a
// fence. With guard.Reentrant for the field (the repeat of a reentrant
// action) nothing is reported.
//
// Wrong:
//
//	srv.V.Host = &host
//	return servers.Save(ctx, st, srv, guard.Expect("TaskState", Resizing)) // TaskState stays
//
// Right: say it is a precondition.
//
//	srv.V.Host = &host
//	return servers.Save(ctx, st, srv, guard.Fence("TaskState", Resizing))
//
// # Check invalid-option
//
// An option of a save of package guard names a field or column that the
// table's type does not map (no such field, or a field without a guard
// tag), is an Expect or a Fence with no values, or fences a field that
// the function writes before the save. guard refuses each of these at
// run time with an error whose check is invalid-option; the save never
// runs.
//
// Wrong:
//
//	srv.V.TaskState = guard.Ptr(Shelving)
//	return servers.Save(ctx, st, srv, guard.Expect("Status", nil)) // Server has no Status
//
//	srv.V.TaskState = guard.Ptr(Shelving)
//	return servers.Save(ctx, st, srv, guard.Fence("TaskState", nil)) // it changes
//
// Right: name the field by its Go name or its column, and guard a change
// with Expect.
//
//	srv.V.TaskState = guard.Ptr(Shelving)
//	return servers.Save(ctx, st, srv, guard.Expect("task_state", nil))
//
// # Check save-after-conflict
//
// A guarded save of an object failed, and on that path the object, which
// still holds the state it tried to write, is saved again by a save that
// carries no expectation on that field, with no reload of the object, no
// Row.Reset (for a row of package guard) and no new write of the field in
// between. The second save writes the state the first could not, over
// the action that won the race: OpenStack Nova's bug 1848666, where a
// later save overwrote the DELETING state of a concurrent delete. Every
// kind of guarded save is checked: by convention, by directive, through
// a wrapper and guard's Table.Save. Retrying with the same expectation is
// not reported, nor is a second save reached only after the first
// succeeded. When the field is a declared state (tagged state, for
// guard), the second save is reported as unguarded-transition instead,
// unless it is a guard.Preempt of the field, which is reported here.
//
// Wrong:
//
//	job.V.Stage = "running"
//	if err := jobs.Save(ctx, st, job, guard.Expect("Stage", "queued")); err != nil {
//		job.V.Note = "lost the race"
//		return jobs.Save(ctx, st, job) // writes Stage = "running" too
//	}
//
// Right: discard what the failed save tried to write.
//
//	job.V.Stage = "running"
//	if err := jobs.Save(ctx, st, job, guard.Expect("Stage", "queued")); err != nil {
//		if err := job.Reset(); err != nil {
//			return err
//		}
//		job.V.Note = "lost the race"
//		return jobs.Save(ctx, st, job)
//	}
//
// # Check ignored-conflict
//
// A guarded save or transition that refuses through a result besides its
// error, a bool (false: it did not apply), a count of rows (0) or a
// sql.Result (0 rows affected), is called and that result is discarded:
// assigned to _, never read, or dropped by an expression statement, a
// defer or a go statement. Checking the error alone discards it too: the
// error says the store failed, the bool or count says another action got
// there first. The loser of a concurrent race then carries on as if it
// had won: it reports success, sends the notification, starts the work a
// second time. A result that is read in any way (compared, returned,
// passed on, stored) is not reported, nor is a call with no expectation
// (no values, or a nil condition: it overwrites whatever is stored, so
// its result says nothing of a race), nor are calls in _test.go files.
// Which result refuses is read from the signature: the one bool result,
// else the one integer result, else the one result with a RowsAffected
// method; a named result only when its name says so (ok, applied,
// updated, n, count, rowsAffected; not created or version), only
// predeclared bool and integer types, not named ones, and none for a
// function whose name asks a question (CanTransition, IsAllowed,
// ValidMove): its bool is the answer.
//
// Wrong:
//
//	func (s *Store) UpdateOptimistically(j *Job, currentStatus Status) (bool, error)
//
//	j.Status = StatusRunning
//	if _, err := s.UpdateOptimistically(j, StatusQueued); err != nil {
//		return err
//	}
//	return start(j) // a concurrent claim won, and the job starts twice
//
// Right: treat false as a conflict.
//
//	j.Status = StatusRunning
//	ok, err := s.UpdateOptimistically(j, StatusQueued)
//	if err != nil {
//		return err
//	}
//	if !ok {
//		return ErrConflict
//	}
//	return start(j)
//
// If a best-effort save is intended, say so:
// //stateguard:ignore ignored-conflict REASON.
//
// # Check directive
//
// A //stateguard: directive is malformed (an unknown verb, an unknown or
// missing key, an ignore without a reason), sits where it has no effect
// (a save or transition directive not in the doc comment of a function
// declaration or of a method of an interface type declaration, a state directive not on a type or struct field), names a
// parameter or field that does not exist, or is an ignore directive that
// silences nothing. A directive that does not do what it says hides
// findings or declares nothing. Findings about directives cannot be
// silenced; fix the directive or remove it.
//
// Wrong:
//
//	// stateguard:ignore the fence is intended // a space: this is prose
//	//stateguard:ignore                         // no reason
//	//stateguard:save field=Status expect=want  // on a var, not a func
//	var save = func(t *Task, want string) error { ... }
//
// Right:
//
//	//stateguard:ignore the fence is intended: the caller holds the lock
//
//	//stateguard:save field=Status expect=want
//	func save(t *Task, want string) error { ... }
//
// # Directives
//
// Like //go: directives, a directive is a line comment with no space after
// the slashes. A word starting with // ends it, and the rest of the line is
// a comment.
//
//	//stateguard:save field=F expect=PARAM [object=PARAM]
//
// in the doc comment of a function or method declares it a guarded save of
// field F, with the expected values in parameter expect. The object is
// object, else the receiver (not that of an interface method), else the
// one parameter with a field F. F is
// found as the selector x.F finds it (a promoted field at any depth, but
// not an ambiguous one) and is of a state type.
//
//	//stateguard:save object=PARAM [field=F]
//
// with no expect= declares a plain save of object (a parameter, or the
// receiver by its name), a struct or a pointer to one; field, when given,
// is one of its fields of a state type.
//
//	//stateguard:transition from=PARAM to=PARAM
//
// in the doc comment of a function or method declares it a transition:
// to is of a state type T, from of T, []T or ...T. A function declares
// one save or transition. Both directives also apply to a method in an
// interface type declaration, in its doc comment: every call through the
// interface, in any package, is then that save or transition (a store
// interface's implementations are often out of sight). A directive that
// breaks these rules is reported (check directive) and has no effect; one
// that is not reported applies.
//
//	//stateguard:state
//
// in the doc comment of a type declaration (type T ..., or a type inside a
// type ( ... ) group) or in the doc or line comment of a field of a struct
// type declaration declares a state. The type, or the field's type, must
// be a state type.
//
//	//stateguard:ignore [CHECK[,CHECK...]] REASON
//
// silences the findings on its line, as a trailing comment, or, alone on
// its line, on the line after its comment block: those of the checks it
// names, or all of them when it names none.
//
//	//stateguard:file-ignore CHECK[,CHECK...] REASON
//
// anywhere in a file silences the findings of the checks it names in the
// whole file. See Suppressing findings.
//
// # Suppressing findings
//
// A finding that is intended is silenced where it is reported, with the
// reason:
//
//	return s.Save(ctx, TaskShelving) //stateguard:ignore a fence: the caller holds the shelving lock
//
// or
//
//	//stateguard:ignore deleting twice is harmless: the second delete finds nothing
//	return s.Save(ctx, TaskNone, TaskDeleting)
//
// An ignore may name the checks it silences, as a comma-separated list
// before the reason; it then silences those alone:
//
//	//stateguard:ignore reentrant-guard,ineffective-guard a retry re-enters on purpose
//	return s.Save(ctx, TaskNone, TaskDeleting)
//
// A first word shaped like a check's name (lower-case words joined by
// hyphens) is read as the list, so a misspelt check is reported rather
// than taken for the reason; an ignore without a list silences every
// check on its line. The file-level form always names its checks, and
// silences them in the whole file, wherever it stands in it:
//
//	//stateguard:file-ignore shortcut-save these stubs return early by design
//
// Findings of directive cannot be silenced, and no-transition is not an
// analyzer finding: neither may be named. An ignore directive without a
// reason, one that names an unknown check, and one that silences nothing
// by the end of the package are themselves reported (check directive).
// An ignore that names its checks is reported for each of them that is
// enabled and silenced nothing; one that names none is reported only when
// every check is enabled, as it may be meant for one switched off with
// -checks. golangci-lint's //nolint:stateguard also works under
// golangci-lint, for a whole finding.
//
// Findings in generated files (those with a "// Code generated ... DO NOT
// EDIT." line, see [go/ast.IsGenerated]) are not reported: fix the
// generator. -generated reports them too.
//
// # Flags and settings
//
// Every setting is a field of [Config]; the command-line flags and the
// golangci-lint plugin's settings set the same fields.
//
//	-checks=LIST (setting "checks": [...])
//
// A comma-separated list of check names applied in order: "all" enables
// every check, NAME enables one, -NAME disables one. A list that starts
// with -NAME starts from every check, one that starts with a name from
// none: -checks=-reentrant-guard reports everything else,
// -checks=ineffective-guard only that check. Unknown names are an error.
//
//	-generated (setting "generated": true)
//
// Also report findings in generated files.
//
// # Running it
//
//	go vet -vettool=$(which stateguard) ./...
//	stateguard ./...
//	stateguard -json ./...
//
// or as a golangci-lint v2 module plugin (package plugin).
package analyzer

import (
	_ "embed"
	"strings"
	"sync"
)

//go:embed doc.go
var docGo string

// docSections returns the sections of the package documentation above, by
// heading ("Analyzer stateguard", "Check shortcut-save", ...). They are
// split on first use: a vet tool starts once per package, and only help
// and SARIF output read them.
var docSections = sync.OnceValue(func() map[string]string { return mustDocSections(docGo) })

// doc is the Analyzer's Doc: the "Analyzer stateguard" section of the
// package documentation above, whose first line is the summary.
var doc = mustExtractDoc(docGo, "stateguard")

// checkDescriptions maps each check's name to the first paragraph of its
// "# Check NAME" section above, as one line of plain text.
var checkDescriptions = sync.OnceValue(func() map[string]string { return extractCheckDescriptions(docSections()) })

// CheckDescription returns the first paragraph of the documentation of the
// check named name, as one line of plain text, or "" for an unknown name.
// The SARIF output uses it as each rule's full description.
func CheckDescription(name string) string { return checkDescriptions()[name] }

// CheckDoc returns the whole documentation of the check named name, the
// text of its "# Check NAME" section in plain text (code blocks indented
// by a tab), or "" for an unknown name. stateguard help NAME prints it.
func CheckDoc(name string) string {
	return strings.TrimSpace(docSections()["Check "+name])
}

// docText returns the text of the package doc comment of the Go source
// content, as [go/ast.CommentGroup.Text] gives it, or "" when there is
// none. It reads lines, not Go: the doc comment is the block of //
// comment lines directly above the package clause, and doc.go keeps to
// that form (TestDocText holds it to the parser's reading). Parsing the
// file would cost every vet unit a parse of this whole documentation.
func docText(content string) string {
	var block []string
	for line := range strings.Lines(content) {
		line = strings.TrimRight(line, "\r\n")
		if c, ok := strings.CutPrefix(line, "//"); ok {
			block = append(block, c)
			continue
		}
		if strings.HasPrefix(line, "package ") {
			break
		}
		block = block[:0] // a blank or other line ends a comment group
	}
	return commentText(block)
}

// commentText is CommentGroup.Text of the lines of a comment group, each
// without its //.
func commentText(block []string) string {
	var lines []string
	for _, c := range block {
		if isDirectiveComment(c) {
			continue
		}
		c = strings.TrimPrefix(c, " ")
		c = strings.TrimRight(c, " \t")
		if c == "" && (len(lines) == 0 || lines[len(lines)-1] == "") {
			continue // leading blank lines, and runs of them, go
		}
		lines = append(lines, c)
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	if len(lines) == 0 {
		return ""
	}
	return strings.Join(lines, "\n") + "\n"
}

// isDirectiveComment reports whether the text c after // is a directive
// (go:embed, line, export ...), which CommentGroup.Text leaves out.
func isDirectiveComment(c string) bool {
	if strings.HasPrefix(c, "line ") || strings.HasPrefix(c, "extern ") || strings.HasPrefix(c, "export ") {
		return true
	}
	colon := strings.Index(c, ":")
	if colon <= 0 || colon+1 >= len(c) {
		return false
	}
	for i := range colon + 2 {
		if i == colon {
			continue
		}
		b := c[i]
		if !('a' <= b && b <= 'z' || '0' <= b && b <= '9') {
			return false
		}
	}
	return true
}

// mustDocSections splits the package doc comment in content at its
// headings.
func mustDocSections(content string) map[string]string {
	text := docText(content)
	if text == "" {
		panic("doc.go: no package doc comment")
	}
	out := map[string]string{}
	for section := range strings.SplitSeq(text, "\n# ") {
		heading, body, _ := strings.Cut(section, "\n")
		out[heading] = body
	}
	return out
}

func extractCheckDescriptions(sections map[string]string) map[string]string {
	out := map[string]string{}
	for heading, body := range sections {
		if name, ok := strings.CutPrefix(heading, "Check "); ok {
			para, _, _ := strings.Cut(strings.TrimSpace(body), "\n\n")
			out[name] = strings.Join(strings.Fields(para), " ")
		}
	}
	return out
}

// mustExtractDoc returns the section under the heading "# Analyzer NAME"
// of the package doc comment in content, without the "NAME:" prefix of
// its first line, as x/tools analyzers do. It reads that section's lines
// alone (TestDocText holds it to the parsed sections).
func mustExtractDoc(content, name string) string {
	var block []string
	in := false
	for line := range strings.Lines(content) {
		line = strings.TrimRight(line, "\r\n")
		c, ok := strings.CutPrefix(line, "//")
		if !ok {
			if in {
				break
			}
			continue
		}
		if heading, ok := strings.CutPrefix(c, " # "); ok {
			if in {
				break
			}
			in = heading == "Analyzer "+name
			continue
		}
		if in {
			block = append(block, c)
		}
	}
	if !in {
		panic("doc.go: no 'Analyzer " + name + "' heading")
	}
	body, ok := strings.CutPrefix(strings.TrimSpace(commentText(block)), name+":")
	if !ok {
		panic("doc.go: heading 'Analyzer " + name + "' not followed by '" + name + ": summary'")
	}
	return strings.TrimSpace(body)
}
