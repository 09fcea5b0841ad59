/* SPDX-License-Identifier: MIT */
/*
 * SipHash-2-4 (Aumasson and Bernstein, 2012): a keyed 64-bit PRF, fast on
 * short inputs, which is what a SYN cookie needs. Pure; checked against the
 * reference test vectors.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

struct siphash_key {
	uint64_t k0, k1;
};

/* SipHash-2-4 of len bytes at data under key. */
uint64_t siphash24(const struct siphash_key *key, const void *data, size_t len);

/* SipHash-2-4 of exactly two little-endian 64-bit words (16 bytes); the hot-path form. */
uint64_t siphash24_2u64(const struct siphash_key *key, uint64_t a, uint64_t b);
