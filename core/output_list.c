// SPDX-License-Identifier: MIT
/*
 * masscan's list format (-oL), column for column, so scripts written for
 * masscan read hayate's files unchanged: "open tcp 80 198.18.1.7 1700000000"
 * (state, protocol, port, address, Unix time of the reply), between a
 * "#masscan" line and a "# end" line. A file without "# end" was cut short.
 */
#include "output.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "output_records.h"

/* "closed tcp 65535 255.255.255.255 " and 20 digits of time: under 64 bytes. */
#define LIST_LINE_MAX 80
#define LIST_HEADER   "#masscan\n"
#define LIST_FOOTER   "# end\n"

/* Appends text, whole, to the records; -errno once the file has failed. */
static int list_put(struct output *o, const char *text)
{
	size_t n = strlen(text);
	int rc;
	uint8_t *p = records_reserve(o, n, &rc);

	if (!p)
		return rc;
	memcpy(p, text, n);
	records_commit(o, n);
	return 0;
}

static int list_open(struct output *o, const struct output_info *info)
{
	/* Appending: a resumed scan continues the list without a second header. */
	bool appending = ftell(o->fp) > 0;
	int rc;

	(void)info;
	rc = records_open(o, records_whole_lines);
	if (!rc && !appending)
		rc = list_put(o, LIST_HEADER);
	return rc;
}

/* Lines go out whole through output_records.h: a full disk leaves none torn. */
static int list_write(struct output *o, const struct result *r)
{
	char addr[ADDR_STR_MAX];
	int rc, n;
	char *line = (char *)records_reserve(o, LIST_LINE_MAX, &rc);

	if (!line)
		return rc;
	addr_format(r->addr, addr);
	n = snprintf(line, LIST_LINE_MAX, "%s %s %u %s %llu\n", result_state_name(r->state),
		     result_proto_name(r->proto), r->port, addr,
		     (unsigned long long)(r->time_ns / 1000000000ULL));
	if (n < 0 || n >= LIST_LINE_MAX)
		return -EOVERFLOW;
	records_commit(o, (size_t)n);
	return 0;
}

static int list_close(struct output *o, const struct output_info *info)
{
	int rc = list_put(o, LIST_FOOTER);
	int close_rc = records_close(o);

	(void)info;
	return rc ? rc : close_rc;
}

const struct output_ops output_list_ops = {
	.name = "list",
	.open = list_open,
	.write = list_write,
	.flush = records_flush,
	.close = list_close,
};
