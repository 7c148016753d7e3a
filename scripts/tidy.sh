#!/usr/bin/env bash
# tidy.sh runs `go mod tidy` in every module of the workspace (go.work).
#
# `go mod tidy` works on one module and ignores go.work, so in a module
# that requires a sibling (a store requires guard) it would look the
# sibling up on the module proxy at the version its go.mod names. This
# script points each sibling at its directory with a temporary replace,
# tidies with GOWORK=off, and drops the replaces again, so that the go.mod
# files stay free of replace directives (which `go install ...@latest`
# refuses) and list what each module needs on its own.
#
# Usage: scripts/tidy.sh          tidy every module
#        scripts/tidy.sh -diff    change nothing; print what tidy would
#                                 change and fail if anything
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
mode=${1:-}
case $mode in "" | -diff) ;; *) echo "usage: scripts/tidy.sh [-diff]" >&2; exit 2 ;; esac

# Every module of the workspace: its directory and its path.
mapfile -t dirs < <(go work edit -json | sed -n 's/^[[:space:]]*"DiskPath": "\(.*\)".*/\1/p')
declare -A path
for d in "${dirs[@]}"; do
	path[$d]=$(cd "$d" && GOWORK=off go list -m)
done

status=0
for d in "${dirs[@]}"; do
	saved=$(mktemp -d)
	cp "$d/go.mod" "$saved/go.mod"
	if [ -f "$d/go.sum" ]; then cp "$d/go.sum" "$saved/go.sum"; else : >"$saved/go.sum"; fi
	replace=() drop=()
	for s in "${dirs[@]}"; do
		[ "$s" = "$d" ] && continue
		replace+=("-replace=${path[$s]}=$root/${s#./}")
		drop+=("-dropreplace=${path[$s]}")
	done
	(
		cd "$d"
		go mod edit "${replace[@]}"
		GOWORK=off go mod tidy
		go mod edit "${drop[@]}"
		[ -f go.sum ] || : >go.sum
		if ! cmp -s "$saved/go.mod" go.mod || ! cmp -s "$saved/go.sum" go.sum; then
			if [ "$mode" = -diff ]; then
				diff -u "$saved/go.mod" go.mod || true
				diff -u "$saved/go.sum" go.sum || true
				cp "$saved/go.mod" go.mod
				cp "$saved/go.sum" go.sum
				echo "tidy: $d is not tidy; run scripts/tidy.sh" >&2
				exit 1
			fi
			echo "tidy: $d updated"
		fi
		[ -s go.sum ] || rm -f go.sum
	) || status=1
	rm -rf "$saved"
done
exit $status
