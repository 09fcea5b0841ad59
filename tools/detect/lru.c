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

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Far above any real table; it only keeps the size arithmetic from overflowing. */
#define LRU_BUCKETS_MAX (1ull << 32)
#define LRU_USES_MASK	0xffu
#define LRU_USES_MAX	0xffu
#define LRU_RANK_EMPTY	(1ull << 33) /* above any (unprotected << 32 | age) */
#define LRU_WAY_BITS	3
/* Of a large entry (a set) only the first lines are fetched ahead: what a small threshold uses. */
#define LRU_PREFETCH_BYTES 256

static_assert(LRU_WAYS == 1 << LRU_WAY_BITS, "a way's number must fit LRU_WAY_BITS");

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
	t->buckets = aligned_alloc(64, nbuckets * sizeof(struct lru_bucket));
	/* Entries of 64 bytes (or 32) then never straddle two cache lines. */
	if (entry_bytes)
		t->entries = aligned_alloc(64, nbuckets * LRU_WAYS * entry_bytes);
	if (!t->buckets || (entry_bytes && !t->entries)) {
		lru_free(t);
		return -ENOMEM;
	}
	memset(t->buckets, 0, nbuckets * sizeof(struct lru_bucket));
	if (entry_bytes)
		memset(t->entries, 0, nbuckets * LRU_WAYS * entry_bytes);
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

/* The way holding key in bucket, marked used, or -1. */
static int lru_lookup(struct lru *t, uint64_t bucket, uint32_t tag, uint64_t key, uint32_t now_ms)
{
	struct lru_bucket *b = &t->buckets[bucket];

	for (unsigned way = 0; way < LRU_WAYS; way++) {
		uint32_t w = b->tag_uses[way];

		if ((w & ~LRU_USES_MASK) != tag)
			continue;
		if (t->entries && *(uint64_t *)lru_entry(t, bucket, way) != key)
			continue;
		if ((w & LRU_USES_MASK) < LRU_USES_MAX)
			b->tag_uses[way] = w + 1;
		b->used_ms[way] = now_ms;
		return (int)way;
	}
	return -1;
}

/* Eviction order as a number: higher goes first; an empty way above all. */
static uint64_t lru_victim_rank(const struct lru *t, const struct lru_bucket *b, unsigned way,
				uint32_t now_ms)
{
	uint32_t w = b->tag_uses[way];
	uint32_t age = now_ms - b->used_ms[way];
	/* & rather than &&: the outcome is data, and a branch on it mispredicts. */
	uint64_t is_protected = ((w & LRU_USES_MASK) >= 2) & (age < t->protect_ms);
	uint64_t rank = (1 - is_protected) << 32 | age;

	return w ? rank : LRU_RANK_EMPTY;
}

void *lru_find(struct lru *t, uint64_t key, uint32_t now_ms)
{
	uint64_t h = lru_hash(t, key);
	uint64_t bucket = h & t->mask;
	int way = lru_lookup(t, bucket, (uint32_t)(h >> 40 | 1) << 8, key, now_ms);

	return way < 0 ? NULL : lru_entry(t, bucket, (unsigned)way);
}

/* The way of b a new key would take: an empty one, else the next to evict. */
static unsigned lru_victim(const struct lru *t, const struct lru_bucket *b, uint32_t now_ms)
{
	uint64_t worst = 0;

	/*
	 * The way rides in the low bits, so a plain maximum (a conditional move,
	 * where comparing and then branching mispredicted on every other way)
	 * picks the highest rank and, among equals, the last way.
	 */
	for (unsigned w = 0; w < LRU_WAYS; w++) {
		uint64_t rank = lru_victim_rank(t, b, w, now_ms) << LRU_WAY_BITS | w;

		worst = rank > worst ? rank : worst;
	}
	return (unsigned)(worst & (LRU_WAYS - 1));
}

/* Takes a way of bucket for tag: an empty one, else the next to evict. */
static unsigned lru_claim(struct lru *t, uint64_t bucket, uint32_t tag, uint32_t now_ms)
{
	struct lru_bucket *b = &t->buckets[bucket];
	unsigned victim = lru_victim(t, b, now_ms);

	if (b->tag_uses[victim])
		t->evictions++;
	b->tag_uses[victim] = tag | 1;
	b->used_ms[victim] = now_ms;
	return victim;
}

void *lru_get(struct lru *t, uint64_t key, uint32_t now_ms, bool *is_new)
{
	uint64_t h = lru_hash(t, key);
	uint64_t bucket = h & t->mask;
	uint32_t tag = (uint32_t)(h >> 40 | 1) << 8;
	int way = lru_lookup(t, bucket, tag, key, now_ms);
	uint8_t *e;

	*is_new = way < 0;
	if (way < 0)
		way = (int)lru_claim(t, bucket, tag, now_ms);
	e = lru_entry(t, bucket, (unsigned)way);
	if (*is_new)
		*(uint64_t *)e = key;
	return e;
}

bool lru_touch(struct lru *t, uint64_t key, uint32_t now_ms)
{
	uint64_t h = lru_hash(t, key);
	uint64_t bucket = h & t->mask;
	uint32_t tag = (uint32_t)(h >> 40 | 1) << 8;

	if (lru_lookup(t, bucket, tag, key, now_ms) >= 0)
		return false;
	lru_claim(t, bucket, tag, now_ms);
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
 * The second stage, once the bucket has arrived: the entry a lookup of the
 * key lru_prefetch() hashed to h will read (its tag's way) or, if it may insert, write (the way it
 * would claim). Entries are written as often as read (a new source, attempt or set), and a store
 * that misses holds up the stores behind it; fetching the line for writing first takes that off the
 * frame's path. A guess gone stale wastes only the fetch.
 */
void lru_prefetch_entry(const struct lru *t, uint64_t h, bool may_insert, uint32_t now_ms)
{
	uint64_t bucket = h & t->mask;
	uint32_t tag = (uint32_t)(h >> 40 | 1) << 8;
	const struct lru_bucket *b = &t->buckets[bucket];
	size_t bytes = t->entry_bytes < LRU_PREFETCH_BYTES ? t->entry_bytes : LRU_PREFETCH_BYTES;
	unsigned way = LRU_WAYS;
	const uint8_t *e;

	if (!t->entries)
		return;
	for (unsigned w = 0; w < LRU_WAYS && way == LRU_WAYS; w++)
		if ((b->tag_uses[w] & ~LRU_USES_MASK) == tag)
			way = w;
	if (way == LRU_WAYS && !may_insert)
		return; /* a find that will miss reads no entry */
	if (way == LRU_WAYS)
		way = lru_victim(t, b, now_ms);
	e = lru_entry(t, bucket, way);
	for (size_t off = 0; off < bytes; off += 64)
		__builtin_prefetch(e + off, 1);
}
