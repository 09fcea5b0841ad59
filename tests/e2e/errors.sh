#!/bin/bash
# SPDX-License-Identifier: MIT
# Bad input exits 2 with one line on stderr naming the problem ("hayate: ...");
# a setup problem (no route, interface down) exits 1. Every run happens inside
# a namespace of ours, so even a hayate that ignored its input could not send
# anything off this machine.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_hayate
e2e_begin
ISOLATED="hn-$$" # lo only: no route anywhere
e2e_netns_add "$ISOLATED"
checks=0

# expect_exit NS CODE PATTERN ARGS...: hayate ARGS exits CODE, and its stderr is
# one line that contains "hayate:" and PATTERN.
expect_exit()
{
	local ns=$1 code=$2 pattern=$3 lines
	shift 3
	hayate_run "$ns" "$E2E_TMP/out" "$E2E_TMP/err" "$@"
	lines=$(wc -l <"$E2E_TMP/err")
	((HY_RC == code)) || e2e_fail "hayate $*: exit $HY_RC, want $code; stderr: $(head -n 2 "$E2E_TMP/err")"
	((lines == 1)) || e2e_fail "hayate $*: $lines lines on stderr, want 1: $(head -n 3 "$E2E_TMP/err" | tr '\n' '|')"
	grep -q 'hayate:' "$E2E_TMP/err" || e2e_fail "hayate $*: no 'hayate:' in: $(cat "$E2E_TMP/err")"
	grep -qi -- "$pattern" "$E2E_TMP/err" || e2e_fail "hayate $*: no '$pattern' in: $(cat "$E2E_TMP/err")"
	[[ ! -s $E2E_TMP/out ]] || e2e_fail "hayate $*: printed results: $(head -n 1 "$E2E_TMP/out")"
	checks=$((checks + 1))
}

# Input errors: exit 2.
expect_exit "$ISOLATED" 2 '1.2.3.999' 1.2.3.999 -p 80
expect_exit "$ISOLATED" 2 '70000' 198.18.0.1 -p 70000
expect_exit "$ISOLATED" 2 '90-80' 198.18.0.1 -p 90-80
expect_exit "$ISOLATED" 2 'port' 198.18.0.1
expect_exit "$ISOLATED" 2 '/nonexistent' -iL /nonexistent -p 80
expect_exit "$ISOLATED" 2 'no-such-option' --no-such-option 198.18.0.1 -p 80
expect_exit "$ISOLATED" 2 'hayate:' 4.0.0.0/7 -p 80 # 33 million addresses, no excludes

# Setup errors: exit 1.
expect_exit "$ISOLATED" 1 'no route' 198.18.0.1 -p 80

testbed_up "" ""
# The target side goes down: the scanner's veth loses carrier but keeps its routes.
ip -n "$TNS" link set "$VETH_T" down
for _ in $(seq 40); do
	ip -n "$SNS" -br link show "$VETH_S" | grep -q NO-CARRIER && break
	sleep 0.05
done
expect_exit "$SNS" 1 'is down' 198.18.0.1 -p 80
# The gateway is back but answers no ARP, and the neighbour table is empty.
ip -n "$TNS" link set "$VETH_T" up arp off
for _ in $(seq 40); do
	ip -n "$SNS" -br link show "$VETH_S" | grep -q LOWER_UP && break
	sleep 0.05
done
ip -n "$SNS" neigh flush dev "$VETH_S"
expect_exit "$SNS" 1 "no ARP reply from $GW_IP on $VETH_S" 198.18.0.1 -p 80
# The scanner's own interface is down, and named with -e.
ip -n "$SNS" link set "$VETH_S" down
expect_exit "$SNS" 1 'is down' -e "$VETH_S" 198.18.0.1 -p 80

e2e_pass "$checks error cases: 7 input errors exit 2, no route, 2 interface-down and no-ARP-reply cases exit 1, one stderr line each"
