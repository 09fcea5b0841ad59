/* SPDX-License-Identifier: MIT */
/*
 * A bounded table of (address, port, state) seen recently, so that retries and
 * retransmitted SYN-ACKs produce one result, not several. It is a fixed-size
 * set-associative hash table: when a bucket is full the oldest entry in it is
 * replaced, so memory stays fixed under any flood and a duplicate can only
 * slip through after a very large number of other replies. Pure: no I/O.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define DEDUP_WAYS 4

struct dedup {
	uint64_t *slots; /* nbuckets * DEDUP_WAYS keys, 0 = empty */
	uint32_t *ages;	 /* clock at each slot's last insert or hit, for eviction */
	uint64_t mask;	 /* nbuckets - 1 */
	uint32_t clock;	 /* increments per insert */
	uint64_t evictions;
};

/*
 * Allocates a table with room for at least capacity entries (rounded up to a
 * power of two times DEDUP_WAYS). Returns 0 or -ENOMEM.
 */
int dedup_init(struct dedup *d, uint64_t capacity);
/* Frees the table; safe to call again, or after a dedup_init() that failed. */
void dedup_free(struct dedup *d);

/*
 * Records (addr, port, state) and returns true if it was not present, i.e.
 * the caller should report it; false for a duplicate. Never allocates; not
 * thread-safe (one table per receive thread).
 */
bool dedup_insert(struct dedup *d, uint32_t addr, uint16_t port, uint8_t state);
