// SPDX-License-Identifier: MIT
/*
 * route_probe: prints what route_lookup() and route_next_hop_mac() find for one
 * address, as key=value pairs on one line, so tests/e2e/route.sh can compare
 * them with `ip route get` and `ip link`. Errors go to stderr; exit 1.
 * Usage: route_probe [-i IFNAME] [-t TIMEOUT_MS] [-n] ADDRESS   (-n: no next hop)
 */
#include <arpa/inet.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "route.h"

static const char *ip_str(uint32_t addr, char buf[INET_ADDRSTRLEN])
{
	struct in_addr in = {.s_addr = htonl(addr)};

	return inet_ntop(AF_INET, &in, buf, INET_ADDRSTRLEN);
}

static void print_mac(const char *key, const uint8_t m[6])
{
	printf(" %s=%02x:%02x:%02x:%02x:%02x:%02x", key, m[0], m[1], m[2], m[3], m[4], m[5]);
}

int main(int argc, char **argv)
{
	const char *ifname = NULL;
	int timeout_ms = 1000, opt;
	bool want_mac = true;
	struct route_info ri;
	struct errmsg err;
	struct in_addr dst;
	char a[INET_ADDRSTRLEN], b[INET_ADDRSTRLEN];
	uint8_t mac[6];

	while ((opt = getopt(argc, argv, "i:t:n")) != -1) {
		if (opt == 'i')
			ifname = optarg;
		else if (opt == 't')
			timeout_ms = atoi(optarg);
		else if (opt == 'n')
			want_mac = false;
		else
			return 2;
	}
	if (optind != argc - 1 || inet_pton(AF_INET, argv[optind], &dst) != 1) {
		fprintf(stderr, "usage: route_probe [-i IFNAME] [-t TIMEOUT_MS] [-n] ADDRESS\n");
		return 2;
	}
	if (route_lookup(ntohl(dst.s_addr), ifname, &ri, &err) < 0) {
		fprintf(stderr, "route_probe: %s\n", err.text);
		return 1;
	}
	printf("ifname=%s ifindex=%d loopback=%d src=%s gw=%s mtu=%u", ri.ifname, ri.ifindex,
	       ri.is_loopback, ip_str(ri.src_ip, a), ip_str(ri.gateway, b), ri.mtu);
	print_mac("src_mac", ri.src_mac);
	if (want_mac) {
		if (route_next_hop_mac(&ri, ntohl(dst.s_addr), timeout_ms, mac, &err) < 0) {
			printf("\n");
			fprintf(stderr, "route_probe: %s\n", err.text);
			return 1;
		}
		print_mac("next_hop_mac", mac);
	}
	printf("\n");
	return 0;
}
