/* SPDX-License-Identifier: MIT */
/*
 * Memory for the detector's tables (lru.c, attempts.c). Their lookups land at
 * random across tens of megabytes: with 4 KiB pages nearly each one misses
 * the TLB as well (a nested page walk under a hypervisor), so a large table
 * asks for transparent huge pages. Only a hint: without them a table works
 * the same, slower. Pure: no I/O.
 */
#pragma once

#include <stddef.h>

/* bytes of zeroed memory, aligned to a cache line at least; free() it. NULL if out of memory. */
void *table_mem_alloc(size_t bytes);
