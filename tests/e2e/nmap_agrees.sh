#!/bin/bash
# SPDX-License-Identifier: MIT
# hayate and nmap -sS, run on the same four addresses x five ports from the
# same namespace, report the same open and the same closed ports; what nmap
# calls filtered, hayate does not report.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_tools nmap nft
e2e_require_hayate
testbed_up 22,80,443 8080

ports=22,80,443,8080,9000
targets=198.18.0.1-4
in_scanner nmap -sS -n -Pn -p "$ports" -oG "$E2E_TMP/nmap.gnmap" "$targets" >/dev/null ||
	e2e_fail "nmap failed"
# "Host: 198.18.0.1 ()	Ports: 22/open/tcp//ssh///, 8080/filtered/tcp//..." -> "addr port state"
awk -F'\t' '/Ports:/ {
	split($1, h, " "); sub(/^Ports: /, "", $2); n = split($2, ps, ", ")
	for (i = 1; i <= n; i++) { split(ps[i], f, "/"); print h[2], f[1], f[2] }
}' "$E2E_TMP/nmap.gnmap" | sort >"$E2E_TMP/nmap"
[[ $(wc -l <"$E2E_TMP/nmap") -eq 20 ]] || e2e_fail "nmap reported $(wc -l <"$E2E_TMP/nmap") of 20 ports"

hayate_run "$SNS" "$E2E_TMP/out" "$E2E_TMP/err" "$targets" -p "$ports" --rate 1000 --wait 1 -q \
	--show open,closed
((HY_RC == 0)) || e2e_fail "hayate exit $HY_RC: $(tail -n 3 "$E2E_TMP/err")"
awk '{ print $4, $3, $1 }' "$E2E_TMP/out" | sort >"$E2E_TMP/hayate"

grep -v ' filtered$' "$E2E_TMP/nmap" >"$E2E_TMP/nmap_reported" || true
if ! diff "$E2E_TMP/nmap_reported" "$E2E_TMP/hayate" >"$E2E_TMP/diff"; then
	e2e_fail "hayate and nmap differ (< nmap, > hayate): $(grep '^[<>]' "$E2E_TMP/diff" | head -n 5 | tr '\n' ';')"
fi
count()
{
	grep -c " $1\$" "$E2E_TMP/nmap" || true
}
e2e_pass "same $(count open) open and $(count closed) closed as nmap; nmap's $(count filtered) filtered not reported"
