/* SPDX-License-Identifier: MIT */
/*
 * The connect scan (-sT): full TCP handshakes through the kernel, for users
 * without CAP_NET_RAW and for results that match what the target logs. It
 * walks the same permuted positions and token bucket as the SYN sender, but
 * each probe is a socket with an IORING_OP_CONNECT linked to an
 * IORING_OP_LINK_TIMEOUT, so thousands are in flight on one thread and one
 * io_uring_enter() call submits and reaps a whole batch. It is stateful by
 * nature (one socket per probe in flight), so it needs no cookie: the kernel
 * matches replies to sockets.
 */
#pragma once

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include "errmsg.h"
#include "output.h"
#include "scan.h"

#define CONNECT_DEFAULT_INFLIGHT   1024
#define CONNECT_DEFAULT_TIMEOUT_MS 1000
/* File descriptors kept free for everything else: outputs, io_uring, stdio, capture. */
#define CONNECT_FD_RESERVE 64

/* How a connect attempt ended, from the connect CQE's result (0 or -errno). */
enum connect_outcome {
	CONNECT_OPEN,	   /* connected */
	CONNECT_CLOSED,	   /* refused: the target answered RST */
	CONNECT_UNREACH,   /* an ICMP error or a local firewall: retried, then filtered */
	CONNECT_TIMEOUT,   /* the linked timeout fired: retried, then filtered */
	CONNECT_TRANSIENT, /* out of local ports or memory: tried again, not counted */
};

/* Classifies a connect CQE result (0 or -errno). Pure. */
enum connect_outcome connect_classify(int res);

/*
 * Raises RLIMIT_NOFILE's soft limit to the hard limit when the soft one is too
 * small for want connects, and returns in *out how many fit: want itself, or,
 * when !is_explicit (the default was asked), as many as the limit allows.
 * Returns 0, or -EMFILE with err saying how to raise the limit when the user
 * asked for more than fits.
 */
int connect_fit_inflight(unsigned want, bool is_explicit, unsigned *out, struct errmsg *err);

struct connect_ring; /* core/connect_ring.h */

/* What the connect threads of one scan share. */
struct connect_shared {
	struct output *out;
	pthread_mutex_t out_lock;   /* an output has one writer at a time: the threads take turns */
	unsigned max_inflight;	    /* over all threads */
	unsigned timeout_ms;	    /* per attempt */
	struct connect_ring *rings; /* one per thread, from connect_prepare() */
	unsigned nrings;
};

/*
 * Makes the io_uring of each of slices connect threads, restricted to what
 * they submit (uring_restrict.h) and not yet running. Called before the
 * privilege drop: its seccomp filter refuses io_uring_setup(), so no ring
 * without that restriction can be made afterwards. Returns 0, or -errno
 * with err set (io_uring unavailable).
 */
int connect_prepare(struct connect_shared *cs, unsigned slices, struct errmsg *err);

/* Closes the rings no connect_run() closed, and frees them. */
void connect_release(struct connect_shared *cs);

/*
 * Connects to the probe positions slice, slice + slices, ... of this shard's
 * one pass (a connect that times out or meets an ICMP error is tried
 * s->cfg->retries more times, then reported filtered), at rate_pps / slices
 * attempts per second with max_inflight / slices at once on its own
 * io_uring, cs->rings[slice], which it starts and closes. Several threads,
 * one per slice, thus share the scan as the SYN senders do. Results go to
 * cs->out (every one: outputs apply --show) and to s->counters. Returns when
 * done or s->stop is set: 0, or -errno with err set (no file descriptors).
 * An output that fails keeps its error (output_failure()) and the scan goes
 * on, as with SYN.
 */
int connect_run(struct scan *s, struct connect_shared *cs, unsigned slice, unsigned slices,
		struct errmsg *err);
