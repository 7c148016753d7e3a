package guardtest

import (
	"context"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/anishathalye/porcupine"

	"github.com/stateguard/stateguard/guard"
)

func hload(client int, call, ret int64, task, host string) porcupine.Operation {
	return porcupine.Operation{ClientId: client, Input: linInput{kind: opLoad}, Call: call, Return: ret,
		Output: linOutput{value: regState{task, host}}}
}

func hsave(client int, call, ret int64, expect []string, task, host string, out linOutput) porcupine.Operation {
	return porcupine.Operation{ClientId: client, Input: linInput{kind: opSave, expect: expect, set: regState{task, host}},
		Call: call, Return: ret, Output: out}
}

var (
	applied = linOutput{outcome: guard.Applied}
	unknown = linOutput{unknown: true}
)

func mismatch(task, host string) linOutput {
	return linOutput{outcome: guard.Mismatch, value: regState{task, host}}
}

// The checker accepts the histories a compare-and-swap register can give
// and rejects the others, and a rejection names a visualization that was
// written.
func TestLinCheck(t *testing.T) {
	null := []string{""}
	for _, tc := range []struct {
		name    string
		history []porcupine.Operation
		ok      bool
	}{
		{"a load concurrent with a save sees either state", []porcupine.Operation{
			hsave(0, 0, 10, null, "a", "x", applied), hload(1, 5, 15, "", "h0"), hload(2, 6, 16, "a", "x")}, true},
		{"an unknown save may have applied", []porcupine.Operation{
			hsave(0, 0, math.MaxInt64, null, "a", "x", unknown), hload(1, 20, 30, "a", "x")}, true},
		{"an unknown save may not have applied", []porcupine.Operation{
			hsave(0, 0, math.MaxInt64, null, "a", "x", unknown), hload(1, 20, 30, "", "h0")}, true},
		{"NULL among the expected states", []porcupine.Operation{
			hsave(0, 0, 10, []string{"b", ""}, "a", "x", applied), hsave(1, 20, 30, null, "b", "y", mismatch("a", "x"))}, true},
		{"a stale load after a save returned", []porcupine.Operation{
			hsave(0, 0, 10, null, "a", "x", applied), hload(1, 20, 30, "", "h0")}, false},
		{"two saves out of one state, one after the other", []porcupine.Operation{
			hsave(0, 0, 10, null, "a", "x", applied), hsave(1, 20, 30, null, "b", "y", applied)}, false},
		{"two concurrent saves out of one state", []porcupine.Operation{
			hsave(0, 0, 10, null, "a", "x", applied), hsave(1, 0, 10, null, "b", "y", applied)}, false},
		{"a mismatch whose actual state was expected", []porcupine.Operation{
			hsave(0, 0, 10, null, "a", "x", mismatch("", "h0"))}, false},
		{"a mismatch reporting a state the row never held", []porcupine.Operation{
			hsave(0, 0, 10, []string{"b"}, "a", "x", mismatch("c", "z"))}, false},
		{"a fence that held on a state not expected", []porcupine.Operation{
			{ClientId: 0, Input: linInput{kind: opFence, expect: []string{"a"}}, Call: 0, Return: 10, Output: applied}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ok, report := linCheck(tc.history)
			if ok != tc.ok {
				t.Fatalf("linCheck = %v, want %v\n%s", ok, tc.ok, report)
			}
			if ok {
				return
			}
			m := regexp.MustCompile(`visualization: (\S+)`).FindStringSubmatch(report)
			if m == nil {
				t.Fatalf("the report names no visualization:\n%s", report)
			}
			defer os.Remove(m[1])
			if b, err := os.ReadFile(m[1]); err != nil || !strings.Contains(string(b), "<html") {
				t.Fatalf("visualization %s: %d bytes, %v", m[1], len(b), err)
			}
		})
	}
}

// ignoresConditions applies every save whatever the row's state, as a
// store that dropped its WHERE would.
type ignoresConditions struct{ guard.Store }

func (s ignoresConditions) Apply(ctx context.Context, w *guard.Write) (guard.Result, error) {
	if len(w.Set) > 0 {
		c := *w
		c.Where = nil
		w = &c
	}
	return s.Store.Apply(ctx, w)
}

// The case rejects a store that is not a compare-and-swap register, from
// one client (the same history every run) and from eight, and accepts the
// memory store.
func TestLinearizableRejectsBrokenStore(t *testing.T) {
	for _, tc := range []struct {
		name    string
		broken  bool
		clients int
	}{
		{"memory", false, linClients},
		{"ignores conditions, one client", true, 1},
		{"ignores conditions", true, linClients},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := guard.NewMemory()
			if err := m.CreateTable("t", []string{Key}, Columns...); err != nil {
				t.Fatal(err)
			}
			var s guard.Store = m
			if tc.broken {
				s = ignoresConditions{m}
			}
			insertRow(t, s, "t", row{ID: "r", VMState: "active", Host: strp("h0")})
			history, err := linHistory(t.Context(), s, "t", "r", tc.clients, linOps, 1)
			if err != nil {
				t.Fatal(err)
			}
			ok, report := linCheck(history)
			if ok == tc.broken {
				t.Fatalf("linCheck = %v on %d operations\n%s", ok, len(history), report)
			}
			if m := regexp.MustCompile(`visualization: (\S+)`).FindStringSubmatch(report); m != nil {
				os.Remove(m[1])
			}
		})
	}
}
