#!/usr/bin/env bash
# realworld.sh runs the standalone analyzer, built from this checkout, over
# pinned public modules and the standard library, one at a time, and prints
# per module: the packages it was asked to analyze, the packages of their
# whole dependency graph (analyzed too, for facts), the findings by check,
# the CPU seconds (user+sys of the analyzer and every process it starts,
# go list included), the peak memory (maximum resident set size of the
# largest process), the exit status and the number of internal errors.
#
# A module is fetched through the module proxy (go mod download -json
# MOD@VER), its source copied out of the module cache into a work
# directory and made writable, and its own dependencies downloaded, as a
# user's checkout would have them.
#
# Usage:
#
#	scripts/realworld.sh [options] [NAME...]
#
# NAME is one of the pinned modules below (gitea, temporal, argo, river,
# asynq, std); with no NAME, all of them. Options:
#
#	-json DIR       also write each module's findings as JSON (the x/tools
#	                schema) to DIR/NAME.json, and its stderr to DIR/NAME.err
#	-race           build the analyzer with -race and count the data races
#	                it reports (a race-built analyzer uses several times the
#	                memory: the big modules then run over RACE_PATTERN)
#	-dir NAME=PATH[:SUBDIR[:PATTERNS]]
#	                also run over a local tree: PATH is a directory, or a git
#	                directory whose HEAD is exported with git archive; SUBDIR
#	                is where its go.mod is (default: the top); PATTERNS,
#	                separated by commas, default ./...; may repeat
#	-keep           keep the work directory (printed at the end)
#
# Environment: REALWORLD_WORK (work directory, default a new temporary
# one), GOFLAGS, GOPROXY as for the go command.
#
# The numbers are one run each on a shared machine: CPU seconds move with
# the load by 10% or more; peak memory is steadier.
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$(pwd)

# name module version pattern race-pattern (a comma separates patterns)
pinned=(
	"gitea code.gitea.io/gitea v1.26.0 ./... ./models/..."
	"temporal go.temporal.io/server v1.32.1 ./... ./service/history/ndc/..."
	"argo github.com/argoproj/argo-workflows/v4 v4.0.5 ./... ./workflow/sync/..."
	"river github.com/riverqueue/river v0.51.2 ./... ./..."
	"asynq github.com/hibiken/asynq v0.26.0 ./... ./..."
	"std std - std net/http,database/sql"
)

jsondir="" race=0 keep=0
dirs=()
names=()
while [[ $# -gt 0 ]]; do
	case $1 in
	-json) jsondir=$2; shift 2 ;;
	-race) race=1; shift ;;
	-dir) dirs+=("$2"); shift 2 ;;
	-keep) keep=1; shift ;;
	-h | -help | --help) sed -n '2,/^set -e/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
	-*) echo "realworld: unknown option $1" >&2; exit 2 ;;
	*) names+=("$1"); shift ;;
	esac
done
if [[ ${#names[@]} -eq 0 && ${#dirs[@]} -eq 0 ]]; then
	for p in "${pinned[@]}"; do names+=("${p%% *}"); done
fi
for n in "${names[@]}"; do
	found=0
	for p in "${pinned[@]}"; do [[ ${p%% *} == "$n" ]] && found=1; done
	if [[ $found -eq 0 ]]; then
		echo "realworld: $n is not a pinned module (have: $(for p in "${pinned[@]}"; do printf '%s ' "${p%% *}"; done))" >&2
		exit 2
	fi
done

if [[ ! -x /usr/bin/time ]]; then
	echo "realworld: installing time (for /usr/bin/time -v)" >&2
	apt-get install -y time >/dev/null 2>&1 || { apt-get update >/dev/null && apt-get install -y time >/dev/null; }
fi
command -v jq >/dev/null || { echo "realworld: jq is needed to count findings" >&2; exit 1; }

work=${REALWORLD_WORK:-$(mktemp -d)}
mkdir -p "$work/src"
if [[ $keep -eq 0 && -z ${REALWORLD_WORK:-} ]]; then
	trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
fi
[[ -n $jsondir ]] && mkdir -p "$jsondir"

export GOTOOLCHAIN=local GOWORK=off GOFLAGS=${GOFLAGS:-} GORACE="halt_on_error=0 ${GORACE:-}"
bin="$work/stateguard"
if [[ $race -eq 1 ]]; then
	go build -race -o "$bin" ./cmd/stateguard
else
	go build -o "$bin" ./cmd/stateguard
fi
echo "stateguard $(git -C "$repo" describe --always --dirty) ($([[ $race -eq 1 ]] && echo race-built || echo plain)), $(go version | cut -d' ' -f3)"

# fetch MODULE VERSION DEST: the module's source, writable, with its
# dependencies in the module cache.
fetch() {
	local mod=$1 ver=$2 dest=$3 dir
	if [[ ! -d $dest ]]; then
		dir=$(go mod download -json "$mod@$ver" | jq -r .Dir)
		[[ -n $dir && -d $dir ]] || { echo "realworld: go mod download $mod@$ver gave no directory" >&2; return 1; }
		cp -r "$dir" "$dest.tmp"
		chmod -R u+w "$dest.tmp"
		mv "$dest.tmp" "$dest"
	fi
	(cd "$dest" && download && sums)
}

# sums adds the go.sum entries a module's go.sum lacks when it was
# developed in a go.work (river's submodules): go mod tidy keeps the
# versions of go.mod and only records what is missing.
sums() {
	local errs
	errs=$(go list ./... 2>&1 >/dev/null || true)
	if [[ $errs == *"missing go.sum entry"* ]]; then
		echo "realworld: $(go list -m): go.sum lacks entries, running go mod tidy -e" >&2
		go mod tidy -e >/dev/null 2>&1
	fi
}

# embeds ROOT: a repository's tree lacks what its build generates (a web
# UI's dist/); each //go:embed pattern that matches nothing gets an empty
# placeholder file, so that the package type-checks as in a real build.
embeds() {
	local root=$1 file pat dir p made=0 pats
	while IFS=: read -r file pat; do
		dir=$(dirname "$file")
		read -ra pats <<<"$pat"
		for p in "${pats[@]}"; do
			p=${p#all:}
			p=${p//\"/}
			compgen -G "$dir/$p" >/dev/null && continue
			p=${p//\*/placeholder}
			p=${p//\?/x}
			mkdir -p "$dir/$(dirname "$p")"
			: >"$dir/$p"
			made=$((made + 1))
		done
	done < <(grep -rHo --include='*.go' '^//go:embed .*' "$root" | sed 's|://go:embed |:|')
	[[ $made -gt 0 ]] && echo "realworld: $made empty placeholders for //go:embed patterns that matched nothing" >&2
	return 0
}

# local NAME PATH DEST: a local tree (or a git directory's HEAD) copied to
# DEST, with its dependencies downloaded.
localtree() {
	local path=$1 dest=$2 sub=$3
	if [[ ! -d $dest ]]; then
		mkdir -p "$dest.tmp"
		if git --git-dir="$path" rev-parse --git-dir >/dev/null 2>&1 && [[ ! -e $path/go.mod ]]; then
			# A partial clone may lack some blobs (large test fixtures):
			# leave those out of the archive.
			local -a skip=()
			local m
			while IFS= read -r m; do
				skip+=(":(exclude,literal)$m")
			done < <(git --git-dir="$path" ls-tree -r HEAD --format='%(objectname)' |
				git --git-dir="$path" cat-file --batch-check='%(objecttype)' --buffer 2>/dev/null |
				paste -d' ' - <(git --git-dir="$path" ls-tree -r HEAD --format='%(path)') |
				awk '$2 == "missing" {sub(/^[^ ]+ [^ ]+ /, ""); print}')
			[[ ${#skip[@]} -gt 0 ]] && echo "realworld: $path: ${#skip[@]} files absent from the snapshot, left out" >&2
			git --git-dir="$path" archive HEAD -- . "${skip[@]}" | tar -x -C "$dest.tmp"
		else
			cp -r "$path/." "$dest.tmp"
		fi
		chmod -R u+w "$dest.tmp"
		embeds "$dest.tmp"
		mv "$dest.tmp" "$dest"
	fi
	(cd "$dest/$sub" && download && sums)
}

# download: go mod download; a dependency the module proxy does not serve
# is replaced by an empty stub module, so that the module graph loads and
# every package that does not import it is analyzed (those that do fail
# to type-check, and are counted in the stderr summary).
download() {
	local mod out i
	for i in 1 2 3 4 5 6 7 8 9 10; do
		out=$(go mod download 2>&1) && return 0
		# go: MOD@VERSION: reading https://proxy.../MOD/@v/VERSION.mod: 403 Forbidden
		mod=$(sed -n 's|^go: \([^@ ]*\)@[^:]*: reading .*|\1|p' <<<"$out" | head -1)
		if [[ -z $mod ]]; then
			echo "$out" >&2
			return 1
		fi
		mkdir -p ".realworld-stubs/$mod"
		printf 'module %s\n' "$mod" >".realworld-stubs/$mod/go.mod"
		go mod edit -replace="$mod=./.realworld-stubs/$mod"
		echo "realworld: $(go list -m 2>/dev/null || pwd): $mod is not served by the module proxy, replaced by an empty stub" >&2
	done
	return 1
}

printf '\n%-10s %-36s %-10s %-18s %6s %6s %8s %8s %4s %5s  %s\n' \
	NAME MODULE VERSION PATTERN PKGS GRAPH CPU_S PEAK_MiB EXIT IERRS FINDINGS
summary=()

# measure NAME MODULE VERSION DIR PATTERN...: run the analyzer in DIR over
# PATTERN and print one line.
measure() {
	local name=$1 mod=$2 ver=$3 dir=$4
	shift 4
	local out="$work/$name.json" err="$work/$name.err" tm="$work/$name.time" status=0
	local npkgs ngraph
	npkgs=$(cd "$dir" && go list -e "$@" 2>/dev/null | wc -l)
	ngraph=$(cd "$dir" && go list -e -deps -test "$@" 2>/dev/null | wc -l)
	(cd "$dir" && /usr/bin/time -v -o "$tm" "$bin" -json "$@" >"$out" 2>"$err") || status=$?
	local user sys rss cpu ierrs races findings
	user=$(awk -F': ' '/User time/ {print $2}' "$tm")
	sys=$(awk -F': ' '/System time/ {print $2}' "$tm")
	rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$tm")
	cpu=$(awk -v u="$user" -v s="$sys" 'BEGIN {printf "%.1f", u + s}')
	ierrs=$(grep -c 'internal error analyzing' "$err" || true)
	races=$(grep -c 'WARNING: DATA RACE' "$err" || true)
	# -json prints one JSON object per package (and test variant):
	# {pkg: {stateguard: [diagnostics] or {error}}}. A finding in a file
	# of several variants is counted once.
	findings=$(jq -rs '[.[] | to_entries[] | .value.stateguard | arrays | .[] | {c: .category, p: .posn}] | unique | group_by(.c) | map("\(.[0].c)=\(length)") | join(" ")' "$out" 2>/dev/null || echo "unparsable-json")
	[[ -z $findings ]] && findings="none"
	[[ $race -eq 1 ]] && findings="$findings races=$races"
	printf '%-10s %-36s %-10s %-18s %6s %6s %8s %8s %4s %5s  %s\n' \
		"$name" "$mod" "$ver" "$*" "$npkgs" "$ngraph" "$cpu" "$((rss / 1024))" "$status" "$ierrs" "$findings"
	if [[ -n $jsondir ]]; then
		cp "$out" "$jsondir/$name.json"
		cp "$err" "$jsondir/$name.err"
	fi
	# The analysis errors other than internal ones (packages that do not
	# type-check, and those skipped because of them), summarized.
	if [[ -s $err ]]; then
		grep -v '^\s' "$err" | grep -v 'WARNING: DATA RACE\|^==================\|^Found [0-9]* data race' | sort | uniq -c | sort -rn | head -5 | sed 's/^/	stderr: /' >&2 || true
	fi
}

for n in "${names[@]}"; do
	for p in "${pinned[@]}"; do
		read -r name mod ver pattern racepattern <<<"$p"
		[[ $name == "$n" ]] || continue
		[[ $race -eq 1 ]] && pattern=${racepattern//,/ }
		if [[ $name == std ]]; then
			measure std std "$(go env GOVERSION)" "$(go env GOROOT)/src" $pattern
			continue
		fi
		fetch "$mod" "$ver" "$work/src/$name" >/dev/null
		measure "$name" "$mod" "$ver" "$work/src/$name" $pattern
	done
done
for d in "${dirs[@]}"; do
	name=${d%%=*}
	spec=${d#*=}
	IFS=: read -r path sub dirpattern <<<"$spec"
	dirpattern=${dirpattern:-./...}
	localtree "$path" "$work/src/$name" "$sub" >/dev/null
	ver=$(git --git-dir="$path" rev-parse --short HEAD 2>/dev/null || git -C "$path" rev-parse --short HEAD 2>/dev/null || echo local)
	mod=$(cd "$work/src/$name/$sub" && go list -m 2>/dev/null || echo "$name")
	measure "$name" "$mod" "$ver" "$work/src/$name/$sub" ${dirpattern//,/ }
done
[[ $keep -eq 1 ]] && echo "work directory: $work"
exit 0
