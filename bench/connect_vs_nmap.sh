#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# hayate -sT against nmap -sT -T5 on the same work, in namespaces this script
# makes (tests/e2e/netns.sh), so no packet leaves the machine:
#   1. all 65,535 ports of 127.0.0.1 in a fresh namespace with 4 listeners;
#   2. 198.18.0.0/20 x 4 ports (22,80,443 open, 9000 closed) in the testbed.
# Each side runs RUNS times (default 3); prints the median wall time of each,
# the ratio, and whether both found the same open ports. Needs root and nmap.
# Usage: sudo bench/connect_vs_nmap.sh   (RUNS=5 HAYATE_ARGS="--tx-threads 2" to vary)
set -euo pipefail
E2E_NAME=connect_vs_nmap
# shellcheck source=../tests/e2e/netns.sh
source "$(dirname "$0")/../tests/e2e/netns.sh"
e2e_require_root
e2e_require_tools nmap
e2e_require_hayate
RUNS=${RUNS:-3}
read -r -a EXTRA <<<"${HAYATE_ARGS:-}"

# median_ms CMD...: runs CMD RUNS times (stdout to $E2E_TMP/last), prints the median ms.
median_ms()
{
	local t=() start
	for _ in $(seq "$RUNS"); do
		start=$(date +%s%N)
		"$@" >"$E2E_TMP/last" 2>"$E2E_TMP/last.err" || e2e_fail "$*: $(tail -n 2 "$E2E_TMP/last.err")"
		t+=($((($(date +%s%N) - start) / 1000000)))
	done
	printf '%s\n' "${t[@]}" | sort -n | sed -n "$(((RUNS + 1) / 2))p"
}

# compare NAME NS TARGET PORTS: times both scanners, checks they agree, prints one line.
compare()
{
	local name=$1 ns=$2 target=$3 ports=$4 th tn
	th=$(median_ms ip netns exec "$ns" "$HAYATE" -sT "$target" -p "$ports" --rate 10M \
		--max-inflight 4096 -q "${EXTRA[@]}")
	awk '$1 == "open" { print $4, $3 }' "$E2E_TMP/last" | sort >"$E2E_TMP/hayate"
	tn=$(median_ms ip netns exec "$ns" nmap -sT -T5 -n -Pn "$target" -p "$ports" -oG -)
	awk '/Ports:/ { for (i = 5; i <= NF; i++) if ($i ~ /\/open\//) { split($i, p, "/");
		print $2, p[1] } }' "$E2E_TMP/last" | sort >"$E2E_TMP/nmap"
	if cmp -s "$E2E_TMP/hayate" "$E2E_TMP/nmap"; then
		same="same $(wc -l <"$E2E_TMP/hayate") open ports"
	else
		same="DIFFERENT open sets: hayate $(wc -l <"$E2E_TMP/hayate"), nmap $(wc -l <"$E2E_TMP/nmap")"
	fi
	awk -v n="$name" -v h="$th" -v m="$tn" -v s="$same" 'BEGIN {
		printf "%-28s hayate %6d ms   nmap -T5 %6d ms   %5.1fx   %s\n", n, h, m, m / h, s }'
}

# start_accept NS "PORT...": open ports that accept, so repeated handshakes never fill a queue.
start_accept()
{
	e2e_build_helpers
	# shellcheck disable=SC2086 # the port list is meant to split
	e2e_spawn "$1" "$E2E_TMP/accept.$1" "$ACCEPT" $2
	e2e_wait_for "$E2E_TMP/accept.$1" '^ready' 5 || e2e_fail "accept $2 did not start"
}

echo "median of $RUNS runs each; hayate -sT --rate 10M --max-inflight 4096 ${EXTRA[*]}"
e2e_begin
LOOPNS="hl-$$"
e2e_netns_add "$LOOPNS"
start_accept "$LOOPNS" "22 80 8080 40000"
compare "127.0.0.1 x 65535 ports" "$LOOPNS" 127.0.0.1 1-65535

testbed_up
start_accept "$TNS" "22 80 443"
compare "198.18.0.0/20 x 4 ports" "$SNS" 198.18.0.0/20 22,80,443,9000
