#!/bin/bash
# SPDX-License-Identifier: MIT
# core/route.c against the kernel: route_lookup() and route_next_hop_mac(),
# through tests/e2e/route_probe, must agree with `ip route get` and `ip link`
# in the testbed, find the next hop both from the neighbour table and by ARP,
# and fail with the documented one-line errors.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
testbed_up "" ""

checks=0
# expect WHAT GOT WANT
expect()
{
	checks=$((checks + 1))
	[[ $2 == "$3" ]] || e2e_fail "$1: got '$2', want '$3'"
}

# kv KEY LINE: the value of KEY=VALUE in a route_probe line.
kv()
{
	sed -n "s/.*\\<$1=\\([^ ]*\\).*/\\1/p" <<<"$2"
}

# probe_err ARGS...: runs route_probe in the scanner, expecting failure, and
# prints its stderr (or "succeeded", which no expect() wants).
probe_err()
{
	local out
	if out=$(in_scanner "$ROUTE_PROBE" "$@" 2>&1 >/dev/null); then
		echo "succeeded"
	fi
	echo "$out"
}

mac_of()
{
	ip -n "$1" -br link show "$2" | awk '{print $3}'
}

scan_mac=$(mac_of "$SNS" "$VETH_S")
target_mac=$(mac_of "$TNS" "$VETH_T")
scan_mtu=$(ip -n "$SNS" link show "$VETH_S" | sed -n 's/.* mtu \([0-9]*\).*/\1/p')

# 1. Neighbour table empty: the MAC must come from our own ARP.
ip -n "$SNS" neigh flush dev "$VETH_S"
expect "neighbour entry before ARP" "$(ip -n "$SNS" neigh show 198.19.0.2 dev "$VETH_S")" ""
line=$(in_scanner "$ROUTE_PROBE" 198.18.0.5) || e2e_fail "route_probe 198.18.0.5 failed"
want_src=$(in_scanner ip route get 198.18.0.5 | sed -n 's/.* src \([0-9.]*\).*/\1/p')
expect "ifname" "$(kv ifname "$line")" "$VETH_S"
expect "loopback" "$(kv loopback "$line")" 0
expect "src" "$(kv src "$line")" "$want_src"
expect "src" "$(kv src "$line")" "$SCAN_IP"
expect "gw" "$(kv gw "$line")" "$GW_IP"
expect "mtu" "$(kv mtu "$line")" "$scan_mtu"
expect "src_mac" "$(kv src_mac "$line")" "$scan_mac"
expect "next_hop_mac by ARP" "$(kv next_hop_mac "$line")" "$target_mac"

# 2. With a neighbour entry: it must be read from the table, so plant a fake one.
fake_mac=02:00:5e:00:53:01
ip -n "$SNS" neigh replace "$GW_IP" lladdr "$fake_mac" dev "$VETH_S" nud permanent
line=$(in_scanner "$ROUTE_PROBE" 198.18.0.5) || e2e_fail "route_probe with a neighbour entry failed"
expect "next_hop_mac from the neighbour table" "$(kv next_hop_mac "$line")" "$fake_mac"
ip -n "$SNS" neigh del "$GW_IP" dev "$VETH_S"
# ... and a real entry the kernel learnt itself: a TCP connect to a closed port
# of the gateway (answered by RST, inside the testbed) makes it resolve.
in_scanner timeout 2 bash -c "echo >/dev/tcp/$GW_IP/9" 2>/dev/null || true
ip -n "$SNS" neigh show "$GW_IP" dev "$VETH_S" | grep -q "$target_mac" ||
	e2e_fail "the kernel did not learn $GW_IP"
line=$(in_scanner "$ROUTE_PROBE" -t 1 198.18.0.5) || e2e_fail "route_probe with a learnt entry failed"
expect "next_hop_mac from a learnt entry" "$(kv next_hop_mac "$line")" "$target_mac"

# 3. On-link target: the next hop is the target itself; -i forces the interface.
ip -n "$SNS" neigh flush dev "$VETH_S"
line=$(in_scanner "$ROUTE_PROBE" -i "$VETH_S" "$GW_IP") || e2e_fail "route_probe -i $VETH_S $GW_IP failed"
expect "on-link gw" "$(kv gw "$line")" 0.0.0.0
expect "on-link next_hop_mac" "$(kv next_hop_mac "$line")" "$target_mac"

# 4. Loopback: lo, zero MAC, no ARP.
line=$(in_scanner "$ROUTE_PROBE" 127.0.0.1) || e2e_fail "route_probe 127.0.0.1 failed"
expect "loopback ifname" "$(kv ifname "$line")" lo
expect "loopback flag" "$(kv loopback "$line")" 1
expect "loopback next_hop_mac" "$(kv next_hop_mac "$line")" 00:00:00:00:00:00

# 5. Errors, one line each.
expect "no route" "$(probe_err 10.1.2.3)" "route_probe: no route to 10.1.2.3"
expect "no interface" "$(probe_err -i nosuch0 198.18.0.5)" \
	"route_probe: interface 'nosuch0' does not exist"
expect "no ARP reply" "$(probe_err -t 300 198.19.0.77)" \
	"route_probe: no ARP reply from 198.19.0.77 on $VETH_S within 300 ms (use --router-mac)"
# A second veth pair inside the scanner namespace, up but without addresses.
ip -n "$SNS" link add "hn$$a" type veth peer name "hn$$b"
ip -n "$SNS" link set "hn$$a" up
ip -n "$SNS" link set "hn$$b" up
for _ in $(seq 40); do
	ip -n "$SNS" -br link show "hn$$a" | grep -q LOWER_UP && break
	sleep 0.05
done
expect "no IPv4" "$(probe_err -n -i "hn$$a" 198.18.0.5)" \
	"route_probe: interface 'hn$$a' has no IPv4 address (use --source-ip)"
ip -n "$TNS" link set "$VETH_T" down # the scanner's side loses carrier, keeps its routes
for _ in $(seq 40); do # the kernel updates the operational state asynchronously
	ip -n "$SNS" -br link show "$VETH_S" | grep -q NO-CARRIER && break
	sleep 0.05
done
expect "no carrier" "$(probe_err 198.18.0.5)" "route_probe: interface '$VETH_S' is down (no carrier)"
ip -n "$SNS" link set "$VETH_S" down
expect "down, forced" "$(probe_err -i "$VETH_S" 198.18.0.5)" "route_probe: interface '$VETH_S' is down"
expect "down, routes gone" "$(probe_err 198.18.0.5)" "route_probe: no route to 198.18.0.5"

e2e_pass "$checks checks: route, source, gateway, MTU, MACs (ARP and neighbour table), errors"
