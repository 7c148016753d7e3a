package sqlitestore_test

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/sqlitestore"
)

// TestInstructionProbe is run by scripts/guardinstr.sh under valgrind's
// callgrind, which counts instructions: a measure that does not move with
// the machine's load, unlike the times of SQLite statements. It sets up one
// table, then makes STATEGUARD_INSTR_N guarded saves (MODE=guard) or as
// many hand-written conditional UPDATEs of the same shape (MODE=hand); the
// script subtracts a run with N=0 and divides. Without STATEGUARD_INSTR_MODE
// it skips.
func TestInstructionProbe(t *testing.T) {
	mode := os.Getenv("STATEGUARD_INSTR_MODE")
	if mode == "" {
		t.Skip("run by scripts/guardinstr.sh")
	}
	n, err := strconv.Atoi(os.Getenv("STATEGUARD_INSTR_N"))
	if err != nil {
		t.Fatalf("STATEGUARD_INSTR_N: %v", err)
	}
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
			if err := servers.Save(ctx, s, r, expect[(i+1)%2]); err != nil {
				t.Fatal(err)
			}
		case "hand":
			res, err := db.ExecContext(ctx, update, string(states[i%2]), "h", string(states[(i+1)%2]))
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
}
