// SPDX-License-Identifier: MIT
#include "output.h"

#include <errno.h>

#include "addr.h"

static int text_write(struct output *o, const struct result *r)
{
	char addr[ADDR_STR_MAX];

	addr_format(r->addr, addr);
	/* Only TCP has a window: "up icmp 0 198.18.0.7 ttl=64", "open udp 53 198.18.0.7 ttl=64". */
	if (r->proto != PROTO_TCP) {
		if (fprintf(o->fp, "%s %s %u %s ttl=%u\n", result_state_name(r->state),
			    result_proto_name(r->proto), r->port, addr, r->ttl) < 0)
			return -errno;
		return 0;
	}
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
