#!/bin/bash
# SPDX-License-Identifier: MIT
# Garbage mixed into the replies: while hayate scans, the target side injects
# frames addressed to the scanner's capture (inject.c): malformed ones (TCP
# data offset < 5, IP length < header, cut headers, IP version 5, a non-first
# ICMP fragment) and well-formed ones that answer no probe (SYN-ACK, RST, ACK
# with wrong acks, ICMP unreachables quoting garbage). The results must be
# exactly the real open ports, and the summary must count the injected frames
# as malformed and as not ours.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_hayate
testbed_up 22,80 ""
scan_mac=$(ip -n "$SNS" -br link show "$VETH_S" | awk '{ print $3 }')

e2e_spawn "$SNS" "$E2E_TMP/err" "$HAYATE" 198.18.0.0/22 -p 22,80 --rate 1000 --wait 1 -q \
	-oL "$E2E_TMP/out"
pid=$E2E_LAST_PID
sleep 0.3
in_target "$INJECT" "$VETH_T" "$scan_mac" "$SCAN_IP" 61000 61255 10000 garbage 10000 \
	>"$E2E_TMP/inject" || e2e_fail "inject: $(cat "$E2E_TMP/inject")"
rc=0
wait "$pid" || rc=$?
((rc == 0)) || e2e_fail "exit $rc with garbage in the replies: $(tail -n 3 "$E2E_TMP/err")"
read -r _ injected_bad _ injected_other <"$E2E_TMP/inject"

hayate_pairs open "$E2E_TMP/out" >"$E2E_TMP/got"
e2e_expect_pairs 198.18.0.0 1024 "22 80" >"$E2E_TMP/want"
e2e_diff_sets "open ports with garbage injected" "$E2E_TMP/want" "$E2E_TMP/got" ||
	e2e_fail "garbage changed the results"
[[ $(grep -cv '^\(open\|#\)' "$E2E_TMP/out") -eq 0 ]] || e2e_fail "lines other than results in the output"

summary=$(grep 'malformed' "$E2E_TMP/err" | tail -n 1)
malformed=$(sed -nE 's/.* ([0-9]+) malformed.*/\1/p' <<<"$summary")
notours=$(sed -nE 's/.* ([0-9]+) frames not ours.*/\1/p' <<<"$summary")
drops=$(sed -nE 's/.* ([0-9]+) capture drops.*/\1/p' <<<"$summary")
[[ -n $malformed && -n $notours ]] || e2e_fail "no counts in the summary: $summary"
# Every injected frame is counted once: as malformed, as not ours, or as a capture drop.
((malformed + drops >= injected_bad && malformed <= injected_bad)) ||
	e2e_fail "$malformed malformed (+ $drops drops) counted, $injected_bad injected: $summary"
((notours + drops >= injected_other)) ||
	e2e_fail "$notours not ours (+ $drops drops) counted, $injected_other injected: $summary"
e2e_pass "all 2048 open ports exact with $injected_bad malformed and $injected_other stray frames injected; summary counts $malformed malformed, $notours not ours, $drops capture drops"
