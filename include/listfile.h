/* SPDX-License-Identifier: MIT */
/*
 * Reads a list file in nmap's -iL format: specs separated by whitespace or
 * commas, '#' starting a comment to the end of the line. The file is read in
 * bounded chunks and checked to be text, so a wrong path (a directory, a
 * binary, a huge one-line file) fails with the line it broke on, never with a
 * silent truncation. Not pure: it opens files.
 */
#pragma once

#include "errmsg.h"

/* Longest accepted line in bytes, not counting the newline. */
#define LISTFILE_LINE_MAX (1 << 20)

/*
 * Calls fn(ctx, spec, err) for each spec of the file at path ("-" reads
 * standard input), in order. fn returns 0 to go on, or a negative code that
 * stops the read; its errmsg is then prefixed with "path:line: ".
 * Returns 0, fn's code, -EINVAL for a line that is not text or too long, or
 * -errno if the file cannot be opened or read; err names the file and line.
 */
int listfile_read(const char *path, int (*fn)(void *ctx, const char *spec, struct errmsg *err),
		  void *ctx, struct errmsg *err);
