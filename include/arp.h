/* SPDX-License-Identifier: MIT */
/*
 * ARP for IPv4 over Ethernet (RFC 826): build a broadcast who-has and
 * recognise the matching is-at. Kept apart from core/route.c, which owns the
 * socket, so the byte layout is tested without a network. Pure: no I/O.
 * Addresses are host order; frames are wire order.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define ARP_FRAME_BYTES 42 /* Ethernet header + 28-byte ARP payload, before padding */

/*
 * Writes into frame (ARP_FRAME_BYTES bytes) a broadcast request asking who
 * has target_ip, from src_mac/src_ip. Returns ARP_FRAME_BYTES.
 */
unsigned arp_build_request(uint8_t *frame, const uint8_t src_mac[6], uint32_t src_ip,
			   uint32_t target_ip);

/*
 * True if the len bytes at frame are an Ethernet ARP reply that says where
 * sender_ip is; then stores the sender's hardware address in mac.
 */
bool arp_parse_reply(const uint8_t *frame, unsigned len, uint32_t sender_ip, uint8_t mac[6]);
