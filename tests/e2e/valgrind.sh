#!/bin/bash
# SPDX-License-Identifier: MIT
# Valgrind (memcheck) on real scans in the testbed: a SYN scan writing every
# output format (-oA) with privileges dropped, targets from an -iL file with
# excludes and every state shown, then --readscan of its binary output. Each
# must exit 0 under --error-exitcode (no invalid read or write, no use of an
# uninitialised value) with no definite or indirect leak, and find what it
# should. jemalloc's malloc is replaced by valgrind's through --soname-synonyms,
# so its allocations are tracked too.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_hayate
e2e_require_tools valgrind
testbed_up 22,80 ""

VG=(valgrind --error-exitcode=99 --leak-check=full --show-leak-kinds=definite,indirect
	--errors-for-leak-kinds=definite,indirect --track-origins=yes --vgdb=no
	--child-silent-after-fork=yes "--soname-synonyms=somalloc=libjemalloc.so*")

# vg_run NAME ARGS...: hayate ARGS under valgrind in the scanner namespace;
# stdout to $E2E_TMP/NAME.out, valgrind's and hayate's stderr to NAME.err.
vg_run()
{
	local name=$1 rc=0
	shift
	timeout -s INT -k 5 50 ip netns exec "$SNS" "${VG[@]}" "$HAYATE" "$@" \
		>"$E2E_TMP/$name.out" 2>"$E2E_TMP/$name.err" || rc=$?
	if ((rc != 0)); then
		grep -E '^==[0-9]+== ' "$E2E_TMP/$name.err" | grep -vE 'Memcheck|Copyright|Using Valgrind|Command:' |
			head -n 25
		e2e_fail "$name: exit $rc under valgrind (99: memcheck errors)"
	fi
	grep -q 'ERROR SUMMARY: 0 errors' "$E2E_TMP/$name.err" || e2e_fail "$name: $(grep 'ERROR SUMMARY' "$E2E_TMP/$name.err")"
	if grep -qE '(definitely|indirectly) lost: [1-9]' "$E2E_TMP/$name.err"; then
		e2e_fail "$name: $(grep -E '(definitely|indirectly) lost' "$E2E_TMP/$name.err" | tr -s ' ' | tr '\n' ' ')"
	fi
}

start=$(date +%s)
# 1. SYN scan, every output format, privileges dropped (the default).
vg_run syn 198.18.0.0/26 -p 22,80,9 --rate 1000 --wait 0.5 -q -oA "$E2E_TMP/all"
opens=$(grep -c '"state":"open"' "$E2E_TMP/all.json" || true)
((opens == 128)) || e2e_fail "syn: $opens open results in all.json, want 128"

# 2. Targets from a file, excludes, every state shown on stdout.
printf '# targets\n198.18.1.0/28, 198.18.2.5\n198.18.3.0-198.18.3.3 # four more\n' >"$E2E_TMP/list"
vg_run list -iL "$E2E_TMP/list" --exclude 198.18.1.0/30 -p 22,9 --show all --rate 1000 --wait 0.5 -q
# 12 + 1 + 4 addresses: open on 22, closed on 9
[[ $(grep -c '^open ' "$E2E_TMP/list.out") -eq 17 && $(grep -c '^closed ' "$E2E_TMP/list.out") -eq 17 ]] ||
	e2e_fail "list: $(grep -c '^open ' "$E2E_TMP/list.out") open, $(grep -c '^closed ' "$E2E_TMP/list.out") closed; want 17 and 17"

# 3. Reading the binary output back.
vg_run readscan --readscan "$E2E_TMP/all.bin" -oL -
[[ $(grep -c '^open tcp' "$E2E_TMP/readscan.out") -eq 128 ]] ||
	e2e_fail "readscan: $(grep -c '^open tcp' "$E2E_TMP/readscan.out") open lines, want 128"

heap=$(grep -h 'total heap usage' "$E2E_TMP/syn.err" | head -n 1 | sed 's/.*usage: //')
e2e_pass "3 runs clean under memcheck in $(($(date +%s) - start)) s (SYN + -oA with privileges dropped: $heap; -iL + excludes; --readscan): 0 errors, 0 bytes lost"
