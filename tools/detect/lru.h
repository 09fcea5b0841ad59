/* SPDX-License-Identifier: MIT */
/*
 * A fixed-size table of fixed-size entries with least-recently-used eviction
 * per bucket: the detector's only kind of memory. Every table is sized once,
 * at setup, so memory is bounded however many sources, hosts or attempts the
 * traffic holds; a new key that finds its bucket full replaces the entry in
 * it that was used longest ago. Entries used more than once within the last
 * protect_ms go last, so a flood of spoofed one-packet sources evicts its
 * own kind rather than a real scanner's state. Keys are 64-bit and hashed
 * with a secret seed, so spoofed traffic cannot aim at one bucket. Pure.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ways.h"

#define LRU_WAYS WAYS

/* One cache line: per way, a 24-bit tag and 8-bit use count (0 = empty), and a last-use time. */
struct lru_bucket {
	uint32_t tag_uses[LRU_WAYS];
	uint32_t used_ms[LRU_WAYS];
};

struct lru {
	struct lru_bucket *buckets;
	uint8_t *entries; /* nbuckets * LRU_WAYS entries of entry_bytes, each starting with its key
			   */
	size_t entry_bytes;
	uint64_t mask;	     /* nbuckets - 1 */
	uint32_t protect_ms; /* entries used twice within this go last; 0: plain LRU */
	uint64_t seed;
	uint64_t evictions; /* live entries replaced by a new key */
};

/*
 * Allocates a table of at least capacity entries (rounded up to a power of two
 * buckets of LRU_WAYS), each entry_bytes long (a multiple of 8, at least 8)
 * and starting with a uint64_t key that the table owns; or, entry_bytes 0, a
 * set of keys for lru_touch() alone. protect_ms is the eviction protection
 * above (0 for none). Returns 0, -EINVAL or -ENOMEM.
 */
int lru_init(struct lru *t, uint64_t capacity, size_t entry_bytes, uint32_t protect_ms,
	     uint64_t seed);
/* Frees the table; safe to call twice or after a failed lru_init(). */
void lru_free(struct lru *t);
/* The bytes lru_init() allocates for these arguments. */
size_t lru_bytes(uint64_t capacity, size_t entry_bytes);
/* The number of entries a table holds. */
uint64_t lru_capacity(const struct lru *t);

/* Returns the entry for key, marked used at now_ms, or NULL. Never allocates. */
void *lru_find(struct lru *t, uint64_t key, uint32_t now_ms);
/*
 * Returns the entry for key, marked used at now_ms; if there is none, takes a
 * slot in key's bucket (empty, else the least recently used unprotected one,
 * else the least recently used), sets its key and sets *is_new: the rest of a
 * new entry is the evicted one's, for the caller to initialise. Never fails
 * and never allocates.
 */
void *lru_get(struct lru *t, uint64_t key, uint32_t now_ms, bool *is_new);
/* lru_get() of a key whose hash lru_prefetch() returned. */
void *lru_get_hashed(struct lru *t, uint64_t h, uint64_t key, uint32_t now_ms, bool *is_new);
/*
 * For a table of entry_bytes 0: marks key used at now_ms, inserting it as
 * lru_get() would, and returns true if it was not there.
 */
bool lru_touch(struct lru *t, uint64_t key, uint32_t now_ms);
/* Empties the slot of an entry returned by lru_find() or lru_get(). */
void lru_remove(struct lru *t, void *entry);
/* Prefetches key's bucket, for a lookup a few packets later; returns key's hash. */
uint64_t lru_prefetch(const struct lru *t, uint64_t key);
/*
 * The second stage, once the bucket lru_prefetch() fetched for hash h has
 * arrived: prefetches the entry a lookup of that key will read or, if it will
 * insert (may_insert) and the key is missing, reserves a way for it and
 * prefetches that. The reserved way (evicting what it held) is the key's at
 * its lru_get() or lru_touch(); lru_find() does not see it. Returns true if
 * the key's tag is there: the key probably is. Taking the hash, not the key,
 * spares hashing each key a third time.
 */
bool lru_prepare(struct lru *t, uint64_t h, bool may_insert, uint32_t now_ms);
