/* SPDX-License-Identifier: MIT */
/*
 * SYN cookies: the sequence number of each probe is a keyed hash of its
 * 4-tuple, so a reply proves it answers a probe we sent (its ack minus one
 * equals the cookie) without any per-target state. The key is random per
 * scan, or derived from --seed. The hash's other bits vary the IP ID.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include "siphash.h"

struct cookie_key {
	struct siphash_key sk;
};

/* 64 keyed bits of the probe's 4-tuple (host order); low 32 bits are the ISN. */
uint64_t cookie_hash(const struct cookie_key *key, uint32_t src_ip, uint32_t dst_ip,
		     uint16_t src_port, uint16_t dst_port);

/* The sequence number we send in the SYN for this 4-tuple. */
static inline uint32_t cookie_seq(uint64_t hash)
{
	return (uint32_t)hash;
}

/* The IP ID we send: other bits of the same hash, so it varies per probe but is reproducible. */
static inline uint16_t cookie_ip_id(uint64_t hash)
{
	return (uint16_t)(hash >> 48);
}

/*
 * True if ack acknowledges a SYN whose cookie hash is hash: ack - 1 == seq modulo
 * 2^32, so an ack of 0 answers a seq of 0xffffffff. For callers that already hold the hash.
 */
static inline bool cookie_ack_matches(uint64_t hash, uint32_t ack)
{
	return (uint32_t)(ack - 1u) == cookie_seq(hash);
}

/*
 * True if ack (from a SYN-ACK or RST sent by dst_ip:dst_port to
 * src_ip:src_port, i.e. the probe's tuple) acknowledges our SYN: ack - 1 equals
 * the cookie, modulo 2^32.
 */
bool cookie_check_ack(const struct cookie_key *key, uint32_t src_ip, uint32_t dst_ip,
		      uint16_t src_port, uint16_t dst_port, uint32_t ack);
