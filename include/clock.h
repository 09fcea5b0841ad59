/* SPDX-License-Identifier: MIT */
/*
 * The one reader of the clocks. Pure modules take time as an argument; only
 * the loops and main() call these, so tests can drive time by hand.
 */
#pragma once

#include <stdint.h>

/* CLOCK_MONOTONIC in nanoseconds. */
uint64_t clock_now_ns(void);
/* CLOCK_REALTIME in nanoseconds since the Unix epoch (for result timestamps). */
uint64_t clock_wall_ns(void);
/* Sleeps about ns nanoseconds (returns early on a signal; callers re-check their state). */
void clock_sleep_ns(uint64_t ns);
