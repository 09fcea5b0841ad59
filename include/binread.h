/* SPDX-License-Identifier: MIT */
/*
 * Reading a binary result file back. binread_parse() works on a buffer and
 * is pure: it checks the header and counts what follows (results, the end
 * record, corrupted records, a torn tail), so that a damaged file is
 * described, never trusted and never a crash. binread_open() is the thin
 * file layer: it maps the file read-only and parses the mapping.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "binformat.h"
#include "errmsg.h"
#include "output.h"

struct binread {
	const uint8_t *data; /* the whole file */
	size_t len;
	void *map; /* binread_open()'s mapping, NULL after binread_parse() alone */
	size_t map_len;
	struct bin_header header;
	char *args, *ports, *udp_ports; /* NUL-terminated copies of the header's strings */
	uint64_t records;		/* whole records after the header */
	uint64_t results;		/* of which results */
	uint64_t bad;			/* of which corrupted (skipped) */
	size_t tail_bytes;		/* bytes of a torn last record (ignored) */
	bool has_end;			/* an end record was found: the writer closed the file */
	uint64_t end_ns;		/* the last end record's time */
	unsigned end_flags;		/* and its BIN_END_* flags */
};

/*
 * Parses len bytes of buf (kept, not copied: it must outlive br). Returns 0,
 * or -EINVAL with err saying why the header is unusable, or -ENOMEM.
 */
int binread_parse(struct binread *br, const uint8_t *buf, size_t len, struct errmsg *err);

/*
 * Record i (i < br->records) as a result: true and *r filled for a result,
 * false for the end record or a corrupted one.
 */
bool binread_result(const struct binread *br, uint64_t i, struct result *r);

/* Fills info (scan description for headers and footers) from the file. */
void binread_info(const struct binread *br, struct output_info *info);

/* Maps path and parses it. Returns 0, or -errno/-EINVAL with err naming the file. */
int binread_open(struct binread *br, const char *path, struct errmsg *err);

/* Unmaps and frees what br owns. */
void binread_close(struct binread *br);
