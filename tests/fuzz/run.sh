#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Runs each libFuzzer binary given for FUZZ_SECONDS (default 60) on its seed
# corpus (tests/fuzz/corpus/<name>/, read only) plus a working corpus in
# FUZZ_BUILD/corpus/<name>/ that keeps what it finds between runs. Prints one
# line per target: executions per second, coverage (libFuzzer's cov: edges and
# ft: features), corpus size. A crash, leak or timeout fails the run and
# leaves its input in FUZZ_BUILD/artifacts/ (re-run: the binary + that file).
set -u
cd "$(dirname "$0")/../.."
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
FUZZ_SECONDS=${FUZZ_SECONDS:-60}
fail=0 pass=0 failed=()
mkdir -p "$FUZZ_BUILD/artifacts"
printf '  %-16s %10s %8s %8s %8s %s\n' target exec/s cov ft corpus runs
for bin in "$@"; do
	name=$(basename "$bin")
	name=${name#fuzz_}
	seeds=tests/fuzz/corpus/$name
	work=$FUZZ_BUILD/corpus/$name
	log=$FUZZ_BUILD/fuzz_$name.log
	mkdir -p "$work" "$seeds"
	"$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 -artifact_prefix="$FUZZ_BUILD/artifacts/$name-" \
		"$work" "$seeds" >"$log" 2>&1
	rc=$?
	# The last status line: "#N DONE cov: C ft: F corp: K/S ... exec/s: E ..."
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	runs=$(sed -nE 's/^#([0-9]+).*/\1/p' <<<"$last")
	cov=$(sed -nE 's/.* cov: ([0-9]+).*/\1/p' <<<"$last")
	ft=$(sed -nE 's/.* ft: ([0-9]+).*/\1/p' <<<"$last")
	corp=$(sed -nE 's/.* corp: ([0-9]+).*/\1/p' <<<"$last")
	eps=$(sed -nE 's/^stat::average_exec_per_sec: *([0-9]+).*/\1/p' "$log")
	printf '  %-16s %10s %8s %8s %8s %s\n' "$name" "${eps:-?}" "${cov:-?}" "${ft:-?}" \
		"${corp:-?}" "${runs:-?}"
	if [ "$rc" != 0 ]; then
		fail=$((fail + 1))
		failed+=("$name")
		echo "  FAIL  fuzz_$name (exit $rc): $log"
		grep -E 'ERROR|SUMMARY|Test unit written|assert' "$log" | head -n 8 | sed 's/^/        | /'
	else
		pass=$((pass + 1))
	fi
done
[ "$fail" = 0 ] || echo "fuzz failed: ${failed[*]}"
echo "fuzz: $pass passed, $fail failed"
[ "$fail" = 0 ]
