/* SPDX-License-Identifier: MIT */
/*
 * The frame slots of a send backend that keeps its frames in its own memory
 * (afpacket, rawip, pcap, null, mem): one aligned array of batch frames,
 * handed out through order[], a permutation of slot indices. When the kernel
 * takes only part of a batch, order[] is rotated so the frames it refused come
 * first from the next reserve, in order and with their bytes untouched: no
 * frame is ever copied. Private to tx/.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "tx.h"

struct slot_pool {
	unsigned batch;
	unsigned pending;	/* refused frames at the front of order[] */
	unsigned reserved;	/* slots handed out by the last reserve */
	struct tx_frame *slots; /* the caller's array from that reserve */
	uint8_t *frames;	/* batch * TX_FRAME_MAX bytes */
	uint16_t order[TX_BATCH_MAX];
	uint16_t lens[TX_BATCH_MAX]; /* last length written to each slot */
};

/*
 * Checks cfg's batch and prefill, allocates the frames and copies cfg->prefill
 * into each. Returns 0, or -EINVAL / -ENOMEM with err set.
 */
int slot_pool_init(struct slot_pool *sp, const struct tx_config *cfg, struct errmsg *err);
void slot_pool_free(struct slot_pool *sp);

/* The reserve operation: up to want slots, refused frames first. */
unsigned slot_pool_reserve(struct slot_pool *sp, struct tx_frame *slots, unsigned want);

/* Slot i (< the count being submitted) of the last reserve: its frame and the length written. */
static inline uint8_t *slot_pool_frame(const struct slot_pool *sp, unsigned i)
{
	return sp->frames + (size_t)sp->order[i] * TX_FRAME_MAX;
}

static inline uint16_t slot_pool_len(const struct slot_pool *sp, unsigned i)
{
	return sp->slots[i].len;
}

/*
 * Books a submit of count frames of which the kernel accepted `accepted` (a
 * prefix) and sys_rc was the send call's result (>= 0, or -errno): keeps the
 * refused frames first and updates stats. Returns what submit returns: the
 * number accepted, or -errno for a hard error (a full queue, EAGAIN or
 * ENOBUFS, is not one: the sender decides when to try again).
 */
int slot_pool_settle(struct slot_pool *sp, struct tx_stats *stats, unsigned count,
		     unsigned accepted, int sys_rc);
