#!/bin/bash
# SPDX-License-Identifier: MIT
# The same scan through every send backend (and the automatic choice) with
# each capture backend: 198.18.0.0/22 x 22,80,443,8080,9000 at 20k pps must
# give exactly the same results every time: open = every address x
# {22,80,443}, closed = x 9000, the filtered 8080 never, no duplicates, and
# no capture drop. A backend this build lacks (xdp without libxdp) is skipped
# and named.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_hayate
testbed_up 22,80,443 8080

out=$E2E_TMP/out err=$E2E_TMP/err
e2e_expect_pairs 198.18.0.0 1024 "22 80 443" >"$E2E_TMP/want_open"
e2e_expect_pairs 198.18.0.0 1024 "9000" >"$E2E_TMP/want_closed"

runs=0 skipped=()
for capture in ring pcap; do
	for send in auto xdp txring afpacket uring pcap; do
		what="$send/$capture"
		args=(198.18.0.0/22 -p "22,80,443,8080,9000" --rate 20k --wait 1 -q --show "open,closed"
			--capture-backend "$capture")
		[[ $send = auto ]] || args+=(--send-backend "$send")
		E2E_TIMEOUT=20 hayate_run "$SNS" "$out" "$err" "${args[@]}"
		if ((HY_RC == 2)) && grep -q "no send backend called '$send'" "$err"; then
			[[ $capture = pcap ]] || skipped+=("$send")
			continue
		fi
		((HY_RC == 0)) || e2e_fail "$what: exit $HY_RC: $(tail -n 3 "$err")"
		bad=$(hayate_bad_lines "$out")
		[[ -z $bad ]] || e2e_fail "$what: malformed lines: $(head -n 3 <<<"$bad")"
		grep -q ' 0 capture drops' "$err" || e2e_fail "$what: capture drops: $(tail -n 1 "$err")"
		hayate_pairs open "$out" >"$E2E_TMP/got_open"
		hayate_pairs closed "$out" >"$E2E_TMP/got_closed"
		e2e_diff_sets "$what open" "$E2E_TMP/want_open" "$E2E_TMP/got_open" ||
			e2e_fail "$what: open set"
		e2e_diff_sets "$what closed" "$E2E_TMP/want_closed" "$E2E_TMP/got_closed" ||
			e2e_fail "$what: closed set"
		[[ $(wc -l <"$out") -eq 4096 ]] || e2e_fail "$what: $(wc -l <"$out") lines, want 4096"
		runs=$((runs + 1))
	done
done

note=""
((${#skipped[@]} == 0)) || note="; not built here: ${skipped[*]}"
e2e_pass "$runs runs (send x capture backends), each exactly 3072 open + 1024 closed, no drops$note"
