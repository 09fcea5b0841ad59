/* SPDX-License-Identifier: MIT */
/*
 * What the streaming formats that must never leave a torn record share
 * (binary, JSON Lines, masscan's list). Records are gathered whole in a buffer and handed to
 * the kernel in one write each time it fills or the output is flushed
 * (about once a second), through an unbuffered FILE, so no write begins
 * inside a record. A write the disk cuts short (ENOSPC) is trimmed back to
 * its last whole record and ends the file: nothing more is written, so what
 * the file holds is whole records, the results up to the failure. Private
 * to core/.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>
#include "output.h"

#define RECORDS_BUFFER_BYTES 65536

/* How many bytes of buf[0, n), a prefix of what was buffered, are whole records. */
typedef size_t (*records_whole_fn)(const uint8_t *buf, size_t n);

struct records {
	records_whole_fn whole;
	size_t used; /* bytes in buf */
	int error;   /* the write that failed, -errno: the file ends before it */
	uint8_t buf[RECORDS_BUFFER_BYTES];
};

/* records_whole_fn of line formats: the buffer up to its last newline. */
size_t records_whole_lines(const uint8_t *buf, size_t n);

/* Makes o->priv a struct records and o->fp unbuffered. Returns 0 or -ENOMEM. */
int records_open(struct output *o, records_whole_fn whole);

/* records_reserve() when the buffer is full, or the file failed. */
uint8_t *records_reserve_slow(struct output *o, size_t max, int *rc);

/*
 * Room for one record of at most max bytes (max <= RECORDS_BUFFER_BYTES),
 * flushing first if the buffer lacks it: write the record there and pass its
 * length to records_commit(). Returns NULL, with *rc the -errno, once the
 * file has failed (or if records_open() did). Inline: it runs once a result.
 */
static inline uint8_t *records_reserve(struct output *o, size_t max, int *rc)
{
	struct records *rb = o->priv;

	if (rb && !rb->error && rb->used + max <= sizeof(rb->buf)) {
		*rc = 0;
		return rb->buf + rb->used;
	}
	return records_reserve_slow(o, max, rc);
}

static inline void records_commit(struct output *o, size_t n)
{
	((struct records *)o->priv)->used += n;
}

/* output_ops.flush for these formats: writes the buffer. Returns 0 or -errno. */
int records_flush(struct output *o);

/* Flushes and frees o->priv. Returns 0 or -errno. */
int records_close(struct output *o);
