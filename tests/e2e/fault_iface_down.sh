#!/bin/bash
# SPDX-License-Identifier: MIT
# The scanner's interface goes down mid-scan: hayate stops within seconds with
# exit 1 and one line naming the interface, keeps every result it had (binary
# and list outputs read back), saves where it stopped; once the interface is
# back, --resume finishes the scan, and the binary file then holds every open
# port of the whole scan exactly once.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_hayate
testbed_up 22,80 ""
cd "$E2E_TMP"

e2e_spawn "$SNS" "$E2E_TMP/err" "$HAYATE" 198.18.0.0/20 -p 22,80 --rate 2000 --wait 1 -q \
	--seed 11 -oB "$E2E_TMP/a.bin" -oL "$E2E_TMP/a.list" --pause-file "$E2E_TMP/paused.conf"
pid=$E2E_LAST_PID
sleep 1.5
kill -0 "$pid" 2>/dev/null || e2e_fail "hayate ended before the interface went down: $(cat "$E2E_TMP/err")"
ip -n "$SNS" link set "$VETH_S" down
start=$(date +%s%N)
rc=0
wait "$pid" || rc=$?
took_ms=$((($(date +%s%N) - start) / 1000000))
((rc == 1)) || e2e_fail "exit $rc after the interface went down, want 1: $(tail -n 3 "$E2E_TMP/err")"
((took_ms < 5000)) || e2e_fail "took $took_ms ms to stop after the interface went down"
errline=$(grep -E "^hayate: .*$VETH_S.*(down|Network is down)" "$E2E_TMP/err" || true)
[[ $(wc -l <<<"$errline") -eq 1 && -n $errline ]] ||
	e2e_fail "no single error line naming $VETH_S: $(cat "$E2E_TMP/err")"
[[ -f $E2E_TMP/paused.conf ]] || e2e_fail "no resume file after the failure: $(cat "$E2E_TMP/err")"

# What was found before the failure reads back from both outputs, and agrees.
in_scanner "$HAYATE" --readscan "$E2E_TMP/a.bin" -oL - >"$E2E_TMP/first.list" 2>"$E2E_TMP/rs.err" ||
	e2e_fail "--readscan after the failure: $(cat "$E2E_TMP/rs.err")"
awk '$1 == "open" { print $4, $3 }' "$E2E_TMP/first.list" | sort >"$E2E_TMP/first.bin.pairs"
awk '$1 == "open" { print $4, $3 }' "$E2E_TMP/a.list" | sort >"$E2E_TMP/first.list.pairs"
first=$(wc -l <"$E2E_TMP/first.bin.pairs")
((first > 0 && first < 8192)) || e2e_fail "$first results before the failure, want some but not all"
cmp -s "$E2E_TMP/first.bin.pairs" "$E2E_TMP/first.list.pairs" ||
	e2e_fail "binary ($first) and list ($(wc -l <"$E2E_TMP/first.list.pairs")) outputs differ"

# Back up (an admin-down interface loses its routes), then resume.
ip -n "$SNS" link set "$VETH_S" up
ip -n "$SNS" route replace "$TARGET_NET" via "$GW_IP"
for _ in $(seq 40); do
	ip -n "$SNS" -br link show "$VETH_S" | grep -q LOWER_UP && break
	sleep 0.05
done
hayate_run "$SNS" "$E2E_TMP/out2" "$E2E_TMP/err2" --resume "$E2E_TMP/paused.conf" -q
((HY_RC == 0)) || e2e_fail "--resume after the interface came back: exit $HY_RC: $(tail -n 3 "$E2E_TMP/err2")"
in_scanner "$HAYATE" --readscan "$E2E_TMP/a.bin" -oL - >"$E2E_TMP/all.list" 2>"$E2E_TMP/rs.err" ||
	e2e_fail "--readscan after resuming: $(cat "$E2E_TMP/rs.err")"
awk '$1 == "open" { print $4, $3 }' "$E2E_TMP/all.list" | sort >"$E2E_TMP/got"
e2e_expect_pairs 198.18.0.0 4096 "22 80" >"$E2E_TMP/want"
e2e_diff_sets "cut short by the interface + resumed" "$E2E_TMP/want" "$E2E_TMP/got" ||
	e2e_fail "the binary file after --resume is not the whole scan"
e2e_pass "stopped $took_ms ms after the interface went down, exit 1 ('${errline#hayate: }'); $first results kept in -oB and -oL; --resume completed the binary file to all 8192, once each"
