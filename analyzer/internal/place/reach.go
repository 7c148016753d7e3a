package place

import (
	"go/token"
	"go/types"
	"slices"

	"golang.org/x/tools/go/ssa"
)

// Saves are the instructions of a function that store an object, each
// with the error value it returns (nil when it returns none, or when its
// failure cannot be followed). On the paths where a save succeeds, the
// writes it stored are no longer pending; on its failure path (the error
// known not to be nil) they still are: a retry after a conflict still
// carries them.
type Saves map[ssa.Instruction]ssa.Value

// Reaches reports whether some path leads from instruction from to
// instruction to without passing an instruction for which kill is true,
// nor a save of saves on its way to success.
func Reaches(from, to ssa.Instruction, kill func(ssa.Instruction) bool, saves Saves) bool {
	fb := from.Block()
	if fb == nil || to.Block() == nil {
		return false
	}
	i := slices.Index(fb.Instrs, from)
	if i < 0 {
		return false
	}
	// stored is nil while the write is pending, else the error of the
	// save that stored it.
	type item struct {
		b      *ssa.BasicBlock
		start  int
		stored ssa.Value
	}
	type visit struct {
		b      *ssa.BasicBlock
		stored ssa.Value
	}
	seen := map[visit]bool{}
	work := []item{{fb, i + 1, nil}}
	for len(work) > 0 {
		it := work[len(work)-1]
		work = work[:len(work)-1]
		stored, alive := it.stored, true
		for _, instr := range it.b.Instrs[it.start:] {
			if instr == to && stored == nil {
				return true
			}
			if kill(instr) {
				alive = false
				break
			}
			if e, ok := saves[instr]; ok && instr != to {
				if e == nil {
					alive = false // stored, and its failure cannot be followed
					break
				}
				stored = e
			}
		}
		if !alive {
			continue
		}
		fail := -1
		if stored != nil {
			if ifi, ok := it.b.Instrs[len(it.b.Instrs)-1].(*ssa.If); ok {
				fail = FailureSucc(ifi.Cond, stored)
			}
		}
		for k, succ := range it.b.Succs {
			st := stored
			if k == fail {
				st = nil
			}
			v := visit{succ, st}
			if !seen[v] {
				seen[v] = true
				work = append(work, item{succ, 0, st})
			}
		}
	}
	return false
}

// FailureSucc returns the index of the successor of a branch on cond that
// is taken when err is not nil (err != nil, errors.Is(err, ...),
// errors.As(err, ...)), or -1.
func FailureSucc(cond, err ssa.Value) int {
	switch c := cond.(type) {
	case *ssa.UnOp:
		if c.Op == token.NOT {
			if k := FailureSucc(c.X, err); k >= 0 {
				return 1 - k
			}
		}
	case *ssa.BinOp:
		x, y := Strip(c.X), Strip(c.Y)
		if y == err {
			x, y = y, x
		}
		k, ok := y.(*ssa.Const)
		if x != err || !ok || !k.IsNil() {
			return -1
		}
		switch c.Op {
		case token.NEQ:
			return 0
		case token.EQL:
			return 1
		}
	case *ssa.Call:
		f, ok := c.Call.Value.(*ssa.Function)
		if !ok || f.Pkg == nil || f.Pkg.Pkg.Path() != "errors" || (f.Name() != "Is" && f.Name() != "As") {
			return -1
		}
		if len(c.Call.Args) > 0 && Strip(c.Call.Args[0]) == err {
			return 0
		}
	}
	return -1
}

// RunDefers returns the RunDefers instructions the defer d reaches.
func RunDefers(d *ssa.Defer) []ssa.Instruction {
	none := func(ssa.Instruction) bool { return false }
	var out []ssa.Instruction
	for _, b := range d.Parent().Blocks {
		for _, instr := range b.Instrs {
			if r, ok := instr.(*ssa.RunDefers); ok && Reaches(d, r, none, nil) {
				out = append(out, r)
			}
		}
	}
	return out
}

// A Use is where a save or a read back uses the object: the instruction
// the writes must reach, the loads of its pointer and, for a deferred
// save, the defer, where its pointer was evaluated.
type Use struct {
	At    ssa.Instruction
	Loads Loads
	Defer *ssa.Defer
}

// ReachingWrites returns the writes among ws that reach the use u with no
// other write of the same field of ws in between, nor a successful save of
// saves, made through a pointer that designates the object u uses: the same
// SSA value, or one loaded from the same place with no rebinding of rb
// between the two loads. For a use that evaluates its pointer where it
// happens, that is: no rebinding between the write's load and the write,
// nor on the path from the write to the use.
func ReachingWrites(ws []Write, u Use, saves Saves, rb Rebinds) []Write {
	type overwrite struct {
		at    ssa.Instruction
		field *types.Var
	}
	overwrites := make(map[overwrite]bool, len(ws))
	for _, o := range ws {
		overwrites[overwrite{o.At, o.Field}] = true
	}
	var out []Write
	for _, w := range ws {
		wrb := rb
		if u.Loads.Last != nil && w.Loads.Last == u.Loads.Last {
			wrb = nil // one pointer: one object, whatever the place holds later
		}
		if len(wrb) > 0 && wrb.Between(w.Loads.First, w.At) {
			continue
		}
		if u.Defer != nil && len(wrb) > 0 {
			// The deferred save's pointer was read at the defer: a
			// rebinding after the write and after the defer changes
			// neither pointer.
			if wrb.Between(w.Loads.First, u.Defer) || wrb.Between(u.Defer, w.Loads.First) {
				continue
			}
			wrb = nil
		}
		kill := func(instr ssa.Instruction) bool {
			return wrb[instr] || overwrites[overwrite{instr, w.Field}]
		}
		if Reaches(w.At, u.At, kill, saves) {
			out = append(out, w)
		}
	}
	return out
}

// ReadBack returns the load an expectation value is when it reads field
// of the object key back (s.TaskState), with no rebinding of rb between
// the load of the object and that of the field, or nil.
func ReadBack(v ssa.Value, key Key, field string, rb Rebinds) *ssa.UnOp {
	u, ok := Strip(v).(*ssa.UnOp)
	if !ok || u.Op != token.MUL {
		return nil
	}
	fa, ok := u.X.(*ssa.FieldAddr)
	if !ok {
		return nil
	}
	f := FieldOf(fa)
	if f == nil || f.Name() != field {
		return nil
	}
	if k, load := PointerKey(fa.X); k != key || len(rb) > 0 && rb.Between(load.First, u) {
		return nil
	}
	return u
}

// ReadsWrite reports whether the load l, a read back found by ReadBack,
// reads the value write w stored and has not stored yet: w reaches l with
// no successful save of the object in between (after one, the load reads
// the stored state), and either w dominates l, in the same pass of any
// loop, or w stores a constant, the same in every pass.
func ReadsWrite(w Write, ws []Write, l *ssa.UnOp, saves Saves, rb Rebinds) bool {
	found := false
	_, loads := PointerKey(l.X.(*ssa.FieldAddr).X) // as ReadBack found it
	for _, r := range ReachingWrites(ws, Use{At: l, Loads: loads}, saves, rb) {
		if r == w {
			found = true
		}
	}
	if !found {
		return false
	}
	if w.Val == nil {
		return false
	}
	if _, ok := Strip(w.Val).(*ssa.Const); ok {
		return true
	}
	wb, lb := w.At.Block(), l.Block()
	if wb == lb {
		return slices.Index(wb.Instrs, w.At) < slices.Index(lb.Instrs, ssa.Instruction(l))
	}
	return wb.Dominates(lb)
}
