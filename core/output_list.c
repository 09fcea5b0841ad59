// SPDX-License-Identifier: MIT
/*
 * masscan's list format (-oL), column for column, so scripts written for
 * masscan read hayate's files unchanged: "open tcp 80 198.18.1.7 1700000000"
 * (state, protocol, port, address, Unix time of the reply), between a
 * "#masscan" line and a "# end" line. A file without "# end" was cut short.
 */
#include "output.h"

#include <errno.h>

#include "addr.h"

static int list_open(struct output *o, const struct output_info *info)
{
	(void)info;
	if (ftell(o->fp) > 0) /* appending: a resumed scan continues the list */
		return 0;
	return fputs("#masscan\n", o->fp) < 0 ? -errno : 0;
}

static int list_write(struct output *o, const struct result *r)
{
	char addr[ADDR_STR_MAX];

	addr_format(r->addr, addr);
	if (fprintf(o->fp, "%s %s %u %s %llu\n", result_state_name(r->state),
		    result_proto_name(r->proto), r->port, addr,
		    (unsigned long long)(r->time_ns / 1000000000ULL)) < 0)
		return -errno;
	return 0;
}

static int list_flush(struct output *o)
{
	return fflush(o->fp) ? -errno : 0;
}

static int list_close(struct output *o, const struct output_info *info)
{
	(void)info;
	return fputs("# end\n", o->fp) < 0 ? -errno : 0;
}

const struct output_ops output_list_ops = {
	.name = "list",
	.open = list_open,
	.write = list_write,
	.flush = list_flush,
	.close = list_close,
};
