#!/bin/bash
# SPDX-License-Identifier: MIT
# SIGTERM and SIGKILL in the middle of a scan writing -oB and -oL. SIGTERM:
# exit 130 after the wait, a closed binary file (end record) that reads back
# to exactly the list output, and a resume file. SIGKILL: no chance to
# clean up, yet the binary file reads back up to its last whole record, every
# record a real open port, once; the late-file helper of the dropped
# privileges goes away with the scanner and leaves nothing behind.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_hayate
testbed_up 22,80 ""
cd "$E2E_TMP"
e2e_expect_pairs 198.18.0.0 4096 "22 80" >"$E2E_TMP/want"

# start NAME: a scan of 8192 probes at 2000 pps (4 s) writing NAME.bin and NAME.list.
start()
{
	e2e_spawn "$SNS" "$E2E_TMP/$1.err" "$HAYATE" 198.18.0.0/20 -p 22,80 --rate 2000 --wait 1 -q \
		-oB "$E2E_TMP/$1.bin" -oL "$E2E_TMP/$1.list" --pause-file "$E2E_TMP/$1.conf"
	SCAN_PID=$E2E_LAST_PID
	sleep 1.5
	kill -0 "$SCAN_PID" 2>/dev/null || e2e_fail "$1: hayate ended early: $(cat "$E2E_TMP/$1.err")"
}

# readback NAME: --readscan NAME.bin into NAME.pairs ("address port" of open results, sorted).
readback()
{
	in_scanner "$HAYATE" --readscan "$E2E_TMP/$1.bin" -oL - >"$E2E_TMP/$1.rs" 2>"$E2E_TMP/$1.rs.err" ||
		e2e_fail "$1: --readscan failed: $(cat "$E2E_TMP/$1.rs.err")"
	awk '$1 == "open" { print $4, $3 }' "$E2E_TMP/$1.rs" | sort >"$E2E_TMP/$1.pairs"
	[[ -z $(uniq -d "$E2E_TMP/$1.pairs") ]] || e2e_fail "$1: duplicated results in the binary file"
	[[ -z $(comm -13 "$E2E_TMP/want" "$E2E_TMP/$1.pairs") ]] ||
		e2e_fail "$1: results that are not open ports: $(comm -13 "$E2E_TMP/want" "$E2E_TMP/$1.pairs" | head -n 2)"
}

# SIGTERM: like Ctrl-C.
start term
kill -TERM "$SCAN_PID"
rc=0
wait "$SCAN_PID" || rc=$?
((rc == 130)) || e2e_fail "SIGTERM: exit $rc, want 130: $(tail -n 2 "$E2E_TMP/term.err")"
readback term
awk '$1 == "open" { print $4, $3 }' "$E2E_TMP/term.list" | sort >"$E2E_TMP/term.list.pairs"
cmp -s "$E2E_TMP/term.pairs" "$E2E_TMP/term.list.pairs" ||
	e2e_fail "SIGTERM: binary ($(wc -l <"$E2E_TMP/term.pairs")) and list ($(wc -l <"$E2E_TMP/term.list.pairs")) differ"
grep -q 'torn\|truncated\|not closed' "$E2E_TMP/term.rs.err" &&
	e2e_fail "SIGTERM: the binary file was not closed cleanly: $(cat "$E2E_TMP/term.rs.err")"
[[ -f $E2E_TMP/term.conf ]] || e2e_fail "SIGTERM: no resume file"
term_n=$(wc -l <"$E2E_TMP/term.pairs")

# SIGKILL: nothing runs after it.
start kill
helper=$(pgrep -P "$SCAN_PID" | head -n 1 || true)
late_dir=$(readlink "/proc/${helper:-0}/fd/4" 2>/dev/null || true)
[[ $late_dir == /tmp/hayate-late.* ]] || e2e_fail "SIGKILL: no privilege helper (child '$helper')"
kill -KILL "$SCAN_PID"
wait "$SCAN_PID" 2>/dev/null || true
readback kill
kill_n=$(wc -l <"$E2E_TMP/kill.pairs")
((kill_n > 0)) || e2e_fail "SIGKILL: no result in the binary file after 1.5 s of scanning"
warn=$(head -n 1 "$E2E_TMP/kill.rs.err")
for _ in $(seq 20); do
	[[ -e $late_dir ]] || break
	sleep 0.1
done
[[ ! -e $late_dir ]] || e2e_fail "SIGKILL: the privilege helper left $late_dir behind"
e2e_pass "SIGTERM: exit 130, closed binary file = list output ($term_n results), resume file; SIGKILL: $kill_n results read back, all real, once each${warn:+ (readscan: $warn)}"
