// SPDX-License-Identifier: MIT
/*
 * JSON Lines (-oJ): one object a result, one result a line, nothing else, so
 * an interrupted scan leaves a file whose every complete line is valid JSON
 * (masscan writes one bracketed list, which an interruption leaves unclosed).
 * The field names are a stable interface:
 *
 *   {"ip":"198.18.1.7","port":80,"proto":"tcp","state":"open",
 *    "reason":"syn-ack","ttl":64,"window":65483,"time":1700000000.123456}
 *
 * time is the reply's wall-clock time in seconds since the Unix epoch, to the
 * microsecond (a double holds no more at this magnitude).
 */
#include "output.h"

#include <errno.h>

#include "addr.h"

static int json_write(struct output *o, const struct result *r)
{
	char addr[ADDR_STR_MAX];

	addr_format(r->addr, addr);
	if (fprintf(o->fp,
		    "{\"ip\":\"%s\",\"port\":%u,\"proto\":\"%s\",\"state\":\"%s\",\"reason\":\"%"
		    "s\","
		    "\"ttl\":%u,\"window\":%u,\"time\":%llu.%06llu}\n",
		    addr, r->port, result_proto_name(r->proto), result_state_name(r->state),
		    result_reason_name(r->reason), r->ttl, r->window,
		    (unsigned long long)(r->time_ns / 1000000000ULL),
		    (unsigned long long)(r->time_ns % 1000000000ULL / 1000)) < 0)
		return -errno;
	return 0;
}

static int json_flush(struct output *o)
{
	return fflush(o->fp) ? -errno : 0;
}

const struct output_ops output_json_ops = {
	.name = "json",
	.write = json_write,
	.flush = json_flush,
};
