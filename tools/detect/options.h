/* SPDX-License-Identifier: MIT */
/*
 * hayate-detect's command line. One table drives getopt_long and --help, as
 * in hayate's own core/cli.c. options_parse() only parses and checks each
 * value's form; tracker_init() checks what the values mean together.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "errmsg.h"
#include "tracker.h"

struct detect_options {
	struct detect_config cfg;
	const char *read_path; /* -r */
	const char *iface;     /* -i */
	const char *out_path;  /* -o, NULL: stdout */
	const char *filter;    /* -f, NULL: none for files, "tcp or icmp" live */
	bool quiet;	       /* -q: no alert lines on stderr */
};

enum options_result {
	OPTIONS_RUN = 0,
	OPTIONS_HELP = 1,
};

/*
 * Parses argv into opts (defaults first). Returns an enum options_result, or
 * -EINVAL with err naming the bad option or value. opts points into argv.
 */
int options_parse(int argc, char **argv, struct detect_options *opts, struct errmsg *err);
/* Writes the help text; it states the memory the given config would use. */
void options_print_help(FILE *fp, const struct detect_config *cfg);
