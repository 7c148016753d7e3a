package guard

// An Option adds an expectation or a permission to a save. Build Options
// with Expect, Fence, Preempt, Reentrant and Retries, or from a Field;
// Attempts is an option of Table.Update. The zero Option is invalid.
type Option struct {
	kind   optKind
	name   string // field name as given
	field  Field  // resolved field, when built from a Field
	values []any
	set    bool // values were given (even if empty)
	n      int
	pre    *canonSet // values in canonical form, when built from a Field
}

type optKind int

const (
	optExpect optKind = iota + 1
	optFence
	optPreempt
	optReentrant
	optRetries
	optAttempts
)

func (k optKind) String() string {
	switch k {
	case optExpect:
		return "Expect"
	case optFence:
		return "Fence"
	case optPreempt:
		return "Preempt"
	case optReentrant:
		return "Reentrant"
	case optRetries:
		return "Retries"
	case optAttempts:
		return "Attempts"
	}
	return "Option"
}

// Expect guards a transition of field: the save must change field, and it
// applies only if the stored value is one of values at the moment of the
// write. A nil value stands for NULL: Expect("TaskState", nil) expects
// NULL, which differs from no expectation at all. values must not be empty.
//
// The save is refused locally, with no I/O, in this order: when field
// changes and values hold only the new value (ineffective-guard), or hold
// it among others without Reentrant(field) (reentrant-guard); when the
// value loaded into the row is not among values (a *ConflictError with
// Local set: the state moved before this request loaded it); and when field
// does not change although its loaded value is expected (no-transition: a
// precondition on a field that stays is a Fence).
//
// field is the Go field name or the column name.
func Expect(field string, values ...any) Option {
	return Option{kind: optExpect, name: field, values: values, set: true}
}

// Fence adds a precondition on a field that this save does not change: the
// save applies only if field holds one of values, as Nova requires the
// task state to still be RESIZE_REVERTING while it moves a server's host.
// A nil value stands for NULL; values must not be empty. Fencing a field
// that changes is refused: that is a transition, use Expect.
func Fence(field string, values ...any) Option {
	return Option{kind: optFence, name: field, values: values, set: true}
}

// Preempt lets a save change the state field with no expectation, on
// purpose: the action overrides whatever runs, as Nova's delete sets
// DELETING whatever the task state. Without it, changing a field tagged
// state with no expectation is refused as unguarded-transition.
func Preempt(field string) Option {
	return Option{kind: optPreempt, name: field}
}

// Reentrant accepts a transition of field whose expected set holds the new
// value among others, on purpose: the action may be repeated while it runs,
// as Nova lets an operator re-issue a hard reboot (bugs 1376384, 1768927).
// Without it such a save is refused as reentrant-guard. The repeat itself
// loads the row already in the new value, so the field does not change:
// with Reentrant that save is not refused as no-transition either, and it
// still performs its conditional write (the expectation holds for the
// loaded value). It does not make an expected set holding only the new
// value acceptable (ineffective-guard).
func Reentrant(field string) Option {
	return Option{kind: optReentrant, name: field}
}

// DefaultRetries is how many times a save is re-sent, with exactly the same
// conditions, when the store matched no row although the values it read
// satisfy every condition (the cause is unknown).
const DefaultRetries = 3

// Retries sets how many times a save whose cause of failure is unknown is
// re-sent with exactly the same conditions (default DefaultRetries; 0
// disables). Conflicts, missing rows and errors are never retried by Save;
// see Retry and Table.Update for retrying a whole read-modify-write.
func Retries(n int) Option {
	return Option{kind: optRetries, n: n}
}

// Attempts sets how many times Table.Update runs its whole
// read-modify-write before it gives up on conflicts found by the store
// (default DefaultAttempts; at least 1). It is an option of Update, not of
// Save.
func Attempts(n int) Option {
	return Option{kind: optAttempts, n: n}
}
