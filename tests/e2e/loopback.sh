#!/bin/bash
# SPDX-License-Identifier: MIT
# Scanning 127.0.0.1 over the loopback interface (zero MACs, no ARP) in a fresh
# namespace finds exactly the two ports listen holds open among 1026 probed.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_hayate
e2e_begin
LOOPNS="hl-$$"
e2e_netns_add "$LOOPNS"
testbed_listen "$LOOPNS" "4444 50123"

printf '127.0.0.1 4444\n127.0.0.1 50123\n' | sort >"$E2E_TMP/want"

# scan_loopback: one scan; returns 1 (with the difference printed) if the open set is wrong.
scan_loopback()
{
	hayate_run "$LOOPNS" "$E2E_TMP/out" "$E2E_TMP/err" 127.0.0.1 -p 1-1024,4444,50123 \
		--rate 10000 --wait 1 -q
	((HY_RC == 0)) || e2e_fail "exit $HY_RC: $(tail -n 3 "$E2E_TMP/err")"
	bad=$(hayate_bad_lines "$E2E_TMP/out")
	[[ -z $bad ]] || e2e_fail "malformed lines: $(head -n 3 <<<"$bad")"
	hayate_pairs open "$E2E_TMP/out" >"$E2E_TMP/got"
	e2e_diff_sets "open" "$E2E_TMP/want" "$E2E_TMP/got"
}

if ! scan_loopback; then
	# Frames injected on lo with a local source (127.0.0.1 -> 127.0.0.1) are
	# martians to the kernel unless lo allows them; say so if that is the cause.
	ip netns exec "$LOOPNS" sysctl -qw net.ipv4.conf.lo.route_localnet=1 \
		net.ipv4.conf.lo.accept_local=1
	scan_loopback >/dev/null &&
		e2e_fail "nothing open on 127.0.0.1 with stock sysctls, both found with" \
			"lo route_localnet=1 accept_local=1: frames sent on lo are dropped as martians"
	e2e_fail "open set on 127.0.0.1"
fi
e2e_pass "127.0.0.1 x 1026 ports: exactly 4444 and 50123 open"
