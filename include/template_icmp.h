/* SPDX-License-Identifier: MIT */
/*
 * The ICMP echo request for host discovery (--ping, -sn): Ethernet, IPv4 and
 * an 8-byte ICMP header with no data. The cookie rides in the identifier and
 * sequence number, which every echo reply returns unchanged, so a reply
 * proves itself as a SYN-ACK does. Pure: no I/O.
 */
#pragma once

#include <stdint.h>

#include "cookie.h"
#include "template.h"

#define ICMP_ECHO_FRAME_BYTES (ETH_HDR_BYTES + IPV4_HDR_MIN + ICMP_HDR_BYTES)
#define ICMP_ECHO_REQUEST     8
#define ICMP_ECHO_REPLY	      0

struct template_icmp {
	uint8_t frame[ICMP_ECHO_FRAME_BYTES]; /* per-probe fields and checksums zero */
};

/* The echo cookie for a target: a keyed hash of our address and the target's. */
static inline uint64_t template_icmp_cookie(const struct cookie_key *key, uint32_t src_ip,
					    uint32_t dst_ip)
{
	return cookie_hash(key, src_ip, dst_ip, 0, 0);
}

/* The identifier and sequence number an echo with this cookie carries. */
static inline uint16_t template_icmp_id(uint64_t cookie)
{
	return (uint16_t)(cookie >> 16);
}

static inline uint16_t template_icmp_seq(uint64_t cookie)
{
	return (uint16_t)cookie;
}

/* Builds the template from params (MACs, source address, TTL). */
void template_icmp_init(struct template_icmp *t, const struct template_params *params);

/*
 * Writes a complete echo request to dst_ip (host order) with this cookie into
 * frame (ICMP_ECHO_FRAME_BYTES bytes), both checksums included. Returns the length.
 */
uint16_t template_icmp_write(const struct template_icmp *t, uint8_t *frame, uint32_t dst_ip,
			     uint64_t cookie);
