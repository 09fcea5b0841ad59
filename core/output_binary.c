// SPDX-License-Identifier: MIT
/*
 * The binary writer (-oB). Records are gathered in a buffer of whole records
 * and handed to the kernel in one write() each time it fills or the receiver
 * flushes (about once a second): the FILE is unbuffered, so no write ever
 * splits a record, and a scan killed with SIGKILL leaves a file that reads
 * back up to its last flush. The header is written at open, the end record
 * (end time, completed, filtered reported) at close. A write the disk cuts
 * short (ENOSPC) is trimmed back to its last whole record and ends the file:
 * nothing more is written, so what is there always reads back.
 */
#include "output.h"

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "binformat.h"

#define BINARY_BUFFER_RECORDS 3276 /* 65,520 bytes */

struct binary {
	size_t used; /* bytes in buf */
	int error;   /* the write that failed, -errno: the file ends before it */
	uint8_t buf[BINARY_BUFFER_RECORDS * BIN_RECORD_BYTES];
};

static int binary_flush(struct output *o)
{
	struct binary *b = o->priv;

	if (b && b->error) {
		b->used = 0;
		return b->error;
	}
	if (b && b->used) {
		size_t want = b->used, n;

		errno = 0;
		n = fwrite(b->buf, 1, want, o->fp);
		b->used = 0;
		if (n != want) {
			off_t end = lseek(fileno(o->fp), 0, SEEK_CUR);

			b->error = errno ? -errno : -EIO;
			/* Every write starts on a record boundary: cut the torn record off. */
			if (end >= 0 && n % BIN_RECORD_BYTES)
				(void)!ftruncate(fileno(o->fp),
						 end - (off_t)(n % BIN_RECORD_BYTES));
			return b->error;
		}
	}
	return fflush(o->fp) ? -errno : 0;
}

static int binary_open(struct output *o, const struct output_info *info)
{
	size_t size = binformat_header_bytes(info);
	uint8_t *header = malloc(size);
	struct binary *b = malloc(sizeof(*b));
	int rc = 0;

	if (!header || !b) {
		free(header);
		free(b);
		return -ENOMEM;
	}
	b->used = 0;
	b->error = 0;
	o->priv = b;
	if (fileno(o->fp) >= 0) /* a real file (memory streams need their buffer) */
		setvbuf(o->fp, NULL, _IONBF, 0);
	/* An appended file (a resumed scan) already has its header. */
	if (ftell(o->fp) <= 0) {
		binformat_encode_header(header, info);
		if (fwrite(header, 1, size, o->fp) != size)
			rc = -EIO;
	}
	free(header);
	return rc;
}

static int binary_write(struct output *o, const struct result *r)
{
	struct binary *b = o->priv;
	int rc = 0;

	if (b->used == sizeof(b->buf))
		rc = binary_flush(o);
	binformat_encode_record(b->buf + b->used, r);
	b->used += BIN_RECORD_BYTES;
	return rc;
}

static int binary_close(struct output *o, const struct output_info *info)
{
	struct binary *b = o->priv;
	unsigned flags = (info->completed ? BIN_END_COMPLETED : 0) |
			 (info->has_filtered ? BIN_END_HAS_FILTERED : 0);
	int rc = 0;

	if (b->used == sizeof(b->buf))
		rc = binary_flush(o);
	binformat_encode_end(b->buf + b->used, info->end_ns, flags);
	b->used += BIN_RECORD_BYTES;
	if (!rc)
		rc = binary_flush(o);
	free(b);
	o->priv = NULL;
	return rc;
}

const struct output_ops output_binary_ops = {
	.name = "binary",
	.open = binary_open,
	.write = binary_write,
	.flush = binary_flush,
	.close = binary_close,
};
