// SPDX-License-Identifier: MIT
/*
 * One pass over at most cap elements does everything: it finds value if
 * present, counts the values still inside the window, and remembers the
 * oldest element as the one to replace. Thresholds are small (15 and 25 by
 * default), so a linear scan of a few cache lines beats any cleverer set.
 */
#include "distinct.h"

#include <stdbool.h>

/* True if a value last seen at then is inside the window that ends at ms. */
static bool distinct_in_window(uint32_t then, uint32_t ms, uint32_t window_ms)
{
	return (int32_t)(ms - then) < (int32_t)window_ms;
}

uint32_t distinct_add(struct distinct_elem *set, uint32_t *n, uint32_t cap, uint32_t value,
		      uint32_t ms, uint32_t window_ms)
{
	uint32_t count = 0, oldest = 0;
	bool found = false;

	for (uint32_t i = 0; i < *n; i++) {
		if (set[i].value == value) {
			found = true;
			if ((int32_t)(ms - set[i].ms) > 0)
				set[i].ms = ms;
		}
		if (distinct_in_window(set[i].ms, ms, window_ms))
			count++;
		if ((int32_t)(set[oldest].ms - set[i].ms) > 0)
			oldest = i;
	}
	if (found)
		return count;
	if (*n < cap) {
		set[(*n)++] = (struct distinct_elem){.value = value, .ms = ms};
		return count + 1;
	}
	if (cap == 0)
		return 0;
	/* Full: the oldest element makes room if it has left the window. */
	if (distinct_in_window(set[oldest].ms, ms, window_ms))
		return cap;
	set[oldest] = (struct distinct_elem){.value = value, .ms = ms};
	return count + 1;
}
