/* SPDX-License-Identifier: MIT */
/*
 * Connection attempts waiting for their outcome: a SYN was seen, and the
 * reply that decides it (SYN-ACK, RST, ICMP unreachable) or the timeout has
 * not come yet. Attempts live in a bounded LRU table keyed by their 4-tuple,
 * and a ring in SYN order finds the ones that time out without a scan of the
 * table. When the ring is full the oldest attempt loses its timeout, so
 * memory stays fixed under a SYN flood. Pure: no I/O.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "lru.h"

enum attempt_state {
	ATTEMPT_SYN_SENT = 0, /* waiting for the target */
	ATTEMPT_ANSWERED,     /* SYN-ACK seen; waiting for the originator's ACK or RST */
};

struct attempt {
	uint64_t key;	       /* owned by the table */
	uint32_t orig, target; /* who sent the SYN, to whom */
	uint16_t orig_port, target_port;
	uint32_t syn_ms; /* first SYN, on the tracker's millisecond clock */
	uint32_t serial; /* its position in the ring */
	uint8_t state;	 /* enum attempt_state */
	bool first_contact;
	uint8_t pad[2];
};

struct attempt_slot {
	uint64_t key; /* 0: the attempt was closed */
	uint32_t serial;
	uint32_t syn_ms;
};

struct attempts {
	struct lru table;
	struct attempt_slot *ring;
	uint32_t ring_mask;
	uint32_t head, tail; /* serials: the next to write, the oldest not yet handed out */
	uint64_t seed;
};

/*
 * Allocates room for at least capacity attempts (rounded up to a power of two,
 * at most 2^31; the table gets twice that). Returns 0 or -ENOMEM.
 */
int attempts_init(struct attempts *a, uint64_t capacity, uint64_t seed);
void attempts_free(struct attempts *a);
/* The bytes attempts_init() allocates for this capacity. */
size_t attempts_bytes(uint64_t capacity);

/* The open attempt from orig:orig_port to target:target_port, or NULL. */
struct attempt *attempts_find(struct attempts *a, uint32_t orig, uint16_t orig_port,
			      uint32_t target, uint16_t target_port, uint32_t now_ms);
/*
 * Opens an attempt for a SYN seen at syn_ms, state ATTEMPT_SYN_SENT, and sets
 * *is_new; if the 4-tuple has one open already (a retransmitted SYN), returns
 * that one, unchanged, with *is_new false. The ring must have room: call
 * attempts_make_room() first.
 */
struct attempt *attempts_open(struct attempts *a, uint32_t orig, uint16_t orig_port,
			      uint32_t target, uint16_t target_port, uint32_t syn_ms, bool *is_new);
/* The key of a 4-tuple in a->table (for prefetching). */
uint64_t attempts_key(const struct attempts *a, uint32_t orig, uint16_t orig_port, uint32_t target,
		      uint16_t target_port);
/* Closes an attempt returned by attempts_find(), attempts_open() or attempts_expired(). */
void attempts_close(struct attempts *a, struct attempt *at);
/*
 * The oldest open attempt if its SYN is at least timeout_ms older than now_ms,
 * else NULL. It stays open until the caller closes it.
 */
struct attempt *attempts_expired(struct attempts *a, uint32_t now_ms, uint32_t timeout_ms);
/*
 * Frees the ring's oldest slot if the ring is full. Its attempt, if still open,
 * can then be decided by a reply but not by a timeout. Returns true if it was
 * open.
 */
bool attempts_make_room(struct attempts *a);
/* The number of attempts the table and the ring hold. */
uint64_t attempts_capacity(const struct attempts *a);
