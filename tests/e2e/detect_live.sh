#!/bin/bash
# SPDX-License-Identifier: MIT
# hayate-detect -i, live on the target's side of the veth: a hayate sweep of
# 64 addresses raises address_sweep for the scanner, while the connections of
# a client that only talks to open ports raise nothing. SIGINT ends the
# capture with exit 0 and the summary. Then a sweep that nothing answers,
# followed by silence: with no frame to move the capture's clock, its SYNs
# must still time out and raise the alert.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

DETECT=${DETECT:-$E2E_ROOT/bin/hayate-detect}
e2e_require_root
e2e_require_tools python3
e2e_require_hayate
[[ -x $DETECT ]] || e2e_skip "$DETECT not built yet (make)"
testbed_up 22,80,443 8443
ip -n "$SNS" addr add 198.19.0.20/24 dev "$VETH_S"

e2e_spawn "$TNS" "$E2E_TMP/detect.err" "$DETECT" -i "$VETH_T" -o "$E2E_TMP/alerts.json" \
	--timeout 1
detect_pid=$E2E_LAST_PID
e2e_wait_for "$E2E_TMP/detect.err" 'capturing on' 5 ||
	e2e_fail "hayate-detect did not start: $(cat "$E2E_TMP/detect.err")"
sleep 0.5 # the capture socket is open before the message; give the filter a moment

# The client, 198.19.0.20: 20 connections to open ports of two hosts, each closed at once.
for i in $(seq 10); do
	for host in 198.18.3.1 198.18.3.2; do
		in_scanner timeout 2 python3 -c "import socket
socket.create_connection(('$host', 22), 1, ('198.19.0.20', 0)).close()" ||
			e2e_fail "client connection $i to $host failed"
	done
done
hayate_run "$SNS" "$E2E_TMP/out" "$E2E_TMP/err" 198.18.4.0/26 -p 80,9000 --rate 2000 --wait 1 -q
((HY_RC == 0)) || e2e_fail "hayate exit $HY_RC: $(tail -n 2 "$E2E_TMP/err")"

e2e_wait_for "$E2E_TMP/alerts.json" '"kind":"address_sweep"' 5 ||
	e2e_fail "no address_sweep alert while live: $(cat "$E2E_TMP/detect.err")"
# The dark sweep: 32 hosts on a port nft drops, from 198.19.0.30, then nothing on the wire.
ip -n "$SNS" addr add 198.19.0.30/24 dev "$VETH_S"
hayate_run "$SNS" "$E2E_TMP/out2" "$E2E_TMP/err2" 198.18.5.0/27 -p 8443 -S 198.19.0.30 \
	--rate 2000 --wait 0 -q
((HY_RC == 0)) || e2e_fail "hayate (dark sweep) exit $HY_RC: $(tail -n 2 "$E2E_TMP/err2")"
e2e_wait_for "$E2E_TMP/alerts.json" '"src":"198.19.0.30","kind":"address_sweep"' 5 ||
	e2e_fail "a dark sweep followed by silence raised no alert: $(cat "$E2E_TMP/alerts.json")"
kill -INT "$detect_pid"
rc=0
wait "$detect_pid" || rc=$?
((rc == 0)) || e2e_fail "hayate-detect exited $rc after SIGINT: $(tail -n 2 "$E2E_TMP/detect.err")"
grep -q 'connection attempts' "$E2E_TMP/detect.err" || e2e_fail "no summary after SIGINT"
grep -q '"src":"198.19.0.1","kind":"address_sweep".*"tool":"hayate"' "$E2E_TMP/alerts.json" ||
	e2e_fail "the sweep was not attributed to 198.19.0.1 (hayate): $(cat "$E2E_TMP/alerts.json")"
! grep -q '"src":"198.19.0.20"' "$E2E_TMP/alerts.json" ||
	e2e_fail "the client was flagged: $(grep '198.19.0.20' "$E2E_TMP/alerts.json")"
e2e_pass "$(wc -l <"$E2E_TMP/alerts.json") alerts live, all for the scanners (one sweeping a dark range, then silent); exit 0 on SIGINT with a summary"
