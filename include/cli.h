/* SPDX-License-Identifier: MIT */
/*
 * The command line. One option table drives both getopt_long and the grouped
 * --help text, so they cannot drift apart. cli_parse() only parses: it fills a
 * struct scan_config and checks each value's form; what the values mean
 * together (targets, routes) is checked later, by scan_build_sets() and main.
 */
#pragma once

#include <stdio.h>
#include "errmsg.h"
#include "scan.h"

enum cli_result {
	CLI_RUN = 0,	 /* cfg is filled: run the scan */
	CLI_HELP = 1,	 /* --help was asked: print cli_print_help() and exit 0 */
	CLI_VERSION = 2, /* --version */
};

/*
 * Parses argv into cfg (which it zeroes and fills with defaults first).
 * Returns an enum cli_result, or -EINVAL with err naming the bad option or
 * value. cfg keeps pointers into argv, and arrays freed by cli_free().
 */
int cli_parse(int argc, char **argv, struct scan_config *cfg, struct errmsg *err);

/* Frees the arrays cli_parse() allocated in cfg. */
void cli_free(struct scan_config *cfg);

/* Writes the grouped help text. */
void cli_print_help(FILE *fp);
