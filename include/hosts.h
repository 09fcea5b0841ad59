/* SPDX-License-Identifier: MIT */
/*
 * Results grouped by host, for the formats that report per host (normal,
 * XML, grepable). Shown results are kept whole; results --show leaves out are
 * only counted per host and reason ("Not shown: 99 closed tcp ports (reset)").
 * A host is up when it answered anything; a host whose every probe went
 * unanswered is down and gets no entry, so memory follows the answers, not
 * the scan size. Callers deliver no-response results after every reply (the
 * scan reports them after its wait). Pure: no I/O.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "result.h"

#define HOSTS_STATES  6 /* enum port_state values, 0 unused */
#define HOSTS_REASONS 8 /* enum reply_reason values, 0 unused */
#define HOSTS_PROTOS  2 /* hidden counts are kept apart for TCP (0) and UDP (1) */

struct host {
	uint32_t addr;
	uint8_t reason, ttl; /* the first answer: why the host is up */
	size_t first, count; /* its shown results: hosts.results[first .. first + count) */
	uint32_t hidden[HOSTS_PROTOS][HOSTS_STATES][HOSTS_REASONS];
	uint64_t first_ns, last_ns; /* time of its first and last result */
};

struct hosts {
	struct result *results; /* shown results; sorted by (addr, port) after hosts_finish() */
	size_t count, cap;
	struct host *list; /* sorted by address after hosts_finish() */
	size_t nhosts, hosts_cap;
	uint32_t *table; /* address hash: index + 1 into list, 0 = empty */
	size_t table_mask;
	uint64_t first_ns, last_ns; /* over all results */
};

/* The first index of host->hidden for a result's protocol. */
static inline unsigned hosts_proto_index(unsigned proto)
{
	return proto == PROTO_UDP;
}

/* The protocol number of hidden index i. */
static inline unsigned hosts_proto_at(unsigned i)
{
	return i ? PROTO_UDP : PROTO_TCP;
}

/* Zeroes h; nothing is allocated until the first add. */
void hosts_init(struct hosts *h);
/* Frees what h owns. */
void hosts_free(struct hosts *h);

/*
 * Adds r, kept whole if shown, else only counted. A no-response result for a
 * host with no answer so far is dropped: the host is down. Returns 0 or -ENOMEM.
 */
int hosts_add(struct hosts *h, const struct result *r, bool shown);

/*
 * Sorts hosts by address and each host's results by port, and links them.
 * Call once after the last add; list and results are then read-only.
 */
void hosts_finish(struct hosts *h);

/* The number of results of host (shown and hidden) in state. */
uint64_t hosts_state_count(const struct hosts *h, const struct host *host, unsigned state);
/* The number of hidden results of host in state, over both protocols. */
uint64_t hosts_hidden_count(const struct host *host, unsigned state);
