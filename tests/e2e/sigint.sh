#!/bin/bash
# SPDX-License-Identifier: MIT
# SIGINT in the middle of a scan: hayate exits 130, keeps (and has printed)
# the results it has, each a real listener, once, and prints its summary.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_hayate
testbed_up 22,80,443 ""

out=$E2E_TMP/out err=$E2E_TMP/err
ip netns exec "$SNS" "$HAYATE" 198.18.0.0/20 -p 22,80,443 --rate 2000 --wait 1 \
	--pause-file "$E2E_TMP/paused.conf" >"$out" 2>"$err" &
pid=$!
E2E_PIDS+=("$pid")
sleep 2
kill -0 "$pid" 2>/dev/null || e2e_fail "hayate ended before SIGINT: $(tail -n 3 "$err")"
kill -INT "$pid"
for _ in $(seq 100); do # it may drain for --wait, but must not run on
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$pid" 2>/dev/null && e2e_fail "hayate still running 10 s after SIGINT"
rc=0
wait "$pid" || rc=$?
((rc == 130)) || e2e_fail "exit $rc after SIGINT, want 130: $(tail -n 3 "$err")"

bad=$(hayate_bad_lines "$out")
[[ -z $bad ]] || e2e_fail "malformed lines: $(head -n 3 <<<"$bad")"
hayate_pairs open "$out" >"$E2E_TMP/got"
e2e_expect_pairs 198.18.0.0 4096 "22 80 443" >"$E2E_TMP/all"
n=$(wc -l <"$E2E_TMP/got")
((n > 0)) || e2e_fail "no results printed before SIGINT"
((n < 12288)) || e2e_fail "all 12288 results printed: the scan was not interrupted"
[[ $(wc -l <"$out") -eq $n ]] || e2e_fail "lines other than open ones: $(grep -vc '^open ' "$out")"
invalid=$(comm -13 "$E2E_TMP/all" "$E2E_TMP/got" | wc -l)
((invalid == 0)) || e2e_fail "$invalid results are not listeners: $(comm -13 "$E2E_TMP/all" "$E2E_TMP/got" | head -n 3)"
dups=$(uniq -d "$E2E_TMP/got" | wc -l)
((dups == 0)) || e2e_fail "$dups duplicated results"
[[ -s $E2E_TMP/paused.conf ]] || e2e_fail "no resume file written: $(tail -n 3 "$err")"
summary=$(grep 'probes sent' "$err" | tail -n 1)
[[ -n $summary ]] || e2e_fail "no summary line on stderr: $(tail -n 3 "$err")"
e2e_pass "exit 130 after 2 s; $n of 12288 results printed, all listeners, no duplicates; summary: $summary"
