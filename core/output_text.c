// SPDX-License-Identifier: MIT
#include "output.h"

#include <errno.h>

#include "addr.h"

static int text_write(struct output *o, const struct result *r)
{
	char addr[ADDR_STR_MAX];

	addr_format(r->addr, addr);
	if (fprintf(o->fp, "%s tcp %u %s ttl=%u win=%u\n", result_state_name(r->state), r->port,
		    addr, r->ttl, r->window) < 0)
		return -errno;
	return 0;
}

static int text_flush(struct output *o)
{
	return fflush(o->fp) ? -errno : 0;
}

const struct output_ops output_text_ops = {
	.name = "text",
	.write = text_write,
	.flush = text_flush,
};
