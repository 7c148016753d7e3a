#!/usr/bin/env bash
# standalone.sh measures the standalone command (stateguard PATTERN) next
# to staticcheck, side by side, on gitea's models/... and on the standard
# library: peak memory, wall and CPU time, on a cold cache and on a second
# run over unchanged code.
#
# Tools:
#	staticcheck  staticcheck 2026.2.2, module version v0.8.2 (installed into $STATEGUARD_CACHE/bin
#	             if missing; only this script uses it)
#	old          the standalone command as of $STANDALONE_OLD (default
#	             274d2d9, the last one that loaded every package with
#	             go/packages and analyzed them in one process)
#	new          the standalone command of this work tree
#	vet          go vet -vettool=<the new binary>
#
# Modes: cold runs on a fresh GOCACHE (and a fresh staticcheck cache), so
# every package is compiled and analyzed; warm is the next run on the same
# caches, the code unchanged.
#
# Columns: wall seconds; CPU seconds (user+sys of the command and every
# process it waited for, from GNU time); "max RSS" is GNU time's maximum
# resident set size, that of the largest single process of the run; "tree
# RSS" is the peak of the summed resident set sizes of the command and all
# its descendants alive at the same moment, sampled every 100ms
# (scripts/treerss, which runs GNU time, so that its own CPU is not
# counted): what the machine must hold. The targets compare the
# tree RSS of new with staticcheck's cold one (at most 1.2 times), and the
# wall time of new's warm run with staticcheck's warm one (at most 2
# times).
#
# Usage: scripts/standalone.sh [gitea] [std]   (default: both)
# Environment: STANDALONE_TOOLS (default "staticcheck old new vet"),
# STANDALONE_OLD (a commit), STATEGUARD_CACHE (default ~/.cache/stateguard:
# gitea's source and staticcheck are kept there).
#
# Timings on a loaded machine are noisy: CPU and memory less so than wall.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$PWD
targets=${*:-gitea std}
tools=${STANDALONE_TOOLS:-staticcheck old new vet}
old=${STANDALONE_OLD:-274d2d9}
cache=${STATEGUARD_CACHE:-$HOME/.cache/stateguard}
export GOWORK=off GOFLAGS=${GOFLAGS:-}

work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
mkdir -p "$cache/bin" "$work/new" "$work/old" "$work/oldsrc"

go build -o "$work/treerss" ./scripts/treerss
go build -o "$work/new/stateguard" ./cmd/stateguard
if [[ " $tools " == *" old "* ]]; then
	git -C "$repo" archive "$old" | tar -x -C "$work/oldsrc"
	(cd "$work/oldsrc" && go build -o "$work/old/stateguard" ./cmd/stateguard)
fi
sc=$cache/bin/staticcheck
if [[ " $tools " == *" staticcheck "* ]] && ! "$sc" -version 2>/dev/null | grep -q '2026.2.2'; then
	GOBIN=$cache/bin go install honnef.co/go/tools/cmd/staticcheck@v0.8.2 # release 2026.2.2
fi

# target NAME: prints the directory and the pattern of a target.
target() {
	case $1 in
	gitea)
		local dir=$cache/gitea-v1.26.0
		if [[ ! -f $dir/go.mod ]]; then
			local src
			src=$(go mod download -json code.gitea.io/gitea@v1.26.0 | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
			rm -rf "$dir.tmp"
			cp -r "$src" "$dir.tmp"
			chmod -R u+w "$dir.tmp"
			mv "$dir.tmp" "$dir"
		fi
		echo "$dir ./models/..."
		;;
	std)
		mkdir -p "$work/stddir"
		echo "$work/stddir std"
		;;
	*)
		echo "standalone.sh: unknown target $1 (gitea, std)" >&2
		exit 2
		;;
	esac
}

# run TOOL DIR PATTERN MODE: runs TOOL once and prints
# "wall cpu maxrss_kib treerss_kib".
run() {
	local tool=$1 dir=$2 pattern=$3 mode=$4
	local cmd
	case $tool in
	staticcheck) cmd=("$sc" "$pattern") ;;
	old) cmd=("$work/old/stateguard" "$pattern") ;;
	new) cmd=("$work/new/stateguard" "$pattern") ;;
	vet) cmd=(go vet -vettool="$work/new/stateguard" "$pattern") ;;
	esac
	local status=0
	(cd "$dir" && GOCACHE="$work/gocache-$tool" STATICCHECK_CACHE="$work/sccache-$tool" \
		"$work/treerss" -o "$work/rss" \
		/usr/bin/time -f '%e %U %S %M' -o "$work/time" "${cmd[@]}") >"$work/out-$tool-$mode" 2>&1 || status=$?
	if grep -q 'internal error\|^panic:' "$work/out-$tool-$mode" || ((status > 3)) || [[ ! -s $work/rss ]]; then
		echo "standalone.sh: $tool $pattern ($mode) failed with exit status $status:" >&2
		tail -20 "$work/out-$tool-$mode" >&2
		exit 1
	fi
	awk 'NF == 4 && $1 ~ /^[0-9.]+$/ { w = $1; c = $2 + $3; m = $4 } END { printf "%.2f %.2f %d", w, c, m }' "$work/time"
	printf ' %d\n' "$(cat "$work/rss")"
	rm -f "$work/rss"
}

printf '%-6s %-12s %-5s %8s %8s %10s %10s\n' target tool mode 'wall s' 'CPU s' 'max RSS' 'tree RSS'
declare -A wall treerss
for t in $targets; do
	read -r dir pattern <<<"$(target "$t")"
	for tool in $tools; do
		rm -rf "$work/gocache-$tool" "$work/sccache-$tool"
		for mode in cold warm; do
			read -r w c m r <<<"$(run "$tool" "$dir" "$pattern" "$mode")"
			wall[$t.$tool.$mode]=$w
			treerss[$t.$tool.$mode]=$r
			printf '%-6s %-12s %-5s %8s %8s %7d MiB %6d MiB\n' "$t" "$tool" "$mode" "$w" "$c" $((m / 1024)) $((r / 1024))
		done
		chmod -R u+w "$work/gocache-$tool" 2>/dev/null || true
		rm -rf "$work/gocache-$tool" "$work/sccache-$tool"
	done
	if [[ -n ${wall[$t.new.warm]:-} && -n ${wall[$t.staticcheck.warm]:-} ]]; then
		awk -v t="$t" -v nr="${treerss[$t.new.cold]}" -v nw="${treerss[$t.new.warm]}" -v sr="${treerss[$t.staticcheck.cold]}" \
			-v w="${wall[$t.new.warm]}" -v sw="${wall[$t.staticcheck.warm]}" 'BEGIN {
			p = (nr > nw ? nr : nw) / sr
			printf "%s: new peak tree RSS / staticcheck cold = %.2f (target <= 1.2: %s); new warm wall / staticcheck warm = %.2f (target <= 2: %s)\n",
				t, p, p <= 1.2 ? "met" : "NOT met", w / sw, w / sw <= 2 ? "met" : "NOT met"
		}'
	fi
	if [[ -f $work/out-new-warm ]]; then
		echo "$t: new standalone findings: $(grep -c ': [a-z-]*: ' "$work/out-new-warm" || true), old: $(grep -c ': [a-z-]*: ' "$work/out-old-warm" 2>/dev/null || echo '-')"
	fi
done
