/* SPDX-License-Identifier: MIT */
/*
 * Connection attempts waiting for their outcome: a SYN was seen, and the
 * reply that decides it (SYN-ACK, RST, ICMP unreachable) or the timeout has
 * not come yet. Attempts are kept in a ring in SYN order, which is also the
 * order they time out in, and found by their 4-tuple through an index of
 * one-cache-line buckets. When the ring is full the oldest attempt is
 * forgotten, so memory stays fixed under a SYN flood. Pure: no I/O.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ways.h"

enum attempt_state {
	ATTEMPT_SYN_SENT = 0, /* waiting for the target */
	ATTEMPT_ANSWERED,     /* SYN-ACK seen; waiting for the originator's ACK or RST */
	ATTEMPT_CLOSED,	      /* decided; its slot waits to be reused */
};

struct attempt {
	uint32_t orig, target; /* who sent the SYN, to whom */
	uint16_t orig_port, target_port;
	uint32_t syn_ms; /* first SYN, on the tracker's millisecond clock */
	uint32_t serial; /* its position in the ring, counting from the first SYN */
	uint8_t state;	 /* enum attempt_state */
	bool first_contact;
	uint8_t pad[10];
};

/* WAYS attempts' tags (0: empty) and serials: one cache line. */
struct attempt_bucket {
	uint32_t tag[WAYS];
	uint32_t serial[WAYS];
};

struct attempts {
	struct attempt *ring;
	struct attempt_bucket *index;
	uint32_t ring_mask, index_mask;
	uint32_t head, tail; /* serials: the next to write, the oldest not yet handed out */
	uint8_t *
		answered; /* per hash slot: answered attempts awaiting the originator, saturating */
	uint64_t seed;
	uint64_t evictions; /* open attempts whose index entry a newer one took */
};

/*
 * Allocates room for at least capacity attempts (rounded up to a power of two,
 * at least WAYS, at most 2^31). Returns 0 or -ENOMEM.
 */
int attempts_init(struct attempts *a, uint64_t capacity, uint64_t seed);
/* Frees the ring; safe to call twice or after a failed attempts_init(). */
void attempts_free(struct attempts *a);
/* The bytes attempts_init() allocates for this capacity. */
size_t attempts_bytes(uint64_t capacity);
/* The number of attempts the ring holds. */
uint64_t attempts_capacity(const struct attempts *a);

/* The open attempt from orig:orig_port to target:target_port, or NULL. */
struct attempt *attempts_find(struct attempts *a, uint32_t orig, uint16_t orig_port,
			      uint32_t target, uint16_t target_port);
/*
 * Opens an attempt for a SYN seen at syn_ms, state ATTEMPT_SYN_SENT, and sets
 * *is_new; if the 4-tuple has one open already (a retransmitted SYN), returns
 * that one, unchanged, with *is_new false. The ring must have room: call
 * attempts_make_room() first.
 */
struct attempt *attempts_open(struct attempts *a, uint32_t orig, uint16_t orig_port,
			      uint32_t target, uint16_t target_port, uint32_t syn_ms, bool *is_new);
/* attempts_open() of a tuple whose attempts_hash() is h. */
struct attempt *attempts_open_hashed(struct attempts *a, uint64_t h, uint32_t orig,
				     uint16_t orig_port, uint32_t target, uint16_t target_port,
				     uint32_t syn_ms, bool *is_new);
/*
 * Marks an open attempt ATTEMPT_ANSWERED: its target sent SYN-ACK, and the
 * originator's ACK or RST will decide it.
 */
void attempts_answer(struct attempts *a, struct attempt *at);
/*
 * False if no answered attempt has the tuple of hash h: its ACK or RST has
 * nothing to decide. A few hundred thousand bytes of counters answer for
 * the index, so that the bulk of a capture, segments of established
 * connections, skips the index's cache misses. True may be wrong.
 */
bool attempts_maybe_answered(const struct attempts *a, uint64_t h);
/* Prefetches the counter attempts_maybe_answered() of h will read. */
void attempts_prefetch_answered(const struct attempts *a, uint64_t h);
/*
 * A SYN-ACK for the tuple of hash h is on its way to the tracker (parsed,
 * not yet decided): attempts_maybe_answered() says true for it meanwhile.
 * attempts_answer_arrived() when it is decided: each call takes back one of
 * attempts_expect_answer() or attempts_answer().
 */
void attempts_expect_answer(struct attempts *a, uint64_t h);
void attempts_answer_arrived(struct attempts *a, uint64_t h);
/* attempts_find() of a tuple whose attempts_hash() is h. */
struct attempt *attempts_find_hashed(struct attempts *a, uint64_t h, uint32_t orig,
				     uint16_t orig_port, uint32_t target, uint16_t target_port);
/* Closes an attempt returned by attempts_find(), attempts_open() or attempts_expired(). */
void attempts_close(struct attempts *a, struct attempt *at);
/*
 * The oldest open attempt if its SYN is at least timeout_ms older than now_ms,
 * else NULL. It stays open until the caller closes it.
 */
struct attempt *attempts_expired(struct attempts *a, uint32_t now_ms, uint32_t timeout_ms);
/*
 * Frees the ring's oldest slot if the ring is full; its attempt, if still
 * open, is forgotten: neither a reply nor a timeout will decide it. Returns
 * true if it was open.
 */
bool attempts_make_room(struct attempts *a);

/* The 4-tuple's hash, for the two prefetches below. */
uint64_t attempts_hash(const struct attempts *a, uint32_t orig, uint16_t orig_port, uint32_t target,
		       uint16_t target_port);
/* Prefetches the index bucket of hash h, for a lookup a few frames later. */
void attempts_prefetch(const struct attempts *a, uint64_t h);
/* Once that bucket has arrived: prefetches the attempt it names, if any. */
void attempts_prefetch_attempt(const struct attempts *a, uint64_t h);
