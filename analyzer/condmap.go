package analyzer

import (
	"go/constant"
	"go/types"
	"reflect"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/tools/go/ssa"

	"github.com/stateguard/stateguard/analyzer/internal/place"
)

// Saves whose expectation is a query condition: the object is saved where
// a condition holds, and the condition is a map keyed by column names
// (xorm's builder.Eq, squirrel's sq.Eq, a map[string]any), a constructor
// of one (builder.In("status", A, B)), or a conjunction or disjunction of
// those. The condition's entry for the state's column is the expectation;
// a nil condition, or one on other columns only, expects nothing of the
// state.

// camelWords splits a Go name into its words: at underscores, before an
// upper-case letter that follows a lower-case letter or a digit, and
// before the last upper-case letter of a run followed by a lower-case
// one (DAGRunStatus: DAG Run Status).
func camelWords(name string) []string {
	return camelWordsN(name, -1)
}

// camelWordsN returns the first n words of camelWords(name) (all of them
// when n < 0), without splitting the rest of the name.
func camelWordsN(name string, n int) []string {
	return appendCamelWords(nil, name, n)
}

// appendCamelWords appends the first n words of camelWords(name) (all of
// them when n < 0) to dst and returns it. The words are substrings of
// name, so a caller with room in dst allocates nothing (saysWrites runs
// for every function a package calls).
func appendCamelWords(dst []string, name string, n int) []string {
	start, count := 0, 0
	flush := func(end int) {
		if end > start {
			dst = append(dst, name[start:end])
			count++
		}
		start = end
	}
	prev := utf8.RuneError
	for i, r := range name {
		if n >= 0 && count >= n {
			return dst
		}
		switch {
		case r == '_':
			flush(i)
			start = i + 1
		case i > start && unicode.IsUpper(r):
			_, size := utf8.DecodeRuneInString(name[i:])
			next, _ := utf8.DecodeRuneInString(name[i+size:])
			if unicode.IsLower(prev) || unicode.IsDigit(prev) || (unicode.IsUpper(prev) && unicode.IsLower(next)) {
				flush(i)
			}
		}
		prev = r
	}
	if n < 0 || count < n {
		flush(len(name))
	}
	return dst
}

// snakeCase returns the snake_case form of a Go name: TaskState is
// task_state.
func snakeCase(name string) string {
	return strings.ToLower(strings.Join(camelWords(name), "_"))
}

// writeVerbs are the first words of a name that says it writes an object.
var writeVerbs = map[string]bool{
	"update": true, "save": true, "put": true, "store": true, "write": true,
	"persist": true, "upsert": true, "set": true, "swap": true, "cas": true,
}

// saysWrites reports whether a function's name says it writes: its first
// word is a write verb (UpdateRunJob, saveJob, CASStatus), or it starts
// with CompareAndSwap.
func saysWrites(name string) bool {
	var buf [3]string
	w := appendCamelWords(buf[:0], name, len(buf))
	if len(w) == 0 {
		return false
	}
	if isWriteVerb(w[0]) {
		return true
	}
	return len(w) >= 3 && strings.EqualFold(w[0], "compare") && strings.EqualFold(w[1], "and") && strings.EqualFold(w[2], "swap")
}

// isWriteVerb reports whether word is one of writeVerbs, in any case,
// without allocating.
func isWriteVerb(word string) bool {
	if len(word) > len("persist") {
		return false
	}
	var buf [len("persist")]byte
	for i := range len(word) {
		c := word[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		buf[i] = c
	}
	return writeVerbs[string(buf[:len(word)])]
}

// condWords are the words that name a condition, in a parameter's name or
// its type's.
var condWords = map[string]bool{
	"cond": true, "conds": true, "condition": true, "conditions": true,
	"where": true, "filter": true, "filters": true, "criteria": true,
	"predicate": true, "predicates": true, "sqlizer": true,
}

func hasCondWord(name string) bool {
	for _, w := range camelWords(name) {
		if condWords[strings.ToLower(w)] {
			return true
		}
	}
	return false
}

// isCondParam reports whether parameter p carries a query condition: its
// type is a map keyed by strings or an interface (such a map is passed as
// one), or ... of either, and its name or its type's name says condition
// (cond, where, filter, builder.Cond, sq.Sqlizer). A map named fields or
// values is what a save sets, not what it expects.
func isCondParam(p *types.Var) bool {
	t := p.Type()
	if e := elemOf(t); e != nil {
		t = e
	}
	if !isStringMap(t) && !isCondInterface(t) {
		return false
	}
	if hasCondWord(p.Name()) {
		return true
	}
	switch n := t.(type) {
	case *types.Named:
		return hasCondWord(n.Obj().Name())
	case *types.Alias:
		return hasCondWord(n.Obj().Name())
	}
	return false
}

func isStringMap(t types.Type) bool {
	m, ok := t.Underlying().(*types.Map)
	if !ok {
		return false
	}
	b, ok := m.Key().Underlying().(*types.Basic)
	return ok && b.Info()&types.IsString != 0
}

func isCondInterface(t types.Type) bool {
	if _, ok := types.Unalias(t).(*types.TypeParam); ok {
		return false
	}
	_, ok := t.Underlying().(*types.Interface)
	return ok && !types.Identical(t, errorType)
}

// conditionSave recognizes a save whose expectation is a query condition:
// a name that says it writes, an object (a parameter, else the receiver)
// with state fields, and a condition parameter (isCondParam). Every state
// field of the object is guarded by the condition.
func conditionSave(name string, sig *types.Signature) *guardSpec {
	if !saysWrites(name) {
		return nil
	}
	params := sig.Params()
	cond := -1
	for i := range params.Len() {
		if isCondParam(params.At(i)) {
			cond = i
			break
		}
	}
	if cond < 0 {
		return nil
	}
	try := func(obj int, t types.Type) *guardSpec {
		st := structOf(t)
		if st == nil {
			return nil
		}
		var guards []fieldGuard
		seen := map[string]bool{}
		for _, f := range fieldsOf(st) {
			if isStateName(f.Name()) && isStateType(f.Type()) && !seen[f.Name()] {
				seen[f.Name()] = true
				guards = append(guards, fieldGuard{f.Name(), cond})
			}
		}
		if len(guards) == 0 {
			return nil
		}
		return &guardSpec{kind: kindSave, object: obj, guards: guards, how: "convention"}
	}
	for i := range params.Len() {
		if i == cond {
			continue
		}
		if s := try(i, params.At(i).Type()); s != nil {
			return s
		}
	}
	if r := sig.Recv(); r != nil {
		return try(receiverIndex, r.Type())
	}
	return nil
}

// condGuard reports whether the guard g of the save called at s takes its
// expectation from a condition rather than from values of the field.
func condGuard(s *callSite, g fieldGuard) bool {
	sig, ok := s.callee.Type().(*types.Signature)
	if !ok || g.expect < 0 || g.expect >= sig.Params().Len() {
		return false
	}
	p := sig.Params().At(g.expect)
	if !isCondParam(p) {
		return false
	}
	if ft := fieldType(s, g.field); ft != nil && acceptsValuesOf(p.Type(), ft) {
		return false
	}
	return true
}

// objectStruct returns the struct type of the object the save called at s
// writes: its object parameter's, or for a save through a callback the
// struct the callback is handed.
func objectStruct(s *callSite) *types.Struct {
	t := s.paramType(s.spec.object)
	if sig, ok := t.Underlying().(*types.Signature); ok {
		if i := callbackObject(sig, s.spec.guards); i >= 0 {
			t = sig.Params().At(i).Type()
		}
	}
	return structOf(t)
}

// fieldType returns the type of the object's field named field, or nil.
func fieldType(s *callSite, field string) types.Type {
	if st := objectStruct(s); st != nil {
		for _, f := range fieldsOf(st) {
			if f.Name() == field {
				return f.Type()
			}
		}
	}
	return nil
}

// columnsOf returns the column names a condition may use for field: the
// name itself, its snake_case form and the names its struct tags give
// (db:"x", gorm:"column:x", xorm:"'x'"), all in lower case.
func columnsOf(st *types.Struct, field string) map[string]bool {
	cols := map[string]bool{strings.ToLower(field): true, snakeCase(field): true}
	var walk func(st *types.Struct, depth int)
	walk = func(st *types.Struct, depth int) {
		if st == nil || depth > 4 {
			return
		}
		for i := range st.NumFields() {
			f := st.Field(i)
			if f.Embedded() {
				walk(structOf(f.Type()), depth+1)
				continue
			}
			if f.Name() != field {
				continue
			}
			tag := reflect.StructTag(st.Tag(i))
			if v, ok := tag.Lookup("db"); ok {
				if n, _, _ := strings.Cut(v, ","); n != "" && n != "-" {
					cols[strings.ToLower(n)] = true
				}
			}
			for _, part := range strings.Split(tag.Get("gorm"), ";") {
				if n, ok := strings.CutPrefix(strings.TrimSpace(part), "column:"); ok && n != "" {
					cols[strings.ToLower(n)] = true
				}
			}
			for _, part := range strings.Fields(tag.Get("xorm")) {
				if len(part) > 2 && part[0] == '\'' && part[len(part)-1] == '\'' {
					cols[strings.ToLower(part[1:len(part)-1])] = true
				}
			}
		}
	}
	walk(st, 0)
	return cols
}

// columnKey normalizes a condition's key: no quotes, no table qualifier,
// lower case ("`t`.`status`" is status).
func columnKey(k string) string {
	k = strings.TrimSpace(k)
	if i := strings.LastIndexByte(k, '.'); i >= 0 {
		k = k[i+1:]
	}
	k = strings.Trim(k, "`\"'[] ")
	return strings.ToLower(k)
}

// condExpected returns the values the condition argument v expects of the
// column cols names, as expected does for a parameter of the field's type:
// known with no values when v is nil or constrains other columns only.
func condExpected(v ssa.Value, cols map[string]bool, at ssa.Instruction) (vals []ssa.Value, known bool) {
	c := condOf(v, cols, at, 0)
	if !c.known || !c.constrains {
		return nil, c.known
	}
	return c.vals, true
}

// A condSet is what a condition says of one column: nothing (constrains
// false), or that it holds one of vals; known is false when the condition
// cannot be read at compile time.
type condSet struct {
	vals       []ssa.Value
	constrains bool
	known      bool
}

var unknownCond = condSet{}

func condOf(v ssa.Value, cols map[string]bool, at ssa.Instruction, depth int) condSet {
	if v == nil || depth > 8 {
		return unknownCond
	}
	if k, ok := v.(*ssa.Const); ok && k.IsNil() {
		return condSet{known: true} // no condition
	}
	v = place.Strip(v)
	switch v := v.(type) {
	case *ssa.Const:
		if v.IsNil() {
			return condSet{known: true}
		}
	case *ssa.MakeMap:
		return mapCond(v, cols, at)
	case *ssa.Slice:
		// sq.And{...}, sq.Or{...}, or ...Cond of the save itself.
		parts, ok := sliceLiteral(v)
		if !ok {
			return unknownCond
		}
		if n, ok := types.Unalias(v.Type()).(*types.Named); ok && strings.EqualFold(n.Obj().Name(), "or") {
			return orConds(parts, cols, at, depth)
		}
		if n, ok := types.Unalias(v.Type()).(*types.Named); ok && !strings.EqualFold(n.Obj().Name(), "and") {
			return unknownCond
		}
		return andConds(parts, cols, at, depth)
	case *ssa.Call:
		return callCond(v, cols, at, depth)
	}
	return unknownCond
}

// mapCond reads a map literal: every entry is an equality (an IN for a
// slice value), all of which must hold.
func mapCond(m *ssa.MakeMap, cols map[string]bool, at ssa.Instruction) condSet {
	out := condSet{known: true}
	for _, r := range *m.Referrers() {
		switch r := r.(type) {
		case *ssa.MapUpdate:
			if r.Map != m || r.Block() != m.Block() {
				return unknownCond // filled on some path only
			}
			k, ok := place.Strip(r.Key).(*ssa.Const)
			if !ok || k.Value == nil || k.Value.Kind() != constant.String {
				return unknownCond
			}
			if !cols[columnKey(constant.StringVal(k.Value))] {
				continue
			}
			if out.constrains {
				return unknownCond // two entries for one column
			}
			vals, ok := condValues([]ssa.Value{r.Value})
			if !ok {
				return unknownCond
			}
			out.vals, out.constrains = vals, true
		case *ssa.MakeInterface, *ssa.ChangeType, *ssa.DebugRef, *ssa.Lookup:
		case ssa.CallInstruction:
			if r != at {
				return unknownCond // handed to something that may fill it
			}
		default:
			return unknownCond // handed to something that may fill it
		}
	}
	return out
}

// condValues returns the values of a condition's entry or a constructor's
// arguments: each value itself, or the elements of a slice literal (IN).
func condValues(args []ssa.Value) ([]ssa.Value, bool) {
	var out []ssa.Value
	for _, a := range args {
		if k, ok := a.(*ssa.Const); ok && k.IsNil() {
			return nil, false // IS NULL, or nothing
		}
		a = place.Strip(a)
		if k, ok := a.(*ssa.Const); ok && k.IsNil() {
			return nil, false
		}
		if elemOf(a.Type()) != nil {
			s, ok := a.(*ssa.Slice)
			if !ok {
				return nil, false
			}
			vs, ok := sliceLiteral(s)
			if !ok {
				return nil, false
			}
			for _, e := range vs {
				out = append(out, place.Strip(e))
			}
			continue
		}
		out = append(out, a)
	}
	return out, len(out) > 0
}

// callCond reads a constructor: In(col, values...) or Eq(col, value),
// And(conds...), Or(conds...).
func callCond(call *ssa.Call, cols map[string]bool, at ssa.Instruction, depth int) condSet {
	common := call.Common()
	if common.IsInvoke() {
		return unknownCond
	}
	fn, ok := common.Value.(*ssa.Function)
	if !ok || fn.Signature.Recv() != nil {
		return unknownCond
	}
	args := common.Args
	switch strings.ToLower(fn.Name()) {
	case "in", "eq", "equal", "equals":
		if len(args) < 2 {
			return unknownCond
		}
		k, ok := place.Strip(args[0]).(*ssa.Const)
		if !ok || k.Value == nil || k.Value.Kind() != constant.String {
			return unknownCond
		}
		if !cols[columnKey(constant.StringVal(k.Value))] {
			return condSet{known: true}
		}
		var vals []ssa.Value
		rest := args[1:]
		if fn.Signature.Variadic() && len(rest) == 1 {
			s, ok := place.Strip(rest[0]).(*ssa.Slice)
			if !ok {
				return unknownCond
			}
			if rest, ok = sliceLiteral(s); !ok {
				return unknownCond
			}
		}
		vals, ok = condValues(rest)
		if !ok {
			return unknownCond
		}
		return condSet{vals: vals, constrains: true, known: true}
	case "and", "or":
		var parts []ssa.Value
		for i, a := range args {
			if fn.Signature.Variadic() && i == len(args)-1 {
				if k, ok := a.(*ssa.Const); ok && k.IsNil() {
					continue
				}
				s, ok := place.Strip(a).(*ssa.Slice)
				if !ok {
					return unknownCond
				}
				elems, ok := sliceLiteral(s)
				if !ok {
					return unknownCond
				}
				parts = append(parts, elems...)
				continue
			}
			parts = append(parts, a)
		}
		if strings.EqualFold(fn.Name(), "or") {
			return orConds(parts, cols, at, depth)
		}
		return andConds(parts, cols, at, depth)
	}
	return unknownCond
}

// andConds: the one part that constrains the column says what all do;
// two that do are beyond this reading.
func andConds(parts []ssa.Value, cols map[string]bool, at ssa.Instruction, depth int) condSet {
	out := condSet{known: true}
	for _, p := range parts {
		c := condOf(p, cols, at, depth+1)
		if !c.known {
			return unknownCond
		}
		if c.constrains {
			if out.constrains {
				return unknownCond
			}
			out = c
		}
	}
	return out
}

// orConds: every part must constrain the column, else the condition holds
// whatever the column is; the values are those of all parts.
func orConds(parts []ssa.Value, cols map[string]bool, at ssa.Instruction, depth int) condSet {
	out := condSet{known: true, constrains: len(parts) > 0}
	for _, p := range parts {
		c := condOf(p, cols, at, depth+1)
		if !c.known {
			return unknownCond
		}
		if !c.constrains {
			out.constrains = false
		}
		out.vals = append(out.vals, c.vals...)
	}
	if !out.constrains {
		out.vals = nil
	}
	return out
}

// expectation returns the values the save called at s expects of field g,
// from an expectation parameter (expected) or from a condition.
func (c *callChecker) expectation(s *callSite, g fieldGuard, fieldT types.Type) ([]ssa.Value, bool) {
	if condGuard(s, g) {
		st := objectStruct(s)
		if st == nil {
			return nil, false
		}
		return condExpected(s.arg(g.expect), columnsOf(st, g.field), s.instr)
	}
	return expected(s.arg(g.expect), s.paramType(g.expect), fieldT)
}

// unguardedText is unguardedMessage, saying for a save with a condition
// that the condition is nil or names other columns.
func (c *callChecker) unguardedText(s *callSite, state, val string, sameField bool) string {
	if g, ok := s.spec.guardOn(state); ok && sameField && condGuard(s, g) {
		what := "a condition on other columns than " + snakeCase(state)
		if k, ok := s.arg(g.expect).(*ssa.Const); ok && k.IsNil() {
			what = "a nil condition"
		}
		return state + " is declared a state and is set to " + val + ", then saved by " +
			s.callee.Name() + " with " + what + ", so of two concurrent actions the last writer silently wins; " +
			"put the state this action leaves in the condition (as {\"" + snakeCase(state) + "\": previous}), or, if overwriting whatever runs is intended, " +
			"say so with //stateguard:ignore REASON"
	}
	return unguardedMessage(state, val, s.callee.Name(), s.spec.guards, sameField)
}

// savedColumns drops from ws the writes to fields the save called at s
// does not store: a save with a variadic column list (cols ...string, as
// xorm's Cols) given as constants stores only those columns, and a write
// to any other field stays in memory. With no columns given it stores
// them all.
func savedColumns(s *callSite, ws []place.Write) []place.Write {
	sig, ok := s.callee.Type().(*types.Signature)
	if !ok || !sig.Variadic() || len(ws) == 0 {
		return ws
	}
	last := sig.Params().At(sig.Params().Len() - 1)
	if e := elemOf(last.Type()); e == nil || !types.Identical(e, types.Typ[types.String]) {
		return ws
	}
	named := false
	for _, w := range camelWords(last.Name()) {
		switch strings.ToLower(w) {
		case "col", "cols", "column", "columns":
			named = true
		}
	}
	if !named {
		return ws
	}
	arg := s.arg(sig.Params().Len() - 1)
	if k, ok := arg.(*ssa.Const); ok && k.IsNil() {
		return ws // no list: every column
	}
	sl, ok := arg.(*ssa.Slice)
	if !ok {
		return ws
	}
	elems, ok := sliceLiteral(sl)
	if !ok || len(elems) == 0 {
		return ws
	}
	listed := map[string]bool{}
	for _, e := range elems {
		k, ok := e.(*ssa.Const)
		if !ok || k.Value == nil || k.Value.Kind() != constant.String {
			return ws // a column computed at run time: any
		}
		listed[columnKey(constant.StringVal(k.Value))] = true
	}
	st := objectStruct(s)
	if st == nil {
		return ws
	}
	var out []place.Write
	for _, w := range ws {
		for col := range columnsOf(st, w.Field.Name()) {
			if listed[col] {
				out = append(out, w)
				break
			}
		}
	}
	return out
}
