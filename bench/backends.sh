#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Send backends side by side: hayate's probes/s at --rate 10M through each
# send backend, in the namespace testbed of tests/e2e/netns.sh, and the CPU
# time per probe (user + system of hayate: on veth the target's softirq work
# runs on the sender's core and is charged to it, the same for every
# backend). CPU per probe hardly moves when other work shares the machine;
# probes/s does. Rounds are interleaved (every backend once, then again), so
# a busy moment costs every backend alike; the table gives medians, and the
# min and max of probes/s.
#
#   MODE=drop    (default) the target drops all TCP at its veth's ingress
#                (nft netdev hook, the earliest), so only sending is measured;
#                an nft counter checks that every probe arrived
#   MODE=answer  the target's kernel answers every probe (RST: no port is
#                open); checks that every reply was received, with no drop
#
# Safety: everything is sent inside the two namespaces, which have no route
# off the machine.
#
# Usage (root): bench/backends.sh            about a minute
# Environment: ROUNDS (5), BACKENDS ("xdp txring afpacket uring pcap"; those
# that cannot open here are left out), NET (198.18.0.0/16), PORTS (1-32),
# CAPTURE (ring or pcap, for MODE=answer).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source-path=SCRIPTDIR/.. source=tests/e2e/netns.sh
source tests/e2e/netns.sh

MODE=${MODE:-drop}
ROUNDS=${ROUNDS:-5}
NET=${NET:-198.18.0.0/16}
PORTS=${PORTS:-1-32}
CAPTURE=${CAPTURE:-ring}

e2e_require_root
e2e_require_hayate
e2e_require_tools nft /usr/bin/time
testbed_up ""
if [[ $MODE = drop ]]; then
	in_target nft -f - <<-EOF || e2e_fail "nft drop rule"
		table netdev hybench {
			chain in {
				type filter hook ingress device "$VETH_T" priority -500; policy accept;
				meta l4proto tcp counter drop
			}
		}
	EOF
fi

# nft's count of TCP frames dropped at the target so far.
arrived()
{
	in_target nft list table netdev hybench |
		awk '{ for (i = 1; i < NF; i++) if ($i == "packets") print $(i + 1) }'
}

backends=()
for b in ${BACKENDS:-xdp txring afpacket uring pcap}; do
	in_scanner "$HAYATE" "${NET%/*}" -p 1 --send-backend "$b" --wait 0 -q >/dev/null 2>&1 &&
		backends+=("$b")
done
((${#backends[@]})) || e2e_fail "no send backend opens here"

declare -A PPS NS
for round in $(seq "$ROUNDS"); do
	for b in "${backends[@]}"; do
		before=$([[ $MODE = drop ]] && arrived || echo 0)
		wait_s=0
		[[ $MODE = drop ]] || wait_s=1
		HY_RC=0
		timeout -s INT -k 5 120 ip netns exec "$SNS" /usr/bin/time -f "%U %S" \
			-o "$E2E_TMP/time" "$HAYATE" "$NET" -p "$PORTS" --rate 10M --wait "$wait_s" -q \
			--send-backend "$b" --capture-backend "$CAPTURE" >"$E2E_TMP/out" \
			2>"$E2E_TMP/err" || HY_RC=$?
		((HY_RC == 0)) || e2e_fail "$b: exit $HY_RC: $(tail -n 2 "$E2E_TMP/err")"
		sent=$(grep -oE '^hayate: [0-9]+ probes sent' "$E2E_TMP/err" | grep -oE '[0-9]+')
		pps=$(grep -oE '\([0-9]+ pps\)' "$E2E_TMP/err" | grep -oE '[0-9]+' | head -n 1)
		if [[ $MODE = drop ]]; then
			got=$(($(arrived) - before))
			((got == sent)) || e2e_fail "$b: $sent probes sent, $got arrived"
		else
			replies=$(grep -oE '[0-9]+ replies' "$E2E_TMP/err" | grep -oE '[0-9]+')
			drops=$(grep -oE '[0-9]+ capture drops' "$E2E_TMP/err" | grep -oE '[0-9]+')
			((replies == sent && drops == 0)) ||
				e2e_fail "$b: $sent sent, $replies replies, $drops capture drops"
		fi
		read -r usr sys <"$E2E_TMP/time"
		ns=$(awk -v u="$usr" -v s="$sys" -v n="$sent" 'BEGIN { printf "%.0f", (u + s) * 1e9 / n }')
		echo "  $MODE round $round: $b $pps pps, $ns ns CPU per probe ($sent probes)" >&2
		PPS[$b]+="$pps "
		NS[$b]+="$ns "
	done
done

# median WORDS: the median of a list of numbers.
median()
{
	tr ' ' '\n' <<<"$1" | grep . | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'
}

echo "| send backend | probes/s (median) | min | max | CPU ns per probe (median) |"
echo "| --- | ---: | ---: | ---: | ---: |"
for b in "${backends[@]}"; do
	sorted=$(tr ' ' '\n' <<<"${PPS[$b]}" | grep . | sort -n)
	echo "| $b | $(median "${PPS[$b]}") | $(head -n 1 <<<"$sorted") |" \
		"$(tail -n 1 <<<"$sorted") | $(median "${NS[$b]}") |"
done
