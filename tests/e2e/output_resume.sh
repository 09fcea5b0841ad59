#!/bin/bash
# SPDX-License-Identifier: MIT
# Pause and resume: a scan interrupted by SIGINT saves its state, --resume
# finishes it, and the two parts together hold exactly the uninterrupted
# scan's results (2048 addresses x 5 ports with --show all: every probe sent
# once, none lost, none twice). Twice: with -oA, the resumed run appending to
# the first run's files (grouped formats rebuilt whole); and with two
# transmit threads, SIGTERM, and new files merged by --readscan.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_tools jq xmllint
e2e_require_hayate
testbed_up 22,80,443 8080

T=$E2E_TMP
args=(198.18.0.0/21 -p 22,80,443,8080,9000 --seed 5 --show all --wait 1 -q)

# "state address port" of a binary file, or of the files merged.
triples()
{
	"$HAYATE" --readscan "$@" -oL - 2>>"$T/readscan.err" | grep -v '^#' | awk '{ print $1, $4, $3 }' | sort
}

# interrupt SIGNAL CONF ARGS...: starts a slow scan, signals it after 1.5 s; expects exit 130 and CONF.
interrupt()
{
	local sig=$1 conf=$2 pid rc=0
	shift 2
	ip netns exec "$SNS" "$HAYATE" "${args[@]}" --rate 3000 --pause-file "$conf" "$@" \
		>/dev/null 2>"$T/int.err" &
	pid=$!
	E2E_PIDS+=("$pid")
	sleep 1.5
	kill -0 "$pid" 2>/dev/null || e2e_fail "the scan ended before $sig: $(tail -n 2 "$T/int.err")"
	kill "-$sig" "$pid"
	wait "$pid" || rc=$?
	((rc == 130)) || e2e_fail "exit $rc after $sig, want 130: $(tail -n 2 "$T/int.err")"
	[[ -s $conf ]] || e2e_fail "no resume file after $sig: $(tail -n 2 "$T/int.err")"
	grep -q -- "--resume $conf" "$T/int.err" || e2e_fail "no resume hint on stderr"
}

hayate_run "$SNS" "$T/out" "$T/err" "${args[@]}" --rate 20000 -oB "$T/full.bin"
((HY_RC == 0)) || e2e_fail "uninterrupted scan: exit $HY_RC: $(tail -n 3 "$T/err")"
triples "$T/full.bin" >"$T/want"
[[ $(wc -l <"$T/want") -eq 10240 ]] || e2e_fail "uninterrupted scan: $(wc -l <"$T/want") results, not 10240"

# 1. SIGINT, then --resume continuing the same -oA files.
interrupt INT "$T/p1.conf" -oA "$T/p"
sent1=$(awk '/^next = / { print $3 }' "$T/p1.conf")
hayate_run "$SNS" "$T/out" "$T/err" --resume "$T/p1.conf" --rate 20000
((HY_RC == 0)) || e2e_fail "resumed scan: exit $HY_RC: $(tail -n 3 "$T/err")"
sent2=$(awk '/probes sent/ { print $2 }' "$T/err")
((sent1 + sent2 == 10240)) || e2e_fail "sent $sent1 + $sent2 probes, not 10240"
triples "$T/p.bin" >"$T/got"
e2e_diff_sets "binary, interrupted + resumed" "$T/want" "$T/got" || e2e_fail "binary differs"
jq -r '"\(.state) \(.ip) \(.port)"' "$T/p.json" | sort >"$T/got"
e2e_diff_sets "JSON, appended" "$T/want" "$T/got" || e2e_fail "JSON differs"
grep -v '^#' "$T/p.list" | awk '{ print $1, $4, $3 }' | sort >"$T/got"
e2e_diff_sets "list, appended" "$T/want" "$T/got" || e2e_fail "list differs"
xmllint --noout --dtdvalid /usr/share/nmap/nmap.dtd "$T/p.xml" 2>/dev/null ||
	e2e_fail "the rebuilt XML does not validate"
awk -F'"' '/<address addr=/ { addr = $2 } /<port protocol=/ { print $6, addr, $4 }' "$T/p.xml" |
	sort >"$T/got"
e2e_diff_sets "XML, rebuilt" "$T/want" "$T/got" || e2e_fail "XML differs"
[[ $(grep -c 'scan report for' "$T/p.nmap") -eq 2048 ]] || e2e_fail "normal report: not 2048 hosts"

# 2. Two transmit threads, SIGTERM, and the resumed part in a file of its own.
interrupt TERM "$T/p2.conf" --tx-threads 2 -oB "$T/t1.bin"
[[ $(grep -c '^next = ' "$T/p2.conf") -eq 2 ]] || e2e_fail "not one position per transmit thread"
hayate_run "$SNS" "$T/out" "$T/err" --resume "$T/p2.conf" --rate 20000 -oB "$T/t2.bin"
((HY_RC == 0)) || e2e_fail "resumed scan (2 threads): exit $HY_RC: $(tail -n 3 "$T/err")"
[[ $(triples "$T/t1.bin" | wc -l) -lt 10240 ]] || e2e_fail "the first part was not interrupted"
triples "$T/t1.bin" "$T/t2.bin" >"$T/got"
e2e_diff_sets "2 threads, merged" "$T/want" "$T/got" || e2e_fail "2 threads: merged parts differ"

e2e_pass "SIGINT after $sent1 of 10240 probes + --resume $sent2 = the uninterrupted results in all 6 formats; 2 threads + SIGTERM + --readscan merge too"
