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
#include <sys/mman.h>
/* SSE2, which every x86-64 has, compares a bucket's eight ways at once; LRU_SCALAR tests the rest.
 */
#if defined(__SSE2__) && !defined(LRU_SCALAR)
#define LRU_SSE2 1
#include <emmintrin.h>
#endif

/* Far above any real table; it only keeps the size arithmetic from overflowing. */
#define LRU_BUCKETS_MAX (1ull << 32)
#define LRU_USES_MASK	0xffu
#define LRU_USES_MAX	0xffu
#define LRU_RANK_EMPTY	0xffffffffu /* above any unprotected | age */
#define LRU_RANK_FREE	0x80000000u /* set in the rank of an unprotected way */
#define LRU_AGE_MAX	0x7ffffffeu /* ages are compared up to 24 days */
#define HUGE_PAGE_BYTES (2u << 20)
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

/*
 * Lookups land at random across tens of megabytes: with 4 KiB pages nearly
 * each one misses the TLB as well (a nested page walk under a hypervisor), so
 * large tables ask for transparent huge pages. Only a hint: without them the
 * table works the same, slower.
 */
static void *lru_alloc(size_t bytes)
{
	size_t align = bytes >= HUGE_PAGE_BYTES ? HUGE_PAGE_BYTES : 64;
	void *p = aligned_alloc(align, (bytes + align - 1) / align * align);

	if (p && align == HUGE_PAGE_BYTES)
		(void)madvise(p, bytes, MADV_HUGEPAGE);
	return p;
}

int lru_init(struct lru *t, uint64_t capacity, size_t entry_bytes, uint32_t protect_ms,
	     uint64_t seed)
{
	uint64_t nbuckets = lru_buckets_for(capacity);

	memset(t, 0, sizeof(*t));
	if ((entry_bytes && entry_bytes < sizeof(uint64_t)) || entry_bytes % sizeof(uint64_t))
		return -EINVAL;
	/* Buckets are exactly one cache line; aligning them keeps a lookup to one miss. */
	t->buckets = lru_alloc(nbuckets * sizeof(struct lru_bucket));
	/* Entries of 64 bytes (or 32) then never straddle two cache lines. */
	if (entry_bytes)
		t->entries = lru_alloc(nbuckets * LRU_WAYS * entry_bytes);
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

/* The ways of b whose tag is tag, as a bit mask; empty ways never match (a tag is never 0). */
static unsigned lru_tag_matches(const struct lru_bucket *b, uint32_t tag)
{
#ifdef LRU_SSE2
	const __m128i tags = _mm_set1_epi32((int)~LRU_USES_MASK), want = _mm_set1_epi32((int)tag);
	__m128i lo = _mm_load_si128((const __m128i *)b->tag_uses);
	__m128i hi = _mm_load_si128((const __m128i *)b->tag_uses + 1);

	lo = _mm_cmpeq_epi32(_mm_and_si128(lo, tags), want);
	hi = _mm_cmpeq_epi32(_mm_and_si128(hi, tags), want);
	return (unsigned)_mm_movemask_ps(_mm_castsi128_ps(lo)) |
	       (unsigned)_mm_movemask_ps(_mm_castsi128_ps(hi)) << 4;
#else
	unsigned matches = 0;

	for (unsigned way = 0; way < LRU_WAYS; way++)
		matches |= (unsigned)((b->tag_uses[way] & ~LRU_USES_MASK) == tag) << way;
	return matches;
#endif
}

/* The way holding key in bucket, marked used, or -1. */
static int lru_lookup(struct lru *t, uint64_t bucket, uint32_t tag, uint64_t key, uint32_t now_ms)
{
	struct lru_bucket *b = &t->buckets[bucket];

	for (unsigned m = lru_tag_matches(b, tag); m; m &= m - 1) {
		unsigned way = (unsigned)__builtin_ctz(m);
		uint32_t w = b->tag_uses[way];

		if (t->entries && *(uint64_t *)lru_entry(t, bucket, way) != key)
			continue;
		if ((w & LRU_USES_MASK) < LRU_USES_MAX)
			b->tag_uses[way] = w + 1;
		b->used_ms[way] = now_ms;
		return (int)way;
	}
	return -1;
}

void *lru_find(struct lru *t, uint64_t key, uint32_t now_ms)
{
	uint64_t h = lru_hash(t, key);
	uint64_t bucket = h & t->mask;
	int way = lru_lookup(t, bucket, (uint32_t)(h >> 40 | 1) << 8, key, now_ms);

	return way < 0 ? NULL : lru_entry(t, bucket, (unsigned)way);
}

#ifdef LRU_SSE2
/* The signed maximum of a and b, lane by lane (SSE2 has no pmaxsd). */
static __m128i lru_max_epi32(__m128i a, __m128i b)
{
	__m128i gt = _mm_cmpgt_epi32(a, b);

	return _mm_or_si128(_mm_and_si128(gt, a), _mm_andnot_si128(gt, b));
}

/* lru_victim_rank() of four ways at once, biased by INT32_MIN for signed comparison. */
static __m128i lru_victim_ranks(const struct lru *t, const uint32_t *tag_uses,
				const uint32_t *used_ms, uint32_t now_ms)
{
	const __m128i sign = _mm_set1_epi32(INT32_MIN);
	__m128i w = _mm_load_si128((const __m128i *)tag_uses);
	__m128i age = _mm_sub_epi32(_mm_set1_epi32((int)now_ms),
				    _mm_load_si128((const __m128i *)used_ms));
	__m128i biased_age = _mm_xor_si128(age, sign);
	__m128i young =
		_mm_cmpgt_epi32(_mm_set1_epi32((int)(t->protect_ms ^ LRU_RANK_FREE)), biased_age);
	__m128i reused =
		_mm_cmpgt_epi32(_mm_and_si128(w, _mm_set1_epi32(LRU_USES_MASK)), _mm_set1_epi32(1));
	__m128i is_protected = _mm_and_si128(young, reused);
	__m128i too_old =
		_mm_cmpgt_epi32(biased_age, _mm_set1_epi32((int)(LRU_AGE_MAX ^ LRU_RANK_FREE)));
	__m128i capped = _mm_or_si128(_mm_andnot_si128(too_old, age),
				      _mm_and_si128(too_old, _mm_set1_epi32(LRU_AGE_MAX)));
	__m128i rank = _mm_or_si128(capped, _mm_andnot_si128(is_protected, sign));

	rank = _mm_or_si128(rank, _mm_cmpeq_epi32(w, _mm_setzero_si128()));
	return _mm_xor_si128(rank, sign);
}
#endif

#ifndef LRU_SSE2
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
	uint32_t rank =
		(age < LRU_AGE_MAX ? age : LRU_AGE_MAX) | (is_protected ? 0 : LRU_RANK_FREE);

	return w ? rank : LRU_RANK_EMPTY;
}

#endif

/*
 * The way of b a new key would take: the highest rank and, among equals, the
 * last way. Ranks are computed for all ways at once and compared without a
 * branch, the outcome being data that a branch would mispredict.
 */
static unsigned lru_victim(const struct lru *t, const struct lru_bucket *b, uint32_t now_ms)
{
#ifdef LRU_SSE2
	__m128i lo = lru_victim_ranks(t, b->tag_uses, b->used_ms, now_ms);
	__m128i hi = lru_victim_ranks(t, b->tag_uses + 4, b->used_ms + 4, now_ms);
	__m128i best = lru_max_epi32(lo, hi);
	unsigned at_best;

	best = lru_max_epi32(best, _mm_shuffle_epi32(best, _MM_SHUFFLE(1, 0, 3, 2)));
	best = lru_max_epi32(best, _mm_shuffle_epi32(best, _MM_SHUFFLE(2, 3, 0, 1)));
	at_best = (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(lo, best))) |
		  (unsigned)_mm_movemask_ps(_mm_castsi128_ps(_mm_cmpeq_epi32(hi, best))) << 4;
	return 31u - (unsigned)__builtin_clz(at_best);
#else
	uint64_t worst = 0;

	/* The way rides in the low bits, so a plain maximum picks the last of equals. */
	for (unsigned w = 0; w < LRU_WAYS; w++) {
		uint64_t rank = (uint64_t)lru_victim_rank(t, b->tag_uses[w], b->used_ms[w], now_ms)
					<< LRU_WAY_BITS |
				w;

		worst = rank > worst ? rank : worst;
	}
	return (unsigned)(worst & (LRU_WAYS - 1));
#endif
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
bool lru_prefetch_entry(const struct lru *t, uint64_t h, bool may_insert, uint32_t now_ms)
{
	uint64_t bucket = h & t->mask;
	uint32_t tag = (uint32_t)(h >> 40 | 1) << 8;
	const struct lru_bucket *b = &t->buckets[bucket];
	size_t bytes = t->entry_bytes < LRU_PREFETCH_BYTES ? t->entry_bytes : LRU_PREFETCH_BYTES;
	unsigned matches, way;
	const uint8_t *e;

	matches = lru_tag_matches(b, tag);
	if (!t->entries || (!matches && !may_insert))
		return matches; /* a find that will miss reads no entry */
	way = matches ? (unsigned)__builtin_ctz(matches) : lru_victim(t, b, now_ms);
	e = lru_entry(t, bucket, way);
	for (size_t off = 0; off < bytes; off += 64)
		__builtin_prefetch(e + off, 1);
	return matches;
}
