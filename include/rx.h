/* SPDX-License-Identifier: MIT */
/*
 * The capture-backend interface. libpcap's packet data is only valid inside
 * its callback, so backends push frames into a callback rather than return
 * them. One call to dispatch handles whatever arrived, up to a bounded count.
 */
#pragma once

#include <stdint.h>
#include "errmsg.h"

typedef void (*rx_frame_fn)(void *ctx, const uint8_t *frame, uint32_t len, uint64_t ts_ns);

struct rx_config {
	const char *ifname;
	const char *filter; /* BPF filter expression, or NULL for everything */
	unsigned snaplen_bytes;
	unsigned buffer_bytes; /* kernel capture buffer */
	/* capture_mem only: frames to replay, each len bytes */
	const uint8_t *const *mem_frames;
	const uint32_t *mem_lens;
	unsigned mem_count;
};

struct rx_stats {
	uint64_t frames_seen;
	uint64_t kernel_drops; /* dropped by the kernel or the capture buffer */
	uint64_t iface_drops;
	uint64_t ring_full; /* times the capture ring filled up (ring); its drops are above */
};

struct rx;

struct rx_ops {
	const char *name;
	/* Opens the capture. Returns 0 or -errno with err naming the fix. */
	int (*open)(struct rx *rx, const struct rx_config *cfg, struct errmsg *err);
	/* Delivers frames to fn; waits at most timeout_ms. Returns frames delivered or -errno. */
	int (*dispatch)(struct rx *rx, rx_frame_fn fn, void *ctx, int timeout_ms);
	void (*stats)(const struct rx *rx, struct rx_stats *out);
	void (*close)(struct rx *rx);
};

struct rx {
	const struct rx_ops *ops;
	void *priv;
	int link_type; /* enum link_type of the frames dispatched, set by open */
};

extern const struct rx_ops rx_pcap_ops;
extern const struct rx_ops rx_ring_ops; /* TPACKET_V3 ring, Ethernet-like interfaces */
extern const struct rx_ops rx_mem_ops;

/* The capture backend called name, or NULL. */
const struct rx_ops *rx_backend_find(const char *name);
/* Backend i of the registry (for tests and --help), or NULL past the end. */
const struct rx_ops *rx_backend_at(unsigned i);
