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
# (the target is at most 1.10 for both).
#
# Usage: scripts/guardinstr.sh [N]   (default 2000)
# Needs valgrind (Debian's package valgrind).
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-2000}
command -v valgrind >/dev/null || { echo "guardinstr: valgrind is not installed" >&2; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go test -c -o "$work/probe.test" ./guard/sqlitestore

# count MODE N: the instructions of one probe run.
count() {
	# asyncpreemptoff: callgrind can abort on the signals of Go's
	# asynchronous preemption (threads.c: vgCallgrind_post_signal).
	STATEGUARD_INSTR_MODE=$1 STATEGUARD_INSTR_N=$2 GOMAXPROCS=1 GODEBUG=asyncpreemptoff=1 \
		valgrind --tool=callgrind --callgrind-out-file="$work/cg.out" \
		"$work/probe.test" -test.run '^TestInstructionProbe$' -test.count=1 2>"$work/log" >/dev/null ||
		{ cat "$work/log" >&2; exit 1; }
	sed -n 's/.*Collected : *\([0-9]*\).*/\1/p' "$work/log"
}

base=$(count hand 0)
guard=$(count guard "$n")
hand=$(count hand "$n")
guardctx=$(count guardctx "$n")
handctx=$(count handctx "$n")
awk -v b="$base" -v g="$guard" -v h="$hand" -v gc="$guardctx" -v hc="$handctx" -v n="$n" 'BEGIN {
	printf "set-up alone: %d instructions; %d operations per run\n\n", b, n
	printf "%-26s %12s %12s %7s\n", "sqlite, instructions/op", "guard save", "hand UPDATE", "ratio"
	printf "%-26s %12.0f %12.0f %7.3f\n", "context.Background()", (g - b) / n, (h - b) / n, (g - b) / (h - b)
	printf "%-26s %12.0f %12.0f %7.3f\n", "cancellable context", (gc - b) / n, (hc - b) / n, (gc - b) / (hc - b)
}'
