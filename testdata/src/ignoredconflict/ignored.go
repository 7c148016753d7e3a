package ignoredconflict

import (
	"context"
	"database/sql"
	"log"
)

// --- positives: the refusal is discarded ---

func errorOnly(s JobStore, j *Job) error {
	j.Status = Running
	_, err := s.UpdateOptimistically(j, Queued) // want `ignored-conflict: UpdateOptimistically reports through its bool result whether the save applied \(false: the object's Status was no longer the expected one, another action got there first\), and this call discards it: it is assigned to _ and only the error is checked, so the loser of a concurrent race carries on as if it had won; check the bool and treat false as a conflict`
	return err
}

func ifErrorOnly(s JobStore, j *Job) error {
	j.Status = Running
	if _, err := s.UpdateOptimistically(j, Queued); err != nil { // want `ignored-conflict: .* it is assigned to _ and only the error is checked`
		return err
	}
	return start(j)
}

func statement(s JobStore, j *Job) {
	j.Status = Running
	s.UpdateOptimistically(j, Queued) // want `ignored-conflict: .*discards it \(the call is a statement of its own\)`
}

func blanks(s JobStore, j *Job) {
	j.Status = Running
	_, _ = s.UpdateOptimistically(j, Queued) // want `ignored-conflict: .*discards it: it is assigned to _, so`
}

func spawned(s JobStore, j *Job) {
	j.Status = Running
	go s.UpdateOptimistically(j, Queued) // want `ignored-conflict: .*\(a go statement drops the call's results\)`
}

func deferred(s JobStore, j *Job) {
	j.Status = Done
	defer s.UpdateOptimistically(j, Running) // want `ignored-conflict: .*\(a deferred call's results are dropped\)`
	j.Note = "finishing"
}

func overwritten(s JobStore, j *Job) error {
	j.Status = Running
	ok, err := s.UpdateOptimistically(j, Queued) // want `ignored-conflict: .*it is assigned to ok, which is not read before it is overwritten`
	if err != nil {
		return err
	}
	j.Note = "started"
	ok, err = s.UpdateOptimistically(j, Running)
	if err != nil || !ok {
		return ErrConflict
	}
	return nil
}

func transition(s JobStore, j *Job) error {
	_, err := s.UpdateStatusOptimistically(j.ID, Queued, Running) // want `ignored-conflict: UpdateStatusOptimistically reports through its bool result whether the transition applied \(false: the state was no longer the source state`
	return err
}

func counted(ctx context.Context, j *Job) error {
	j.Status = Running
	_, err := UpdateRunJob(ctx, j, Queued, "status") // want `ignored-conflict: UpdateRunJob reports through its count of rows \(int64\) whether the save applied \(0: .*check the count and treat 0 as a conflict`
	return err
}

func result(ctx context.Context, db *sql.DB, j *Job) error {
	j.Status = Running
	_, err := ExecUpdate(ctx, db, j, Queued) // want `ignored-conflict: ExecUpdate reports through its sql.Result whether the save applied \(0 rows affected: .*check its RowsAffected and treat 0 as a conflict`
	return err
}

func tag(j *Job) error {
	j.Status = Running
	_, err := Exec(j, Queued) // want `ignored-conflict: Exec reports through its CommandTag`
	return err
}

func countOnly(j *Job) {
	j.Status = Running
	SetStatus(j, Queued) // want `ignored-conflict: SetStatus reports through its count of rows \(int\)`
}

func swapOnly(j *Job) {
	j.Status = Running
	_ = Swap(j, Queued) // want `ignored-conflict: Swap reports through its bool result .*: it is assigned to _, so`
}

func throughWrapper(svc *Service, j *Job) error {
	j.Status = Running
	_, err := svc.Claim(j, Queued) // want `ignored-conflict: Claim reports through its bool result`
	return err
}

func methodValue(s JobStore, j *Job) error {
	update := s.UpdateOptimistically
	j.Status = Running
	_, err := update(j, Queued) // want `ignored-conflict: UpdateOptimistically`
	return err
}

func inClosure(s JobStore, j *Job) func() error {
	return func() error {
		j.Status = Running
		_, err := s.UpdateOptimistically(j, Queued) // want `ignored-conflict: UpdateOptimistically`
		return err
	}
}

// --- negatives: the refusal is read ---

func checked(s JobStore, j *Job) error {
	j.Status = Running
	ok, err := s.UpdateOptimistically(j, Queued)
	if err != nil {
		return err
	}
	if !ok {
		return ErrConflict
	}
	return start(j)
}

func checkedInline(s JobStore, j *Job) error {
	j.Status = Running
	if ok, err := s.UpdateOptimistically(j, Queued); err != nil || !ok {
		return ErrConflict
	}
	return nil
}

func countCompared(ctx context.Context, j *Job) error {
	j.Status = Running
	n, err := UpdateRunJob(ctx, j, Queued)
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrConflict
	}
	return nil
}

func returned(s JobStore, j *Job) (bool, error) {
	j.Status = Running
	return s.UpdateOptimistically(j, Queued)
}

func returnedCount(j *Job) int {
	j.Status = Running
	return SetStatus(j, Queued)
}

func keptThenUsed(s JobStore, j *Job) (applied bool, err error) {
	j.Status = Running
	ok, err := s.UpdateOptimistically(j, Queued)
	if err != nil {
		return false, err
	}
	applied = ok
	log.Printf("job %s claimed: %v", j.ID, applied)
	return applied, nil
}

func passedOn(s JobStore, j *Job) error {
	j.Status = Running
	return outcome(s.UpdateOptimistically(j, Queued))
}

type tracker struct{ applied bool }

func stored(s JobStore, j *Job, t *tracker) error {
	j.Status = Running
	var err error
	t.applied, err = s.UpdateOptimistically(j, Queued)
	return err
}

func rowsRead(ctx context.Context, db *sql.DB, j *Job) error {
	j.Status = Running
	res, err := ExecUpdate(ctx, db, j, Queued)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return ErrConflict
	}
	return nil
}

func onEveryPath(s JobStore, j *Job, retry bool) error {
	var ok bool
	var err error
	j.Status = Running
	if retry {
		ok, err = s.UpdateOptimistically(j, Queued)
	} else {
		ok, err = s.UpdateOptimistically(j, Done)
	}
	if err == nil && !ok {
		err = ErrConflict
	}
	return err
}

func bestEffort(s JobStore, j *Job) {
	j.Note = "seen"
	//stateguard:ignore ignored-conflict the note is a hint: losing it to a concurrent change is fine
	_, _ = s.UpdateOptimistically(j, j.Status)
}

func errorRefusal(s JobStore, j *Job) error {
	j.Status = Running
	return s.Save(j, Queued) // refuses through its error, which is returned
}

func notARefusal(j *Job) error {
	j.Status = Running
	_, err := Upsert(j, Queued) // created, not applied
	if err != nil {
		return err
	}
	_, err = Bump(j, Running) // a version, not a count
	return err
}

func notASave(j *Job) {
	Valid(j, Running) // no guarded save: a check whose answer is dropped
	_ = Valid(j, Done)
}

func outcome(ok bool, err error) error {
	if err != nil {
		return err
	}
	if !ok {
		return ErrConflict
	}
	return nil
}

func start(*Job) error { return nil }

// Claimed writes job if its status is one of expectedStatus; with none,
// it writes whatever is stored.
func Claimed(job *Job, expectedStatus ...Status) (bool, error) { // want Claimed:`save\(Status of #0, expect=#1\) by convention, refuses by result #0`
	for _, s := range expectedStatus {
		if s == job.Status {
			return false, nil
		}
	}
	return true, nil
}

func noExpectation(j *Job) error {
	j.Note = "overwritten"
	_, err := Claimed(j) // no expectation: nothing to refuse for a race
	return err
}

func someExpectation(j *Job) error {
	j.Status = Running
	_, err := Claimed(j, Queued) // want `ignored-conflict: Claimed`
	return err
}

// Cond is a query condition: a nil one is no condition.
type Cond map[string]any

// Written is a save by directive whose expectation is a condition.
//
//stateguard:save field=Status expect=currentStatus
func Written(job *Job, currentStatus Cond) (int64, error) { // want Written:`save\(Status of #0, expect=#1\) by directive, refuses by result #0`
	if currentStatus == nil {
		return 1, nil
	}
	return 0, nil
}

func nilCondition(j *Job) error {
	j.Note = "touched"
	_, err := Written(j, nil) // no condition: nothing to refuse for a race
	return err
}

// Nullable guards a nullable status: nil is NULL, a real expectation.
func Nullable(job *Lease, expectedStatus *Status) (bool, error) { // want Nullable:`save\(Status of #0, expect=#1\) by convention, refuses by result #0`
	return expectedStatus == nil, nil
}

type Lease struct {
	Status *Status
}

func claimUnowned(l *Lease) error {
	s := Running
	l.Status = &s
	_, err := Nullable(l, nil) // want `ignored-conflict: Nullable`
	return err
}

func askOnly() error {
	_, err := CanTransition(Queued, Running) // a question, not a guarded change
	return err
}
