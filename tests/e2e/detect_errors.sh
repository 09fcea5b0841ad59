#!/bin/bash
# SPDX-License-Identifier: MIT
# hayate-detect's failures: a malformed, truncated, empty or missing capture
# file, an unsupported link type and bad options exit 2 (alerts found before a
# truncation are still written), and a missing interface exits 1, each with
# one line on stderr naming the problem. The fixtures in tests/fixtures/detect/
# read cleanly. Runs no network traffic.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

DETECT=${DETECT:-$E2E_ROOT/bin/hayate-detect}
FIXTURES=$E2E_ROOT/tests/fixtures/detect
[[ -x $DETECT ]] || e2e_skip "$DETECT not built yet (make)"
e2e_begin
ISOLATED="hn-$$" # lo only, so -i has nothing to capture but our own errors
e2e_netns_add "$ISOLATED"
checks=0

# expect_exit CODE PATTERN ARGS...: hayate-detect ARGS exits CODE with one
# stderr line that starts "hayate-detect:" and contains PATTERN, and no alerts.
expect_exit()
{
	local code=$1 pattern=$2 rc=0 lines
	shift 2
	timeout 10 ip netns exec "$ISOLATED" "$DETECT" "$@" >"$E2E_TMP/out" 2>"$E2E_TMP/err" || rc=$?
	lines=$(wc -l <"$E2E_TMP/err")
	((rc == code)) || e2e_fail "hayate-detect $*: exit $rc, want $code: $(head -n 2 "$E2E_TMP/err")"
	((lines == 1)) || e2e_fail "hayate-detect $*: $lines lines on stderr: $(tr '\n' '|' <"$E2E_TMP/err")"
	grep -q '^hayate-detect: ' "$E2E_TMP/err" || e2e_fail "hayate-detect $*: $(cat "$E2E_TMP/err")"
	grep -qi -- "$pattern" "$E2E_TMP/err" ||
		e2e_fail "hayate-detect $*: no '$pattern' in: $(cat "$E2E_TMP/err")"
	[[ ! -s $E2E_TMP/out ]] || e2e_fail "hayate-detect $*: printed: $(head -n 1 "$E2E_TMP/out")"
	checks=$((checks + 1))
}

# linux.pcap: 8 SYNs of plain connect()s to one host, nothing to alert on.
good=$FIXTURES/linux.pcap
size=$(stat -c %s "$good")
head -c $((size - 5)) "$good" >"$E2E_TMP/cut_data.pcap"
head -c $((size - 60)) "$good" >"$E2E_TMP/cut_header.pcap" # inside a record header or data
head -c 20 "$good" >"$E2E_TMP/cut_file_header.pcap"
head -c 4096 /dev/urandom >"$E2E_TMP/garbage.pcap"
printf 'GET / HTTP/1.1\r\nHost: example\r\n\r\n' >"$E2E_TMP/text.pcap"
: >"$E2E_TMP/empty.pcap"
# A valid pcap header with link type 0 (BSD loopback), which the parser does not read.
printf '\xd4\xc3\xb2\xa1\x02\x00\x04\x00\x00\x00\x00\x00\x00\x00\x00\x00\xff\xff\x00\x00\x00\x00\x00\x00' \
	>"$E2E_TMP/null_link.pcap"
# A record claiming 100000 captured bytes, more than any snap length.
{
	head -c 24 "$good"
	printf '\x00\x00\x00\x00\x00\x00\x00\x00\xa0\x86\x01\x00\xa0\x86\x01\x00'
	head -c 64 /dev/zero
} >"$E2E_TMP/huge_record.pcap"

expect_exit 2 'truncated' -r "$E2E_TMP/cut_data.pcap"
expect_exit 2 'truncated' -r "$E2E_TMP/cut_header.pcap"
expect_exit 2 'cut_file_header.pcap' -r "$E2E_TMP/cut_file_header.pcap"
expect_exit 2 'garbage.pcap' -r "$E2E_TMP/garbage.pcap"
expect_exit 2 'format' -r "$E2E_TMP/text.pcap"
expect_exit 2 'empty.pcap' -r "$E2E_TMP/empty.pcap"
expect_exit 2 'No such file' -r "$E2E_TMP/missing.pcap"
expect_exit 2 'link type' -r "$E2E_TMP/null_link.pcap"
expect_exit 2 'huge_record.pcap' -r "$E2E_TMP/huge_record.pcap"
expect_exit 2 '-r FILE or -i IFACE'
expect_exit 2 '-r FILE or -i IFACE' -r "$good" -i lo
expect_exit 2 'no-such' -r "$good" --no-such
expect_exit 2 '--window' -r "$good" --window never
expect_exit 2 '--trw-theta1' -r "$good" --trw-theta0 0.3 --trw-theta1 0.4
expect_exit 2 'filter' -r "$good" -f 'tcp and and'
expect_exit 1 'no-such-if' -i no-such-if
expect_exit 1 'out/alerts' -r "$good" -o "$E2E_TMP/out/alerts"

for f in "$FIXTURES"/*.pcap; do
	rc=0
	"$DETECT" -r "$f" >/dev/null 2>"$E2E_TMP/err" || rc=$?
	((rc == 0)) || e2e_fail "$(basename "$f"): exit $rc: $(cat "$E2E_TMP/err")"
	grep -q '(8 IPv4,' "$E2E_TMP/err" || e2e_fail "$(basename "$f"): $(cat "$E2E_TMP/err")"
	checks=$((checks + 1))
done
e2e_pass "$checks checks: bad captures and options exit 2, a missing interface 1, one line each"
