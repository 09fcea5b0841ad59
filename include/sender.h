/* SPDX-License-Identifier: MIT */
/*
 * The transmit loop: walks this shard's probe positions in permuted order,
 * asks the rate limiter how many may go, writes them into the backend's slots
 * and submits them a batch at a time. All waiting and retry policy lives here;
 * the backend only says what it accepted.
 */
#pragma once

#include "errmsg.h"
#include "scan.h"
#include "tx.h"

/* The batch size used for a rate: small at low rates, so probes stay evenly spaced. */
unsigned sender_batch_for_rate(double rate_pps);

/*
 * Sends the probes of s at positions slice, slice + slices, ... (all of them
 * when slices is 1) through tx in batches of batch, at rate_pps / slices, until
 * done or s->stop is set. Several threads, one per slice and each with its own
 * tx, thus share the scan and its rate. Returns 0, or -errno with err set on a
 * hard send error.
 */
int sender_run(struct scan *s, struct tx *tx, unsigned batch, unsigned slice, unsigned slices,
	       struct errmsg *err);
