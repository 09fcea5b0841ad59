#!/bin/bash
# SPDX-License-Identifier: MIT
# How fast hayate-detect reads a capture on one core. Generates large pcaps of
# minimum-size frames with bench/bench_detect.c (profiles "mixed" and "flood",
# see there), reads each with bin/hayate-detect pinned to one CPU, as a named
# file (mapped, its records walked in place) and through standard input
# (libpcap's own reading, as for pipes and pcapng), and prints
# frames per second of wall time and of CPU time (perf stat's task-clock,
# which a busy machine disturbs less). The target is 14.88 Mpps, a 10 GbE
# link of minimum-size frames.
#
#   bench/bench_detect.sh                 16M frames per profile in /tmp
#   FRAMES=4000000 PROFILES=flood READERS=mapped CPU=1 BENCH_DIR=/var/tmp KEEP=1 bench/bench_detect.sh
#   FORMAT=pcapng ...                     the same frames as pcapng
#   PERF_RECORD=1 ...                     also prints the top of a perf profile
#
# The capture files (76 bytes a frame: 1.2 GB for 16M; pcapng 92) are deleted afterwards
# unless KEEP=1, and reused if already there.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
FRAMES=${FRAMES:-16000000}
PROFILES=${PROFILES:-mixed flood}
READERS=${READERS:-mapped libpcap}
FORMAT=${FORMAT:-pcap}
CPU=${CPU:-0}
BENCH_DIR=${BENCH_DIR:-/tmp}
GEN=$BUILD/bench/bench_detect

make -s bin/hayate-detect
mkdir -p "$BUILD/bench"
if [[ ! -x $GEN || bench/bench_detect.c -nt $GEN ]]; then
	${CC:-cc} -O2 -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -iquote include -o "$GEN" \
		bench/bench_detect.c -lpcap
fi

for profile in $PROFILES; do
	file=$BENCH_DIR/bench_detect-$profile-$FRAMES.$FORMAT
	if [[ ! -s $file ]]; then
		"$GEN" "$file" "$FRAMES" "$profile"
	fi
	cat "$file" >/dev/null # from the page cache: time the reader, not the disk
	for reader in $READERS; do
		# A named file is mapped and walked in place; through standard input
		# libpcap reads it, as it reads pipes and pcapng.
		input=-
		[[ $reader != mapped ]] || input=$file
		cmd=(taskset -c "$CPU" bin/hayate-detect -q -o /dev/null -r "$input")
		err=$(mktemp)
		if command -v perf >/dev/null && perf stat -x, -e task-clock true >/dev/null 2>&1; then
			perf stat -x, -o "$err.perf" -e task-clock "${cmd[@]}" <"$file" 2>"$err"
			cpu_ms=$(grep task-clock "$err.perf" | cut -d, -f1)
		else
			"${cmd[@]}" <"$file" 2>"$err"
			cpu_ms=""
		fi
		wall=$(sed -n '1s/.* \([0-9.]*\) Mpps.*/\1/p' "$err")
		printf '%-6s %-6s %-7s %s frames: %s Mpps wall' "$profile" "$FORMAT" "$reader" "$FRAMES" "$wall"
		[[ -z $cpu_ms ]] || awk -v n="$FRAMES" -v ms="$cpu_ms" \
			'BEGIN { printf ", %.2f Mpps of CPU time (%.1f ns a frame)", n / ms / 1000, ms * 1e6 / n }'
		echo " on CPU $CPU; target 14.88"
		[[ $reader != mapped ]] || sed -n '2,3s/^/    /p' "$err"
		if [[ ${PERF_RECORD:-0} = 1 ]]; then
			perf record -q -e cpu-clock -o "$err.data" "${cmd[@]}" <"$file" 2>/dev/null
			perf report -i "$err.data" --no-children --stdio 2>/dev/null | grep "%" | head -n 15 || true
		fi
		rm -f "$err" "$err.perf" "$err.data"
	done
	[[ ${KEEP:-0} = 1 ]] || rm -f "$file"
done
