#!/bin/bash
# SPDX-License-Identifier: MIT
# UDP scan of 198.18.0.0/28 against real servers in the target namespace:
# dnsmasq on 53 and snmpd on 161 answer our DNS and SNMP probes (open), 9999
# has no socket (ICMP port unreachable: closed), nft rejects 5001 with ICMP
# admin-prohibited (filtered) and drops 5000 (silence: open|filtered, never
# open). Then a mixed scan, -p U:53,T:22,80: UDP 53 and TCP 22 open, TCP 80
# closed, on every address, each reported once with its protocol. And the
# XML of a mixed scan, written directly and rebuilt by --readscan, names
# both protocols' ports as nmap does.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_hayate
e2e_require_tools nft dnsmasq snmpd
testbed_up 22
in_target nft -f - <<-EOF2 || e2e_fail "nft rules"
	table inet hyudp$$ {
		chain input {
			type filter hook input priority 0; policy accept;
			udp dport 5000 drop
			udp dport 5001 reject with icmp type admin-prohibited
		}
	}
EOF2

# The servers: wildcard sockets, so every address of 198.18.0.0/16 answers.
e2e_spawn "$TNS" "$E2E_TMP/dnsmasq.log" dnsmasq --keep-in-foreground --no-resolv --no-hosts \
	--conf-file=/dev/null --port=53 --user=root --pid-file="$E2E_TMP/dnsmasq.pid" \
	--log-facility=- --address=/example.test/198.18.9.9
printf 'rocommunity public default\n' >"$E2E_TMP/snmpd.conf"
e2e_spawn "$TNS" "$E2E_TMP/snmpd.log" snmpd -f -Lo -C -c "$E2E_TMP/snmpd.conf" -M /dev/null -m "" \
	-p "$E2E_TMP/snmpd.pid" udp:161
for _ in $(seq 40); do
	in_target ss -uln | grep -q ':161 ' && in_target ss -uln | grep -q ':53 ' && break
	sleep 0.1
done
in_target ss -uln | grep -q ':161 ' || e2e_fail "snmpd did not start: $(tail -n 3 "$E2E_TMP/snmpd.log")"
in_target ss -uln | grep -q ':53 ' || e2e_fail "dnsmasq did not start: $(tail -n 3 "$E2E_TMP/dnsmasq.log")"

out=$E2E_TMP/out err=$E2E_TMP/err
# pairs_of STATE PROTO: "address port" of the STATE lines of protocol PROTO, sorted.
pairs_of()
{
	awk -v s="$1" -v p="$2" '$1 == s && $2 == p { print $4, $3 }' "$out" | sort
}

# expect STATE PROTO "PORT..." WHAT: the STATE/PROTO set is exactly the 16 addresses x PORTs.
expect()
{
	e2e_expect_pairs 198.18.0.0 16 "$3" >"$E2E_TMP/want"
	pairs_of "$1" "$2" >"$E2E_TMP/got"
	e2e_diff_sets "$4 $1 $2" "$E2E_TMP/want" "$E2E_TMP/got" || e2e_fail "$4: $1 $2 set"
}

start=$(date +%s%N)
hayate_run "$SNS" "$out" "$err" -sU 198.18.0.0/28 -p 53,161,5000,5001,9999 --rate 5000 \
	--wait 1 --show all -q
t1=$((($(date +%s%N) - start) / 1000000))
((HY_RC == 0)) || e2e_fail "-sU: exit $HY_RC: $(tail -n 3 "$err")"
bad=$(grep -Ev '^(open|closed|filtered|open\|filtered) udp [0-9]{1,5} ([0-9]{1,3}\.){3}[0-9]{1,3} ttl=[0-9]+$' "$out" || true)
[[ -z $bad ]] || e2e_fail "-sU: malformed lines: $(head -n 3 <<<"$bad")"
expect open udp "53 161" "-sU"
expect closed udp "9999" "-sU"
expect filtered udp "5001" "-sU"
expect "open|filtered" udp "5000" "-sU"
[[ $(wc -l <"$out") -eq 80 ]] || e2e_fail "-sU: $(wc -l <"$out") lines, want 80"

start=$(date +%s%N)
hayate_run "$SNS" "$out" "$err" 198.18.0.0/28 -p U:53,T:22,80 --rate 5000 --wait 1 \
	--show open,closed -q
t2=$((($(date +%s%N) - start) / 1000000))
((HY_RC == 0)) || e2e_fail "mixed: exit $HY_RC: $(tail -n 3 "$err")"
expect open udp "53" "mixed"
expect open tcp "22" "mixed"
expect closed tcp "80" "mixed"
[[ $(wc -l <"$out") -eq 48 ]] || e2e_fail "mixed: $(wc -l <"$out") lines, want 48"

# XML of a mixed scan: one scaninfo per protocol, as nmap writes them, valid
# against nmap.dtd; TCP 53 (dnsmasq answers both) and UDP 53 are two ports; and
# --readscan rebuilds the same XML from the binary file's header and records
# (--show all: the binary file keeps only the states shown, and the XML's
# "Not shown" counts need the rest).
xml=$E2E_TMP/mixed.xml bin=$E2E_TMP/mixed.bin
hayate_run "$SNS" "$out" "$err" -sS -sU 198.18.0.0/28 -p U:53,161,T:22,53,80 --rate 5000 \
	--wait 1 --show all -q -oX "$xml" -oB "$bin"
((HY_RC == 0)) || e2e_fail "mixed -oX: exit $HY_RC: $(tail -n 3 "$err")"
grep '<scaninfo ' "$xml" >"$E2E_TMP/got" || true
cat >"$E2E_TMP/want" <<-'EOF2'
	<scaninfo type="syn" protocol="tcp" numservices="3" services="22,53,80"/>
	<scaninfo type="udp" protocol="udp" numservices="2" services="53,161"/>
EOF2
diff -u "$E2E_TMP/want" "$E2E_TMP/got" >"$E2E_TMP/diff" ||
	e2e_fail "mixed -oX: scaninfo elements: $(cat "$E2E_TMP/diff")"
if command -v xmllint >/dev/null && [[ -r /usr/share/nmap/nmap.dtd ]]; then
	xmllint --noout --dtdvalid /usr/share/nmap/nmap.dtd "$xml" 2>"$E2E_TMP/xmllint" ||
		e2e_fail "mixed -oX does not validate: $(head -n 3 "$E2E_TMP/xmllint")"
	dtd=", valid against nmap.dtd"
fi
for p in udp tcp; do
	n=$(grep -c "<port protocol=\"$p\" portid=\"53\"><state state=\"open\"" "$xml" || true)
	((n == 16)) || e2e_fail "mixed -oX: $n open $p 53 ports, want 16"
done
"$HAYATE" --readscan "$bin" -oX "$E2E_TMP/again.xml" 2>"$E2E_TMP/rerr" ||
	e2e_fail "--readscan -oX: $(cat "$E2E_TMP/rerr")"
cmp -s "$xml" "$E2E_TMP/again.xml" ||
	e2e_fail "--readscan -oX differs: $(diff "$xml" "$E2E_TMP/again.xml" | head -n 6)"

e2e_pass "-sU 16 x 5 ports (dnsmasq, snmpd): 32 open, 16 closed, 16 filtered, 16" \
	"open|filtered in $t1 ms; -p U:53,T:22,80: 16 + 16 open, 16 closed in $t2 ms;" \
	"-oX of -p U:53,161,T:22,53,80: a scaninfo per protocol${dtd:-}, and --readscan rebuilds it"
