#!/bin/bash
# SPDX-License-Identifier: MIT
# Ping sweep (-sn) of 198.18.0.0/24, where the target drops echo requests to
# the upper half (nft): exactly 198.18.0.0-127 are up, one "up icmp 0" line
# each. Then --ping with ports: the port scan reaches only those 128 hosts
# (22 open, 9000 closed on each), and nft counts no SYN to the silent half.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_hayate
e2e_require_tools nft
testbed_up 22
in_target nft -f - <<-EOF2 || e2e_fail "nft rules"
	table inet hyping$$ {
		chain input {
			type filter hook input priority 0; policy accept;
			ip daddr 198.18.0.128/25 icmp type echo-request drop
			ip daddr 198.18.0.128/25 tcp flags syn counter
		}
	}
EOF2

out=$E2E_TMP/out err=$E2E_TMP/err
e2e_expect_pairs 198.18.0.0 128 "0" >"$E2E_TMP/want_up"

# Ping sweep alone.
start=$(date +%s%N)
hayate_run "$SNS" "$out" "$err" -sn 198.18.0.0/24 --rate 20000 --wait 1 -q
t1=$((($(date +%s%N) - start) / 1000000))
((HY_RC == 0)) || e2e_fail "-sn: exit $HY_RC: $(tail -n 3 "$err")"
bad=$(grep -Ev '^up icmp 0 198\.18\.0\.[0-9]{1,3} ttl=64$' "$out" || true)
[[ -z $bad ]] || e2e_fail "-sn: unexpected lines: $(head -n 3 <<<"$bad")"
awk '$1 == "up" { print $4, $3 }' "$out" | sort >"$E2E_TMP/got_up"
e2e_diff_sets "-sn up" "$E2E_TMP/want_up" "$E2E_TMP/got_up" || e2e_fail "-sn: hosts up"
grep -q "128 hosts up" "$err" || e2e_fail "-sn: summary: $(cat "$err")"

# Ping first, then ports of the hosts up only.
start=$(date +%s%N)
hayate_run "$SNS" "$out" "$err" --ping 198.18.0.0/24 -p 22,9000 --rate 20000 --wait 1 \
	--show open,closed -q
t2=$((($(date +%s%N) - start) / 1000000))
((HY_RC == 0)) || e2e_fail "--ping -p: exit $HY_RC: $(tail -n 3 "$err")"
awk '$1 == "up" { print $4, $3 }' "$out" | sort >"$E2E_TMP/got_up"
e2e_diff_sets "--ping up" "$E2E_TMP/want_up" "$E2E_TMP/got_up" || e2e_fail "--ping: hosts up"
e2e_expect_pairs 198.18.0.0 128 "22" >"$E2E_TMP/want_open"
e2e_expect_pairs 198.18.0.0 128 "9000" >"$E2E_TMP/want_closed"
hayate_pairs open "$out" >"$E2E_TMP/got_open"
hayate_pairs closed "$out" >"$E2E_TMP/got_closed"
e2e_diff_sets "--ping open" "$E2E_TMP/want_open" "$E2E_TMP/got_open" || e2e_fail "--ping: open set"
e2e_diff_sets "--ping closed" "$E2E_TMP/want_closed" "$E2E_TMP/got_closed" ||
	e2e_fail "--ping: closed set"
[[ $(wc -l <"$out") -eq 384 ]] || e2e_fail "--ping: $(wc -l <"$out") lines, want 384"
syns=$(in_target nft list table inet "hyping$$" | sed -n 's/.*tcp flags syn counter packets \([0-9]*\).*/\1/p')
[[ $syns == 0 ]] || e2e_fail "--ping: $syns SYNs reached hosts that did not answer the ping"
grep -q "128 hosts up: scanning their ports" "$err" || e2e_fail "--ping: no phase line: $(cat "$err")"

e2e_pass "-sn /24: exactly 128 up in $t1 ms; --ping -p 22,9000: 128 open + 128 closed," \
	"0 SYNs to the 128 hosts down, in $t2 ms"
