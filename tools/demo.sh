#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The built-in demo: installs the dependencies (Debian), builds hayate, builds
# a private two-namespace testbed (tests/e2e/netns.sh: 198.18.0.0/16 answered
# by a target namespace with no route out), scans 1,024 of its addresses on
# five ports and prints what it found. Nothing leaves this machine. Needs root
# for the namespaces. Usage: sudo tools/demo.sh [extra hayate options]
set -euo pipefail
cd "$(dirname "$0")/.."
tools/install-deps.sh
make -j"$(nproc)" bin/hayate >/dev/null
# shellcheck source=../tests/e2e/netns.sh
source tests/e2e/netns.sh
E2E_NAME=demo

echo "testbed: scanner namespace $SNS -> target namespace $TNS (198.18.0.0/16, no route out)"
echo "         listening on 22, 80, 443; 8080 dropped by nft; everything else closed"
testbed_up 22,80,443 8080
out="$E2E_TMP/results.list"
report="$E2E_TMP/report.nmap"
echo "\$ hayate 198.18.0.0/22 -p 22,80,443,3389,8080 --rate 20000 --wait 1 --show open,closed" \
	"-oL results.list -oN report.nmap $*"
in_scanner "$HAYATE" 198.18.0.0/22 -p 22,80,443,3389,8080 --rate 20000 --wait 1 \
	--show open,closed -oL "$out" -oN "$report" "$@"
echo
echo "results.list, first lines (masscan's list format, in the random order they arrived):"
awk '!/^#/ && n++ < 6' "$out"
echo "..."
echo
echo "report.nmap, first host (nmap's normal format, grouped by host):"
awk '/scan report for/ { n++ } n == 1' "$report"
echo
echo "per port (1,024 addresses each):"
awk '!/^#/ { n[$3 " " $1]++ } END { for (k in n) print "  " k, n[k] }' "$out" | sort -n
echo "  (8080 is filtered: no reply; the report counts it under "Not shown")"
