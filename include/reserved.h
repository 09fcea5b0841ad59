/* SPDX-License-Identifier: MIT */
/*
 * IANA special-purpose IPv4 ranges (RFC 6890 and its updates) that a sweep of
 * the public address space must never touch: this-network, loopback,
 * link-local, multicast, reserved, broadcast and the like. Data plus lookups.
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
/* Queues every reserved range as an exclude of t. Returns 0 or -ENOMEM. */
int reserved_exclude_all(struct target_set *t);
