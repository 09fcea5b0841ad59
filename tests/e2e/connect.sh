#!/bin/bash
# SPDX-License-Identifier: MIT
# The connect scan (-sT) of 1024 live addresses x 5 ports: exactly the
# listeners (22, 80, 443) open, 9000 closed and 8080 (nft drops it) filtered
# after its timeout and one retry, each once. Then the same scan as an
# unprivileged user: hayate notices the missing CAP_NET_RAW, says so in one
# line and falls back to -sT with the same results. Then --max-inflight
# beyond the open-file hard limit fails with a clear message.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_hayate
e2e_require_tools setpriv
testbed_up 22,80,443 8080

ports=22,80,443,8080,9000
out=$E2E_TMP/out err=$E2E_TMP/err
e2e_expect_pairs 198.18.0.0 1024 "22 80 443" >"$E2E_TMP/want_open"
e2e_expect_pairs 198.18.0.0 1024 "9000" >"$E2E_TMP/want_closed"
e2e_expect_pairs 198.18.0.0 1024 "8080" >"$E2E_TMP/want_filtered"

# check_sets WHAT: exit status, line format and the three exact sets.
check_sets()
{
	local state
	((HY_RC == 0)) || e2e_fail "$1: exit $HY_RC: $(tail -n 3 "$err")"
	bad=$(hayate_bad_lines "$out")
	[[ -z $bad ]] || e2e_fail "$1: malformed lines: $(head -n 3 <<<"$bad")"
	for state in open closed filtered; do
		hayate_pairs "$state" "$out" >"$E2E_TMP/got_$state"
		e2e_diff_sets "$1 $state" "$E2E_TMP/want_$state" "$E2E_TMP/got_$state" ||
			e2e_fail "$1: $state set"
	done
}

start=$(date +%s%N)
hayate_run "$SNS" "$out" "$err" -sT 198.18.0.0/22 -p "$ports" --rate 20000 --show all \
	--connect-timeout 300 --retries 1 -q
t1=$((($(date +%s%N) - start) / 1000000))
check_sets "-sT as root"
grep -q 'CAP_NET_RAW' "$err" && e2e_fail "-sT as root printed the fallback notice"

# Unprivileged: no -sT given, no CAP_NET_RAW, so hayate must pick it itself.
chmod o+rx "$E2E_TMP"
start=$(date +%s%N)
HY_RC=0
timeout -s INT 45 ip netns exec "$SNS" setpriv --reuid=65534 --regid=65534 --clear-groups \
	--inh-caps=-all --bounding-set=-all "$HAYATE" 198.18.0.0/22 -p "$ports" --rate 20000 \
	--show all --connect-timeout 300 --retries 1 -q >"$out" 2>"$err" || HY_RC=$?
t2=$((($(date +%s%N) - start) / 1000000))
check_sets "unprivileged"
[[ $(grep -c 'no CAP_NET_RAW.*connect scan (-sT)' "$err") -eq 1 ]] ||
	e2e_fail "unprivileged: no one-line fallback notice: $(head -n 3 "$err")"

# More in flight than the hard limit allows: exit 1, one line naming the limit.
HY_RC=0
ip netns exec "$SNS" bash -c 'ulimit -n 256; exec "$0" "$@"' "$HAYATE" -sT 198.18.0.1 -p 80 \
	--max-inflight 5000 -q >"$out" 2>"$err" || HY_RC=$?
((HY_RC == 1)) || e2e_fail "--max-inflight over the limit: exit $HY_RC, want 1"
grep -q -- "--max-inflight 5000 needs 5064 open files but the limit is 256" "$err" ||
	e2e_fail "--max-inflight over the limit: message: $(cat "$err")"

e2e_pass "1024 x 5 ports: 3072 open, 1024 closed, 1024 filtered, as root in $t1 ms and" \
	"unprivileged (fallback notice) in $t2 ms; --max-inflight over RLIMIT_NOFILE refused"
