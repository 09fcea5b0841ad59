#!/bin/bash
# SPDX-License-Identifier: MIT
# --readscan merges the shards of one scan: three shards (same seed) written
# as three binary files read back together equal the unsharded scan, in one
# report; a file from another scan is refused (exit 2) unless --merge-anyway.
# A scan killed with SIGKILL leaves a binary file that reads back up to its
# last whole record, with a warning; a torn tail is reported, not a crash.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_hayate
testbed_up 22,80,443 8080

T=$E2E_TMP
args=(198.18.0.0/22 -p 22,80,443,8080,9000 --wait 1 -q --show all)
triples()
{
	"$HAYATE" --readscan "$@" -oL - 2>"$T/readscan.err" | grep -v '^#' | awk '{ print $1, $4, $3 }' | sort
}
{
	e2e_expect_pairs 198.18.0.0 1024 "22 80 443" | sed 's/^/open /'
	e2e_expect_pairs 198.18.0.0 1024 "9000" | sed 's/^/closed /'
	e2e_expect_pairs 198.18.0.0 1024 "8080" | sed 's/^/filtered /'
} | sort >"$T/want"

for i in 1 2 3; do
	hayate_run "$SNS" "$T/out" "$T/err" "${args[@]}" --rate 20000 --seed 9 --shard "$i/3" -oB "$T/s$i.bin"
	((HY_RC == 0)) || e2e_fail "shard $i/3: exit $HY_RC: $(tail -n 3 "$T/err")"
done
triples "$T/s1.bin" "$T/s2.bin" "$T/s3.bin" >"$T/got"
e2e_diff_sets "3 shards merged" "$T/want" "$T/got" || e2e_fail "the merged shards differ from the scan"
n1=$(triples "$T/s1.bin" | wc -l)
((n1 > 1000 && n1 < 2500)) || e2e_fail "shard 1/3 alone holds $n1 results"
"$HAYATE" --readscan "$T/s1.bin" "$T/s2.bin" "$T/s3.bin" -oN - >"$T/merged.nmap"
[[ $(grep -c 'scan report for' "$T/merged.nmap") -eq 1024 ]] || e2e_fail "merged report: not 1024 hosts"
grep -q '^# hayate done at .* 1024 IP addresses (1024 hosts up)' "$T/merged.nmap" ||
	e2e_fail "merged report: footer is not a completed scan: $(tail -n 1 "$T/merged.nmap")"

# Another scan (another seed) is refused, naming the files, unless asked.
hayate_run "$SNS" "$T/out" "$T/err" "${args[@]}" --rate 20000 --seed 10 -oB "$T/other.bin"
rc=0
"$HAYATE" --readscan "$T/s1.bin" "$T/other.bin" -oL - >/dev/null 2>"$T/refused" || rc=$?
((rc == 2)) || e2e_fail "merging different scans: exit $rc, want 2"
grep -q 'different scans.*--merge-anyway' "$T/refused" || e2e_fail "no reason given: $(cat "$T/refused")"
"$HAYATE" --readscan "$T/s1.bin" "$T/other.bin" --merge-anyway -oL - >/dev/null ||
	e2e_fail "--merge-anyway refused"

# SIGKILL mid-scan: the file reads back, every result a real one.
ip netns exec "$SNS" "$HAYATE" "${args[@]}" --rate 1500 --seed 11 -oB "$T/killed.bin" \
	>/dev/null 2>&1 &
pid=$!
E2E_PIDS+=("$pid")
sleep 2.5
kill -KILL "$pid"
wait "$pid" 2>/dev/null || true
triples "$T/killed.bin" >"$T/got" || e2e_fail "--readscan of a killed scan's file failed"
grep -q 'no end record' "$T/readscan.err" || e2e_fail "no warning about the missing end record"
k=$(wc -l <"$T/got")
((k > 0 && k < 5120)) || e2e_fail "killed scan: $k results"
[[ $(comm -13 "$T/want" "$T/got" | wc -l) -eq 0 ]] || e2e_fail "killed scan: results that are not the scan's"
size=$(stat -c %s "$T/killed.bin")
truncate -s $((size - 7)) "$T/killed.bin"
triples "$T/killed.bin" >"$T/got2" || e2e_fail "--readscan of a torn file failed"
grep -q 'truncated: the last 13 bytes' "$T/readscan.err" || e2e_fail "no warning about the torn tail: $(cat "$T/readscan.err")"
[[ $(wc -l <"$T/got2") -eq $((k - 1)) ]] || e2e_fail "torn file: $(wc -l <"$T/got2") results, want $((k - 1))"

e2e_pass "3 shards merged = $(wc -l <"$T/want") results of 1024 hosts; another scan refused (exit 2); SIGKILL left $k readable results; a torn record reported"
