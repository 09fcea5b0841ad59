/* SPDX-License-Identifier: MIT */
/*
 * The output-format interface. The receiver hands each new result to an
 * output; a format only serialises struct result. Outputs are written from
 * the receive thread alone, so they need no locking.
 */
#pragma once

#include <stdio.h>
#include "errmsg.h"
#include "result.h"

struct output;

struct output_ops {
	const char *name;
	/* Writes one result. Returns 0 or -errno (a full disk, a closed pipe). */
	int (*write)(struct output *o, const struct result *r);
	/* Pushes buffered results to the file. Returns 0 or -errno. */
	int (*flush)(struct output *o);
};

struct output {
	const struct output_ops *ops;
	FILE *fp; /* not owned */
};

/* One line a result: "open tcp 80 198.18.1.7 ttl=64 win=65483". */
extern const struct output_ops output_text_ops;
