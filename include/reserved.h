/* SPDX-License-Identifier: MIT */
/*
 * IANA special-purpose IPv4 ranges (RFC 6890 and its updates) that a sweep of
 * the public address space must never touch: this-network, loopback,
 * link-local, multicast, reserved, broadcast, and private space (RFC 1918 and
 * CGN), as ZMap's default blocklist does. core/reserved.c says why each is in.
 * Data plus lookups.
 */
#pragma once

#include <stdbool.h>
#include "targets.h"

/* Number of entries in the built-in table. */
unsigned reserved_count(void);
/* Entry i of the table (i < reserved_count()), with its RFC-style name. */
struct target_range reserved_at(unsigned i, const char **name);
/* True if addr lies in one of the ranges. */
bool reserved_contains(uint32_t addr);
/*
 * Queues every reserved range as an exclude of t, but spares what an include
 * added so far names from wholly inside one reserved block: with 0.0.0.0/0 all
 * of 10.0.0.0/8 is skipped, while an explicit 10.0.0.0/8 or 10.1.2.3 is kept.
 * Call after the includes, before targets_finish(). Returns 0 or -ENOMEM.
 */
int reserved_exclude_all(struct target_set *t);
