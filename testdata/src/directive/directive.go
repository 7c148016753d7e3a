// Package directive holds well-formed, malformed and misplaced
// //stateguard: directives. It has no guarded save that is called, so every
// finding here is about a directive.
package directive

import "errors"

var errConflict = errors.New("conflict")

// Task is a unit of work.
type Task struct {
	ID int
	// Status is where the task is.
	//
	//stateguard:state
	Status string
	Owner  string //stateguard:state
	Note   string // the owner's //stateguard:state is not a directive here
}

// Job has its state in a field of a declared state type.
type Job struct {
	Phase Phase
}

// Phase is where a job is.
//
//stateguard:state
type Phase string

type (
	// Stage is a declared state type inside a group.
	//
	//stateguard:state
	Stage int

	// Step is not.
	Step int
)

// These group docs are not read for state: each type in a group has its own doc.
//
//stateguard:state // want `directive: //stateguard:state has no effect here: it belongs in the doc comment of a type declaration`
type (
	A int
	B int
)

// Save writes t if its status is still expected.
//
//stateguard:save field=Status expect=expected
func (t *Task) Save(expected string) error {
	if t.Status != expected {
		return errConflict
	}
	return nil
}

// SaveTask writes t if its status is still want; the object is the one
// parameter with a Status field.
//
//stateguard:save field=Status expect=want // the object defaults to t
func SaveTask(id int, t *Task, want string) error {
	if t.Status != want {
		return errConflict
	}
	return nil
}

// SaveExplicit names its object.
//
//stateguard:save field=Status expect=want object=b
func SaveExplicit(a, b *Task, want string) error {
	if b.Status != want {
		return errConflict
	}
	return nil
}

// SaveJob guards a field of a declared state type.
//
//stateguard:save field=Phase expect=from
func SaveJob(j *Job, from Phase) error {
	if j.Phase != from {
		return errConflict
	}
	return nil
}

// Move is a transition.
//
//stateguard:transition from=src to=dst
func Move(id int, src, dst string) error {
	if src == dst {
		return errConflict
	}
	return nil
}

// NoSuchExpect names a parameter it does not have.
//
//stateguard:save field=Status expect=expectedStatus // want `directive: //stateguard:save has no effect: expect=expectedStatus names no parameter of NoSuchExpect; its parameters are t, want`
func NoSuchExpect(t *Task, want string) error {
	if t.Status != want {
		return errConflict
	}
	return nil
}

// ExpectReceiver names the receiver as the expectation.
//
//stateguard:save field=Status expect=t // want `directive: //stateguard:save has no effect: expect=t names the receiver; name the parameter that carries the expected Status`
func (t *Task) ExpectReceiver(want string) error {
	if t.Status != want {
		return errConflict
	}
	return nil
}

// NoSuchObject names an object it does not have.
//
//stateguard:save field=Status expect=want object=task // want `directive: //stateguard:save has no effect: object=task names no parameter or receiver of NoSuchObject; its parameters are t, want`
func NoSuchObject(t *Task, want string) error {
	if t.Status != want {
		return errConflict
	}
	return nil
}

// ObjectIsExpect names one parameter twice.
//
//stateguard:save field=Status expect=t object=t // want `directive: //stateguard:save has no effect: object and expect both name t`
func ObjectIsExpect(t *Task) error {
	if t.Status == "" {
		return errConflict
	}
	return nil
}

// NoObject has no parameter with the field.
//
//stateguard:save field=State expect=want // want `directive: //stateguard:save has no effect: no parameter of NoObject has a field State`
func NoObject(t *Task, want string) error {
	if t.Status != want {
		return errConflict
	}
	return nil
}

// TwoObjects has two parameters with the field.
//
//stateguard:save field=Status expect=want // want `directive: //stateguard:save has no effect: parameters a, b all have a field Status; say which one is saved with object=PARAM`
func TwoObjects(a, b *Task, want string) error {
	if a.Status != want {
		return errConflict
	}
	return nil
}

// ReceiverLacksField saves the receiver, which has no such field.
//
//stateguard:save field=State expect=want // want `directive: //stateguard:save has no effect: the receiver \(of type \*Task\) has no field State`
func (t *Task) ReceiverLacksField(want string) error {
	if t.Status != want {
		return errConflict
	}
	return nil
}

// NotAStruct saves a string.
//
//stateguard:save field=Status expect=want object=s // want `directive: //stateguard:save has no effect: parameter s \(of type string\) has no field Status`
func NotAStruct(s, want string) error {
	if s != want {
		return errConflict
	}
	return nil
}

// BadTransition names a parameter it does not have.
//
//stateguard:transition from=old to=next // want `directive: //stateguard:transition has no effect: from=old names no parameter of BadTransition; its parameters are from, next`
func BadTransition(from, next string) error {
	if from == next {
		return errConflict
	}
	return nil
}

// SameEnds names one parameter for both ends.
//
//stateguard:transition from=s to=s // want `directive: //stateguard:transition has no effect: from and to both name s; a transition has two ends`
func SameEnds(s, t string) error {
	if s == t {
		return errConflict
	}
	return nil
}

// Twice declares two guards; recognition uses the first.
//
//stateguard:save field=Status expect=want
//stateguard:transition from=want to=next // want `directive: //stateguard:transition has no effect: Twice already declares its guard with the directive on line 202; a function has one`
func Twice(t *Task, want, next string) error {
	if t.Status != want || want == next {
		return errConflict
	}
	return nil
}

//stateguard:save field=Status expect=want // want `directive: //stateguard:save has no effect here: it belongs in the doc comment of a func or method declaration`

// Detached has a blank line between it and the directive above.
func Detached(t *Task, want string) error {
	if t.Status != want {
		return errConflict
	}
	return nil
}

// Saver is an interface: a directive on its method applies at every call.
type Saver interface {
	// Save saves.
	//
	//stateguard:save field=Status expect=want
	Save(t *Task, want string) error
}

// F is a function value, not a declaration.
//
//stateguard:transition from=a to=b // want `directive: //stateguard:transition has no effect here`
var F = func(a, b string) {}

// StateOnFunc is not a type.
//
//stateguard:state // want `directive: //stateguard:state has no effect here: it belongs in the doc comment of a type declaration`
func StateOnFunc() {}

// StateOnVar is not a type.
//
//stateguard:state // want `directive: //stateguard:state has no effect here`
var StateOnVar string

func body(t *Task) {
	//stateguard:state // want `directive: //stateguard:state has no effect here`
	var local struct {
		//stateguard:state // want `directive: //stateguard:state has no effect here`
		Status string
	}
	_ = local
}

// Malformed directives.
//
//stateguard:save field=Status // want `directive: malformed directive: //stateguard:save is missing the key expect; write //stateguard:save field=FIELD expect=PARAM \[object=PARAM\]`
//stateguard:transition from=a to=b via=c // want `directive: malformed directive: //stateguard:transition: unknown key "via"`
//stateguard:state Status // want `directive: malformed directive: //stateguard:state takes no arguments, got "Status"`
//stateguard:saves field=Status expect=want // want `directive: malformed directive: unknown directive //stateguard:saves; the directives are save, transition, state, ignore and file-ignore`
func Malformed(t *Task, want string) error {
	if t.Status != want {
		return errConflict
	}
	return nil
}

func nearMisses() {
	//stateguard: // want `directive: malformed directive: //stateguard: is missing its verb`
	// stateguard:save field=Status expect=want // want `directive: malformed directive: a stateguard directive has no space after the slashes: write //stateguard:save`
	// stateguard: this prose is not a directive
}

/*stateguard:state*/ // want `directive: malformed directive: a stateguard directive must be a line comment: write //stateguard:state`
type Block int

func ignores(t *Task) {
	//stateguard:ignore // want `directive: malformed directive: //stateguard:ignore needs a reason`
	t.Status = "x"

	//stateguard:ignore nothing is reported below // want `directive: this //stateguard:ignore silences nothing: stateguard reports no finding on line 280`
	t.Status = "y"
}

// Prose that mentions stateguard: is not a directive, nor is
// "// stateguard: finds guards" or // stateguard:unknown.
func prose() {}

// Putter is an interface whose directives declare nothing: reported as on
// a function.
type Putter interface {
	// Put names a parameter it does not have.
	//
	//stateguard:save field=Status expect=wanted // want `directive: //stateguard:save has no effect: expect=wanted names no parameter of Put; its parameters are t, want`
	Put(t *Task, want string) error

	// Move is a transition; its second directive declares nothing.
	//
	//stateguard:transition from=from to=to
	//stateguard:save field=Status expect=from // want `directive: //stateguard:save has no effect: Move already declares its guard with the directive on line \d+; a function has one`
	Move(t *Task, from, to string) error
}

// Nested holds an interface type in a field: its methods are no
// declarations a caller names.
type Nested struct {
	S interface {
		//stateguard:save field=Status expect=want // want `directive: //stateguard:save has no effect here: it belongs in the doc comment of a func or method declaration, or of a method in an interface type declaration`
		Save(t *Task, want string) error
	}
}
