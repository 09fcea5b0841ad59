# shellcheck shell=bash
# SPDX-License-Identifier: MIT
#
# The end-to-end testbed, sourced by every tests/e2e/*.sh scenario. It builds
# two network namespaces joined by a veth pair, so scans never leave the
# machine:
#
#   hs-PID (scanner)  hvPIDa 198.19.0.1/24 ==veth== hvPIDb 198.19.0.2/24  ht-PID (target)
#   route 198.18.0.0/16 via 198.19.0.2            local 198.18.0.0/16 dev lo
#   (no default route)                            listen on the open ports, nft drops filtered
#
# Every address in 198.18.0.0/16 is therefore a live host on the target side.
# Everything created here is recorded and removed by testbed_down, which runs
# on every exit path (trap on EXIT) and may be called twice. Only processes
# started through e2e_spawn are ever killed, by PID.

E2E_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
E2E_ROOT=$(cd "$E2E_DIR/../.." && pwd)
E2E_BUILD=${BUILD:-build}
[[ $E2E_BUILD = /* ]] || E2E_BUILD="$E2E_ROOT/$E2E_BUILD"
HAYATE=${HAYATE:-$E2E_ROOT/bin/hayate}
E2E_NAME=$(basename "$0" .sh)
export LC_ALL=C # one sort order for comm

# Names carry this shell's PID so concurrent runs never collide. hvPIDa fits IFNAMSIZ.
SNS="hs-$$"
TNS="ht-$$"
VETH_S="hv$$a"
VETH_T="hv$$b"
SCAN_IP=198.19.0.1
GW_IP=198.19.0.2
TARGET_NET=198.18.0.0/16
NFT_TABLE="hy$$"

E2E_NETNS=()
E2E_PIDS=()
E2E_TMP=""

# --- reporting -------------------------------------------------------------

e2e_pass()
{
	echo "PASS $E2E_NAME: $*"
	exit 0
}

e2e_fail()
{
	echo "FAIL $E2E_NAME: $*"
	exit 1
}

e2e_skip()
{
	echo "SKIP $E2E_NAME: $*"
	exit 77
}

# --- preconditions ---------------------------------------------------------

e2e_require_root()
{
	[[ $(id -u) -eq 0 ]] || e2e_skip "needs root (network namespaces)"
}

e2e_require_tools()
{
	local t
	for t in "$@"; do
		command -v "$t" >/dev/null 2>&1 || e2e_skip "needs '$t' (not installed)"
	done
}

e2e_require_hayate()
{
	[[ -x $HAYATE ]] || e2e_skip "$HAYATE not built yet (make)"
}

# e2e_build OUT SOURCE...: compiles SOURCE... (paths under the repo) into
# $E2E_BUILD/e2e/OUT unless it is newer than every source.
e2e_build()
{
	local out="$E2E_BUILD/e2e/$1" src stale=0
	shift
	[[ -x $out ]] || stale=1
	for src in "$@"; do
		[[ $E2E_ROOT/$src -nt $out ]] && stale=1
	done
	((stale)) || return 0
	mkdir -p "$E2E_BUILD/e2e"
	${CC:-cc} -std=c11 -D_GNU_SOURCE -O2 -Wall -Wextra -iquote "$E2E_ROOT/include" -o "$out" \
		"${@/#/$E2E_ROOT/}" || e2e_fail "cannot build ${out##*/}"
}

# Compiles the helper programs this directory ships, straight with cc, so a
# scenario does not depend on the rest of the tree building. Sets LISTEN,
# NOOFFLOAD, ROUTE_PROBE, INJECT and ACCEPT to their paths.
e2e_build_helpers()
{
	LISTEN="$E2E_BUILD/e2e/listen"
	NOOFFLOAD="$E2E_BUILD/e2e/nooffload"
	ROUTE_PROBE="$E2E_BUILD/e2e/route_probe"
	INJECT="$E2E_BUILD/e2e/inject"
	ACCEPT="$E2E_BUILD/e2e/accept"
	e2e_build listen tests/e2e/listen.c
	e2e_build nooffload tests/e2e/nooffload.c
	e2e_build route_probe tests/e2e/route_probe.c core/route.c core/arp.c core/errmsg.c \
		core/addr.c
	e2e_build inject tests/e2e/inject.c
	e2e_build accept tests/e2e/accept.c
}

# --- namespaces and processes ----------------------------------------------

# Creates namespace $1 with lo up and records it for testbed_down.
e2e_netns_add()
{
	ip netns add "$1" || e2e_fail "ip netns add $1"
	E2E_NETNS+=("$1")
	ip -n "$1" link set lo up
}

in_scanner()
{
	ip netns exec "$SNS" "$@"
}

in_target()
{
	ip netns exec "$TNS" "$@"
}

# e2e_spawn NS OUTFILE CMD...: starts CMD in namespace NS in the background,
# stdout and stderr to OUTFILE, and records its PID (ip netns exec execs CMD,
# so the PID is CMD's own). The PID is left in E2E_LAST_PID.
e2e_spawn()
{
	local ns=$1 out=$2
	shift 2
	ip netns exec "$ns" "$@" >"$out" 2>&1 &
	E2E_LAST_PID=$!
	E2E_PIDS+=("$E2E_LAST_PID")
}

# e2e_wait_for FILE PATTERN SECONDS: waits until FILE contains PATTERN.
e2e_wait_for()
{
	local file=$1 pattern=$2 tries=$(($3 * 20))
	while ((tries-- > 0)); do
		grep -q -- "$pattern" "$file" 2>/dev/null && return 0
		sleep 0.05
	done
	return 1
}

# Stops one recorded process: SIGTERM, then SIGKILL after a second.
e2e_stop()
{
	local pid=$1
	kill -TERM "$pid" 2>/dev/null || return 0
	for _ in $(seq 20); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.05
	done
	kill -KILL "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
}

# Checks for root and ip, builds the helpers, arms the cleanup trap and makes
# the scratch directory E2E_TMP. testbed_up calls it; so may a scenario that
# builds its own namespaces. Idempotent.
e2e_begin()
{
	[[ -z $E2E_TMP ]] || return 0
	e2e_require_root
	e2e_require_tools ip timeout
	e2e_build_helpers
	trap testbed_down EXIT
	trap 'exit 130' INT TERM
	E2E_TMP=$(mktemp -d "/tmp/hayate-e2e-$E2E_NAME.XXXXXX")
}

# hayate_run NS OUT ERR ARGS...: runs bin/hayate ARGS inside namespace NS with
# stdout to OUT and stderr to ERR, under a timeout (E2E_TIMEOUT seconds,
# default 45; then SIGINT). Sets HY_RC to its exit status (124: timed out).
# shellcheck disable=SC2034 # HY_RC is read by the scenario scripts
hayate_run()
{
	local ns=$1 out=$2 errf=$3
	shift 3
	HY_RC=0
	timeout -s INT -k 5 "${E2E_TIMEOUT:-45}" ip netns exec "$ns" "$HAYATE" "$@" \
		>"$out" 2>"$errf" || HY_RC=$?
}

# hayate_bad_lines OUT: prints the lines of OUT that are not well-formed results,
# "STATE tcp PORT ADDRESS key=value...".
hayate_bad_lines()
{
	grep -Ev '^(open|closed|filtered) tcp [0-9]{1,5} ([0-9]{1,3}\.){3}[0-9]{1,3}( [a-z_]+=[^ ]+)*$' "$1" || true
}

# hayate_pairs STATE OUT: "address port" of each STATE line in OUT, sorted (duplicates kept).
hayate_pairs()
{
	awk -v state="$1" '$1 == state && $2 == "tcp" { print $4, $3 }' "$2" | sort
}

# e2e_expect_pairs FIRST COUNT "PORT..." [SKIP_FILE]: "address port" for the
# COUNT addresses from FIRST on and each port, sorted; addresses listed in
# SKIP_FILE (one a line) are left out.
e2e_expect_pairs()
{
	local first=$1 count=$2 ports=$3 skip=${4:-/dev/null}
	awk -v first="$first" -v count="$count" -v ports="$ports" '
		FNR == NR { skip[$1] = 1; next }
		END {
			split(first, o, ".")
			base = ((o[1] * 256 + o[2]) * 256 + o[3]) * 256 + o[4]
			n = split(ports, p, " ")
			for (i = 0; i < count; i++) {
				a = base + i
				addr = sprintf("%d.%d.%d.%d", int(a / 16777216) % 256,
					       int(a / 65536) % 256, int(a / 256) % 256, a % 256)
				if (addr in skip)
					continue
				for (j = 1; j <= n; j++)
					print addr, p[j]
			}
		}' "$skip" /dev/null | sort
}

# e2e_diff_sets WHAT EXPECTED GOT: compares two sorted pair lists; on a
# difference prints counts and the first few missing and extra pairs and
# returns 1. Duplicates in GOT count as a difference.
e2e_diff_sets()
{
	local what=$1 want=$2 got=$3 missing extra dups
	missing=$(comm -23 "$want" "$got" | wc -l)
	extra=$(sort -u "$got" | comm -13 "$want" - | wc -l)
	dups=$(uniq -d "$got" | wc -l)
	if ((missing + extra + dups)); then
		echo "$what: $(wc -l <"$want") expected, $(wc -l <"$got") got:" \
			"$missing missing, $extra extra, $dups duplicated"
		comm -23 "$want" "$got" | head -3 | sed 's/^/  missing: /'
		sort -u "$got" | comm -13 "$want" - | head -3 | sed 's/^/  extra: /'
		uniq -d "$got" | head -3 | sed 's/^/  duplicated: /'
		return 1
	fi
}

# --- the testbed -----------------------------------------------------------

# testbed_up OPEN_PORTS [FILTERED_PORTS]: ports comma-separated, e.g.
# testbed_up 22,80,443 8080. Builds the two namespaces, the veth pair and the
# routes, tunes the target to answer floods, starts listen on OPEN_PORTS and
# makes nft drop TCP to FILTERED_PORTS.
testbed_up()
{
	local open_ports=${1:-} filtered_ports=${2:-} dev
	e2e_begin
	e2e_netns_add "$SNS"
	e2e_netns_add "$TNS"
	ip link add "$VETH_S" netns "$SNS" type veth peer name "$VETH_T" netns "$TNS" ||
		e2e_fail "cannot create veth pair $VETH_S/$VETH_T"
	ip -n "$SNS" addr add "$SCAN_IP/24" dev "$VETH_S"
	ip -n "$TNS" addr add "$GW_IP/24" dev "$VETH_T"
	ip -n "$SNS" link set "$VETH_S" up
	ip -n "$TNS" link set "$VETH_T" up
	ip -n "$SNS" route add "$TARGET_NET" via "$GW_IP"
	ip -n "$TNS" route add local "$TARGET_NET" dev lo

	# Answer a 10k pps SYN flood: no ICMP rate limit, deep SYN and accept
	# queues, and syncookies (still SYN-ACKs) if a queue overflows anyway.
	in_target sysctl -qw net.ipv4.icmp_ratelimit=0 net.ipv4.icmp_msgs_per_sec=1000000 \
		net.ipv4.icmp_msgs_burst=1000000 net.ipv4.tcp_syncookies=1 \
		net.ipv4.tcp_max_syn_backlog=65536 net.core.somaxconn=65535 ||
		e2e_fail "cannot set the target's sysctls"

	# Checksum offload on veth leaves partial checksums in frames a packet
	# socket captures (tcpdump -vv says "incorrect"); turn it off so every
	# captured frame is as on a wire. nooffload does the same without ethtool.
	if ! in_scanner "$NOOFFLOAD" "$VETH_S" || ! in_target "$NOOFFLOAD" "$VETH_T"; then
		e2e_fail "cannot turn checksum offload off on the veth pair"
	fi

	# Wait for the link (carrier) and the scanner's address to be usable.
	for dev in "$SNS:$VETH_S" "$TNS:$VETH_T"; do
		for _ in $(seq 40); do
			ip -n "${dev%%:*}" -br link show "${dev#*:}" | grep -q 'LOWER_UP' && break
			sleep 0.05
		done
	done

	[[ -z $open_ports ]] || testbed_listen "$TNS" "${open_ports//,/ }"
	[[ -z $filtered_ports ]] || testbed_filter "$filtered_ports"
}

# testbed_listen NS "PORT PORT ...": starts listen in NS and waits for it.
testbed_listen()
{
	local ns=$1 out
	out="$E2E_TMP/listen.$ns.${#E2E_PIDS[@]}"
	# shellcheck disable=SC2086 # the port list is meant to split
	e2e_spawn "$ns" "$out" "$LISTEN" $2
	e2e_wait_for "$out" '^ready' 5 || e2e_fail "listen $2 in $ns did not start: $(cat "$out")"
}

# testbed_filter "PORT,PORT": the target silently drops TCP to these ports.
testbed_filter()
{
	e2e_require_tools nft
	in_target nft -f - <<-EOF || e2e_fail "nft rules for filtered ports $1"
		table inet $NFT_TABLE {
			chain input {
				type filter hook input priority 0; policy accept;
				tcp dport { $1 } drop
			}
		}
	EOF
}

# testbed_capture_start FILE FILTER...: tcpdump on the target's veth, writing FILE (pcap).
testbed_capture_start()
{
	local file=$1
	shift
	e2e_require_tools tcpdump
	e2e_spawn "$TNS" "$file.log" tcpdump -i "$VETH_T" -n -U -s 128 -B 16384 -w "$file" "$@"
	E2E_CAPTURE_PID=$E2E_LAST_PID
	e2e_wait_for "$file.log" 'listening on' 5 || e2e_fail "tcpdump did not start: $(cat "$file.log")"
}

# testbed_capture_stop FILE: stops the capture (call it in this shell, not in
# $(...): only this shell can wait for tcpdump) and sets CAPTURE_STATS to
# tcpdump's closing counts, "N packets captured ... N packets dropped by kernel".
# shellcheck disable=SC2034 # CAPTURE_STATS is read by the scenario scripts
testbed_capture_stop()
{
	kill -INT "$E2E_CAPTURE_PID" 2>/dev/null || true
	wait "$E2E_CAPTURE_PID" 2>/dev/null || true
	CAPTURE_STATS=$(grep -E 'packets (captured|received by filter|dropped by kernel)' "$1.log" |
		tr '\n' ' ')
}

testbed_down()
{
	local pid ns
	for pid in "${E2E_PIDS[@]}"; do
		e2e_stop "$pid"
	done
	E2E_PIDS=()
	# Deleting a namespace deletes its end of the veth, and with it the peer.
	for ns in "${E2E_NETNS[@]}"; do
		ip netns del "$ns" 2>/dev/null || true
	done
	E2E_NETNS=()
	[[ -z $E2E_TMP ]] || rm -rf "$E2E_TMP"
	E2E_TMP=""
}
