#!/bin/bash
# SPDX-License-Identifier: MIT
# A SYN scan of 4096 live addresses x 5 ports at 10k pps finds exactly the
# listeners (22, 80, 443) on every address, once each; with --show open,closed
# the closed set is exactly port 9000 everywhere, and the filtered port 8080
# (nft drops it) is never reported.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_hayate
testbed_up 22,80,443 8080

ports=22,80,443,8080,9000
out=$E2E_TMP/out err=$E2E_TMP/err
e2e_expect_pairs 198.18.0.0 4096 "22 80 443" >"$E2E_TMP/want_open"
e2e_expect_pairs 198.18.0.0 4096 "9000" >"$E2E_TMP/want_closed"
: >"$E2E_TMP/none"

# check_run WHAT: exit status, line format, then the sets.
check_run()
{
	((HY_RC == 0)) || e2e_fail "$1: exit $HY_RC: $(tail -n 3 "$err")"
	bad=$(hayate_bad_lines "$out")
	[[ -z $bad ]] || e2e_fail "$1: malformed lines: $(head -n 3 <<<"$bad")"
	hayate_pairs open "$out" >"$E2E_TMP/got_open"
	hayate_pairs closed "$out" >"$E2E_TMP/got_closed"
	hayate_pairs filtered "$out" >"$E2E_TMP/got_filtered"
	grep -q ' 8080$' "$E2E_TMP/got_open" "$E2E_TMP/got_closed" "$E2E_TMP/got_filtered" &&
		e2e_fail "$1: port 8080 (filtered, silent) was reported"
	e2e_diff_sets "$1 open" "$E2E_TMP/want_open" "$E2E_TMP/got_open" || e2e_fail "$1 open set"
}

start=$(date +%s%N)
hayate_run "$SNS" "$out" "$err" 198.18.0.0/20 -p "$ports" --rate 10000 --wait 2 -q
t1=$((($(date +%s%N) - start) / 1000000))
check_run "default (open only)"
e2e_diff_sets "default closed" "$E2E_TMP/none" "$E2E_TMP/got_closed" || e2e_fail "closed shown by default"
[[ $(wc -l <"$out") -eq 12288 ]] || e2e_fail "default: $(wc -l <"$out") lines, want 12288"
n_open=$(wc -l <"$E2E_TMP/got_open")

start=$(date +%s%N)
hayate_run "$SNS" "$out" "$err" 198.18.0.0/20 -p "$ports" --rate 10000 --wait 2 -q --show open,closed
t2=$((($(date +%s%N) - start) / 1000000))
check_run "--show open,closed"
e2e_diff_sets "--show open,closed closed" "$E2E_TMP/want_closed" "$E2E_TMP/got_closed" ||
	e2e_fail "closed set"
[[ $(wc -l <"$out") -eq 16384 ]] || e2e_fail "--show open,closed: $(wc -l <"$out") lines, want 16384"
n_closed=$(wc -l <"$E2E_TMP/got_closed")

e2e_pass "$n_open open (4096 x 22,80,443) in $t1 ms; then $n_closed closed (x 9000) in $t2 ms; 8080 never reported, no duplicates"
