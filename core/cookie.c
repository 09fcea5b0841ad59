// SPDX-License-Identifier: MIT
/*
 * What the ISN encodes. A SYN scanner keeps no table of the probes it has
 * sent, so a reply must prove by itself that it answers one of them. The
 * sequence number of each SYN is therefore the low 32 bits of a keyed hash
 * (SipHash-2-4 under a per-scan secret) of the probe's 4-tuple. A SYN-ACK or
 * RST acknowledges seq + 1, so the receiver recomputes the hash from the
 * reply's addresses and ports and checks ack - 1 against it. Someone who does
 * not know the key cannot forge a matching ack except by a 1 in 2^32 guess,
 * and replies to other scans or to stale probes from another run fail too.
 *
 * The tuple is packed without ambiguity: the two addresses fill one 64-bit
 * word and the two ports the low 32 bits of the other, so no two distinct
 * tuples give the same input. The remaining hash bits feed the IP ID (see
 * cookie_ip_id()), which makes it vary per probe at no extra cost.
 */
#include "cookie.h"

uint64_t cookie_hash(const struct cookie_key *key, uint32_t src_ip, uint32_t dst_ip,
		     uint16_t src_port, uint16_t dst_port)
{
	uint64_t addrs = (uint64_t)src_ip << 32 | dst_ip;
	uint64_t ports = (uint64_t)src_port << 16 | dst_port;

	return siphash24_2u64(&key->sk, addrs, ports);
}

bool cookie_check_ack(const struct cookie_key *key, uint32_t src_ip, uint32_t dst_ip,
		      uint16_t src_port, uint16_t dst_port, uint32_t ack)
{
	return cookie_ack_matches(cookie_hash(key, src_ip, dst_ip, src_port, dst_port), ack);
}
