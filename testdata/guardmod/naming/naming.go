// Package naming holds struct shapes on which guard.NewTable and the
// analyzer must map the same fields to the same columns.
package naming

import "time"

type Plain struct {
	ID        string `guard:",key"`
	TaskState string `guard:",state"`
	VMState   string `guard:""`
	HTTPPort  int    `guard:""`
	URLPath   string `guard:""`
	UserID    int64  `guard:""`
	A         string `guard:""`
	ABCDef    string `guard:""`
	Name      string `guard:"full_name"`
	Untagged  string
	Skipped   string    `guard:"-"`
	Rev       int64     `guard:"rev,version"`
	When      time.Time `guard:""`
}

type Base struct {
	ID    string `guard:"id,key"`
	Stage string `guard:",state"`
}

type Embeds struct {
	Base
	Host string `guard:""`
}

type Left struct {
	Zone string `guard:""`
}

type Right struct {
	Zone string `guard:"zone2"`
}

// Zone is at the same depth in Left and Right: neither is visible.
type Ambiguous struct {
	ID string `guard:",key"`
	Left
	Right
}

// The shallower Zone hides Left's.
type Shadow struct {
	ID   string `guard:",key"`
	Zone string `guard:"own_zone"`
	Left
}

type Inner struct {
	Phase string `guard:",state"`
}

type Mid struct{ Inner }

type Deep struct {
	ID string `guard:",key"`
	Mid
}

type ViaPointer struct {
	*Base
	Host string `guard:""`
}

type NoKey struct {
	Host string `guard:""`
}

type DupColumn struct {
	ID string `guard:",key"`
	A  string `guard:"x"`
	B  string `guard:"x"`
}

type BadOption struct {
	ID string `guard:",key,primary"`
}

type Unexported struct {
	ID   string `guard:",key"`
	note string `guard:""`
}

type NameClash struct {
	ID        string `guard:",key"`
	TaskState string `guard:"Host"`
	Host      string `guard:"h"`
}

type KeyState struct {
	ID string `guard:",key,state"`
}
