#!/usr/bin/env bash
# guardinstr.sh counts the instructions of a guarded save on SQLite against
# the same conditional UPDATE written by hand through database/sql, with
# valgrind's callgrind. Instruction counts repeat from run to run whatever
# else the machine does, where the times of SQLite statements vary by a
# quarter (see guardbench.sh for times).
#
# It runs guard/sqlitestore's TestInstructionProbe five times: with no
# operation (the set-up alone), with N guarded saves and with N
# hand-written UPDATEs, each with context.Background() and with a
# cancellable context (a request's, which the driver watches during each
# statement), and prints the instructions per operation and their ratios
# (the target is at most 1.10 for both). With STATEGUARD_POSTGRES_DSN set
# it does the same with guard/pgxstore's probe against pool.Exec: there it
# counts the client's instructions only (guard, pgx and the Go runtime in
# this process), not the server's, a measure of what guard adds on the
# caller's CPU.
#
# Usage: scripts/guardinstr.sh [N]   (default 2000)
# Needs valgrind (Debian's package valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
command -v valgrind >/dev/null || { echo "guardinstr: valgrind is not installed" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go test -c -o "$work/sqlite.test" ./guard/sqlitestore
stores=sqlite
if [ -n "${STATEGUARD_POSTGRES_DSN:-}" ]; then
	go test -c -o "$work/pgx.test" ./guard/pgxstore
	stores="sqlite pgx"
else
	echo "guardinstr: STATEGUARD_POSTGRES_DSN is not set; pgx is skipped" >&2
fi

# count STORE MODE N: the instructions of one probe run.
count() {
	# asyncpreemptoff: callgrind can abort on the signals of Go's
	# asynchronous preemption (threads.c: vgCallgrind_post_signal).
	STATEGUARD_INSTR_MODE=$2 STATEGUARD_INSTR_N=$3 GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 \
		valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
		"$work/$1.test" -test.run '^TestInstructionProbe$' -test.count=1 2>"$work/log" >/dev/null ||
		{ cat "$work/log" >&2; exit 1; }
	sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$work/log"
}

printf "%-8s %-22s %12s %12s %7s\n" "store" "instructions/op" "guard save" "hand UPDATE" "ratio"
for st in $stores; do
	base=$(count "$st" hand 0)
	guard=$(count "$st" guard "$n")
	hand=$(count "$st" hand "$n")
	guardctx=$(count "$st" guardctx "$n")
	handctx=$(count "$st" handctx "$n")
	awk -v st="$st" -v b="$base" -v g="$guard" -v h="$hand" -v gc="$guardctx" -v hc="$handctx" -v n="$n" 'BEGIN {
		printf "%-8s %-22s %12.0f %12.0f %7.3f\n", st, "context.Background()", (g - b) / n, (h - b) / n, (g - b) / (h - b)
		printf "%-8s %-22s %12.0f %12.0f %7.3f\n", st, "cancellable context", (gc - b) / n, (hc - b) / n, (gc - b) / (hc - b)
	}'
done
echo
echo "$n operations per run, less a run with none (the set-up alone)."
echo "sqlite: the whole save, SQLite included (it runs in this process)."
echo "pgx: the client's share only (guard, pgx, the Go runtime); the server's"
echo "work is another process's, and the round trip is not counted."
