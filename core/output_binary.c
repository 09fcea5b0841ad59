// SPDX-License-Identifier: MIT
/*
 * The binary writer (-oB). The header is written at open; records go
 * through output_records.h, so no write ever splits a record, a scan killed
 * with SIGKILL leaves a file that reads back up to its last flush, and a
 * full disk leaves whole records only. The end record (end time, completed,
 * filtered reported) is written at close.
 */
#include "output.h"

#include <errno.h>
#include <stdlib.h>

#include "binformat.h"
#include "output_records.h"

/* Records are fixed-size: a prefix of the buffer holds n / 20 whole ones. */
static size_t binary_whole(const uint8_t *buf, size_t n)
{
	(void)buf;
	return n - n % BIN_RECORD_BYTES;
}

static int binary_open(struct output *o, const struct output_info *info)
{
	size_t size = binformat_header_bytes(info);
	int rc = records_open(o, binary_whole);
	uint8_t *header = rc ? NULL : malloc(size);

	if (!rc && !header)
		rc = -ENOMEM;
	/* An appended file (a resumed scan) already has its header. */
	if (!rc && ftell(o->fp) <= 0) {
		binformat_encode_header(header, info);
		errno = 0;
		if (fwrite(header, 1, size, o->fp) != size)
			rc = errno ? -errno : -EIO;
	}
	free(header);
	return rc;
}

static int binary_write(struct output *o, const struct result *r)
{
	int rc;
	uint8_t *rec = records_reserve(o, BIN_RECORD_BYTES, &rc);

	if (rec) {
		binformat_encode_record(rec, r);
		records_commit(o, BIN_RECORD_BYTES);
	}
	return rc;
}

static int binary_close(struct output *o, const struct output_info *info)
{
	unsigned flags = (info->completed ? BIN_END_COMPLETED : 0) |
			 (info->has_filtered ? BIN_END_HAS_FILTERED : 0);
	int rc, crc;
	uint8_t *rec = records_reserve(o, BIN_RECORD_BYTES, &rc);

	if (rec) {
		binformat_encode_end(rec, info->end_ns, flags);
		records_commit(o, BIN_RECORD_BYTES);
	}
	crc = records_close(o);
	return rc ? rc : crc;
}

const struct output_ops output_binary_ops = {
	.name = "binary",
	.open = binary_open,
	.write = binary_write,
	.flush = records_flush,
	.close = binary_close,
};
