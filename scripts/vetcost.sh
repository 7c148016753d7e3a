#!/usr/bin/env bash
# vetcost.sh measures the CPU time (user+sys of go vet and every process it
# starts) of
#
#	go vet -vettool=stateguard PATTERN
#
# against the same command with a vet tool whose analyzer does nothing
# (scripts/noopvet), and prints both and the overhead. The target is at
# most 5% more CPU than the no-op tool.
#
# It prints two measures: the whole go vet command (the target), and the
# vet tool processes alone (every unit's parse, type-check and analysis,
# without the go command and the compiler), where the cost of the analysis
# shows with less noise from the rest.
#
# Each run gets a fresh GOCACHE, so no vet result is reused. Two modes:
#
#	cold:  an empty GOCACHE: the go command also compiles every package
#	       (the cost a user sees on a first run or in CI without a cache);
#	warm:  a copy of a GOCACHE that already holds the export data of
#	       every package go vet needs, test variants and test-only
#	       dependencies included, so go vet compiles nothing and only the
#	       vet work (and the go command's bookkeeping) is measured (the
#	       stricter comparison).
#
# Usage: scripts/vetcost.sh [PATTERN | gitea]   (default: std)
#
# PATTERN is analyzed from the repository's root (std, or a package
# pattern of this module); gitea is code.gitea.io/gitea v1.26.0's
# models/... (fetched through the module proxy and kept in
# $STATEGUARD_CACHE, default ~/.cache/stateguard, as scripts/standalone.sh
# does).
# Environment: VETCOST_RUNS (runs per tool and mode, default 1),
# VETCOST_MODES (default "warm cold").
#
# Run it on an otherwise idle machine: CPU time is less sensitive to load
# than wall time, but not immune to it.
set -euo pipefail

cd "$(dirname "$0")/.."
pattern=${1:-std}
runs=${VETCOST_RUNS:-1}
modes=${VETCOST_MODES:-warm cold}

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT

go build -o "$work/noopvet.bin" ./scripts/noopvet
go build -o "$work/stateguard.bin" ./cmd/stateguard

if [[ $pattern == gitea ]]; then
	cache=${STATEGUARD_CACHE:-$HOME/.cache/stateguard}
	dir=$cache/gitea-v1.26.0
	if [[ ! -f $dir/go.mod ]]; then
		mkdir -p "$cache"
		src=$(go mod download -json code.gitea.io/gitea@v1.26.0 | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
		rm -rf "$dir.tmp"
		cp -r "$src" "$dir.tmp"
		chmod -R u+w "$dir.tmp"
		mv "$dir.tmp" "$dir"
	fi
	cd "$dir"
	export GOWORK=off
	pattern=./models/...
fi
# Each tool runs through a wrapper that adds its CPU seconds to a log.
for tool in noopvet stateguard; do
	cat >"$work/$tool" <<EOF
#!/bin/sh
exec /usr/bin/time -a -o "$work/cpu-$tool" -f '%U %S' "$work/$tool.bin" "\$@"
EOF
	chmod +x "$work/$tool"
done

# A cache holding the export data go vet needs for PATTERN: its packages,
# their test variants, and all their dependencies, test-only ones included.
# (go build would leave out the test variants and test-only dependencies,
# and go vet would compile them in every measured run.)
if [[ " $modes " == *" warm "* ]]; then
	GOCACHE="$work/template" go list -export -deps -test "$pattern" >/dev/null
fi

# measure TOOL MODE: run go vet with TOOL on a fresh cache, print the CPU
# seconds (user+sys) of the command and of the tool's processes, and
# record the tool's output.
measure() {
	local tool=$1 mode=$2 cache="$work/cache-$1-$2"
	rm -rf "$cache" "$work/cpu-$tool"
	if [[ $mode == warm ]]; then
		cp -a "$work/template" "$cache"
	fi
	local status=0
	/usr/bin/time -f '%U %S' -o "$work/time" \
		env GOCACHE="$cache" go vet -vettool="$work/$tool" "$pattern" >"$work/out-$tool" 2>&1 || status=$?
	rm -rf "$cache"
	if [[ $status -ne 0 && $status -ne 1 ]] || grep -q 'internal error\|panic:' "$work/out-$tool"; then
		echo "vetcost: go vet -vettool=$tool $pattern failed (exit $status):" >&2
		tail -20 "$work/out-$tool" >&2
		exit 1
	fi
	# time also writes "Command exited with non-zero status N": only
	# "USER SYS" lines are times.
	local sum='/^[0-9.]+ [0-9.]+$/ { t += $1 + $2 } END { printf "%.2f", t }'
	local total units
	total=$(awk "$sum" "$work/time")
	units=$(awk "$sum" "$work/cpu-$tool")
	echo "$total $units"
}

printf '%-5s %-10s %10s %10s\n' mode tool 'CPU s' 'tool CPU s'
for mode in $modes; do
	noop_total=0 sg_total=0 noop_units=0 sg_units=0
	for ((i = 0; i < runs; i++)); do
		# Alternate the order so that drift in the machine's load does not
		# favour one tool.
		if ((i % 2 == 0)); then
			n=$(measure noopvet "$mode")
			s=$(measure stateguard "$mode")
		else
			s=$(measure stateguard "$mode")
			n=$(measure noopvet "$mode")
		fi
		read -r n_total n_units <<<"$n"
		read -r s_total s_units <<<"$s"
		printf '%-5s %-10s %10s %10s\n' "$mode" noopvet "$n_total" "$n_units" "$mode" stateguard "$s_total" "$s_units"
		noop_total=$(awk -v a="$noop_total" -v b="$n_total" 'BEGIN { print a + b }')
		sg_total=$(awk -v a="$sg_total" -v b="$s_total" 'BEGIN { print a + b }')
		noop_units=$(awk -v a="$noop_units" -v b="$n_units" 'BEGIN { print a + b }')
		sg_units=$(awk -v a="$sg_units" -v b="$s_units" 'BEGIN { print a + b }')
	done
	awk -v mode="$mode" -v n="$noop_total" -v s="$sg_total" -v runs="$runs" 'BEGIN {
		printf "%s: noopvet %.2f s, stateguard %.2f s CPU (mean of %d); stateguard/noopvet = %.3f (%+.1f%%)\n",
			mode, n / runs, s / runs, runs, s / n, (s / n - 1) * 100
	}'
	awk -v mode="$mode" -v n="$noop_units" -v s="$sg_units" -v runs="$runs" 'BEGIN {
		printf "%s, vet tool processes only: noopvet %.2f s, stateguard %.2f s CPU (mean of %d); stateguard/noopvet = %.3f (%+.1f%%)\n",
			mode, n / runs, s / runs, runs, s / n, (s / n - 1) * 100
	}'
done
findings=$(grep -c ': [a-z-]*: ' "$work/out-stateguard" || true)
echo "stateguard findings in $pattern: $findings"
