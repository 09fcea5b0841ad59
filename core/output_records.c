// SPDX-License-Identifier: MIT
#include "output_records.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

size_t records_whole_lines(const uint8_t *buf, size_t n)
{
	const uint8_t *nl = memrchr(buf, '\n', n);

	return nl ? (size_t)(nl - buf) + 1 : 0;
}

int records_open(struct output *o, records_whole_fn whole)
{
	struct records *rb = malloc(sizeof(*rb));

	if (!rb)
		return -ENOMEM;
	rb->whole = whole;
	rb->used = 0;
	rb->error = 0;
	o->priv = rb;
	/* Unbuffered, so fwrite() is one write() and tells how much of it landed. */
	if (fileno(o->fp) >= 0) /* a real file (memory streams need their buffer) */
		setvbuf(o->fp, NULL, _IONBF, 0);
	return 0;
}

/* Cuts off the torn bytes a short write left at the end of the file. */
static void records_trim(struct output *o, size_t torn)
{
	int fd = fileno(o->fp);
	off_t end;

	if (!torn || fd < 0)
		return;
	end = lseek(fd, 0, SEEK_CUR); /* fails on a pipe: nothing to cut there */
	if (end >= (off_t)torn)
		(void)!ftruncate(fd, end - (off_t)torn);
}

int records_flush(struct output *o)
{
	struct records *rb = o->priv;

	if (rb && rb->error) {
		rb->used = 0;
		return rb->error;
	}
	if (rb && rb->used) {
		size_t want = rb->used, n;

		errno = 0;
		n = fwrite(rb->buf, 1, want, o->fp);
		rb->used = 0;
		if (n != want) {
			rb->error = errno ? -errno : -EIO;
			/* The buffer began on a record boundary: what follows its last whole one is
			 * torn. */
			records_trim(o, n - rb->whole(rb->buf, n));
			return rb->error;
		}
	}
	return fflush(o->fp) ? -errno : 0;
}

uint8_t *records_reserve_slow(struct output *o, size_t max, int *rc)
{
	struct records *rb = o->priv;

	if (!rb) { /* records_open() failed */
		*rc = -ENOMEM;
		return NULL;
	}
	*rc = 0;
	if (rb->used + max > sizeof(rb->buf))
		*rc = records_flush(o);
	if (rb->error) {
		*rc = rb->error;
		return NULL;
	}
	return rb->buf + rb->used;
}

int records_close(struct output *o)
{
	int rc = records_flush(o);

	free(o->priv);
	o->priv = NULL;
	return rc;
}
