/* SPDX-License-Identifier: MIT */
/*
 * The receive loop: every captured frame goes through parse_frame(),
 * validate_reply() and the dedup table; what survives becomes a struct result
 * for the output. It runs until s->rx_stop is set, and never drops a result it
 * has validated: the output is flushed before it returns.
 */
#pragma once

#include "dedup.h"
#include "errmsg.h"
#include "output.h"
#include "rx.h"
#include "scan.h"

/* The receive loop's state; exposed so tests can feed frames to receiver_frame(). */
struct receiver {
	struct scan *s;
	struct rx *rx;
	struct dedup *dd;
	struct output *out;
};

/* Handles one captured frame: the callback receiver_run() gives the capture backend. */
void receiver_frame(void *ctx, const uint8_t *frame, uint32_t len, uint64_t ts_ns);

/*
 * Receives until s->rx_stop. Returns 0, or -errno with err set on a capture
 * error. An output that fails keeps its error (output_failure()) and the
 * scan goes on: the other outputs still get every result.
 */
int receiver_run(struct scan *s, struct rx *rx, struct dedup *dd, struct output *out,
		 struct errmsg *err);
