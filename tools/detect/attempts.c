// SPDX-License-Identifier: MIT
/*
 * The ring holds the attempts themselves, written in SYN order: a SYN costs
 * one write at the ring's head, which the hardware streams, and finding what
 * timed out reads the ring's tail in order, touching nothing else.
 *
 * The index maps a 4-tuple to the serial of its attempt. A tuple's 64-bit
 * hash picks a bucket (low bits) and a 32-bit tag (high bits, never 0, which
 * marks an empty way). A lookup compares the bucket's eight tags at once and
 * confirms a match in the ring: the slot must still hold that serial (a ring
 * that wrapped has reused it), the same tuple, and an open attempt. A full
 * bucket gives its oldest way (the lowest serial) to a new attempt; with
 * twice as many ways as the ring has slots, and closed attempts emptying
 * theirs, an index entry outlives its ring slot in all but the busiest
 * buckets.
 */
#include "attempts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "table_mem.h"

#define ATTEMPTS_MAX	     (1ull << 31)
#define ATTEMPTS_INDEX_LOAD  2		/* index ways per ring slot */
#define ATTEMPTS_WRITE_AHEAD 8		/* ring slots fetched for writing ahead of the head */
#define ANSWERED_SLOTS	     (1u << 18) /* counters of answered attempts, by hash */
#define ANSWERED_SHIFT	     20		/* above the index's bucket bits, below the tag's */

static uint64_t attempts_ring_size(uint64_t capacity)
{
	uint64_t size = WAYS;

	while (size < capacity && size < ATTEMPTS_MAX)
		size <<= 1;
	return size;
}

size_t attempts_bytes(uint64_t capacity)
{
	uint64_t size = attempts_ring_size(capacity);

	return size * sizeof(struct attempt) +
	       size * ATTEMPTS_INDEX_LOAD / WAYS * sizeof(struct attempt_bucket) + ANSWERED_SLOTS;
}

uint64_t attempts_capacity(const struct attempts *a)
{
	return (uint64_t)a->ring_mask + 1;
}

int attempts_init(struct attempts *a, uint64_t capacity, uint64_t seed)
{
	uint64_t size = attempts_ring_size(capacity);
	uint64_t buckets = size * ATTEMPTS_INDEX_LOAD / WAYS;

	memset(a, 0, sizeof(*a));
	a->ring = table_mem_alloc(size * sizeof(struct attempt));
	a->index = table_mem_alloc(buckets * sizeof(struct attempt_bucket));
	a->answered = table_mem_alloc(ANSWERED_SLOTS);
	if (!a->ring || !a->index || !a->answered) {
		attempts_free(a);
		return -ENOMEM;
	}
	/* A slot never written must not pass for serial 0: mark them all closed. */
	for (uint64_t i = 0; i < size; i++)
		a->ring[i].state = ATTEMPT_CLOSED;
	a->ring_mask = (uint32_t)(size - 1);
	a->index_mask = (uint32_t)(buckets - 1);
	a->seed = seed * 0x9e3779b97f4a7c15ull + 1;
	return 0;
}

void attempts_free(struct attempts *a)
{
	free(a->ring);
	free(a->index);
	free(a->answered);
	a->ring = NULL;
	a->index = NULL;
	a->answered = NULL;
}

uint64_t attempts_hash(const struct attempts *a, uint32_t orig, uint16_t orig_port, uint32_t target,
		       uint16_t target_port)
{
	uint64_t k = ((uint64_t)orig << 32 | target) ^ a->seed;

	k ^= k >> 31;
	k *= 0x9e3779b97f4a7c15ull;
	k ^= (uint64_t)orig_port << 16 | target_port;
	k *= 0xbf58476d1ce4e5b9ull;
	k ^= k >> 29;
	return k;
}

static struct attempt_bucket *attempts_bucket(const struct attempts *a, uint64_t h)
{
	return &a->index[h & a->index_mask];
}

static uint32_t attempts_tag(uint64_t h)
{
	return (uint32_t)(h >> 32) | 1;
}

static bool attempts_match(const struct attempt *at, uint32_t orig, uint16_t orig_port,
			   uint32_t target, uint16_t target_port)
{
	return at->orig == orig && at->target == target && at->orig_port == orig_port &&
	       at->target_port == target_port;
}

/* The open attempt that way of b names, or NULL if its slot moved on or closed. */
static struct attempt *attempts_at(const struct attempts *a, const struct attempt_bucket *b,
				   unsigned way)
{
	struct attempt *at = &a->ring[b->serial[way] & a->ring_mask];

	return at->serial == b->serial[way] && at->state != ATTEMPT_CLOSED ? at : NULL;
}

/* The open attempt of the tuple in bucket b. */
static struct attempt *attempts_lookup(const struct attempts *a, const struct attempt_bucket *b,
				       uint32_t tag, uint32_t orig, uint16_t orig_port,
				       uint32_t target, uint16_t target_port)
{
	for (unsigned m = ways_match(b->tag, UINT32_MAX, tag); m; m &= m - 1) {
		struct attempt *at = attempts_at(a, b, (unsigned)__builtin_ctz(m));

		if (at && attempts_match(at, orig, orig_port, target, target_port))
			return at;
	}
	return NULL;
}

/* The hash of an attempt's own tuple. */
static uint64_t attempts_hash_of(const struct attempts *a, const struct attempt *at)
{
	return attempts_hash(a, at->orig, at->orig_port, at->target, at->target_port);
}

struct attempt *attempts_find(struct attempts *a, uint32_t orig, uint16_t orig_port,
			      uint32_t target, uint16_t target_port)
{
	return attempts_find_hashed(a, attempts_hash(a, orig, orig_port, target, target_port), orig,
				    orig_port, target, target_port);
}

struct attempt *attempts_find_hashed(struct attempts *a, uint64_t h, uint32_t orig,
				     uint16_t orig_port, uint32_t target, uint16_t target_port)
{
	return attempts_lookup(a, attempts_bucket(a, h), attempts_tag(h), orig, orig_port, target,
			       target_port);
}

static uint8_t *attempts_answered_slot(const struct attempts *a, uint64_t h)
{
	return &a->answered[(h >> ANSWERED_SHIFT) & (ANSWERED_SLOTS - 1)];
}

bool attempts_maybe_answered(const struct attempts *a, uint64_t h)
{
	return *attempts_answered_slot(a, h) != 0;
}

void attempts_prefetch_answered(const struct attempts *a, uint64_t h)
{
	__builtin_prefetch(attempts_answered_slot(a, h));
}

void attempts_expect_answer(struct attempts *a, uint64_t h)
{
	uint8_t *n = attempts_answered_slot(a, h);

	*n += *n < UINT8_MAX;
}

/*
 * One fewer in h's slot: a SYN-ACK decided, or an answered attempt gone
 * (closed or forgotten). A saturated slot has lost count and stays set: it
 * only costs lookups.
 */
void attempts_answer_arrived(struct attempts *a, uint64_t h)
{
	uint8_t *n = attempts_answered_slot(a, h);

	*n -= *n != UINT8_MAX;
}

void attempts_answer(struct attempts *a, struct attempt *at)
{
	at->state = ATTEMPT_ANSWERED;
	attempts_expect_answer(a, attempts_hash_of(a, at));
}

/*
 * The way of b a new attempt takes: an empty one, or one whose attempt the
 * ring has already given up; else, in a full bucket, the one of the oldest
 * SYN. The first two need no ranking, whose chain of dependent instructions
 * would otherwise hold up every SYN; a full bucket is the exception.
 */
static unsigned attempts_victim(const struct attempts *a, const struct attempt_bucket *b)
{
	uint32_t ages[WAYS], free_ways;

	/* Branch-free, so that the compiler computes all eight at once. */
	for (unsigned w = 0; w < WAYS; w++)
		ages[w] = (a->head - b->serial[w]) | -(uint32_t)(b->tag[w] == 0);
	free_ways = ways_match(ages, ~a->ring_mask, 0) ^ 0xffu;
	if (free_ways)
		return (unsigned)__builtin_ctz(free_ways);
	return ways_argmax(ages);
}

struct attempt *attempts_open(struct attempts *a, uint32_t orig, uint16_t orig_port,
			      uint32_t target, uint16_t target_port, uint32_t syn_ms, bool *is_new)
{
	return attempts_open_hashed(a, attempts_hash(a, orig, orig_port, target, target_port), orig,
				    orig_port, target, target_port, syn_ms, is_new);
}

struct attempt *attempts_open_hashed(struct attempts *a, uint64_t h, uint32_t orig,
				     uint16_t orig_port, uint32_t target, uint16_t target_port,
				     uint32_t syn_ms, bool *is_new)
{
	struct attempt_bucket *b = attempts_bucket(a, h);
	uint32_t tag = attempts_tag(h);
	struct attempt *at;
	unsigned way;

	at = attempts_lookup(a, b, tag, orig, orig_port, target, target_port);
	*is_new = !at;
	if (at)
		return at; /* a retransmitted SYN */
	way = attempts_victim(a, b);
	/* Closed attempts empty their way, so a taken way still in the ring is an open attempt. */
	if (b->tag[way] && a->head - b->serial[way] <= a->ring_mask)
		a->evictions++;
	b->tag[way] = tag;
	b->serial[way] = a->head;
	at = &a->ring[a->head & a->ring_mask];
	*at = (struct attempt){
		.orig = orig,
		.target = target,
		.orig_port = orig_port,
		.target_port = target_port,
		.syn_ms = syn_ms,
		.serial = a->head,
		.state = ATTEMPT_SYN_SENT,
	};
	a->head++;
	__builtin_prefetch(&a->ring[(a->head + ATTEMPTS_WRITE_AHEAD) & a->ring_mask], 1);
	return at;
}

/*
 * Empties the attempt's index way too, so that a new attempt takes it before
 * an open one. A reply just looked that bucket up; a timeout's bucket may
 * cost a miss, as a timeout is rare next to SYNs and replies.
 */
void attempts_close(struct attempts *a, struct attempt *at)
{
	uint64_t h = attempts_hash_of(a, at);
	struct attempt_bucket *b = attempts_bucket(a, h);
	unsigned m = ways_match(b->serial, UINT32_MAX, at->serial) &
		     ways_match(b->tag, UINT32_MAX, attempts_tag(h));

	if (m)
		b->tag[__builtin_ctz(m)] = 0;
	if (at->state == ATTEMPT_ANSWERED)
		attempts_answer_arrived(a, h);
	at->state = ATTEMPT_CLOSED;
}

struct attempt *attempts_expired(struct attempts *a, uint32_t now_ms, uint32_t timeout_ms)
{
	while (a->tail != a->head) {
		struct attempt *at = &a->ring[a->tail & a->ring_mask];

		if (at->state == ATTEMPT_CLOSED) {
			a->tail++;
			continue;
		}
		if ((int32_t)(now_ms - at->syn_ms) < (int32_t)timeout_ms)
			return NULL;
		a->tail++;
		return at;
	}
	return NULL;
}

bool attempts_make_room(struct attempts *a)
{
	struct attempt *at;
	bool was_open;

	if (a->head - a->tail <= a->ring_mask)
		return false;
	at = &a->ring[a->tail++ & a->ring_mask];
	was_open = at->state != ATTEMPT_CLOSED;
	if (at->state == ATTEMPT_ANSWERED)
		attempts_answer_arrived(a, attempts_hash_of(a, at));
	at->state = ATTEMPT_CLOSED;
	return was_open;
}

void attempts_prefetch(const struct attempts *a, uint64_t h)
{
	__builtin_prefetch(attempts_bucket(a, h));
}

void attempts_prefetch_attempt(const struct attempts *a, uint64_t h)
{
	const struct attempt_bucket *b = attempts_bucket(a, h);
	unsigned m = ways_match(b->tag, UINT32_MAX, attempts_tag(h));

	if (m)
		__builtin_prefetch(&a->ring[b->serial[__builtin_ctz(m)] & a->ring_mask], 1);
}
