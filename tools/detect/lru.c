// SPDX-License-Identifier: MIT
/*
 * The table is an array of buckets and a parallel array of entries. A key's
 * 64-bit hash picks the bucket (low bits) and a 24-bit tag (high bits, with
 * the lowest bit set so that a tag is never 0). Each way of a bucket keeps
 * tag << 8 | uses, uses counting lookups up to 255, so a way word of 0 is an
 * empty way. A lookup reads one bucket line, compares eight tags, and reads
 * an entry only when its tag matches, to confirm the full key.
 *
 * Eviction: an empty way first; then the least recently used way that is not
 * protected (used at least twice, last within protect_ms); then the least
 * recently used of all. A spoofed source sends one packet and is never
 * protected, so a flood of them only replaces its own kind; an entry that has
 * been idle for protect_ms loses its protection, so nothing is pinned.
 *
 * A table of entry_bytes 0 is a set of keys known only by their tags (24
 * bits): lru_touch() on it mistakes a new key for a present one with
 * probability at most 8 / 2^24 per call, and costs one cache line.
 *
 * Ages are compared as (now - used) in unsigned arithmetic, so the
 * millisecond clock may wrap (every 49.7 days) without disturbing the order of
 * entries used within the last 24 days.
 */
#include "lru.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "table_mem.h"

/* Far above any real table; it only keeps the size arithmetic from overflowing. */
#define LRU_BUCKETS_MAX (1ull << 32)
#define LRU_USES_MASK	0xffu
#define LRU_USES_MAX	0xffu
#define LRU_RANK_EMPTY	0xffffffffu /* above any unprotected | age */
#define LRU_AGE_MAX	0x7ffffffeu /* ages are compared up to 24 days */
/* Of a large entry (a set) only the first lines are fetched ahead: what a small threshold uses. */
#define LRU_PREFETCH_BYTES 256

static uint64_t lru_hash(const struct lru *t, uint64_t key)
{
	key ^= t->seed;
	key ^= key >> 33;
	key *= 0xff51afd7ed558ccdull;
	key ^= key >> 33;
	key *= 0xc4ceb9fe1a85ec53ull;
	key ^= key >> 33;
	return key;
}

/* A key's tag: the hash's top 24 bits, never 0, shifted above the use count. */
static uint32_t lru_tag(uint64_t h)
{
	return (uint32_t)(h >> 40 | 1) << 8;
}

static uint64_t lru_buckets_for(uint64_t capacity)
{
	uint64_t nbuckets = 1;

	while (nbuckets * LRU_WAYS < capacity && nbuckets < LRU_BUCKETS_MAX)
		nbuckets <<= 1;
	return nbuckets;
}

size_t lru_bytes(uint64_t capacity, size_t entry_bytes)
{
	uint64_t nbuckets = lru_buckets_for(capacity);

	return nbuckets * (sizeof(struct lru_bucket) + LRU_WAYS * entry_bytes);
}

uint64_t lru_capacity(const struct lru *t)
{
	return (t->mask + 1) * LRU_WAYS;
}

int lru_init(struct lru *t, uint64_t capacity, size_t entry_bytes, uint32_t protect_ms,
	     uint64_t seed)
{
	uint64_t nbuckets = lru_buckets_for(capacity);

	memset(t, 0, sizeof(*t));
	if ((entry_bytes && entry_bytes < sizeof(uint64_t)) || entry_bytes % sizeof(uint64_t))
		return -EINVAL;
	/* Buckets are exactly one cache line; aligning them keeps a lookup to one miss. */
	t->buckets = table_mem_alloc(nbuckets * sizeof(struct lru_bucket));
	/* Entries of 64 bytes (or 32) then never straddle two cache lines. */
	if (entry_bytes)
		t->entries = table_mem_alloc(nbuckets * LRU_WAYS * entry_bytes);
	if (!t->buckets || (entry_bytes && !t->entries)) {
		lru_free(t);
		return -ENOMEM;
	}
	t->entry_bytes = entry_bytes;
	t->mask = nbuckets - 1;
	t->protect_ms = protect_ms;
	t->seed = seed;
	return 0;
}

void lru_free(struct lru *t)
{
	free(t->buckets);
	free(t->entries);
	t->buckets = NULL;
	t->entries = NULL;
	t->mask = 0;
}

static uint8_t *lru_entry(const struct lru *t, uint64_t bucket, unsigned way)
{
	return t->entries + (bucket * LRU_WAYS + way) * t->entry_bytes;
}

/*
 * The way holding key in bucket, marked used, or -1. A way reserved for its
 * tag (lru_prepare()) is key's too if take_reserved: it is then marked used
 * once, and *reserved set, for the caller to make it key's entry.
 */
static int lru_lookup(struct lru *t, uint64_t bucket, uint32_t tag, uint64_t key, uint32_t now_ms,
		      bool take_reserved, bool *reserved)
{
	struct lru_bucket *b = &t->buckets[bucket];

	for (unsigned m = ways_match(b->tag_uses, ~LRU_USES_MASK, tag); m; m &= m - 1) {
		unsigned way = (unsigned)__builtin_ctz(m);
		uint32_t w = b->tag_uses[way];

		*reserved = (w & LRU_USES_MASK) == 0;
		if (*reserved ? !take_reserved
			      : t->entries && *(uint64_t *)lru_entry(t, bucket, way) != key)
			continue;
		if ((w & LRU_USES_MASK) < LRU_USES_MAX)
			b->tag_uses[way] = w + 1;
		b->used_ms[way] = now_ms;
		return (int)way;
	}
	*reserved = false;
	return -1;
}

void *lru_find(struct lru *t, uint64_t key, uint32_t now_ms)
{
	uint64_t h = lru_hash(t, key);
	uint64_t bucket = h & t->mask;
	bool reserved;
	int way = lru_lookup(t, bucket, lru_tag(h), key, now_ms, false, &reserved);

	return way < 0 ? NULL : lru_entry(t, bucket, (unsigned)way);
}

/*
 * Eviction order as a number, higher first: an empty way above all, then
 * unprotected ways (top bit set), each kind oldest first. Ages beyond 24 days
 * count as 24 days.
 */
static uint32_t lru_victim_rank(const struct lru *t, uint32_t w, uint32_t used_ms, uint32_t now_ms)
{
	uint32_t age = now_ms - used_ms;
	/* & rather than &&: the outcome is data, and a branch on it mispredicts. */
	uint32_t is_protected = ((w & LRU_USES_MASK) >= 2) & (age < t->protect_ms);
	uint32_t rank = (age < LRU_AGE_MAX ? age : LRU_AGE_MAX) | (is_protected ^ 1) << 31;

	return w ? rank : LRU_RANK_EMPTY;
}

/* The way of b a new key would take: the highest rank and, among equals, the last way. */
static unsigned lru_victim(const struct lru *t, const struct lru_bucket *b, uint32_t now_ms)
{
	uint32_t ranks[LRU_WAYS];

	/* Without a branch, so that the compiler ranks the eight ways at once. */
	for (unsigned w = 0; w < LRU_WAYS; w++)
		ranks[w] = lru_victim_rank(t, b->tag_uses[w], b->used_ms[w], now_ms);
	return ways_argmax(ranks);
}

/* Takes a way of bucket for tag, with uses, evicting what it held. */
static unsigned lru_claim(struct lru *t, uint64_t bucket, uint32_t tag, uint32_t uses,
			  uint32_t now_ms)
{
	struct lru_bucket *b = &t->buckets[bucket];
	unsigned victim = lru_victim(t, b, now_ms);

	if (b->tag_uses[victim])
		t->evictions++;
	b->tag_uses[victim] = tag | uses;
	b->used_ms[victim] = now_ms;
	return victim;
}

void *lru_get(struct lru *t, uint64_t key, uint32_t now_ms, bool *is_new)
{
	return lru_get_hashed(t, lru_hash(t, key), key, now_ms, is_new);
}

void *lru_get_hashed(struct lru *t, uint64_t h, uint64_t key, uint32_t now_ms, bool *is_new)
{
	uint64_t bucket = h & t->mask;
	uint32_t tag = lru_tag(h);
	int way = lru_lookup(t, bucket, tag, key, now_ms, true, is_new);
	uint8_t *e;

	if (way < 0) {
		way = (int)lru_claim(t, bucket, tag, 1, now_ms);
		*is_new = true;
	}
	e = lru_entry(t, bucket, (unsigned)way);
	if (*is_new)
		*(uint64_t *)e = key;
	return e;
}

bool lru_touch(struct lru *t, uint64_t key, uint32_t now_ms)
{
	uint64_t h = lru_hash(t, key);
	uint64_t bucket = h & t->mask;
	uint32_t tag = lru_tag(h);
	bool reserved;

	if (lru_lookup(t, bucket, tag, key, now_ms, true, &reserved) >= 0)
		return reserved;
	lru_claim(t, bucket, tag, 1, now_ms);
	return true;
}

void lru_remove(struct lru *t, void *entry)
{
	uint64_t idx = (uint64_t)((uint8_t *)entry - t->entries) / t->entry_bytes;

	t->buckets[idx / LRU_WAYS].tag_uses[idx % LRU_WAYS] = 0;
}

uint64_t lru_prefetch(const struct lru *t, uint64_t key)
{
	uint64_t h = lru_hash(t, key);

	__builtin_prefetch(&t->buckets[h & t->mask]);
	return h;
}

/*
 * The second stage, once the bucket has arrived. A key that is there has its
 * entry fetched. A key that is not, and that the lookup will insert, gets its
 * way now: it is reserved for the key's tag (uses 0, which no lookup but an
 * inserting one takes), so that the victim is chosen once, here, and its
 * entry fetched for writing: entries are written as often as read (a new
 * source or set), and a store that misses holds up the stores behind it.
 */
bool lru_prepare(struct lru *t, uint64_t h, bool may_insert, uint32_t now_ms)
{
	uint64_t bucket = h & t->mask;
	uint32_t tag = lru_tag(h);
	size_t bytes = t->entry_bytes < LRU_PREFETCH_BYTES ? t->entry_bytes : LRU_PREFETCH_BYTES;
	unsigned matches = ways_match(t->buckets[bucket].tag_uses, ~LRU_USES_MASK, tag);
	unsigned way;
	const uint8_t *e;

	if (matches)
		way = (unsigned)__builtin_ctz(matches);
	else if (may_insert)
		way = lru_claim(t, bucket, tag, 0, now_ms);
	else
		return false; /* a find that will miss reads no entry */
	e = lru_entry(t, bucket, way);
	for (size_t off = 0; off < bytes; off += 64)
		__builtin_prefetch(e + off, 1);
	return matches;
}
