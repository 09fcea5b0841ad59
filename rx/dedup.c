// SPDX-License-Identifier: MIT
/*
 * The dedup table. A key packs (address, port, state) into 64 bits with the
 * top bit set, so the key is never 0 and 0 can mark an empty slot. A cheap
 * 64-bit mixer (the murmur3 finaliser) spreads keys over power-of-two
 * buckets of DEDUP_WAYS slots each; a lookup touches one bucket, 32 bytes of
 * keys, usually one cache line.
 *
 * Each slot also holds the value of a counter that ticks once per insert.
 * When a bucket is full, the slot whose stamp is oldest is replaced. Ages
 * are compared as (clock - age) in unsigned arithmetic, so the counter may
 * wrap. A hit refreshes the stamp, which makes eviction least-recently-seen:
 * a target that keeps retransmitting stays in the table.
 */
#include "dedup.h"

#include <errno.h>
#include <stdlib.h>

#define DEDUP_KEY_PRESENT (1ull << 63)
/* Far above any real table; it only keeps the size arithmetic from overflowing. */
#define DEDUP_BUCKETS_MAX (1ull << 40)

static uint64_t dedup_key(uint32_t addr, uint16_t port, uint8_t state)
{
	return DEDUP_KEY_PRESENT | (uint64_t)state << 48 | (uint64_t)port << 32 | addr;
}

static uint64_t dedup_mix(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdull;
	k ^= k >> 33;
	k *= 0xc4ceb9fe1a85ec53ull;
	k ^= k >> 33;
	return k;
}

int dedup_init(struct dedup *d, uint64_t capacity)
{
	uint64_t nbuckets = 1;

	while (nbuckets * DEDUP_WAYS < capacity && nbuckets < DEDUP_BUCKETS_MAX)
		nbuckets <<= 1;
	d->slots = calloc(nbuckets * DEDUP_WAYS, sizeof(*d->slots));
	d->ages = calloc(nbuckets * DEDUP_WAYS, sizeof(*d->ages));
	if (!d->slots || !d->ages) {
		dedup_free(d);
		return -ENOMEM;
	}
	d->mask = nbuckets - 1;
	d->clock = 0;
	d->evictions = 0;
	return 0;
}

void dedup_free(struct dedup *d)
{
	free(d->slots);
	free(d->ages);
	d->slots = NULL;
	d->ages = NULL;
	d->mask = 0;
}

/* The slot to overwrite: the first empty one, else the least recently seen. */
static unsigned dedup_victim(const uint64_t *slots, const uint32_t *ages, uint32_t now)
{
	unsigned victim = 0;

	for (unsigned i = 0; i < DEDUP_WAYS; i++) {
		if (slots[i] == 0)
			return i;
		if ((uint32_t)(now - ages[i]) > (uint32_t)(now - ages[victim]))
			victim = i;
	}
	return victim;
}

bool dedup_insert(struct dedup *d, uint32_t addr, uint16_t port, uint8_t state)
{
	uint64_t key = dedup_key(addr, port, state);
	uint64_t base = (dedup_mix(key) & d->mask) * DEDUP_WAYS;
	uint64_t *slots = d->slots + base;
	uint32_t *ages = d->ages + base;
	uint32_t now = ++d->clock;
	unsigned victim;

	for (unsigned i = 0; i < DEDUP_WAYS; i++) {
		if (slots[i] == key) {
			ages[i] = now;
			return false;
		}
	}
	victim = dedup_victim(slots, ages, now);
	if (slots[victim])
		d->evictions++;
	slots[victim] = key;
	ages[victim] = now;
	return true;
}
