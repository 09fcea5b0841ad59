/* SPDX-License-Identifier: MIT */
/*
 * Counting distinct values (ports of one host, or hosts on one port) within a
 * sliding time window, exactly up to a cap. The set is a small array of
 * (value, time) pairs, capped at the alert threshold: once it holds that many
 * values seen within the window, the threshold is met and more precision is
 * worth nothing. A value older than the window makes room for a new one.
 * Pure: no I/O, no allocation.
 */
#pragma once

#include <stdint.h>

struct distinct_elem {
	uint32_t value;
	uint32_t ms; /* when it was last seen, on the caller's millisecond clock */
};

/*
 * Records value seen at ms in set (n of cap elements used) and returns how
 * many distinct values the set holds seen in the window_ms before ms, ms
 * included (values seen after ms count too). The result is exact up to cap;
 * a set full of values within the window returns cap. Times are compared
 * modulo 2^32, so a window must be shorter than 2^31 ms (24 days).
 */
uint32_t distinct_add(struct distinct_elem *set, uint32_t *n, uint32_t cap, uint32_t value,
		      uint32_t ms, uint32_t window_ms);
