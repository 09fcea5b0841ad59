/* SPDX-License-Identifier: MIT */
/*
 * Network setup, done once before a scan: ask the kernel (rtnetlink) which
 * interface, source address and gateway it would use for a target, then find
 * the Ethernet address of the next hop, from the neighbour table or by an ARP
 * who-has of our own. Setup only: nothing here runs per packet. Addresses are
 * host order; errors fill a struct errmsg with one line that names the fix.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include "errmsg.h"

#define ROUTE_IFNAME_MAX 16 /* IFNAMSIZ */

struct route_info {
	char ifname[ROUTE_IFNAME_MAX];
	int ifindex;
	bool is_loopback;
	uint32_t src_ip;  /* host order */
	uint32_t gateway; /* host order; 0 if the target is on-link */
	uint8_t src_mac[6];
	unsigned mtu;
};

/*
 * Fills out with the kernel's route to dst_ip (host order), forced through
 * interface ifname if that is not NULL, and the interface's MAC, MTU and
 * loopback flag. Thread-safe (keeps no state); blocks for one netlink round
 * trip. Returns 0, or -errno with err set: -ENETUNREACH "no route to X",
 * -ENODEV "interface 'X' does not exist", -ENETDOWN "interface 'X' is down"
 * (or "... is down (no carrier)"), -EADDRNOTAVAIL "interface 'X' has no IPv4
 * address (use --source-ip)", after which every field but src_ip is filled.
 */
int route_lookup(uint32_t dst_ip, const char *ifname, struct route_info *out, struct errmsg *err);

/*
 * Stores in mac the Ethernet address of the next hop towards dst_ip (host
 * order): ri->gateway, or dst_ip itself when on-link; all zeros on loopback.
 * Uses a usable neighbour-table entry if there is one, else sends ARP who-has
 * from ri->src_ip/src_mac and waits up to timeout_ms for the answer (needs
 * CAP_NET_RAW). Returns 0, or -errno with err set (-EHOSTUNREACH when no reply).
 */
int route_next_hop_mac(const struct route_info *ri, uint32_t dst_ip, int timeout_ms, uint8_t mac[6],
		       struct errmsg *err);
