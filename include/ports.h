/* SPDX-License-Identifier: MIT */
/*
 * The port set: "22,80,443,8000-8100" or "-" (1-65535) as sorted, merged
 * ranges, with index -> port in O(log n), like the target set. Pure: no I/O.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include "errmsg.h"

#define PORTS_MAX_RANGES 65536

struct port_range {
	uint16_t first, last; /* inclusive */
};

struct port_set {
	struct port_range ranges[PORTS_MAX_RANGES / 2 + 1]; /* sorted, merged */
	uint32_t starts[PORTS_MAX_RANGES / 2 + 1];	    /* index of ranges[i].first */
	unsigned count;
	uint32_t total; /* number of ports */
};

/*
 * Parses spec into ps (which it first clears). Accepts comma-separated ports
 * and ranges "a-b"; "-" alone means 1-65535, "-b" means 1-b and "a-" means
 * a-65535, as nmap reads them. Port 0 is allowed only when written explicitly.
 * Returns 0, or -EINVAL with err naming the bad part ("port 70000 is outside
 * 0-65535", "range '90-80' is reversed", "empty port list", "'8o' is not a port
 * number"). On failure ps is left empty (total 0).
 */
int ports_parse(struct port_set *ps, const char *spec, struct errmsg *err);

/* The port at index i (0 <= i < ps->total). */
uint16_t ports_at(const struct port_set *ps, uint32_t i);

/* True if port is in the set. */
bool ports_contains(const struct port_set *ps, uint16_t port);

#define PORTS_NONE UINT32_MAX

/* The index of port in the set (the inverse of ports_at()), or PORTS_NONE. */
uint32_t ports_rank(const struct port_set *ps, uint16_t port);
