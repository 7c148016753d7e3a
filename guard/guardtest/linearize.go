package guardtest

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anishathalye/porcupine"

	"github.com/stateguard/stateguard/guard"
)

// The linearizability case has linClients goroutines run loads, guarded
// saves (transitions with an expected set of states, NULL among them) and
// fences against one row, records each call's real call and return times,
// and checks the history with porcupine against the sequential model of a
// compare-and-swap register (casModel): every history must be
// linearizable. It runs linHistories histories of linOps operations per
// client (fewer with -short).
const (
	linClients   = 8
	linHistories = 4
	linOps       = 25
)

// linStates are the task states the case writes; "" stands for NULL.
var linStates = []string{"", "a", "b", "c"}

// regState is the register's value: the row's task_state ("" for NULL) and
// host, which every save sets to a value of its own so that each read
// names the write it saw.
type regState struct{ task, host string }

func (s regState) String() string { return taskString(s.task) + "/" + s.host }

// taskString spells a task state, "" as NULL.
func taskString(task string) string {
	if task == "" {
		return "NULL"
	}
	return task
}

// opKind is the kind of a recorded operation.
type opKind int

const (
	opLoad  opKind = iota
	opSave         // a transition: set task and host where task_state is in expect
	opFence        // a Write with nothing to set: the conditions hold, or not
)

// linInput is what a client asked for.
type linInput struct {
	kind   opKind
	expect []string // the states a save or fence expects ("" is NULL)
	set    regState // what a save writes
}

// linOutput is what the store answered.
type linOutput struct {
	outcome guard.Outcome
	value   regState // what a load read, or the Actual of a mismatch
	unknown bool     // ErrOutcomeUnknown: the save may or may not have applied
}

// casModel is the sequential specification: a register holding a
// regState, a load that returns it, a save that writes its value when the
// register holds one of the expected states and otherwise reports the
// register's value as Actual, and a fence that does the same without
// writing.
var casModel = porcupine.Model{
	Init: func() any { return regState{task: "", host: "h0"} },
	Step: func(state, input, output any) (bool, any) {
		st, in, out := state.(regState), input.(linInput), output.(linOutput)
		holds := slices.Contains(in.expect, st.task)
		switch in.kind {
		case opLoad:
			return out.value == st, st
		case opSave, opFence:
			next := st
			if holds && in.kind == opSave {
				next = in.set
			}
			if out.unknown {
				return true, next
			}
			if holds {
				return out.outcome == guard.Applied, next
			}
			return out.outcome == guard.Mismatch && out.value == st, st
		}
		return false, st
	},
	DescribeOperation: func(input, output any) string { return describeOp(input.(linInput), output.(linOutput)) },
	DescribeState:     func(state any) string { return state.(regState).String() },
}

func describeOp(in linInput, out linOutput) string {
	var res string
	switch {
	case out.unknown:
		res = "unknown"
	case out.outcome == guard.Applied:
		res = "applied"
	case out.outcome == guard.Mismatch:
		res = "mismatch, actual " + out.value.String()
	default:
		res = fmt.Sprintf("outcome %v", out.outcome)
	}
	expect := make([]string, len(in.expect))
	for i, e := range in.expect {
		expect[i] = taskString(e)
	}
	switch in.kind {
	case opLoad:
		return "load → " + out.value.String()
	case opFence:
		return fmt.Sprintf("fence %v → %s", expect, res)
	}
	return fmt.Sprintf("save %s if %v → %s", in.set, expect, res)
}

// linCheck checks history against casModel. When it is not linearizable
// it writes porcupine's visualization to a temporary file and returns a
// description of the history naming that file.
func linCheck(history []porcupine.Operation) (ok bool, report string) {
	res, info := porcupine.CheckOperationsVerbose(casModel, history, time.Minute)
	if res == porcupine.Ok {
		return true, ""
	}
	var sb strings.Builder
	if res == porcupine.Unknown {
		sb.WriteString("the checker did not decide within a minute\n")
	} else {
		sb.WriteString("the history is not linearizable as a compare-and-swap register\n")
	}
	if f, err := os.CreateTemp("", "guardtest-linearizability-*.html"); err == nil {
		if err := porcupine.Visualize(casModel, info, f); err == nil {
			fmt.Fprintf(&sb, "visualization: %s\n", f.Name())
		}
		f.Close()
	}
	sorted := slices.Clone(history)
	slices.SortFunc(sorted, func(a, b porcupine.Operation) int {
		switch {
		case a.Call < b.Call:
			return -1
		case a.Call > b.Call:
			return 1
		}
		return 0
	})
	for _, op := range sorted {
		ret := fmt.Sprint(op.Return)
		if op.Return == math.MaxInt64 {
			ret = "?"
		}
		fmt.Fprintf(&sb, "  client %d [%d, %s] %s\n", op.ClientId, op.Call, ret,
			describeOp(op.Input.(linInput), op.Output.(linOutput)))
	}
	return false, sb.String()
}

// linHistory runs clients goroutines of ops operations each against row
// id of table (which holds NULL/h0) and returns the history. An error
// other than ErrOutcomeUnknown fails the run: a store under contention
// answers, it does not fail.
func linHistory(ctx context.Context, s guard.Store, table, id string, clients, ops int, seed uint64) ([]porcupine.Operation, error) {
	read := []guard.Column{{Name: "task_state", Type: typeStringPtr}, {Name: "host", Type: typeStringPtr}}
	key := keyOf(id)
	start := time.Now()
	now := func() int64 { return int64(time.Since(start)) }
	var (
		mu      sync.Mutex
		history []porcupine.Operation
		errs    []error
	)
	gate := make(chan struct{})
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			rnd := rand.New(rand.NewPCG(seed, uint64(c)))
			<-gate
			for n := range ops {
				runtime.Gosched() // let the clients' operations interleave, even on the memory store
				in := randomInput(rnd, fmt.Sprintf("c%d.%d", c, n))
				var out linOutput
				var err error
				call := now()
				if in.kind == opLoad {
					var vals []any
					vals, err = s.Load(ctx, table, key, read)
					if err == nil {
						out.value, err = regFrom(vals)
					}
				} else {
					var res guard.Result
					res, err = s.Apply(ctx, linWrite(table, key, read, in))
					out.outcome = res.Outcome
					if err == nil && res.Outcome == guard.Mismatch {
						out.value, err = regFrom(res.Actual)
					}
				}
				ret := now()
				if errors.Is(err, guard.ErrOutcomeUnknown) && in.kind != opLoad {
					out, err, ret = linOutput{unknown: true}, nil, math.MaxInt64
				}
				mu.Lock()
				if err != nil {
					errs = append(errs, fmt.Errorf("client %d, %s: %w", c, describeOp(in, out), err))
				} else {
					history = append(history, porcupine.Operation{ClientId: c, Input: in, Call: call, Output: out, Return: ret})
				}
				mu.Unlock()
			}
		})
	}
	close(gate)
	wg.Wait()
	return history, errors.Join(errs...)
}

// randomInput picks an operation: a third loads, most of the rest are
// transitions out of one or two expected states (NULL among them), and
// one in six is a fence.
func randomInput(rnd *rand.Rand, host string) linInput {
	r := rnd.IntN(6)
	if r < 2 {
		return linInput{kind: opLoad}
	}
	expect := []string{linStates[rnd.IntN(len(linStates))]}
	if rnd.IntN(3) == 0 {
		if e := linStates[rnd.IntN(len(linStates))]; e != expect[0] {
			expect = append(expect, e)
		}
	}
	if r == 5 {
		return linInput{kind: opFence, expect: expect}
	}
	return linInput{kind: opSave, expect: expect, set: regState{task: linStates[rnd.IntN(len(linStates))], host: host}}
}

// linWrite is the Write of a save or a fence.
func linWrite(table string, key []guard.Value, read []guard.Column, in linInput) *guard.Write {
	cond := guard.Cond{Column: "task_state"}
	for _, e := range in.expect {
		if e == "" {
			cond.Null = true
		} else {
			cond.Values = append(cond.Values, e)
		}
	}
	w := &guard.Write{Table: table, Key: key, Where: []guard.Cond{cond}, Read: read}
	if in.kind == opSave {
		var task any
		if in.set.task != "" {
			task = in.set.task
		}
		w.Set = []guard.Value{{Column: "task_state", Value: task}, {Column: "host", Value: in.set.host}}
	}
	return w
}

// regFrom reads task_state and host from a Load's or an Actual's values.
func regFrom(vals []any) (regState, error) {
	if len(vals) != 2 {
		return regState{}, fmt.Errorf("%d values, want task_state and host", len(vals))
	}
	var st regState
	for i, p := range []*string{&st.task, &st.host} {
		v, ok := vals[i].(*string)
		if !ok {
			return regState{}, fmt.Errorf("value %d is %T, want *string", i, vals[i])
		}
		if v != nil {
			if *v == "" {
				return regState{}, fmt.Errorf("value %d is the empty string, which the case never writes", i)
			}
			*p = *v
		}
	}
	return st, nil
}

// storeLinearizable runs the linearizability case on b.
func storeLinearizable(t *testing.T, b Backend) {
	histories, ops := linHistories, linOps
	if testing.Short() {
		histories, ops = 2, 10
	}
	s, table := b.open(t)
	failed := 0
	for h := range histories {
		id := fmt.Sprintf("lin%d", h)
		insertRow(t, s, table, row{ID: id, VMState: "active", Host: strp("h0")})
		seed := rand.Uint64()
		history, err := linHistory(ctxOf(t), s, table, id, linClients, ops, seed)
		if err != nil {
			t.Fatalf("%s: history %d: %v", b.Name, h, err)
		}
		t.Logf("%s: history %d: %s", b.Name, h, linSummary(history))
		if ok, report := linCheck(history); !ok {
			failed++
			t.Errorf("%s: history %d of %d operations by %d clients (seed %d): %s", b.Name, h, len(history), linClients, seed, report)
		}
	}
	if failed > 0 {
		t.Logf("%s: %d of %d histories were not linearizable", b.Name, failed, histories)
	}
}

// linSummary counts a history's operations by kind and answer, and those
// that overlapped another client's operation.
func linSummary(history []porcupine.Operation) string {
	var loads, applied, mismatched, unknown, fences, overlapped int
	for i, op := range history {
		in, out := op.Input.(linInput), op.Output.(linOutput)
		switch {
		case in.kind == opLoad:
			loads++
		case out.unknown:
			unknown++
		case in.kind == opFence:
			fences++
		case out.outcome == guard.Applied:
			applied++
		default:
			mismatched++
		}
		for j, other := range history {
			if i != j && other.ClientId != op.ClientId && other.Call <= op.Return && op.Call <= other.Return {
				overlapped++
				break
			}
		}
	}
	return fmt.Sprintf("%d operations, %d concurrent with another: %d loads, %d saves applied, %d refused, %d unknown, %d fences",
		len(history), overlapped, loads, applied, mismatched, unknown, fences)
}
