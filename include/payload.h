/* SPDX-License-Identifier: MIT */
/*
 * UDP probe payloads. A UDP service answers only a datagram it understands,
 * so each well-known port gets a real request: a DNS query (53), an NTP
 * client packet (123), a NetBIOS name query (137), an SNMPv2c get of
 * sysDescr.0 with community "public" (161), an SSDP M-SEARCH (1900) and a
 * memcached "stats" (11211); every other port gets an empty datagram.
 *
 * The cookie rides in the source port (for every port) and, where the
 * protocol echoes a field back, in that field too: the DNS, NetBIOS and
 * memcached IDs, the SNMP request-id and the NTP transmit timestamp (which
 * the server returns as its origin timestamp). A reply then proves itself
 * twice. payload_reply_matches() checks the echoed field. Pure: no I/O.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cookie.h"

/* The largest payload payload_build() writes. */
#define PAYLOAD_MAX_BYTES 128

enum payload_kind {
	PAYLOAD_EMPTY = 0,
	PAYLOAD_DNS,	   /* 53: version.bind CH TXT; the ID carries the cookie */
	PAYLOAD_NTP,	   /* 123: mode 3; the transmit timestamp carries it */
	PAYLOAD_NETBIOS,   /* 137: NBSTAT query for "*"; the transaction ID */
	PAYLOAD_SNMP,	   /* 161: v2c get sysDescr.0, community public; the request-id */
	PAYLOAD_SSDP,	   /* 1900: M-SEARCH ssdp:all; nothing echoed */
	PAYLOAD_MEMCACHED, /* 11211: "stats" behind the UDP frame header; the request ID */
};

/* The payload sent to a port. */
enum payload_kind payload_kind_of(uint16_t port);

/* The UDP cookie: a keyed hash of our address, the target and its port. */
static inline uint64_t payload_cookie(const struct cookie_key *key, uint32_t src_ip,
				      uint32_t dst_ip, uint16_t dst_port)
{
	/* Source port 0 in the hash: the source port is derived from it, not part of it. */
	return cookie_hash(key, src_ip, dst_ip, 0, dst_port);
}

/* The source port a UDP probe with this cookie leaves from, in [first, last]. */
static inline uint16_t payload_src_port(uint64_t cookie, uint16_t first, uint16_t last)
{
	return (uint16_t)(first + (cookie >> 32) % ((uint32_t)last - first + 1));
}

/*
 * Writes the payload for dst_port with cookie into buf (PAYLOAD_MAX_BYTES) and
 * returns its length (0 for an empty datagram).
 */
size_t payload_build(uint16_t dst_port, uint64_t cookie, uint8_t *buf);

/* The length payload_build() gives dst_port (to check ICMP-quoted UDP lengths). */
size_t payload_len(uint16_t dst_port);

/*
 * True if a reply payload (len bytes) from dst_port echoes the cookie where
 * its protocol echoes one, or if the protocol echoes nothing. Never reads
 * past len; a reply too short to hold the echoed field does not match.
 */
bool payload_reply_matches(uint16_t dst_port, uint64_t cookie, const uint8_t *reply, size_t len);
