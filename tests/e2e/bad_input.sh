#!/bin/bash
# SPDX-License-Identifier: MIT
# Bad input, row by row: each must exit 2 with exactly one line on stderr,
# "hayate: ...", naming the problem, and print nothing on stdout. Runs in a
# namespace with nothing but lo (no route), so even a hayate that ignored its
# input could send nothing anywhere. BAD_INPUT_TABLE=1 prints the README's
# table (input | exit | message) from the actual runs.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=netns.sh
source "$(dirname "$0")/netns.sh"

e2e_require_root
e2e_require_hayate
e2e_begin
NS="hb-$$"
e2e_netns_add "$NS"
T=$E2E_TMP
: >"$T/empty.txt"
printf '# only comments\n\n   # and blanks\n' >"$T/comments.txt"
# The start of an ELF binary: what -iL gets when a program is named by mistake.
printf '\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0\x3e\0' >"$T/garbage.bin"
printf '198.18.0.1\n198.18.0.0/16\n10.0.0.300\n' >"$T/badline.txt"
printf 'open tcp 22 198.18.0.1\n' >"$T/notbinary.txt"
checks=0 table=""

# bad LABEL PATTERN ARGS...: hayate ARGS exits 2, one stderr line with PATTERN.
bad()
{
	local label=$1 pattern=$2 lines msg cmd
	shift 2
	hayate_run "$NS" "$T/out" "$T/err" "$@"
	lines=$(wc -l <"$T/err")
	msg=$(head -n 1 "$T/err")
	((HY_RC == 2)) || e2e_fail "$label: exit $HY_RC, want 2: $msg"
	((lines == 1)) || e2e_fail "$label: $lines lines on stderr, want 1: $(tr '\n' '|' <"$T/err")"
	[[ $msg == "hayate: "* ]] || e2e_fail "$label: the line does not start with 'hayate: ': $msg"
	grep -qF -- "$pattern" "$T/err" || e2e_fail "$label: no '$pattern' in: $msg"
	[[ ! -s $T/out ]] || e2e_fail "$label: printed on stdout: $(head -n 1 "$T/out")"
	msg=${msg//$T\//}
	cmd=$(printf '%q ' "$@")
	cmd=${cmd//$T\//}
	cmd=${cmd//\\,/,}
	table+="| $label | \`hayate ${cmd% }\` | $HY_RC | \`${msg//|/\\|}\` |"$'\n'
	checks=$((checks + 1))
}

bad "huge range, no exclude list" "exclude" 0.0.0.0/0 -p 80
bad "a /7 (33 million addresses)" "exclude" 4.0.0.0/7 -p 80
bad "reversed address range" "reversed" 198.18.0.9-198.18.0.1 -p 80
bad "octet over 255" "not an IPv4 address" 198.18.0.300 -p 80
bad "leading zero (octal?)" "leading zero" 010.0.0.1 -p 80
bad "prefix over 32" "prefix length" 198.18.0.0/33 -p 80
bad "empty item in a target list" "empty item" 198.18.0.1,,198.18.0.2 -p 80
bad "a hostname" "not an IPv4 address" example.com -p 80
bad "everything excluded" "no targets left" 198.18.0.1 --exclude 198.18.0.0/16 -p 80
bad "no target" "no targets given" -p 80
bad "port over 65535" "65536" 198.18.0.1 -p 65536
bad "port far over 65535" "outside 0-65535" 198.18.0.1 -p 99999999999999999999
bad "reversed port range" "reversed" 198.18.0.1 -p 90-80
bad "not a port" "not a port number" 198.18.0.1 -p 8o
bad "empty port list" "empty port list" 198.18.0.1 -p ""
bad "no ports" "port" 198.18.0.1
bad "-iL empty file" "no targets in the -iL file" -iL "$T/empty.txt" -p 80
bad "-iL only comments" "no targets in the -iL file" -iL "$T/comments.txt" -p 80
bad "-iL binary garbage" "binary file" -iL "$T/garbage.bin" -p 80
bad "-iL a bad line" "badline.txt:3" -iL "$T/badline.txt" -p 80
bad "-iL missing file" "No such file" -iL "$T/nonexistent" -p 80
bad "-iL a directory" "it is a directory" -iL / -p 80
bad "--excludefile binary garbage" "binary file" 198.18.0.0/24 --excludefile "$T/garbage.bin" -p 80
bad "unknown option" "unknown option" --bogus 198.18.0.1 -p 80
bad "unknown short option" "unknown option" -Z 198.18.0.1 -p 80
bad "option without its value" "needs a value" 198.18.0.1 -p 80 --rate
bad "rate not a number" "not a number" 198.18.0.1 -p 80 --rate fast
bad "rate zero" "outside" 198.18.0.1 -p 80 --rate 0
bad "negative wait" "seconds" 198.18.0.1 -p 80 --wait -1
bad "shard beyond count" "does not exist" 198.18.0.1 -p 80 --shard 5/4
bad "too many retries" "outside" 198.18.0.1 -p 80 --retries 1000
bad "seed not a number" "whole number" 198.18.0.1 -p 80 --seed abc
bad "source port 0" "outside" 198.18.0.1 -p 80 --source-port 0
bad "bad MAC" "MAC address" 198.18.0.1 -p 80 --router-mac zz:zz:zz:zz:zz:zz
bad "unknown state" "unknown state" 198.18.0.1 -p 80 --show bogus
bad "unknown send backend" "send backend" 198.18.0.1 -p 80 --send-backend bogus
bad "interface name too long" "too long" 198.18.0.1 -p 80 -e abcdefghijklmnopqrstuvwxyz
bad "--readscan of a text file" "notbinary.txt" --readscan "$T/notbinary.txt"
bad "--resume of a missing file" "nonexistent" --resume "$T/nonexistent"
printf 'version = 0.1.0\nseed = 1\nshard = 1/1\ntotal = 4\nnext = 2\narg = hayate\narg = --help\n' \
	>"$T/help.conf"
bad "--resume of a file holding --help" "holds --help" --resume "$T/help.conf"

if [[ ${BAD_INPUT_TABLE:-0} == 1 ]]; then
	echo "| input | command | exit | message |"
	echo "| --- | --- | --- | --- |"
	printf '%s' "$table"
fi
e2e_pass "$checks bad inputs: each exit 2 with one 'hayate:' line naming it, nothing on stdout"
