#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# hayate vs masscan vs ZMap, side by side, on the same work in one run.
#
# Builds the namespace testbed of tests/e2e/netns.sh, but the target answers
# with the stateless XDP responder (bin/hayate-responder) instead of a TCP
# stack: SYN-ACK for 4 open ports, silence for 3 filtered ones, RST+ACK for
# the other 9, on every address of 198.18.0.0/16. Then, for each rate
# (100k, 300k, max) and each tool, RUNS scans of NET x 16 ports, and:
#
#   probes/s  SYNs that reached the target / (last SYN - first SYN), both taken
#             by the responder itself (bpf_ktime_get_ns), so every tool is
#             timed by the same clock over its send phase only
#   wire pps  every frame into the target veth (rx_packets: SYNs, the scanner
#             kernel's RSTs to SYN-ACKs, masscan's own RSTs, ARP) / that span
#   recall    (addr, port) pairs reported open / the 4 x |NET| that are open;
#             "extra" counts pairs reported that are not open
#   dups      output lines repeating a pair already reported
#   CPU s     user + system seconds of the scanner process (/usr/bin/time);
#             on veth the target's XDP work mostly runs on the sender's core
#             and is charged to it too
#   wall s    the whole command, start-up and waiting included
#
# ZMap 2.1.1 scans one port per run, so one ZMap "run" is 16 runs, one per
# port; its counts are summed and its span is the sum of the 16 send spans.
# "max" is --rate 10M for hayate, --rate 10000000 for masscan and -r 0 (no
# limit, its fastest setting) for ZMap. bench/rawsend (prebuilt SYNs, no
# scanner logic) runs in the same testbed as the ceiling. A second testbed
# state drops every SYN (--filtered 1-65535) to compare hayate with rawsend
# alone, the issue's "90% of the raw send loop" target.
#
# Safety: everything is sent inside the two namespaces; the scanner namespace
# has only lo and the veth and a route to 198.18.0.0/16 only. The uplink's
# tx counter in the root namespace is printed before and after.
#
# Usage (root): bench/compare.sh          ~7 minutes, markdown table on stdout
#               QUICK=1 bench/compare.sh  /20 instead of /16, one run each (~1.5 min)
# Environment: RUNS, RATES ("100k 300k max"), TOOLS ("hayate masscan zmap"),
# NET, WAIT_S (1), DROP_REPLIES (1: the scanner's stack drops replies, see below), HAYATE_OPTS (extra options for hayate, e.g. "--tx-threads 2"), HAYATE_BACKENDS (send backends tried in the drop-all part;
# default: those of xdp, txring, afpacket, uring, pcap that work), LOG (a file for
# the per-run lines, which also go to stderr).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source-path=SCRIPTDIR/.. source=tests/e2e/netns.sh
source tests/e2e/netns.sh

BUILD=${BUILD:-build}
RESPONDER=${RESPONDER:-bin/hayate-responder}
RAWSEND=${RAWSEND:-$BUILD/bench/rawsend}
QUICK=${QUICK:-0}
if ((QUICK)); then
	NET=${NET:-198.18.0.0/20}
	RUNS=${RUNS:-1}
else
	NET=${NET:-198.18.0.0/16}
	RUNS=${RUNS:-3}
fi
RATES=${RATES:-100k 300k max}
TOOLS=${TOOLS:-hayate masscan zmap}
WAIT_S=${WAIT_S:-1}
RAW_S=${RAW_S:-3}
PORTS=21,22,23,25,53,80,110,143,443,445,993,995,3306,3389,8080,8443
OPEN=22,80,443,8080
FILTERED=23,445,3389
N_PORTS=16

die()
{
	echo "compare: $*" >&2
	exit 1
}

say()
{
	echo "$*" >&2
	[[ -z ${LOG:-} ]] || echo "$*" >>"$LOG"
}

# --- preconditions -----------------------------------------------------------

[[ $(id -u) -eq 0 ]] || die "needs root (network namespaces, XDP, raw sockets)"
[[ -x $HAYATE ]] || die "$HAYATE not built (make)"
[[ -x $RESPONDER ]] || die "$RESPONDER not built (make; needs clang and libbpf-dev)"
[[ -x $RAWSEND ]] || die "$RAWSEND not built (make $RAWSEND)"
[[ -x /usr/bin/time ]] || die "needs /usr/bin/time (Debian package time)"
for t in $TOOLS; do
	[[ $t == hayate ]] || command -v "$t" >/dev/null || die "$t not installed (apt-get install $t)"
done
prefix=${NET#*/}
((prefix >= 16 && prefix <= 30)) || die "NET must be a /16 to a /30 inside 198.18.0.0/16"
[[ $NET == 198.18.* ]] || die "NET must be a /16 to a /30 inside 198.18.0.0/16"
N_ADDRS=$((1 << (32 - prefix)))
PROBES=$((N_ADDRS * N_PORTS))

uplink=$(ip route show default 2>/dev/null | awk '{ for (i = 1; i < NF; i++) if ($i == "dev") { print $(i + 1); exit } }')
uplink_tx()
{
	if [[ -n $uplink ]]; then
		cat "/sys/class/net/$uplink/statistics/tx_packets"
	else
		echo 0
	fi
}
uplink_tx0=$(uplink_tx)

# --- the testbed -------------------------------------------------------------

testbed_up "" "" # no listener, no nft: the responder answers
# Only the responder may answer 198.18.0.0/16: the target kernel has no route to it.
ip -n "$TNS" route del local "$TARGET_NET" dev lo table local
ifaces=$(ip -n "$SNS" -o link show | awk -F': ' '{ print $2 }' | sed 's/@.*//' | sort | tr '\n' ' ')
[[ $ifaces == "$VETH_S lo " ]] || die "scanner namespace has unexpected interfaces: $ifaces"
[[ -z $(ip -n "$SNS" route show default) ]] || die "scanner namespace has a default route"
TMAC=$(ip -n "$TNS" -br link show "$VETH_T" | awk '{ print $3 }')
# DROP_REPLIES=1: the scanner host's own TCP stack never sees the replies, for
# every tool alike (packet capture taps them before netfilter). That is the
# firewall rule the README recommends for scanning hosts: without it, the
# kernel looks up a socket for each reply and answers each SYN-ACK with a RST.
if [[ ${DROP_REPLIES:-0} == 1 ]]; then
	in_scanner nft -f - <<-EOF || die "nft rule for DROP_REPLIES"
		table inet hybench$$ {
			chain pre {
				type filter hook prerouting priority raw; policy accept;
				meta l4proto tcp drop
			}
		}
	EOF
fi
EMPTY=$E2E_TMP/empty
: >"$EMPTY"

# responder_start ARGS...: (re)starts the responder on the target veth.
RESP_PID=""
responder_start()
{
	if [[ -n $RESP_PID ]]; then
		e2e_stop "$RESP_PID"
		RESP_PID=""
	fi
	RESP_LOG=$E2E_TMP/responder.$RANDOM
	e2e_spawn "$TNS" "$RESP_LOG" "$RESPONDER" --dev "$VETH_T" --range "$TARGET_NET" "$@"
	RESP_PID=$E2E_LAST_PID
	e2e_wait_for "$RESP_LOG" '^ready' 5 || die "responder did not start: $(cat "$RESP_LOG")"
}

# responder_read: prints the responder's counters since the last call and zeroes them.
responder_read()
{
	local n
	n=$(grep -c '^stats' "$RESP_LOG" || true)
	kill -USR1 "$RESP_PID"
	for _ in $(seq 200); do
		(($(grep -c '^stats' "$RESP_LOG" || true) > n)) && break
		sleep 0.01
	done
	grep '^stats' "$RESP_LOG" | tail -n 1
}

# field NAME LINE: the value of NAME=... in LINE.
field()
{
	sed -n "s/.* $1=\([0-9]*\).*/\1/p" <<<" $2"
}

target_rx()
{
	in_target cat "/sys/class/net/$VETH_T/statistics/rx_packets"
}

responder_start --open "$OPEN" --filtered "$FILTERED"
e2e_spawn "$SNS" "$E2E_TMP/pass.log" "$RESPONDER" --dev "$VETH_S" --pass
e2e_wait_for "$E2E_TMP/pass.log" '^ready' 5 || die "pass program: $(cat "$E2E_TMP/pass.log")"
xdp_mode=$(sed -n 's/^ready .*mode=\([a-z]*\).*/\1/p' "$RESP_LOG")

# Every send backend this hayate has that can send here (one probe each to
# find out). AF_XDP sends with a TX ring only and loads no XDP program, so it
# leaves the pass-through program on the scanner veth alone.
backends=${HAYATE_BACKENDS:-}
if [[ -z $backends ]]; then
	for b in xdp txring afpacket uring pcap; do
		in_scanner "$HAYATE" "${NET%/*}" -p 80 --send-backend "$b" --wait 0 -q \
			>/dev/null 2>&1 && backends+=" $b"
	done
fi

# Ground truth: every address of NET x the open ports.
first=${NET%/*}
e2e_expect_pairs "$first" "$N_ADDRS" "${OPEN//,/ }" >"$E2E_TMP/truth"
N_OPEN=$(wc -l <"$E2E_TMP/truth")

# --- one measured command ----------------------------------------------------

# measure OUT CMD...: runs CMD in the scanner namespace under /usr/bin/time,
# stdout to OUT, and adds its counters to the M_* totals.
measure()
{
	local out=$1 rx0 st tf=$E2E_TMP/time wall_s user_s sys_s
	shift
	responder_read >/dev/null
	rx0=$(target_rx)
	/usr/bin/time -f '%e %U %S' -o "$tf" ip netns exec "$SNS" "$@" >"$out" 2>>"$E2E_TMP/stderr" ||
		die "$1 failed: $(tail -n 3 "$E2E_TMP/stderr")"
	st=$(responder_read)
	M_SYN=$((M_SYN + $(field syn "$st")))
	M_SPAN_NS=$((M_SPAN_NS + $(field span_ns "$st")))
	M_WIRE=$((M_WIRE + $(target_rx) - rx0))
	read -r wall_s user_s sys_s <"$tf"
	M_WALL=$(awk -v a="$M_WALL" -v b="$wall_s" 'BEGIN { print a + b }')
	M_CPU=$(awk -v a="$M_CPU" -v u="$user_s" -v s="$sys_s" 'BEGIN { print a + u + s }')
}

# run_tool TOOL RATE: one run of TOOL on NET x PORTS; sets RES to
# "probes_per_s wire_pps recall_pct extra dups cpu_s wall_s syn_at_target".
run_tool()
{
	local tool=$1 rate=$2 r got=$E2E_TMP/got out=$E2E_TMP/out port waker
	M_SYN=0 M_SPAN_NS=0 M_WIRE=0 M_WALL=0 M_CPU=0
	: >"$E2E_TMP/stderr"
	case $tool in
	hayate)
		[[ $rate == max ]] && r=10M || r=$rate
		# shellcheck disable=SC2086 # HAYATE_OPTS is a list of options
		measure "$out" "$HAYATE" "$NET" -p "$PORTS" --rate "$r" --wait "$WAIT_S" -q ${HAYATE_OPTS:-}
		awk '$1 == "open" && $2 == "tcp" { print $4, $3 }' "$out" >"$got"
		;;
	masscan)
		case $rate in max) r=10000000 ;; *k) r=$((${rate%k} * 1000)) ;; *) r=$rate ;; esac
		# masscan 1.3.2's receive thread blocks in poll() until a frame
		# arrives, so on a quiet link it never sees that its --wait is over
		# ("waiting -225-secs", masscan issues #144, #558). Two frames a
		# second (a UDP datagram to the gateway, answered by ICMP) wake it.
		e2e_spawn "$SNS" /dev/null bash -c \
			"while :; do echo > /dev/udp/$GW_IP/9; sleep 0.5; done"
		waker=$E2E_LAST_PID
		measure "$out" masscan "$NET" -p "$PORTS" --rate "$r" --wait "$WAIT_S" \
			--interface "$VETH_S" --adapter-ip "$SCAN_IP" --router-mac "$TMAC" \
			-oL "$E2E_TMP/masscan.txt"
		e2e_stop "$waker"
		awk '$1 == "open" && $2 == "tcp" { print $4, $3 }' "$E2E_TMP/masscan.txt" >"$got"
		;;
	zmap)
		case $rate in max) r=0 ;; *k) r=$((${rate%k} * 1000)) ;; *) r=$rate ;; esac
		: >"$got"
		for port in ${PORTS//,/ }; do
			measure "$out" zmap -q -v 1 -i "$VETH_S" -S "$SCAN_IP" -G "$TMAC" -r "$r" \
				-p "$port" -b "$EMPTY" -c "$WAIT_S" -o - "$NET"
			awk -v port="$port" 'NF { print $1, port }' "$out" >>"$got"
		done
		;;
	esac
	sort "$got" >"$got.sorted"
	local lines uniq hits extra
	lines=$(wc -l <"$got.sorted")
	uniq=$(uniq "$got.sorted" | wc -l)
	hits=$(uniq "$got.sorted" | comm -12 "$E2E_TMP/truth" - | wc -l)
	extra=$((uniq - hits))
	RES=$(awk -v syn="$M_SYN" -v span="$M_SPAN_NS" -v wire="$M_WIRE" -v hits="$hits" \
		-v want="$N_OPEN" -v extra="$extra" -v dups=$((lines - uniq)) -v cpu="$M_CPU" \
		-v wall="$M_WALL" 'BEGIN {
			s = span > 0 ? span / 1e9 : 1e-9
			printf "%.0f %.0f %.2f %d %d %.2f %.2f %d\n", syn / s, wire / s,
				100 * hits / want, extra, dups, cpu, wall, syn }')
}

# raw_run ARGS...: rawsend in the scanner namespace for RAW_S seconds; sets RAW
# to the pps the target saw (its SYN count over its SYN span).
raw_run()
{
	local st line
	responder_read >/dev/null
	line=$(in_scanner "$RAWSEND" -i "$VETH_S" --src-ip "$SCAN_IP" --dst-mac "$TMAC" \
		--dst "$NET" -p "$PORTS" --seconds "$RAW_S" "$@" 2>&1) || die "rawsend $*: $line"
	st=$(responder_read)
	RAW=$(awk -v syn="$(field syn "$st")" -v span="$(field span_ns "$st")" \
		'BEGIN { printf "%.0f", (span > 0 ? syn / (span / 1e9) : 0) }')
	say "  $line; at the target: $RAW pps ($st)"
}

# median of the arguments (numbers).
median()
{
	printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
		print NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

# fmt_int N: N rounded, with thousands separators.
fmt_int()
{
	printf '%.0f' "$1" | sed ':a; s/\B[0-9]\{3\}\>/,&/; ta'
}

# --- the runs ----------------------------------------------------------------

started=$(date +%s)
load0=$(cut -d' ' -f1-3 /proc/loadavg)
say "compare: $NET x $N_PORTS ports = $PROBES probes a run, $N_OPEN open; XDP $xdp_mode;" \
	"rates: $RATES; $RUNS run(s) each; tools: $TOOLS"

raw_run
raw_answer_mmsg=$RAW
raw_run --ring --bypass
raw_answer_ring=$RAW

declare -A MED_PPS ROW
for rate in $RATES; do
	for tool in $TOOLS; do
		pps=() wire=() recall=() cpu=() wall=() extra=0 dups=0
		for run in $(seq "$RUNS"); do
			run_tool "$tool" "$rate"
			read -r p w rc ex du c wa syn <<<"$RES"
			say "  $tool rate=$rate run $run: probes/s=$p wire=$w recall=$rc% extra=$ex" \
				"dups=$du cpu=${c}s wall=${wa}s syn_at_target=$syn"
			pps+=("$p") wire+=("$w") recall+=("$rc") cpu+=("$c") wall+=("$wa")
			((ex > extra)) && extra=$ex
			((du > dups)) && dups=$du
		done
		med=$(median "${pps[@]}")
		MED_PPS[$tool.$rate]=$med
		lo=$(printf '%s\n' "${pps[@]}" | sort -g | head -n 1)
		hi=$(printf '%s\n' "${pps[@]}" | sort -g | tail -n 1)
		rmin=$(printf '%s\n' "${recall[@]}" | sort -g | head -n 1)
		ROW[$tool.$rate]=$(printf '| %s | %s | %s (%s–%s) | %s | %s%% | %d | %d | %s | %s |' \
			"$tool" "$rate" "$(fmt_int "$med")" "$(fmt_int "$lo")" "$(fmt_int "$hi")" \
			"$(fmt_int "$(median "${wire[@]}")")" "$rmin" "$extra" "$dups" \
			"$(median "${cpu[@]}")" "$(median "${wall[@]}")")
	done
done

# The target drops every SYN: hayate against the raw loop alone.
responder_start --filtered 1-65535
raw_run
raw_drop_mmsg=$RAW
raw_run --ring --bypass
raw_drop_ring=$RAW
declare -A DROP_PPS
for b in $backends; do
	pps=()
	for run in $(seq "$RUNS"); do
		M_SYN=0 M_SPAN_NS=0 M_WIRE=0 M_WALL=0 M_CPU=0
		measure "$E2E_TMP/out" "$HAYATE" "$NET" -p "$PORTS" --rate 10M --wait "$WAIT_S" -q \
			--send-backend "$b"
		p=$(awk -v s="$M_SYN" -v t="$M_SPAN_NS" 'BEGIN { printf "%.0f", t ? s / (t / 1e9) : 0 }')
		say "  drop-all: hayate --send-backend $b run $run: probes/s=$p syn_at_target=$M_SYN" \
			"cpu=${M_CPU}s"
		pps+=("$p")
	done
	DROP_PPS[$b]=$(median "${pps[@]}")
done
uplink_tx1=$(uplink_tx)

# --- the table ---------------------------------------------------------------

ratio()
{
	awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'
}

echo
echo "### hayate vs masscan vs ZMap: $NET x $N_PORTS ports ($PROBES probes, $N_OPEN open), $RUNS run(s) each"
echo
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); kernel $(uname -r); $(nproc) vCPUs;" \
	"masscan $(masscan --version 2>/dev/null | sed -n 's/.*version \([0-9.]*\).*/\1/p');" \
	"$(zmap --version 2>/dev/null | head -n 1); $("$HAYATE" --version 2>&1 | head -n 1)" \
	"(${HAYATE_REV:-$(git -C "$E2E_ROOT" describe --always --dirty 2>/dev/null || echo "?")}," \
	"default send backend, the first of [$backends ] that opens here);" \
	"veth pair, responder XDP ($xdp_mode)."
echo
echo "| tool | rate | probes/s median (min–max) | wire pps | recall (worst run) | extra | dups (max) | CPU s | wall s |"
echo "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"
for rate in $RATES; do
	for tool in $TOOLS; do
		echo "${ROW[$tool.$rate]}"
	done
done
echo
echo "| rate | hayate/masscan | hayate/ZMap |"
echo "| --- | --- | --- |"
for rate in $RATES; do
	echo "| $rate | $(ratio "${MED_PPS[hayate.$rate]:-0}" "${MED_PPS[masscan.$rate]:-0}") |" \
		"$(ratio "${MED_PPS[hayate.$rate]:-0}" "${MED_PPS[zmap.$rate]:-0}") |"
done
echo
echo "Ceiling, same testbed (bench/rawsend, prebuilt 60-byte SYNs, one thread, ${RAW_S} s):"
echo
echo "| target | rawsend sendmmsg x64 | rawsend TX_RING + qdisc bypass | hayate --rate 10M, median | hayate / sendmmsg | hayate / TX_RING |"
echo "| --- | --- | --- | --- | --- | --- |"
echo "| answers (responder), hayate default | $(fmt_int "$raw_answer_mmsg") | $(fmt_int "$raw_answer_ring") |" \
	"$(fmt_int "${MED_PPS[hayate.max]:-0}") | $(ratio "${MED_PPS[hayate.max]:-0}" "$raw_answer_mmsg") |" \
	"$(ratio "${MED_PPS[hayate.max]:-0}" "$raw_answer_ring") |"
for b in $backends; do
	echo "| drops everything, hayate $b | $(fmt_int "$raw_drop_mmsg") | $(fmt_int "$raw_drop_ring") |" \
		"$(fmt_int "${DROP_PPS[$b]}") | $(ratio "${DROP_PPS[$b]}" "$raw_drop_mmsg") |" \
		"$(ratio "${DROP_PPS[$b]}" "$raw_drop_ring") |"
done
echo
echo "Took $(($(date +%s) - started)) s; load average (1, 5, 15 min) $load0 before," \
	"$(cut -d' ' -f1-3 /proc/loadavg) after (the benchmark adds up to 2; more is other jobs)."
echo "Uplink ${uplink:-none} tx packets during the run:" \
	"$((uplink_tx1 - uplink_tx0)) (background traffic only; scans stay in the namespaces)."
