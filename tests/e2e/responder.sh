#!/bin/bash
# SPDX-License-Identifier: MIT
# The stateless XDP responder (bin/hayate-responder) on the target veth, with
# no listener, no nft table and no local route for 198.18.0.0/16 in the
# target, so nothing but the responder can answer there: a hayate scan of
# 198.18.0.0/20 x 22,80,443,8080,9000 at 10k pps finds exactly 22,80,443 open
# and 9000 closed on every address and never 8080 (dropped); the responder's
# counters match probe for probe; the kernel still answers what the responder
# passes (198.19.0.2, outside its range); and every SYN-ACK and RST carries
# correct checksums (tcpdump -vv on the scanner's veth). Skips (77) where XDP
# cannot be attached.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

RESPONDER=${RESPONDER:-$E2E_ROOT/bin/hayate-responder}
e2e_require_root
e2e_require_hayate
e2e_require_tools tcpdump
[[ -x $RESPONDER ]] || e2e_skip "$RESPONDER not built (needs clang and libbpf-dev; make)"
testbed_up "" "" # no listener, no nft: only the responder answers
ip -n "$TNS" route del local "$TARGET_NET" dev lo table local ||
	e2e_fail "cannot remove the target's local route"

# responder_start NS LOG ARGS...: starts the responder, waits for "ready";
# skips the test if it exits 3 (no XDP here). Leaves its PID in RESP_PID.
responder_start()
{
	local ns=$1 log=$2 rc=0
	shift 2
	e2e_spawn "$ns" "$log" "$RESPONDER" "$@"
	RESP_PID=$E2E_LAST_PID
	for _ in $(seq 100); do
		grep -q '^ready' "$log" && return 0
		kill -0 "$RESP_PID" 2>/dev/null || break
		sleep 0.05
	done
	wait "$RESP_PID" || rc=$?
	((rc != 3)) || e2e_skip "XDP unavailable: $(tail -n 1 "$log")"
	e2e_fail "responder $* did not start (exit $rc): $(tail -n 3 "$log")"
}

# responder_stats LOG PID: makes the responder print (and zero) its counters,
# and prints that line.
responder_stats()
{
	local log=$1 pid=$2 n
	n=$(grep -c '^stats' "$log" || true)
	kill -USR1 "$pid"
	for _ in $(seq 100); do
		(($(grep -c '^stats' "$log" || true) > n)) && break
		sleep 0.02
	done
	grep '^stats' "$log" | tail -n 1
}

resp_log=$E2E_TMP/responder.log
responder_start "$TNS" "$resp_log" --dev "$VETH_T" --range "$TARGET_NET" \
	--open 22,80,443 --filtered 8080
target_pid=$RESP_PID
responder_start "$SNS" "$E2E_TMP/pass.log" --dev "$VETH_S" --pass
mode=$(sed -n 's/^ready .*mode=\([a-z]*\).*/\1/p' "$resp_log")

e2e_spawn "$SNS" "$E2E_TMP/tcpdump.txt" tcpdump -i "$VETH_S" -n -vv -l -c 600 \
	"tcp and src net $TARGET_NET"
dump_pid=$E2E_LAST_PID
e2e_wait_for "$E2E_TMP/tcpdump.txt" 'listening on' 5 || e2e_fail "tcpdump did not start"

out=$E2E_TMP/out err=$E2E_TMP/err
hayate_run "$SNS" "$out" "$err" 198.18.0.0/20 "$GW_IP" -p 22,80,443,8080,9000 --rate 10000 \
	--wait 1 --show open,closed -q
((HY_RC == 0)) || e2e_fail "hayate: exit $HY_RC: $(tail -n 3 "$err")"
bad=$(hayate_bad_lines "$out")
[[ -z $bad ]] || e2e_fail "malformed lines: $(head -n 3 <<<"$bad")"

e2e_expect_pairs 198.18.0.0 4096 "22 80 443" >"$E2E_TMP/want_open"
{
	e2e_expect_pairs 198.18.0.0 4096 "9000"
	e2e_expect_pairs "$GW_IP" 1 "22 80 443 8080 9000"
} | sort >"$E2E_TMP/want_closed"
hayate_pairs open "$out" >"$E2E_TMP/got_open"
hayate_pairs closed "$out" >"$E2E_TMP/got_closed"
e2e_diff_sets open "$E2E_TMP/want_open" "$E2E_TMP/got_open" || e2e_fail "open set"
e2e_diff_sets closed "$E2E_TMP/want_closed" "$E2E_TMP/got_closed" || e2e_fail "closed set"
[[ $(wc -l <"$out") -eq 16389 ]] || e2e_fail "$(wc -l <"$out") lines, want 16389"

stats=$(responder_stats "$resp_log" "$target_pid")
for want in syn=20480 synack=12288 rst=4096 drop=4096; do
	[[ " $stats " == *" $want "* ]] || e2e_fail "responder counters: $stats (want $want)"
done

# The first 600 replies, decoded: SYN-ACKs and RST+ACKs only, checksums correct.
wait "$dump_pid" 2>/dev/null || true
replies=$(grep -c 'Flags \[' "$E2E_TMP/tcpdump.txt" || true)
good=$(grep -Ec 'Flags \[(S\.|R\.)\].*cksum 0x[0-9a-f]+ \(correct\)' "$E2E_TMP/tcpdump.txt" || true)
((replies == 600 && good == 600)) ||
	e2e_fail "checksums: $good of $replies replies are SYN-ACK/RST with a correct TCP checksum:" \
		"$(grep 'Flags \[' "$E2E_TMP/tcpdump.txt" | grep -v '(correct)' | head -n 2)"
grep -q 'bad cksum' "$E2E_TMP/tcpdump.txt" && e2e_fail "an IP header checksum is wrong"

e2e_pass "XDP ($mode) answered 198.18.0.0/20 x 5 ports exactly: 12288 open, 4096 closed," \
	"4096 dropped; kernel answered the 5 passed probes; 600/600 checksums correct"
