#!/bin/bash
# SPDX-License-Identifier: MIT
# Least privilege: while a scan runs, every thread of hayate is the user
# nobody (or --user), with no capabilities, no_new_privs and a seccomp filter,
# as /proc/PID/task/*/status shows; and the scan still finds every open port.
# --no-drop-privileges keeps root, for debugging. The connect scan (-sT) with
# two threads, which open sockets after the drop on io_uring rings made (and
# restricted) before it, works under the filter.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_hayate
getent passwd nobody >/dev/null || e2e_skip "no user 'nobody'"
testbed_up 22,80 ""
nobody_uid=$(id -u nobody)

# field FILE NAME: the value of "NAME:" in a /proc status file, tabs as spaces.
field()
{
	awk -v f="$2:" '$1 == f { $1 = ""; sub(/^ /, ""); print; exit }' "$1"
}

# scan_and_look OUT ERR ARGS...: starts hayate ARGS, waits until it is
# sending, copies the status of each of its threads to $E2E_TMP/task.*, waits
# for it to end; sets SCAN_RC and SCAN_PID.
scan_and_look()
{
	local out=$1 errf=$2 t
	shift 2
	rm -f "$E2E_TMP"/task.*
	e2e_spawn "$SNS" "$errf" "$HAYATE" "$@"
	SCAN_PID=$E2E_LAST_PID
	# The threads start after the drop: wait for them (a sender and a receiver at least).
	for _ in $(seq 100); do
		[[ $(find "/proc/$SCAN_PID/task" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l) -ge 3 ]] && break
		sleep 0.05
	done
	for t in /proc/"$SCAN_PID"/task/*; do
		cp "$t/status" "$E2E_TMP/task.${t##*/}" 2>/dev/null || true
	done
	SCAN_RC=0
	wait "$SCAN_PID" || SCAN_RC=$?
	mv "$errf" "$errf.all"
	grep -v '^open ' "$errf.all" >"$errf" || true
	grep '^open ' "$errf.all" >"$out" || true
}

# Dropped: every thread nobody, no capabilities, no_new_privs, filter on.
scan_and_look "$E2E_TMP/out" "$E2E_TMP/err" 198.18.0.0/22 -p 22,80,9 --rate 2000 --wait 1 -q
tasks=$(find "$E2E_TMP" -name 'task.*' | wc -l)
((tasks >= 3)) || e2e_fail "saw $tasks threads, want 3 or more: $(cat "$E2E_TMP/err")"
for f in "$E2E_TMP"/task.*; do
	uid=$(field "$f" Uid) gid=$(field "$f" Gid)
	[[ $uid == "$nobody_uid $nobody_uid $nobody_uid $nobody_uid" ]] || e2e_fail "thread ${f##*.}: Uid $uid"
	[[ $gid != 0* ]] || e2e_fail "thread ${f##*.}: Gid $gid"
	for cap in CapInh CapPrm CapEff CapBnd CapAmb; do
		[[ $(field "$f" $cap) == 0000000000000000 ]] ||
			e2e_fail "thread ${f##*.}: $cap $(field "$f" $cap)"
	done
	[[ $(field "$f" NoNewPrivs) == 1 ]] || e2e_fail "thread ${f##*.}: NoNewPrivs $(field "$f" NoNewPrivs)"
	[[ $(field "$f" Seccomp) == 2 ]] || e2e_fail "thread ${f##*.}: Seccomp $(field "$f" Seccomp)"
done
shown=$(grep -E '^(Uid|CapEff|CapBnd|NoNewPrivs|Seccomp):' "$(find "$E2E_TMP" -name 'task.*' | head -n 1)" | tr -s '\t ' ' ' | tr '\n' ';')
((SCAN_RC == 0)) || e2e_fail "dropped scan exit $SCAN_RC: $(tail -n 3 "$E2E_TMP/err")"
hayate_pairs open "$E2E_TMP/out" >"$E2E_TMP/got"
e2e_expect_pairs 198.18.0.0 1024 "22 80" >"$E2E_TMP/want"
e2e_diff_sets "open ports with privileges dropped" "$E2E_TMP/want" "$E2E_TMP/got" || e2e_fail "results differ"

# Interrupted: the resume file lands in a directory only root may write
# ($E2E_TMP is 0700 root), written as root by the helper, and --resume
# finishes the scan: both parts together are every open port, once.
pause=$E2E_TMP/paused.conf
e2e_spawn "$SNS" "$E2E_TMP/p1" "$HAYATE" 198.18.0.0/22 -p 22,80 --rate 1000 --wait 0.5 -q \
	--seed 7 --pause-file "$pause"
pid=$E2E_LAST_PID
sleep 1
# The helper (the scanner's one child) holds its private directory open as fd 4.
helper=$(pgrep -P "$pid" | head -n 1 || true)
late_dir=$(readlink "/proc/${helper:-0}/fd/4" 2>/dev/null || true)
[[ $late_dir == /tmp/hayate-late.* ]] || e2e_fail "no privilege helper with its directory (child '$helper')"
kill -INT "$pid"
rc=0
wait "$pid" || rc=$?
((rc == 130)) || e2e_fail "interrupted scan: exit $rc, want 130: $(tail -n 2 "$E2E_TMP/p1")"
[[ -f $pause && $(stat -c %U "$pause") == root ]] ||
	e2e_fail "no root-owned $pause after SIGINT: $(grep -v '^open' "$E2E_TMP/p1" | tail -n 2)"
# The helper removed its directory before the scanner exited.
[[ ! -e $late_dir ]] && ! kill -0 "$helper" 2>/dev/null || e2e_fail "the helper or $late_dir is still there"
hayate_run "$SNS" "$E2E_TMP/p2" "$E2E_TMP/p2.err" --resume "$pause"
((HY_RC == 0)) || e2e_fail "--resume: exit $HY_RC: $(tail -n 2 "$E2E_TMP/p2.err")"
cat "$E2E_TMP/p1" "$E2E_TMP/p2" | grep '^open ' >"$E2E_TMP/p12"
hayate_pairs open "$E2E_TMP/p12" >"$E2E_TMP/got"
e2e_diff_sets "interrupted + resumed as nobody" "$E2E_TMP/want" "$E2E_TMP/got" ||
	e2e_fail "interrupted + resumed scan differs from the whole"
first=$(grep -c '^open ' "$E2E_TMP/p1")

# --no-drop-privileges: still root, no filter.
scan_and_look "$E2E_TMP/out" "$E2E_TMP/err" 198.18.0.0/24 -p 22 --rate 500 --wait 0.5 -q \
	--no-drop-privileges
f=$(find "$E2E_TMP" -name 'task.*' | head -n 1)
[[ -n $f && $(field "$f" Uid) == "0 0 0 0" && $(field "$f" Seccomp) == 0 ]] ||
	e2e_fail "--no-drop-privileges: $(grep -E '^(Uid|Seccomp):' "$f" | tr '\n' ' ')"
((SCAN_RC == 0)) || e2e_fail "--no-drop-privileges exit $SCAN_RC"
[[ $(wc -l <"$E2E_TMP/out") -eq 256 ]] || e2e_fail "--no-drop-privileges: $(wc -l <"$E2E_TMP/out") results, want 256"

# --user with a name that does not exist: refused before any packet, exit 1.
hayate_run "$SNS" "$E2E_TMP/out" "$E2E_TMP/err" 198.18.0.1 -p 22 --user no-such-user-hy
((HY_RC == 1)) && grep -q 'no-such-user-hy' "$E2E_TMP/err" ||
	e2e_fail "--user no-such-user-hy: exit $HY_RC: $(cat "$E2E_TMP/err")"

# The connect scan opens sockets after the drop (its io_uring is made before, restricted).
connect_note=""
hayate_run "$SNS" "$E2E_TMP/out" "$E2E_TMP/err" -sT 198.18.0.0/26 -p 22,80,9 --wait 0.5 -q \
	--tx-threads 2
if ((HY_RC == 1)) && grep -q 'io_uring is not available' "$E2E_TMP/err"; then
	connect_note="; -sT skipped (no io_uring)"
else
	((HY_RC == 0)) || e2e_fail "-sT with privileges dropped: exit $HY_RC: $(tail -n 2 "$E2E_TMP/err")"
	hayate_pairs open "$E2E_TMP/out" >"$E2E_TMP/got"
	e2e_expect_pairs 198.18.0.0 64 "22 80" >"$E2E_TMP/want"
	e2e_diff_sets "-sT open ports" "$E2E_TMP/want" "$E2E_TMP/got" || e2e_fail "-sT results differ"
	connect_note="; -sT (2 threads) finds all 128 under the filter"
fi
e2e_pass "$tasks threads each: $shown all 2048 open found; interrupted ($first) + resumed = 2048 with paused.conf written as root; --no-drop-privileges stays uid 0$connect_note"
