package sqlitestore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/sqlitestore"
)

// TestInstructionProbe is run by scripts/guardinstr.sh under valgrind's
// callgrind, which counts instructions: a measure that does not move with
// the machine's load, unlike the times of SQLite statements. It sets up one
// table, then makes STATEGUARD_INSTR_N guarded saves (MODE=guard) or as
// many hand-written conditional UPDATEs of the same shape (MODE=hand),
// with a context that cannot end, or with one that can (MODE=guardctx,
// handctx: a request's context, which the driver watches during every
// statement); the script subtracts a run with N=0 and divides. Without
// STATEGUARD_INSTR_MODE it runs both modes a few times and checks that
// each operation did what the script counts: every save and UPDATE
// applied, the row ends in the last state written, and a save with the
// stale expectation is refused.
func TestInstructionProbe(t *testing.T) {
	mode := os.Getenv("STATEGUARD_INSTR_MODE")
	if mode == "" {
		for _, mode := range []string{"guard", "hand", "guardctx", "handctx"} {
			t.Run(mode, func(t *testing.T) { instructionProbe(t, mode, 5, true) })
		}
		return
	}
	n, err := strconv.Atoi(os.Getenv("STATEGUARD_INSTR_N"))
	if err != nil {
		t.Fatalf("STATEGUARD_INSTR_N: %v", err)
	}
	instructionProbe(t, mode, n, false)
}

// instructionProbe makes n operations of mode; check also verifies their
// outcome, outside what the script counts.
func instructionProbe(t *testing.T, mode string, n int, check bool) {
	db, err := sqlitestore.Open(filepath.Join(t.TempDir(), "probe.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE servers (id TEXT PRIMARY KEY, task_state TEXT NULL, host TEXT NULL)`); err != nil {
		t.Fatal(err)
	}
	s := sqlitestore.New(db)
	ctx := context.Background()
	// The ...ctx modes run with a context that can end (and never does),
	// as a request's context: the driver watches it during each statement.
	opCtx := ctx
	if strings.HasSuffix(mode, "ctx") {
		c, cancel := context.WithCancel(ctx)
		defer cancel()
		opCtx = c
		mode = strings.TrimSuffix(mode, "ctx")
	}
	states := [2]TaskState{"s0", "s1"}
	for _, id := range []string{"g", "h"} {
		if _, err := servers.Insert(ctx, s, Server{ID: id, TaskState: &states[1]}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := servers.Load(ctx, s, "g")
	if err != nil {
		t.Fatal(err)
	}
	expect := [2]guard.Option{guard.Expect("TaskState", states[0]), guard.Expect("TaskState", states[1])}
	const update = `UPDATE "servers" SET "task_state" = ? WHERE "id" = ? AND "task_state" = ?`
	for i := range n {
		switch mode {
		case "guard":
			r.V.TaskState = &states[i%2]
			if err := servers.Save(opCtx, s, r, expect[(i+1)%2]); err != nil {
				t.Fatal(err)
			}
		case "hand":
			res, err := db.ExecContext(opCtx, update, string(states[i%2]), "h", string(states[(i+1)%2]))
			if err != nil {
				t.Fatal(err)
			}
			if k, err := res.RowsAffected(); err != nil || k != 1 {
				t.Fatalf("UPDATE %d: %d rows, %v", i, k, err)
			}
		default:
			t.Fatalf("STATEGUARD_INSTR_MODE=%q, want guard or hand", mode)
		}
	}
	if !check {
		return
	}
	// Each operation moved the row to the other state: it ends in the
	// last one written.
	id, last := "g", states[(n-1)%2]
	if mode == "hand" {
		id = "h"
	}
	var got string
	if err := db.QueryRowContext(ctx, `SELECT task_state FROM servers WHERE id = ?`, id).Scan(&got); err != nil {
		t.Fatal(err)
	}
	if TaskState(got) != last {
		t.Errorf("after %d %s operations row %s is in %q, want %q", n, mode, id, got, last)
	}
	if mode == "guard" {
		// The probe's saves are guarded: one expecting the state the row
		// left is refused.
		r.V.TaskState = &states[(n-1)%2]
		if err := servers.Save(ctx, s, r, expect[n%2]); !errors.Is(err, guard.ErrConflict) {
			t.Errorf("a save expecting the state the row left: %v, want a conflict", err)
		}
	}
}
