#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The generator alone: permutation, cookie, template fill and checksums, sent
# into the null backend (--offline). Prints ns per probe (wall clock, one
# core), instructions per probe (callgrind, exact and repeatable: the
# difference between two runs of different sizes, so start-up cancels out),
# and the RSS of a /8 x 16 ports scan, which must not grow with the target set.
# Sends no packet. Usage: bench/pipeline.sh   (needs valgrind for instructions)
set -euo pipefail
cd "$(dirname "$0")/.."
[ -n "${NOBUILD:-}" ] || make -s bin/hayate
H=bin/hayate
gen() { "$H" "$@" --offline --rate 1G -q --seed 1 2>&1 | sed -n 's/.*probes sent in \([0-9.]*\) s (\([0-9]*\) pps).*/\1 \2/p'; }

echo "generator speed (11.0.0.0/12 x 16 ports = 16.8M probes, best of 3):"
best=0
for _ in 1 2 3; do
	read -r secs pps < <(gen 11.0.0.0/12 -p 1-16)
	if ((pps > best)); then best=$pps; fi
done
awk -v p="$best" 'BEGIN { printf "  %.1f Mprobes/s = %.1f ns per probe\n", p / 1e6, 1e9 / p }'

if command -v valgrind >/dev/null; then
	ir() {
		local out
		out=$(mktemp)
		valgrind --tool=callgrind --callgrind-out-file="$out" "$H" "$@" --offline \
			--rate 1G -q --seed 1 >/dev/null 2>&1
		awk '/^summary:/ { print $2 }' "$out"
		rm -f "$out"
	}
	small=$(ir 11.0.0.0/16 -p 1-16)  # 1,048,576 probes
	large=$(ir 11.0.0.0/14 -p 1-16)  # 4,194,304 probes
	awk -v a="$small" -v b="$large" 'BEGIN { printf "instructions per probe: %.1f (callgrind, %d - %d over 3,145,728 probes)\n", (b - a) / 3145728, b, a }'
else
	echo "instructions per probe: skipped (no valgrind)"
fi

rss=$( { /usr/bin/time -f '%M' "$H" 12.0.0.0/8 --excludefile /dev/null -p 1-16 --offline \
	--rate 1G -q --shard 1/16 >/dev/null; } 2>&1 | tail -n 1)
echo "RSS of a /8 x 16 ports scan (shard 1/16 of it; the state is the same): ${rss} KB"
