/* SPDX-License-Identifier: MIT */
/*
 * How alerts read: one JSON object per line for programs, one sentence per
 * line for people. Both are formatted into a caller's buffer, so the writing
 * (and its errors) stays in main.c. Pure: no I/O.
 */
#pragma once

#include <stddef.h>

#include "tracker.h"

/* "port_scan", "address_sweep" or "trw". */
const char *report_kind_name(enum alert_kind kind);

/*
 * Formats a as a JSON object and a newline. Returns the length, as snprintf()
 * does (>= size means it was cut short; REPORT_LINE_MAX is always enough).
 */
int report_json(const struct alert *a, char *buf, size_t size);
/* Formats a as one readable line and a newline; same return as report_json(). */
int report_text(const struct alert *a, char *buf, size_t size);

#define REPORT_LINE_MAX 512
