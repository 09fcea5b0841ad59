#!/bin/bash
# SPDX-License-Identifier: MIT
# --exclude and --excludefile: while tcpdump on the target side records every
# SYN that arrives, scan 198.18.0.0/24 minus 198.18.0.16/28 and 198.18.0.200.
# No SYN may reach an excluded address, every other address must get its SYNs,
# and the results are exactly the non-excluded addresses.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_tools tcpdump
e2e_require_hayate
testbed_up 80 ""

# The excluded addresses, one a line, and the expected results without them.
for i in $(seq 16 31) 200; do
	echo "198.18.0.$i"
done >"$E2E_TMP/excluded"
e2e_expect_pairs 198.18.0.0 256 "80" "$E2E_TMP/excluded" >"$E2E_TMP/want_open"
e2e_expect_pairs 198.18.0.0 256 "9000" "$E2E_TMP/excluded" >"$E2E_TMP/want_closed"
awk '{ print $1 }' "$E2E_TMP/want_open" >"$E2E_TMP/want_addrs"

printf '# written by exclude.sh\n198.18.0.16/28\n\n198.18.0.200\n' >"$E2E_TMP/exclude.txt"

# scan_excluding WHAT ARGS...: one scan under capture, then every check; the
# summary goes to RESULT (no subshell, so e2e_fail exits the script).
scan_excluding()
{
	local what=$1 pcap=$E2E_TMP/$RANDOM.pcap hit stats
	shift
	testbed_capture_start "$pcap" 'tcp[tcpflags] & (tcp-syn|tcp-ack) == tcp-syn'
	hayate_run "$SNS" "$E2E_TMP/out" "$E2E_TMP/err" 198.18.0.0/24 -p 80,9000 --rate 5000 \
		--wait 1 -q --show open,closed "$@"
	sleep 0.2 # let the last frames reach the capture
	testbed_capture_stop "$pcap"
	stats=$CAPTURE_STATS
	((HY_RC == 0)) || e2e_fail "$what: exit $HY_RC: $(tail -n 3 "$E2E_TMP/err")"
	[[ -n $stats ]] || e2e_fail "$what: tcpdump printed no statistics: $(tail -n 3 "$pcap.log" | tr '\n' '|')"
	grep -qE '(^| )0 packets dropped by kernel' <<<"$stats" ||
		e2e_fail "$what: capture dropped frames: $stats"

	# "... IP 198.19.0.1.40001 > 198.18.0.7.80: Flags [S], ..." -> 198.18.0.7
	tcpdump -r "$pcap" -n 2>/dev/null | awk '{ sub(/\.[0-9]+:$/, "", $5); print $5 }' |
		sort >"$E2E_TMP/syn_addrs"
	hit=$(sort -u "$E2E_TMP/syn_addrs" | comm -12 - <(sort "$E2E_TMP/excluded") | head -n 3 | tr '\n' ' ')
	[[ -z $hit ]] || e2e_fail "$what: SYNs reached excluded addresses: $hit"
	sort -u "$E2E_TMP/syn_addrs" >"$E2E_TMP/syn_uniq"
	e2e_diff_sets "$what SYN destinations" "$E2E_TMP/want_addrs" "$E2E_TMP/syn_uniq" ||
		e2e_fail "$what: SYNs did not reach every included address"
	hayate_pairs open "$E2E_TMP/out" >"$E2E_TMP/got_open"
	hayate_pairs closed "$E2E_TMP/out" >"$E2E_TMP/got_closed"
	e2e_diff_sets "$what open" "$E2E_TMP/want_open" "$E2E_TMP/got_open" || e2e_fail "$what open set"
	e2e_diff_sets "$what closed" "$E2E_TMP/want_closed" "$E2E_TMP/got_closed" ||
		e2e_fail "$what closed set"
	RESULT="$what: $(wc -l <"$E2E_TMP/syn_addrs") SYNs to $(wc -l <"$E2E_TMP/syn_uniq") addresses, 0 excluded"
}

scan_excluding "--exclude" --exclude 198.18.0.16/28,198.18.0.200
r1=$RESULT
scan_excluding "--excludefile" --excludefile "$E2E_TMP/exclude.txt"
e2e_pass "$r1; $RESULT; results = 239 addresses x {80 open, 9000 closed}"
