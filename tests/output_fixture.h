/* SPDX-License-Identifier: MIT */
/*
 * Shared by the tests/test_output_*.c binaries: a fixed scan description and
 * a fixed set of results, and a runner that drives one format through open,
 * write (or hidden, by its --show mask), close into memory and returns the text.
 */
#pragma once

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "output.h"

#define FIXTURE_T0 1700000000000000000ULL /* Tue Nov 14 22:13:20 2023 UTC */

static const struct output_info fixture_info = {
	.args = "hayate 198.18.0.0/30 -p 22,80,443 --rate 1000",
	.ports = "22,80,443",
	.ports_total = 3,
	.targets_total = 4,
	.seed = 42,
	.scan_id = 0x1234,
	.shard_count = 1,
	.rate_pps = 1000,
	.show = 0xe,
	.start_ns = FIXTURE_T0,
	.end_ns = FIXTURE_T0 + 2500000000ULL,
	.completed = true,
	.has_filtered = true,
};

/* 198.18.0.1: 22 open, 80 closed, 443 filtered (no reply); 198.18.0.2: 80 open, rest closed;
 * 198.18.0.3: 443 unreachable only; 198.18.0.0: nothing answered. */
static const struct result fixture_results[] = {
	{FIXTURE_T0 + 100000000, 0xc6120001, 22, 6, 1, 1, 64, 65483},
	{FIXTURE_T0 + 110000000, 0xc6120002, 80, 6, 1, 1, 63, 29200},
	{FIXTURE_T0 + 120000000, 0xc6120001, 80, 6, 2, 2, 64, 0},
	{FIXTURE_T0 + 130000000, 0xc6120002, 22, 6, 2, 2, 63, 0},
	{FIXTURE_T0 + 140000000, 0xc6120002, 443, 6, 2, 2, 63, 0},
	{FIXTURE_T0 + 150000000, 0xc6120003, 443, 6, 3, 3, 61, 0},
	/* after the wait: the silent probes */
	{FIXTURE_T0 + 2500000000ULL, 0xc6120001, 443, 6, 3, 4, 0, 0},
	{FIXTURE_T0 + 2500000000ULL, 0xc6120003, 22, 6, 3, 4, 0, 0},
	{FIXTURE_T0 + 2500000000ULL, 0xc6120003, 80, 6, 3, 4, 0, 0},
	{FIXTURE_T0 + 2500000000ULL, 0xc6120000, 22, 6, 3, 4, 0, 0},
	{FIXTURE_T0 + 2500000000ULL, 0xc6120000, 80, 6, 3, 4, 0, 0},
	{FIXTURE_T0 + 2500000000ULL, 0xc6120000, 443, 6, 3, 4, 0, 0},
};
#define FIXTURE_COUNT (sizeof(fixture_results) / sizeof(fixture_results[0]))

/* Runs ops with show over the fixture's results, described by info; returns the malloc'd
 * output (*len bytes). */
__attribute__((noinline, unused)) static char *fixture_run_info(const struct output_ops *ops,
								const struct output_info *info,
								unsigned show, size_t *len)
{
	char *text = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&text, &n);
	struct output o = {.ops = ops, .fp = fp, .show = show};

	setenv("TZ", "UTC", 1);
	if (output_open(&o, info))
		abort();
	for (size_t i = 0; i < FIXTURE_COUNT; i++)
		if (output_write(&o, &fixture_results[i]))
			abort();
	if (output_close(&o, info))
		abort();
	fclose(fp); /* output_close() leaves a file it does not own open */
	if (len)
		*len = n;
	return text;
}

/* Runs ops with show over the fixture; returns the malloc'd output (*len bytes). */
__attribute__((unused)) static char *fixture_run(const struct output_ops *ops, unsigned show,
						 size_t *len)
{
	return fixture_run_info(ops, &fixture_info, show, len);
}

/* Counts the lines of text that start with prefix. */
static inline unsigned fixture_lines(const char *text, const char *prefix)
{
	unsigned n = 0;
	size_t plen = strlen(prefix);

	for (const char *line = text; line && *line;
	     line = strchr(line, '\n'), line = line ? line + 1 : NULL)
		n += !strncmp(line, prefix, plen);
	return n;
}

/*
 * A cmocka group setup for the tests that let RLIMIT_FSIZE stand in for a
 * full disk: a write past the limit raises SIGXFSZ, whose default kills;
 * ignored, the write fails with EFBIG.
 */
__attribute__((unused)) static int fixture_ignore_sigxfsz(void **state)
{
	(void)state;
	signal(SIGXFSZ, SIG_IGN);
	return 0;
}
