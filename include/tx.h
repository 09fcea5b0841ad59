/* SPDX-License-Identifier: MIT */
/*
 * The send-backend interface. The sender asks a backend for up to a batch of
 * frame slots in the backend's own memory (reserve), writes probes into them,
 * and hands the batch over with one call (submit). So ring backends get their
 * frames written in place, and there is one indirect call per batch, never per
 * packet. Backends only report what they accepted; the sender decides whether
 * to wait, retry or give up. Backends are reached only through their ops table.
 */
#pragma once

#include <stdint.h>
#include "errmsg.h"

#define TX_FRAME_MAX 2048
#define TX_BATCH_MAX 256

/* A reused slot still holds the last frame written to it: only changed fields need patching. */
#define TX_KEEPS_CONTENTS 0x1u
/* The backend needs CAP_NET_RAW. */
#define TX_NEEDS_RAW 0x2u

struct tx_frame {
	uint8_t *data; /* backend-owned, TX_FRAME_MAX bytes, valid until submit */
	uint16_t len;  /* set by the caller */
};

struct tx_config {
	const char *ifname; /* interface to send on */
	int ifindex;
	unsigned batch;		/* 1..TX_BATCH_MAX: most slots reserve() will hand out */
	const uint8_t *prefill; /* if not NULL, every slot starts as a copy of these bytes */
	uint16_t prefill_len;
	unsigned queue; /* device queue, for backends that bind one (xdp): the sender's index */
};

struct tx_stats {
	uint64_t frames_sent;
	uint64_t send_calls;
	uint64_t would_block; /* EAGAIN / ENOBUFS / ring full: the caller retried */
	uint64_t errors;      /* other failures */
};

struct tx;

struct tx_ops {
	const char *name;
	unsigned flags;
	/*
	 * Opens the backend for cfg. Returns 0, or -errno with err naming the
	 * fix: -EOPNOTSUPP if this backend cannot work on this kernel or
	 * interface, -EBUSY if what it binds is taken, so another may be tried.
	 */
	int (*open)(struct tx *tx, const struct tx_config *cfg, struct errmsg *err);
	/*
	 * Hands out up to want free slots (want <= cfg->batch) in slots[]; the
	 * first slots are any left over, unaccepted, from the previous submit,
	 * still holding their frames. Returns how many (0..want).
	 */
	unsigned (*reserve)(struct tx *tx, struct tx_frame *slots, unsigned want);
	/*
	 * Queues the first count reserved slots for sending. Returns how many the
	 * kernel accepted (0..count), or -errno on a hard error. Unaccepted slots
	 * stay reserved, in order, and come back first from the next reserve().
	 */
	int (*submit)(struct tx *tx, unsigned count);
	/* Waits up to timeout_ms for queued frames to leave. Returns 0 or -errno. */
	int (*flush)(struct tx *tx, int timeout_ms);
	void (*stats)(const struct tx *tx, struct tx_stats *out);
	void (*close)(struct tx *tx);
};

struct tx {
	const struct tx_ops *ops;
	void *priv; /* backend state; nobody else looks inside */
};

extern const struct tx_ops tx_afpacket_ops;
extern const struct tx_ops tx_txring_ops; /* PACKET_TX_RING, frames written in place */
extern const struct tx_ops tx_uring_ops;  /* io_uring, one SEND per frame */
extern const struct tx_ops tx_pcap_ops;	  /* pcap_inject, the portable fallback */
extern const struct tx_ops tx_xdp_ops;	  /* AF_XDP (built only with HAVE_XDP) */
extern const struct tx_ops tx_rawip_ops;  /* routed by the kernel: loopback, or no next-hop MAC */
extern const struct tx_ops tx_null_ops;
extern const struct tx_ops tx_mem_ops;

/* The backend called name, or NULL. */
const struct tx_ops *tx_backend_find(const char *name);
/*
 * Opens the fastest backend that works here, trying them in the order
 * measured on the namespace testbed (README): xdp, txring, afpacket, uring,
 * pcap. A backend that cannot work here (-EOPNOTSUPP, -EBUSY) makes way for
 * the next; any other failure (no privilege, no such interface) would be the
 * same for all, and is returned at once. Sets tx->ops to the one opened.
 */
int tx_backend_open_auto(struct tx *tx, const struct tx_config *cfg, struct errmsg *err);
/* Backend i of the registry (for tests and --help), or NULL past the end. */
const struct tx_ops *tx_backend_at(unsigned i);

/* What tx_mem_ops kept: the frames submitted so far, for tests. */
struct tx_mem_view {
	const uint8_t *frames; /* count frames of TX_FRAME_MAX bytes each */
	const uint16_t *lens;
	uint64_t count;
};
void tx_mem_view(const struct tx *tx, struct tx_mem_view *out);
