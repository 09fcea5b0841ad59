#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# Installs hayate's build and test dependencies from Debian packages.
# Quiet and idempotent: skips apt entirely when everything is present.
set -euo pipefail
pkgs=(build-essential pkg-config libpcap-dev liburing-dev libjemalloc-dev libcmocka-dev
      libbenchmark-dev libxdp-dev iproute2 nftables ethtool tcpdump nmap clang libbpf-dev masscan zmap
      libclang-rt-14-dev valgrind jq libxml2-utils ndiff xsltproc dnsmasq-base snmpd)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p")
done
[ ${#missing[@]} = 0 ] && exit 0
sudo=""
[ "$(id -u)" = 0 ] || sudo=sudo
echo "installing: ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}" >/dev/null
