#!/usr/bin/env bash
# guardbench.sh runs the benchmarks of package guard (the memory store) and
# of every SQL store whose database is reachable (BenchmarkStore/<store> in
# guard/conformance), and prints a summary per store:
#
#	save:     a guarded transition through the typed API (Table.Save)
#	hand:     the equivalent hand-written conditional UPDATE through
#	          database/sql (for pgx: through pgxpool), on the same table,
#	          row and connection pool
#	ratio:    median save / median hand (the target is at most 1.10)
#	p50:      the Interleaved benchmark, which times one save and one
#	          hand-written UPDATE per iteration in random order, so that the
#	          machine's load weighs on both alike: the medians of single
#	          operations and their ratio, the steadier comparison, and the
#	          ratio of the means
#	failfast: a save refused before any I/O (the loaded state is not the
#	          expected one)
#	race32:   32 goroutines each loading the row and moving it out of the
#	          state it loaded, through guard and by hand; ns per attempt,
#	          the share of attempts that applied, applied transitions
#	          per second, and guard's over the hand-written ones (ratio);
#	          Race32Interleaved runs the two races in alternating rounds
#	          (Writers()*16 attempts each, random order), the steadier ratio
#
# The memory store has no hand-written counterpart; its "apply" column is
# the same writes sent to Memory.Apply directly.
#
# PostgreSQL runs when STATEGUARD_POSTGRES_DSN is set, twice: "postgres"
# is guard/pgstore over database/sql, "pgx" guard/pgxstore over pgxpool.
# MariaDB/MySQL runs when STATEGUARD_MYSQL_DSN is set (the benchmarks skip
# otherwise), e.g.
#
#	STATEGUARD_POSTGRES_DSN='postgres://postgres@127.0.0.1:5432/test?sslmode=disable' \
#	STATEGUARD_MYSQL_DSN='root@tcp(127.0.0.1:3306)/test' scripts/guardbench.sh
#
# Environment: GUARDBENCH_COUNT (runs of each benchmark, default 6),
# GUARDBENCH_TIME (-benchtime, default 500ms), GUARDBENCH_OUT (directory
# for the raw output, default a temporary one, removed on exit).
#
# The summary uses benchstat (golang.org/x/perf/cmd/benchstat) when it can
# be run, for its confidence intervals, and a median table in any case.
# Run it on an otherwise idle machine: a database round trip is sensitive
# to load.
set -euo pipefail

cd "$(dirname "$0")/.."
count=${GUARDBENCH_COUNT:-6}
benchtime=${GUARDBENCH_TIME:-500ms}
if [ -n "${GUARDBENCH_OUT:-}" ]; then
	out=$GUARDBENCH_OUT
	mkdir -p "$out"
else
	out=$(mktemp -d)
	trap 'rm -rf "$out"' EXIT
fi

for v in STATEGUARD_POSTGRES_DSN STATEGUARD_MYSQL_DSN; do
	if [ -z "${!v:-}" ]; then
		echo "guardbench: $v is not set; that store is skipped" >&2
	fi
done

go test -run '^$' -bench . -benchmem -count="$count" -benchtime="$benchtime" \
	./guard ./guard/conformance | tee "$out/raw.txt"

echo
if go run golang.org/x/perf/cmd/benchstat@latest "$out/raw.txt" >"$out/benchstat.txt" 2>"$out/benchstat.err"; then
	cat "$out/benchstat.txt"
else
	echo "guardbench: benchstat could not be run ($(head -n1 "$out/benchstat.err")); medians only"
fi
echo

# One line per measurement: store, benchmark, unit, value.
awk '
/^pkg: / { memory = $2 ~ /\/guard$/; next }
/^Benchmark/ {
	name = $1; sub(/-[0-9]+$/, "", name)
	if (memory) {
		store = "memory"; sub(/^Benchmark/, "", name)
	} else {
		# BenchmarkStore/<store>/<benchmark>
		sub(/^BenchmarkStore\//, "", name)
		store = name; sub(/\/.*/, "", store); sub(/^[^\/]*\//, "", name)
	}
	for (i = 3; i < NF; i += 2) print store, name, $(i+1), $i
}' "$out/raw.txt" | sort -k1,1 -k2,2 -k3,3 -k4,4g >"$out/values.txt"

# Medians, then the table.
awk '
function flush() {
	if (key == "") return
	m = (cnt % 2) ? v[(cnt + 1) / 2] : (v[cnt / 2] + v[cnt / 2 + 1]) / 2
	print key, m
}
{
	k = $1 " " $2 " " $3
	if (k != key) { flush(); key = k; cnt = 0 }
	v[++cnt] = $4
}
END { flush() }' "$out/values.txt" >"$out/medians.txt"

awk -v count="$count" '
{ med[$1 "|" $2 "|" $3] = $4; stores[$1] = 1 }
function get(s, b, u) { return ((s "|" b "|" u) in med) ? med[s "|" b "|" u] : "" }
function num(x, f) { return x == "" ? "-" : sprintf(f, x) }
function div(a, b) { return (a == "" || b == "" || b == 0) ? "-" : sprintf("%.3f", a / b) }
BEGIN { n = split("memory sqlite postgres pgx mysql", order, " ") }
END {
	printf "medians of %s runs\n\n", count
	printf "guarded save vs hand-written UPDATE\n"
	printf "%-9s %11s %7s %11s %7s %7s   %9s %9s %7s %7s\n", "store", "save ns/op", "allocs",
		"hand ns/op", "allocs", "ratio", "p50 save", "p50 hand", "ratio", "mean"
	for (i = 1; i <= n; i++) {
		s = order[i]
		if (!(s in stores)) continue
		save = s == "memory" ? "SaveGuarded" : "Save"
		hand = s == "memory" ? "ApplyMemory" : "Handwritten"
		sv = get(s, save, "ns/op"); hv = get(s, hand, "ns/op")
		printf "%-9s %11s %7s %11s %7s %7s   %9s %9s %7s %7s\n", s,
			num(sv, "%.0f"), num(get(s, save, "allocs/op"), "%.0f"),
			num(hv, "%.0f"), num(get(s, hand, "allocs/op"), "%.0f"),
			s == "memory" ? "-" : div(sv, hv),
			num(get(s, "Interleaved", "save-p50-ns"), "%.0f"),
			num(get(s, "Interleaved", "update-p50-ns"), "%.0f"),
			num(get(s, "Interleaved", "p50-save/update"), "%.3f"),
			num(get(s, "Interleaved", "save/update"), "%.3f")
	}
	printf "\nfail-fast path and 32 racing goroutines (ns per attempt)\n"
	printf "%-9s %9s %7s   %10s %8s %10s   %10s %8s %10s %7s\n", "store", "failfast", "allocs",
		"race32 ns", "applied", "wins/s", "hand ns", "applied", "wins/s", "ratio"
	for (i = 1; i <= n; i++) {
		s = order[i]
		if (!(s in stores)) continue
		ff = s == "memory" ? "SaveFailFast" : "FailFast"
		rn = get(s, "Race32", "ns/op")
		ra = s == "memory" ? (get(s, "Race32", "conflicts/op") == "" ? "" : 1 - get(s, "Race32", "conflicts/op")) : get(s, "Race32", "applied/op")
		hn = get(s, "Race32Handwritten", "ns/op"); ha = get(s, "Race32Handwritten", "applied/op")
		gw = (rn == "" || ra == "") ? "" : ra * 1e9 / rn
		hw = (hn == "" || ha == "") ? "" : ha * 1e9 / hn
		printf "%-9s %9s %7s   %10s %8s %10s   %10s %8s %10s %7s\n", s,
			num(get(s, ff, "ns/op"), "%.0f"), num(get(s, ff, "allocs/op"), "%.0f"),
			num(rn, "%.0f"), num(ra, "%.2f"), num(gw, "%.0f"),
			num(hn, "%.0f"), num(ha, "%.2f"), num(hw, "%.0f"), div(gw, hw)
	}
	printf "\n32 racing goroutines, guard and hand-written in alternating rounds (Race32Interleaved)\n"
	printf "%-9s %12s %12s %7s\n", "store", "guard wins/s", "hand wins/s", "ratio"
	for (i = 1; i <= n; i++) {
		s = order[i]
		if (!(s in stores) || get(s, "Race32Interleaved", "wins-guard/hand") == "") continue
		printf "%-9s %12s %12s %7s\n", s,
			num(get(s, "Race32Interleaved", "guard-wins/s"), "%.0f"),
			num(get(s, "Race32Interleaved", "hand-wins/s"), "%.0f"),
			num(get(s, "Race32Interleaved", "wins-guard/hand"), "%.3f")
	}
	print ""
	print "ratio: median save / median hand, from separate benchmarks."
	print "p50 save, p50 hand, ratio: the Interleaved benchmark (one save and one"
	print "hand-written UPDATE per iteration, in random order): medians of single"
	print "operations and their ratio, the steadiest comparison on a loaded machine;"
	print "mean: the ratio of its mean times, which carry the database'"'"'s occasional"
	print "long writes (checkpoints, slow fsyncs)."
	print "memory: hand is Memory.Apply of the same writes."
	print "race32 ratio: guard wins/s / hand wins/s (the target is at least 0.9);"
	print "the alternating rounds weigh the machine'"'"'s load on both alike."
}' "$out/medians.txt"
