#!/bin/bash
# SPDX-License-Identifier: MIT
# The output disk fills up mid-scan: -oB and -oJ (and, in a second scan,
# -oL) go to a 16 KiB tmpfs
# (mounted in the scanner's own mount namespace, so the host never sees it).
# hayate finishes the scan, exits 1 with one line for each file the full disk
# cut short, naming it ("hayate: .../a.json: No space left on device"), and
# what it wrote reads back: the binary file holds only whole records (the torn
# one is cut off), every one a real open port, and --readscan reads it with no
# complaint but the missing end record; the JSON and list files are whole
# lines only, every one of which parses. --readscan of the whole scan onto the full disk
# names each of its four outputs the same way, the XML, normal and grepable
# reports (written at the end) included; each of those alone is cut at a whole
# host and closed by lines that say so (the XML still parses).
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_hayate
e2e_require_tools python3
testbed_up 22,80 ""
full=$E2E_TMP/full
mkdir -p "$full"

# One shell in the scanner namespace: the tmpfs exists only in its mount namespace.
rc=0
in_scanner bash -c '
	set -e
	mount -t tmpfs -o size=16k,mode=0755 hayate-full "$1"
	rc=0
	"$2" 198.18.0.0/22 -p 22,80 --rate 4000 --wait 0.5 -q -oB "$1/a.bin" -oJ "$1/a.json" \
		-oB "$3/whole.bin" >"$3/out" 2>"$3/err" || rc=$?
	cp "$1/a.bin" "$1/a.json" "$3/"
	exit $rc' _ "$full" "$HAYATE" "$E2E_TMP" || rc=$?
((rc == 1)) || e2e_fail "exit $rc with the output disk full, want 1: $(tail -n 3 "$E2E_TMP/err")"
# Both files outgrow the disk (41 KB of records, 266 KB of JSON): each is named once, in -o order.
grep 'No space left on device' "$E2E_TMP/err" >"$E2E_TMP/enospc" || true
printf 'hayate: %s: No space left on device\n' "$full/a.bin" "$full/a.json" >"$E2E_TMP/want_err"
diff -u "$E2E_TMP/want_err" "$E2E_TMP/enospc" >"$E2E_TMP/diff" ||
	e2e_fail "the disk-full lines do not name each file: $(cat "$E2E_TMP/diff")"
[[ $(grep -c '^hayate: ' "$E2E_TMP/err") -eq 4 ]] ||
	e2e_fail "stderr has more than the summary and the two errors: $(cat "$E2E_TMP/err")"

in_scanner "$HAYATE" --readscan "$E2E_TMP/a.bin" -oL - >"$E2E_TMP/rs" 2>"$E2E_TMP/rs.err" ||
	e2e_fail "--readscan of the cut binary file: $(cat "$E2E_TMP/rs.err")"
grep -v 'no end record' "$E2E_TMP/rs.err" | grep -q . &&
	e2e_fail "--readscan found damage: $(cat "$E2E_TMP/rs.err")"
awk '$1 == "open" { print $4, $3 }' "$E2E_TMP/rs" | sort >"$E2E_TMP/got"
e2e_expect_pairs 198.18.0.0 1024 "22 80" >"$E2E_TMP/want"
bin_n=$(wc -l <"$E2E_TMP/got")
((bin_n > 0 && bin_n < 2048)) || e2e_fail "$bin_n results in the binary file, want some but not all"
[[ -z $(comm -13 "$E2E_TMP/want" "$E2E_TMP/got") && -z $(uniq -d "$E2E_TMP/got") ]] ||
	e2e_fail "the binary file holds results that are not open ports, or repeats"

# --readscan onto a full disk: the formats written at the end are named too, each of the four.
rc=0
in_scanner bash -c '
	mount -t tmpfs -o size=16k,mode=0755 hayate-full "$1" || exit 99
	"$2" --readscan "$3/whole.bin" -oX "$1/r.xml" -oN "$1/r.nmap" -oG "$1/r.gnmap" \
		-oJ "$1/r.json" 2>"$3/rerr"' _ "$full" "$HAYATE" "$E2E_TMP" || rc=$?
((rc == 1)) || e2e_fail "--readscan onto the full disk: exit $rc, want 1: $(cat "$E2E_TMP/rerr")"
printf 'hayate: %s: No space left on device\n' "$full"/r.{xml,nmap,gnmap,json} | sort >"$E2E_TMP/want_err"
sort "$E2E_TMP/rerr" | diff -u "$E2E_TMP/want_err" - >"$E2E_TMP/diff" ||
	e2e_fail "--readscan onto the full disk: $(cat "$E2E_TMP/diff")"

# Each report written at the end, alone on the full disk: whole hosts, then closing lines that
# say it was cut short (in the place of the last host or two, if they need it).
for fmt in N G X; do
	rc=0
	in_scanner bash -c '
		mount -t tmpfs -o size=16k,mode=0755 hayate-full "$1" || exit 99
		"$2" --readscan "$3/whole.bin" -o'"$fmt"' "$1/r" 2>"$3/rerr" || rc=$?
		cp "$1/r" "$3/r.'"$fmt"'"
		exit $rc' _ "$full" "$HAYATE" "$E2E_TMP" || rc=$?
	((rc == 1)) || e2e_fail "-o$fmt onto the full disk: exit $rc, want 1: $(cat "$E2E_TMP/rerr")"
	grep -qxF "hayate: $full/r: No space left on device" "$E2E_TMP/rerr" ||
		e2e_fail "-o$fmt onto the full disk: not named: $(cat "$E2E_TMP/rerr")"
done
python3 - "$E2E_TMP" >"$E2E_TMP/cut.out" 2>&1 <<'PY' || e2e_fail "a cut report: $(cat "$E2E_TMP/cut.out")"
import re, sys, xml.etree.ElementTree as ET
d = sys.argv[1]
host = r"(?:198\.18\.[0-3]\.\d{1,3})"
# -oN: blocks of a report line, "Host is up", the port table and a blank line, then the cut line.
n = open(f"{d}/r.N").read()
blocks = re.findall(r"hayate scan report for " + host + r"\nHost is up[^\n]*\n(?:[^\n]+\n)+\n", n)
rest = n[n.index("hayate scan report for"):].replace("".join(blocks), "", 1)
assert blocks and re.fullmatch(r"# hayate report cut short at [^\n]*No space left on device[^\n]*\n", rest), rest[:300]
# -oG: a Status and a Ports line per host, then the cut line.
g = open(f"{d}/r.G").read().split("\n")
body = [l for l in g if not l.startswith("#") and l]
assert len(body) % 2 == 0 and all(l.startswith("Host: ") for l in body), body[-2:]
assert g[-1] == "" and g[-2].startswith("# hayate report cut short at "), g[-3:]
# -oX: parses, and the run finished with an error naming the full disk.
run = ET.fromstring(open(f"{d}/r.X").read())
fin = run.find("runstats/finished")
assert fin.get("exit") == "error" and "No space left" in fin.get("errormsg"), fin.attrib
hosts = len(run.findall("host"))
assert hosts > 0
print(f"{len(blocks)} (-oN), {len(body) // 2} (-oG), {hosts} (-oX, a document that parses),"
      " each closed by a cut-short line")
PY
cut_summary=$(cat "$E2E_TMP/cut.out")

# JSON Lines: the file ends on a whole line, and every line parses.
json_n=$(grep -c '' "$E2E_TMP/a.json")
((json_n > 0)) || e2e_fail "the JSON file is empty"
[[ -z $(tail -c 1 "$E2E_TMP/a.json") ]] || e2e_fail "the JSON file ends inside a line"
python3 -c 'import json, sys
for n, line in enumerate(open(sys.argv[1]), 1):
	try:
		json.loads(line)
	except ValueError as e:
		sys.exit(f"line {n}: {e}: {line!r}")' "$E2E_TMP/a.json" 2>"$E2E_TMP/json.err" ||
	e2e_fail "a JSON line does not parse: $(cat "$E2E_TMP/json.err")"
# masscan's list alone on a full disk (with JSON beside it, JSON's buffer fills first and takes
# all the room): "#masscan", then whole result lines, and no "# end" as the file was cut short.
rc=0
in_scanner bash -c '
	mount -t tmpfs -o size=16k,mode=0755 hayate-full "$1" || exit 99
	"$2" 198.18.0.0/22 -p 22,80 --rate 4000 --wait 0.5 -q -oL "$1/a.list" 2>"$3/lerr" || rc=$?
	cp "$1/a.list" "$3/"
	exit $rc' _ "$full" "$HAYATE" "$E2E_TMP" || rc=$?
((rc == 1)) || e2e_fail "-oL onto the full disk: exit $rc, want 1: $(cat "$E2E_TMP/lerr")"
grep -qxF "hayate: $full/a.list: No space left on device" "$E2E_TMP/lerr" ||
	e2e_fail "-oL onto the full disk: not named: $(cat "$E2E_TMP/lerr")"
list_n=$(grep -c '' "$E2E_TMP/a.list" || true)
[[ $(head -n 1 "$E2E_TMP/a.list") == '#masscan' ]] || e2e_fail "the list file lost its header"
[[ -z $(tail -c 1 "$E2E_TMP/a.list") ]] || e2e_fail "the list file ends inside a line"
bad=$(tail -n +2 "$E2E_TMP/a.list" |
	grep -Evc '^open tcp (22|80) 198\.18\.[0-3]\.[0-9]{1,3} [0-9]+$' || true)
((bad == 0 && list_n > 100)) || e2e_fail "$bad malformed lines among $list_n in the list file"
e2e_pass "exit 1, one 'No space left on device' line naming each file; $bin_n whole records read back" \
	"from -oB ($(stat -c %s "$E2E_TMP/a.bin") bytes); $json_n JSON and $list_n list lines," \
	"every one whole and parsed; reports cut at whole hosts: $cut_summary"
