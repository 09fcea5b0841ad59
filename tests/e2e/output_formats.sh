#!/bin/bash
# SPDX-License-Identifier: MIT
# Every output format on a real scan, read by its real consumers: 512
# addresses x 5 ports with --show all -oA. Each format must list exactly the
# open (22, 80, 443), closed (9000) and filtered (8080, nft drops it) ports;
# jq reads every JSON line, xmllint validates the XML against nmap.dtd, ndiff
# compares it with a second scan's, xsltproc renders it; --readscan turns the
# binary file back into every format, byte for byte what the scan wrote.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

DTD=/usr/share/nmap/nmap.dtd
e2e_require_root
e2e_require_tools jq xmllint ndiff
[[ -r $DTD ]] || e2e_skip "needs $DTD (package nmap)"
e2e_require_hayate
testbed_up 22,80,443 8080

T=$E2E_TMP
args=(198.18.0.0/23 -p 22,80,443,8080,9000 --rate 10000 --wait 1 -q --show all)
hayate_run "$SNS" "$T/stdout" "$T/err" "${args[@]}" --seed 11 -oA "$T/a"
((HY_RC == 0)) || e2e_fail "scan: exit $HY_RC: $(tail -n 3 "$T/err")"
[[ ! -s $T/stdout ]] || e2e_fail "stdout is not empty with only file outputs"

# "state address port", sorted: what every format must hold.
{
	e2e_expect_pairs 198.18.0.0 512 "22 80 443" | sed 's/^/open /'
	e2e_expect_pairs 198.18.0.0 512 "9000" | sed 's/^/closed /'
	e2e_expect_pairs 198.18.0.0 512 "8080" | sed 's/^/filtered /'
} | sort >"$T/want"

check() # WHAT FILE: FILE holds "state address port" lines
{
	sort "$2" >"$2.sorted"
	e2e_diff_sets "$1" "$T/want" "$2.sorted" || e2e_fail "$1: not the scan's results"
}

# JSON Lines: jq on every line; the fields as documented.
n=$(wc -l <"$T/a.json")
[[ $(jq -c . "$T/a.json" | wc -l) -eq $n ]] || e2e_fail "jq does not read every JSON line"
jq -e 'select((.ip|type) != "string" or (.port|type) != "number" or .proto != "tcp"
	or (.ttl|type) != "number" or (.window|type) != "number" or (.time|type) != "number"
	or (.reason|type) != "string")' "$T/a.json" >/dev/null &&
	e2e_fail "a JSON line lacks a field: $(head -n 1 "$T/a.json")"
jq -r '"\(.state) \(.ip) \(.port)"' "$T/a.json" >"$T/json"
check JSON "$T/json"

# masscan's list: "#masscan", "state tcp port address time", "# end".
[[ $(head -n 1 "$T/a.list") == "#masscan" && $(tail -n 1 "$T/a.list") == "# end" ]] ||
	e2e_fail "list: no #masscan/# end lines"
grep -v '^#' "$T/a.list" | awk 'NF != 5 || $2 != "tcp" || $5 !~ /^[0-9]+$/ { exit 1 } { print $1, $4, $3 }' \
	>"$T/list" || e2e_fail "list: a malformed line"
check list "$T/list"

# nmap XML: valid against nmap's DTD; read back host by host.
xmllint --noout --dtdvalid "$DTD" "$T/a.xml" 2>"$T/xmllint" ||
	e2e_fail "XML does not validate: $(head -n 3 "$T/xmllint")"
awk -F'"' '/<address addr=/ { addr = $2 }
	/<port protocol=/ { print $6, addr, $4 }' "$T/a.xml" >"$T/xml"
check XML "$T/xml"

# Grepable: "Host: A ()	Ports: P/state/tcp//service///, ...".
awk -F'\t' '/\tPorts: / { split($1, h, " "); sub(/^Ports: /, "", $2); n = split($2, ps, ", ")
	for (i = 1; i <= n; i++) { split(ps[i], f, "/"); print f[2], h[2], f[1] } }' \
	"$T/a.gnmap" >"$T/gnmap"
check grepable "$T/gnmap"

# Normal: "hayate scan report for A", then "P/tcp STATE SERVICE" rows with nmap's service names.
awk '/scan report for/ { addr = $NF } $1 ~ /^[0-9]+\/tcp$/ { split($1, p, "/"); print $2, addr, p[1] }' \
	"$T/a.nmap" >"$T/nmap"
check normal "$T/nmap"
grep -q '^8080/tcp filtered http-proxy$' "$T/a.nmap" || e2e_fail "normal: no service name for 8080"
[[ $(grep -c '^Host is up' "$T/a.nmap") -eq 512 ]] || e2e_fail "normal: not 512 hosts up"

# Binary, read back: the same results, and every format as the scan wrote it.
for f in nmap xml gnmap list; do
	flag=$(case $f in nmap) echo -oN ;; xml) echo -oX ;; gnmap) echo -oG ;; list) echo -oL ;; esac)
	"$HAYATE" --readscan "$T/a.bin" "$flag" "$T/r.$f" 2>"$T/rerr" ||
		e2e_fail "--readscan $flag: $(cat "$T/rerr")"
done
"$HAYATE" --readscan "$T/a.bin" -oJ - >"$T/r.json"
for f in nmap xml gnmap; do
	cmp -s "$T/a.$f" "$T/r.$f" || e2e_fail "--readscan -o$f differs: $(diff "$T/a.$f" "$T/r.$f" | head -n 4)"
done
cmp -s <(sort "$T/a.json") <(sort "$T/r.json") || e2e_fail "--readscan -oJ differs from the scan's JSON"
cmp -s <(sort "$T/a.list") <(sort "$T/r.list") || e2e_fail "--readscan -oL differs from the scan's list"
records=$((($(stat -c %s "$T/a.bin") - $(od -An -tu4 -j12 -N4 "$T/a.bin")) / 20)) # header size at byte 12
[[ $records -eq $((n + 1)) ]] || e2e_fail "binary: $records records for $n results and an end record"

# ndiff, nmap's own tool, compares two scans of the same network (another seed): no difference.
hayate_run "$SNS" "$T/stdout" "$T/err" "${args[@]}" --seed 12 -oX "$T/b.xml"
((HY_RC == 0)) || e2e_fail "second scan: exit $HY_RC"
ndiff "$T/a.xml" "$T/b.xml" >"$T/ndiff" || e2e_fail "ndiff exit $?: $(head -n 8 "$T/ndiff")"
# And sees a change: the second scan without the filtered ports shown.
hayate_run "$SNS" "$T/stdout" "$T/err" "${args[@]::${#args[@]}-1}" open,closed --seed 13 -oX "$T/c.xml"
rc=0
ndiff "$T/a.xml" "$T/c.xml" >"$T/ndiff" || rc=$?
((rc == 1)) && grep -q '8080/tcp' "$T/ndiff" || e2e_fail "ndiff saw no difference (exit $rc)"
if command -v xsltproc >/dev/null; then
	xsltproc "$T/a.xml" >"$T/a.html" 2>/dev/null || e2e_fail "xsltproc cannot render the XML"
	grep -q '198.18.1.255' "$T/a.html" || e2e_fail "the HTML report lacks a host"
fi

e2e_pass "$n results in 6 formats ($(stat -c %s "$T/a.bin") B binary, $(stat -c %s "$T/a.json") B JSON); jq, xmllint --dtdvalid, ndiff$(command -v xsltproc >/dev/null && echo ", xsltproc") accept them; --readscan reproduces each"
