/* SPDX-License-Identifier: MIT */
/*
 * Which probes were answered: one bit per probe index (address index + port
 * index x number of addresses, the index scan_probe_at() walks), set by the
 * receiver for every validated reply. After the wait, each probe this run
 * sent whose bit is still clear went unanswered: filtered, for the reason
 * "no-response", as nmap reports it. The bitmap costs one bit per probe:
 * the cap of 2^32 probes takes 512 MiB (pages the kernel hands out as they
 * are touched). A larger scan reports filtered only from ICMP unreachables.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define ANSWERED_MAX_PROBES (1ULL << 32)

struct scan;

struct answered {
	uint64_t *bits; /* NULL: not tracked */
	uint64_t probes;
};

/*
 * Allocates a zeroed bitmap for probes (<= ANSWERED_MAX_PROBES). Returns 0,
 * -E2BIG for a larger scan, or -ENOMEM.
 */
int answered_init(struct answered *a, uint64_t probes);
/* Frees the bitmap; safe on a zeroed or freed struct. */
void answered_free(struct answered *a);

static inline void answered_set(struct answered *a, uint64_t idx)
{
	a->bits[idx / 64] |= 1ULL << (idx % 64);
}

static inline bool answered_test(const struct answered *a, uint64_t idx)
{
	return a->bits[idx / 64] & (1ULL << (idx % 64));
}

/*
 * Marks the probe to (addr, port, proto) in s as answered: one call per
 * validated reply, from the receive thread only. Addresses or ports outside
 * the scan are ignored. No-op when the bitmap is not tracked. proto is the IP
 * protocol (6 TCP, 17 UDP, 1 for the ping phase's echo, whose port is 0).
 */
void answered_mark(struct answered *a, const struct scan *s, uint32_t addr, uint16_t port,
		   uint8_t proto);

/*
 * Calls fn for each probe this run sent in its first pass (per slice, send
 * positions s->tx_first[i] up to s->tx_next[i]) whose bit is clear, with the
 * probe's IP protocol. Later passes are retries of the same probes. Returns
 * how many were silent.
 */
uint64_t answered_each_silent(const struct answered *a, const struct scan *s,
			      void (*fn)(void *ctx, uint32_t addr, uint16_t port, uint8_t proto),
			      void *ctx);
