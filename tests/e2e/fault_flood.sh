#!/bin/bash
# SPDX-License-Identifier: MIT
# A reply flood larger than the receive path can take: hayate is stopped
# (SIGSTOP) in the middle of a scan while the target side floods its capture
# with a million stray SYN-ACKs (inject.c), then continued. The capture ring
# overflows; the summary must say so ("N capture drops"), and every frame the
# target sent must be accounted for: seen (not ours, malformed, duplicate or a
# result) or dropped. A result missing from the output is one of the drops.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_hayate
testbed_up 22,80 ""
scan_mac=$(ip -n "$SNS" -br link show "$VETH_S" | awk '{ print $3 }')
flood=1000000

e2e_spawn "$SNS" "$E2E_TMP/err" "$HAYATE" 198.18.0.0/22 -p 22,80 --rate 1000 --wait 2 -q \
	-oL "$E2E_TMP/out"
pid=$E2E_LAST_PID
sleep 0.5
kill -STOP "$pid"
in_target "$INJECT" "$VETH_T" "$scan_mac" "$SCAN_IP" 61000 61255 $flood flood 0 \
	>"$E2E_TMP/inject" || { kill -CONT "$pid"; e2e_fail "inject: $(cat "$E2E_TMP/inject")"; }
kill -CONT "$pid"
rc=0
wait "$pid" || rc=$?
((rc == 0)) || e2e_fail "exit $rc after the flood: $(tail -n 3 "$E2E_TMP/err")"
read -r _ _ _ injected <"$E2E_TMP/inject"

summary=$(grep -h 'probes sent\|malformed' "$E2E_TMP/err" | tr '\n' ' ')
num() { sed -nE "s/.* ([0-9]+) $1.*/\\1/p" <<<"$summary"; }
found=$(num open) notours=$(num 'frames not ours') malformed=$(num malformed)
dups=$(num 'duplicates dropped') drops=$(num 'capture drops')
[[ -n $found && -n $notours && -n $drops ]] || e2e_fail "no counts in the summary: $summary"
((drops > 0)) || e2e_fail "a flood of $injected frames into a stopped receiver, and no capture drops: $summary"
accounted=$((found + notours + malformed + dups + drops))
((accounted >= injected + 2048)) ||
	e2e_fail "$accounted frames accounted for, $injected + 2048 replies sent: $summary"
printed=$(grep -c '^open ' "$E2E_TMP/out" || true)
((printed == found && 2048 - found <= drops)) || e2e_fail "$printed printed, $found found, $drops drops"
e2e_pass "$injected stray SYN-ACKs into a stopped receiver: summary shows $drops capture drops, $notours not ours, $found of 2048 results (the $((2048 - found)) missing among the drops); all $accounted frames accounted for"
