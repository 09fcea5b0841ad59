/* SPDX-License-Identifier: MIT */
/*
 * A keyed pseudo-random bijection on [0, n) for any n from 1 to 2^48: a
 * Feistel network (unbalanced when the width is odd) on the smallest bit
 * width that covers n, with cycle walking to stay inside [0, n). Walking position k = 0, 1, 2, ...
 * and mapping it through permute_at() visits every index exactly once in an order that looks
 * random, while storing nothing per index. Sharding takes every N-th position, so shards are
 * disjoint and together cover everything. Pure: the key comes from the caller.
 */
#pragma once

#include <stdint.h>

#define PERMUTE_MAX    (1ULL << 48)
#define PERMUTE_ROUNDS 4 /* even: rounds go in pairs */

struct permute {
	uint64_t n;		   /* domain size */
	unsigned hi_bits, lo_bits; /* widths of the left and right parts; differ by at most 1 */
	uint64_t lo_mask;
	uint64_t keys[PERMUTE_ROUNDS]; /* per-round keys derived from the seed */
};

/* Prepares a bijection on [0, n), 1 <= n <= PERMUTE_MAX, keyed by seed. */
void permute_init(struct permute *p, uint64_t n, uint64_t seed);

/* The image of position k (k < p->n); the same (n, seed) always gives the same image. */
uint64_t permute_at(const struct permute *p, uint64_t k);

/*
 * Positions of shard i of count (0 <= i < count) are k = i, i + count, ...;
 * this returns how many of them lie below n.
 */
uint64_t permute_shard_size(uint64_t n, uint64_t shard, uint64_t count);
