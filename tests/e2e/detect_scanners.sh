#!/bin/bash
# SPDX-License-Identifier: MIT
# hayate-detect on one capture of real scans and real traffic, made in the
# testbed: hayate, masscan, ZMap, nmap -sS (fast, and slow at 4 probes a
# second) and a small hayate probe of a closed port each scan from their own
# source address, while three clients fetch pages from an HTTP server. Each
# scanner must be flagged with the right kind and tool hint (masscan's probes
# of a filtered port fail by timeout, the others by RST), the small probe
# by the random walk alone, and the clients and servers never.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

DETECT=${DETECT:-$E2E_ROOT/bin/hayate-detect}
e2e_require_root
e2e_require_tools masscan zmap nmap tcpdump curl python3
e2e_require_hayate
[[ -x $DETECT ]] || e2e_skip "$DETECT not built yet (make)"
testbed_up 22,80,443 8080
mac=$(ip -n "$TNS" -br link show "$VETH_T" | awk '{ print $3 }')
for host in 10 11 12 13 14 15 20 21 22; do
	ip -n "$SNS" addr add "198.19.0.$host/24" dev "$VETH_S"
done
# Wait until the new addresses are usable (no longer tentative).
for _ in $(seq 40); do
	ip -n "$SNS" addr show dev "$VETH_S" | grep -q tentative || break
	sleep 0.05
done

cap=$E2E_TMP/traffic.pcap
testbed_capture_start "$cap" "tcp or icmp"

# Normal traffic: three clients, 30 page fetches each from three servers, and
# one mistyped port.
mkdir "$E2E_TMP/www"
echo hello >"$E2E_TMP/www/index.html"
e2e_spawn "$TNS" "$E2E_TMP/http.log" python3 -m http.server 8000 --bind 0.0.0.0 \
	--directory "$E2E_TMP/www"
for _ in $(seq 50); do
	in_scanner curl -s -o /dev/null --max-time 1 http://198.18.1.1:8000/ && break
	sleep 0.1
done
clients=()
for host in 20 21 22; do
	urls=()
	for i in $(seq 10); do
		urls+=("http://198.18.1.1:8000/" "http://198.18.1.2:8000/index.html"
			"http://198.18.1.3:8000/?q=$i")
	done
	in_scanner curl -s --interface "198.19.0.$host" --max-time 20 "${urls[@]}" >/dev/null &
	clients+=($!)
done
in_scanner curl -s --interface 198.19.0.20 --max-time 2 http://198.18.1.1:8443/ >/dev/null || true

scan()
{
	local name=$1
	shift
	timeout -k 5 30 ip netns exec "$SNS" "$@" >"$E2E_TMP/$name.out" 2>&1 ||
		e2e_fail "$name exited $?: $(tail -n 2 "$E2E_TMP/$name.out")"
}
scan hayate "$HAYATE" 198.18.0.0/26 -p 22,80,9000 --rate 5000 --wait 1 -q -S 198.19.0.10
scan masscan masscan 198.18.0.64/26 -p80,8080 --rate 5000 --wait 1 --interface "$VETH_S" \
	--router-mac "$mac" --adapter-ip 198.19.0.11
scan zmap zmap -i "$VETH_S" -G "$mac" -S 198.19.0.12 -b /dev/null -p 80 -r 5000 -c 1 \
	198.18.0.128/26
scan nmap_fast nmap -sS -n -Pn -T4 -e "$VETH_S" -S 198.19.0.13 -p 1-100 198.18.0.200
scan nmap_slow nmap -sS -n -Pn -e "$VETH_S" -S 198.19.0.14 --scan-delay 250ms --max-retries 0 \
	-p 1-20 198.18.0.201
scan trw "$HAYATE" 198.18.2.1-198.18.2.8 -p 9000 --rate 50 --wait 1 -q -S 198.19.0.15
for pid in "${clients[@]}"; do
	wait "$pid" || e2e_fail "an HTTP client failed"
done
sleep 1.5 # tcpdump hands over packets in blocks; let the last one through
testbed_capture_stop "$cap" >/dev/null
grep -q '^0 packets dropped by kernel' "$cap.log" ||
	e2e_fail "tcpdump dropped packets: $(tr '\n' ' ' <"$cap.log")"

"$DETECT" -r "$cap" -o "$E2E_TMP/alerts.json" 2>"$E2E_TMP/detect.err" ||
	e2e_fail "hayate-detect exited $?: $(tail -n 3 "$E2E_TMP/detect.err")"
alerts=$E2E_TMP/alerts.json
# DETECT_KEEP=DIR keeps the capture and the detector's output for a look.
[[ -z ${DETECT_KEEP:-} ]] || cp "$cap" "$alerts" "$E2E_TMP/detect.err" "$DETECT_KEEP/"

# expect SRC KIND TOOL: an alert of KIND from SRC naming TOOL.
expect()
{
	grep -q "\"src\":\"$1\",\"kind\":\"$2\".*\"tool\":\"$3\"" "$alerts" ||
		e2e_fail "no $2 alert for $1 ($3); alerts: $(cut -c 1-60 "$alerts" | tr '\n' ' ')"
}
expect 198.19.0.10 address_sweep hayate
expect 198.19.0.11 address_sweep masscan
expect 198.19.0.12 address_sweep zmap
expect 198.19.0.13 port_scan nmap
expect 198.19.0.14 port_scan nmap
expect 198.19.0.15 trw hayate
[[ $(grep -c '"src":"198.19.0.15"' "$alerts") -eq 1 ]] ||
	e2e_fail "198.19.0.15 probed 8 hosts: only the random walk should flag it"
others=$(grep -v '"src":"198.19.0.1[0-5]"' "$alerts" || true)
[[ -z $others ]] || e2e_fail "alerts for sources that did not scan: $others"
[[ $(grep -c '^ALERT ' "$E2E_TMP/detect.err") -eq $(wc -l <"$alerts") ]] ||
	e2e_fail "stderr lines and JSON alerts differ in number"
grep -q 'established' "$E2E_TMP/detect.err" || e2e_fail "no summary: $(cat "$E2E_TMP/detect.err")"
established=$(sed -n 's/.* \([0-9]*\) established.*/\1/p' "$E2E_TMP/detect.err")
((established >= 90)) || e2e_fail "only $established connections established; the clients made 90"
e2e_pass "$(wc -l <"$alerts") alerts, all from the six scanners with the right kind and tool;" \
	"$established normal connections from 3 clients raised none"
