// SPDX-License-Identifier: MIT
/*
 * The 4-tuple (96 bits) is hashed with a secret seed to the table's 64-bit
 * key, and the attempt keeps the tuple itself, so a lookup confirms it: two
 * tuples with one key would only make the later replace the earlier.
 *
 * Each open attempt has one ring slot, written at its SYN. Closing an attempt
 * zeroes its slot's key, so the ring's tail skips closed attempts by reading
 * the ring alone, in order, without touching the table. A slot whose attempt
 * the table evicted (its bucket was full) still looks open; the serial
 * stored on both sides tells it apart, at the cost of one lookup.
 *
 * When the ring is full, its oldest slot is given up without a lookup (under
 * a flood that would be a cache miss per SYN): the attempt stays in the table
 * and a late reply still decides it, but no timeout will, and the table's LRU
 * order eventually reclaims it.
 */
#include "attempts.h"

#include <errno.h>
#include <stdlib.h>

#define ATTEMPTS_MAX (1ull << 31)
/*
 * The table has twice as many slots as the ring, so that an attempt is rarely
 * pushed out of a full bucket before its time; the ring, not the table, is
 * what bounds the number of open attempts.
 */
#define ATTEMPTS_TABLE_LOAD 2

static uint64_t attempts_ring_size(uint64_t capacity)
{
	uint64_t size = LRU_WAYS;

	while (size < capacity && size < ATTEMPTS_MAX)
		size <<= 1;
	return size;
}

size_t attempts_bytes(uint64_t capacity)
{
	uint64_t size = attempts_ring_size(capacity);

	return lru_bytes(ATTEMPTS_TABLE_LOAD * size, sizeof(struct attempt)) +
	       size * sizeof(struct attempt_slot);
}

uint64_t attempts_capacity(const struct attempts *a)
{
	return (uint64_t)a->ring_mask + 1;
}

int attempts_init(struct attempts *a, uint64_t capacity, uint64_t seed)
{
	uint64_t size = attempts_ring_size(capacity);
	int rc;

	a->ring = NULL;
	rc = lru_init(&a->table, ATTEMPTS_TABLE_LOAD * size, sizeof(struct attempt), 0, seed);
	if (rc)
		return rc;
	a->ring = calloc(size, sizeof(*a->ring));
	if (!a->ring) {
		attempts_free(a);
		return -ENOMEM;
	}
	a->ring_mask = (uint32_t)(size - 1);
	a->head = a->tail = 0;
	a->seed = seed * 0x9e3779b97f4a7c15ull + 1;
	return 0;
}

void attempts_free(struct attempts *a)
{
	lru_free(&a->table);
	free(a->ring);
	a->ring = NULL;
}

uint64_t attempts_key(const struct attempts *a, uint32_t orig, uint16_t orig_port, uint32_t target,
		      uint16_t target_port)
{
	uint64_t k = ((uint64_t)orig << 32 | target) ^ a->seed;

	k ^= k >> 31;
	k *= 0x9e3779b97f4a7c15ull;
	k ^= (uint64_t)orig_port << 16 | target_port;
	k *= 0xbf58476d1ce4e5b9ull;
	k ^= k >> 29;
	return k | 1; /* never 0, which marks a closed ring slot */
}

static bool attempts_match(const struct attempt *at, uint32_t orig, uint16_t orig_port,
			   uint32_t target, uint16_t target_port)
{
	return at->orig == orig && at->target == target && at->orig_port == orig_port &&
	       at->target_port == target_port;
}

struct attempt *attempts_find(struct attempts *a, uint32_t orig, uint16_t orig_port,
			      uint32_t target, uint16_t target_port, uint32_t now_ms)
{
	uint64_t key = attempts_key(a, orig, orig_port, target, target_port);
	struct attempt *at = lru_find(&a->table, key, now_ms);

	return at && attempts_match(at, orig, orig_port, target, target_port) ? at : NULL;
}

/* Marks at's ring slot closed, if the slot is still its own. */
static void attempts_release_slot(struct attempts *a, const struct attempt *at)
{
	struct attempt_slot *slot = &a->ring[at->serial & a->ring_mask];

	if (slot->serial == at->serial && slot->key == at->key)
		slot->key = 0;
}

struct attempt *attempts_open(struct attempts *a, uint32_t orig, uint16_t orig_port,
			      uint32_t target, uint16_t target_port, uint32_t syn_ms, bool *is_new)
{
	uint64_t key = attempts_key(a, orig, orig_port, target, target_port);
	struct attempt *at;

	at = lru_get(&a->table, key, syn_ms, is_new);
	if (!*is_new) {
		if (attempts_match(at, orig, orig_port, target, target_port))
			return at; /* a retransmitted SYN */
		/* Another tuple with the same key: the newer one replaces it. */
		attempts_release_slot(a, at);
		*is_new = true;
	}
	*at = (struct attempt){
		.key = key,
		.orig = orig,
		.target = target,
		.orig_port = orig_port,
		.target_port = target_port,
		.syn_ms = syn_ms,
		.serial = a->head,
		.state = ATTEMPT_SYN_SENT,
	};
	a->ring[a->head & a->ring_mask] =
		(struct attempt_slot){.key = key, .serial = a->head, .syn_ms = syn_ms};
	a->head++;
	return at;
}

void attempts_close(struct attempts *a, struct attempt *at)
{
	attempts_release_slot(a, at);
	lru_remove(&a->table, at);
}

struct attempt *attempts_expired(struct attempts *a, uint32_t now_ms, uint32_t timeout_ms)
{
	while (a->tail != a->head) {
		struct attempt_slot *slot = &a->ring[a->tail & a->ring_mask];
		struct attempt *at;

		if (slot->key == 0) {
			a->tail++;
			continue;
		}
		if ((int32_t)(now_ms - slot->syn_ms) < (int32_t)timeout_ms)
			return NULL;
		at = lru_find(&a->table, slot->key, now_ms);
		a->tail++;
		slot->key = 0;
		if (!at || at->serial != slot->serial)
			continue; /* evicted from the table: nothing left to decide */
		return at;
	}
	return NULL;
}

bool attempts_make_room(struct attempts *a)
{
	struct attempt_slot *slot;

	if (a->head - a->tail <= a->ring_mask)
		return false;
	slot = &a->ring[a->tail++ & a->ring_mask];
	return slot->key != 0;
}
