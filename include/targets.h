/* SPDX-License-Identifier: MIT */
/*
 * The target set: IPv4 addresses as sorted, merged, inclusive intervals with
 * prefix sums, so that the scan can map a dense index to an address in
 * O(log n) without ever materialising the addresses. Excludes are kept apart
 * and subtracted once in targets_finish(), so the order in which the user gives
 * includes and excludes never matters. Pure: no I/O.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include "errmsg.h"

struct target_range {
	uint32_t first, last; /* inclusive, host order */
};

struct target_set {
	struct target_range *ranges; /* sorted, disjoint, non-adjacent after targets_finish() */
	uint64_t *starts;	     /* starts[i] = index of ranges[i].first; built by finish() */
	unsigned count, cap;
	struct target_range *excl; /* pending excludes, applied by targets_finish() */
	unsigned excl_count, excl_cap;
	uint64_t total; /* number of addresses after finish() */
};

/* Zeroes the set; no allocation happens until the first add. */
void targets_init(struct target_set *t);
/* Frees everything the set owns; the set may be re-initialised afterwards. */
void targets_free(struct target_set *t);

/*
 * Adds one spec: "a.b.c.d", "a.b.c.d/len" (host bits are ignored, as nmap and
 * masscan do), "a.b.c.d-e.f.g.h", or nmap's "a.b.c.d-h" (last octet up to h).
 * Octets are plain decimal; "010" is rejected as ambiguous (inet_aton reads it
 * as octal). Whitespace around it is ignored.
 * Returns 0, or -EINVAL with err naming the bad spec, or -ENOMEM.
 */
int targets_add_spec(struct target_set *t, const char *spec, struct errmsg *err);
/* Same as targets_add_spec() but for the exclude list. */
int targets_exclude_spec(struct target_set *t, const char *spec, struct errmsg *err);
/* Adds/excludes an inclusive range directly (first <= last). Returns 0 or -ENOMEM. */
int targets_add_range(struct target_set *t, uint32_t first, uint32_t last);
int targets_exclude_range(struct target_set *t, uint32_t first, uint32_t last);

/*
 * Adds/excludes each comma-separated spec of list ("10.0.0.0/8,192.0.2.1").
 * Returns 0 or the first failure (as the single-spec functions).
 */
int targets_add_list(struct target_set *t, const char *list, struct errmsg *err);
int targets_exclude_list(struct target_set *t, const char *list, struct errmsg *err);

/*
 * Sorts and merges the includes, subtracts every exclude and builds the prefix
 * sums. Call after all adds; afterwards t->total and targets_at() are valid.
 * Calling it again after more adds is allowed: excludes stay queued and apply.
 * Returns 0 or -ENOMEM.
 */
int targets_finish(struct target_set *t);

/* The address at index i (0 <= i < t->total), in O(log count). */
uint32_t targets_at(const struct target_set *t, uint64_t i);

/* True if addr is in the finished set. */
bool targets_contains(const struct target_set *t, uint32_t addr);

#define TARGETS_NONE UINT64_MAX

/* The index of addr in the finished set (the inverse of targets_at()), or TARGETS_NONE. */
uint64_t targets_rank(const struct target_set *t, uint32_t addr);
