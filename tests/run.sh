#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs every unit test binary, then (as root) every end-to-end namespace
# scenario, each under a timeout. Exit status 77 means skipped (liburing's
# convention). Prints each failure's output and one summary line at the end;
# exits non-zero if anything failed.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
mode=${1:-all}
pass=0 fail=0 skip=0 failed=()
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_one() { # name timeout_s command...
	local name=$1 limit=$2 rc start end
	shift 2
	start=$(date +%s%N)
	timeout --kill-after=10 "$limit" "$@" >"$log" 2>&1
	rc=$?
	end=$(date +%s%N)
	case $rc in
	0) pass=$((pass + 1)); printf '  PASS  %-34s %6d ms\n' "$name" $(((end - start) / 1000000)) ;;
	77) skip=$((skip + 1)); printf '  SKIP  %-34s %s\n' "$name" "$(tail -n 1 "$log")" ;;
	*) fail=$((fail + 1)); failed+=("$name")
	   printf '  FAIL  %-34s (exit %d)\n' "$name" "$rc"
	   sed 's/^/        | /' "$log" | tail -n 60 ;;
	esac
}

echo "unit tests:"
for t in "$BUILD"/tests/test_*; do
	[ -x "$t" ] || continue
	run_one "$(basename "$t")" 120 "$t"
done

if [ "$mode" != --unit ]; then
	echo "end-to-end tests (network namespaces):"
	if [ "$(id -u)" != 0 ]; then
		echo "  SKIP  all: need root to create network namespaces"
		skip=$((skip + 1))
	else
		for t in tests/e2e/*.sh; do
			[ "$(basename "$t")" = netns.sh ] && continue
			run_one "e2e/$(basename "$t" .sh)" 300 bash "$t"
		done
	fi
fi

[ "$fail" = 0 ] || echo "failed: ${failed[*]}"
echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" = 0 ]
