package pgxstore_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stateguard/stateguard/guard"
	"github.com/stateguard/stateguard/guard/pgxstore"
)

type probeServer struct {
	ID        string  `guard:"id,key"`
	TaskState *string `guard:"task_state,state"`
	Host      *string `guard:"host"`
}

// TestInstructionProbe is run by scripts/guardinstr.sh under valgrind's
// callgrind, which counts the instructions of this process: the client's
// share of a save over pgx (building and sending the statement, reading
// the answer), not the server's. It makes STATEGUARD_INSTR_N guarded saves
// (MODE=guard) or as many hand-written conditional UPDATEs through
// pool.Exec (MODE=hand), with context.Background() or, with the suffix
// ctx, a cancellable context; the script subtracts a run with N=0. Without
// STATEGUARD_INSTR_MODE it runs each mode a few times and checks that every
// operation applied. It needs STATEGUARD_POSTGRES_DSN.
func TestInstructionProbe(t *testing.T) {
	dsn := os.Getenv("STATEGUARD_POSTGRES_DSN")
	if dsn == "" {
		t.Skip("STATEGUARD_POSTGRES_DSN is not set")
	}
	mode := os.Getenv("STATEGUARD_INSTR_MODE")
	if mode == "" {
		for _, mode := range []string{"guard", "hand", "guardctx", "handctx"} {
			t.Run(mode, func(t *testing.T) { pgxProbe(t, dsn, mode, 5) })
		}
		return
	}
	n, err := strconv.Atoi(os.Getenv("STATEGUARD_INSTR_N"))
	if err != nil {
		t.Fatalf("STATEGUARD_INSTR_N: %v", err)
	}
	pgxProbe(t, dsn, mode, n)
}

func pgxProbe(t *testing.T, dsn, mode string, n int) {
	ctx := context.Background()
	pool, err := pgxstore.Open(ctx, dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer pool.Close()
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		t.Fatal(err)
	}
	tab := "sg_probe_" + hex.EncodeToString(b[:])
	if _, err := pool.Exec(ctx, "CREATE TABLE "+tab+" (id TEXT PRIMARY KEY, task_state TEXT NULL, host TEXT NULL)"); err != nil {
		t.Fatal(err)
	}
	defer pool.Exec(ctx, "DROP TABLE "+tab)
	servers := guard.MustTable[probeServer](tab)
	s := pgxstore.New(pool)
	states := [2]string{"s0", "s1"}
	for _, id := range []string{"g", "h"} {
		if _, err := servers.Insert(ctx, s, probeServer{ID: id, TaskState: &states[1]}); err != nil {
			t.Fatal(err)
		}
	}
	r, err := servers.Load(ctx, s, "g")
	if err != nil {
		t.Fatal(err)
	}
	opCtx := ctx
	if strings.HasSuffix(mode, "ctx") {
		c, cancel := context.WithCancel(ctx)
		defer cancel()
		opCtx = c
		mode = strings.TrimSuffix(mode, "ctx")
	}
	taskState := servers.MustField("TaskState")
	expect := [2]guard.Option{taskState.Expect(states[0]), taskState.Expect(states[1])}
	update := `UPDATE "` + tab + `" SET "task_state" = $1 WHERE "id" = $2 AND "task_state" = $3`
	for i := range n {
		switch mode {
		case "guard":
			r.V.TaskState = &states[i%2]
			if err := servers.Save(opCtx, s, r, expect[(i+1)%2]); err != nil {
				t.Fatal(err)
			}
		case "hand":
			tag, err := pool.Exec(opCtx, update, states[i%2], "h", states[(i+1)%2])
			if err != nil {
				t.Fatal(err)
			}
			if tag.RowsAffected() != 1 {
				t.Fatalf("UPDATE %d: %d rows", i, tag.RowsAffected())
			}
		default:
			t.Fatalf("STATEGUARD_INSTR_MODE=%q, want guard, hand, guardctx or handctx", mode)
		}
	}
}
