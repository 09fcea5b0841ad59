/* SPDX-License-Identifier: MIT */
/*
 * What the user sees on stderr while the scan runs and when it ends: a status
 * line once a second (rate, progress, ETA, results) and a closing summary.
 * Both only read the scan's counters.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "scan.h"

/* Keeps the previous sample so that the rate shown is the recent one, not the average. */
struct status {
	uint64_t last_ns, last_sent;
	bool is_tty;
};

void status_init(struct status *st, uint64_t now_ns, bool is_tty);
/* Prints one status line for now_ns; waiting is true once every probe is sent. */
void status_print(struct status *st, const struct scan *s, uint64_t now_ns, bool waiting, FILE *fp);
/* Prints the closing summary (sent, received, states found, drops, elapsed, average rate). */
void status_summary(const struct scan *s, uint64_t now_ns, FILE *fp);
