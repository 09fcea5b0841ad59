// SPDX-License-Identifier: MIT
/*
 * JSON Lines (-oJ): one object a result, one result a line, nothing else, so
 * an interrupted scan leaves a file whose every complete line is valid JSON
 * (masscan writes one bracketed list, which an interruption leaves unclosed).
 * Lines go out whole through output_records.h, so a full disk leaves no torn
 * last line either: every line in the file parses.
 * The field names are a stable interface:
 *
 *   {"ip":"198.18.1.7","port":80,"proto":"tcp","state":"open",
 *    "reason":"syn-ack","ttl":64,"window":65483,"time":1700000000.123456}
 *
 * time is the reply's wall-clock time in seconds since the Unix epoch, to the
 * microsecond (a double holds no more at this magnitude).
 */
#include "output.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "addr.h"
#include "output_records.h"

/* The longest line: every field at its widest is under 200 bytes. */
#define JSON_LINE_MAX 256

/* A prefix of the buffer holds whole lines up to its last newline. */
static size_t json_whole(const uint8_t *buf, size_t n)
{
	const uint8_t *nl = memrchr(buf, '\n', n);

	return nl ? (size_t)(nl - buf) + 1 : 0;
}

static int json_open(struct output *o, const struct output_info *info)
{
	(void)info;
	return records_open(o, json_whole);
}

static int json_write(struct output *o, const struct result *r)
{
	char addr[ADDR_STR_MAX];
	int rc, n;
	char *line = (char *)records_reserve(o, JSON_LINE_MAX, &rc);

	if (!line)
		return rc;
	addr_format(r->addr, addr);
	n = snprintf(
		line, JSON_LINE_MAX,
		"{\"ip\":\"%s\",\"port\":%u,\"proto\":\"%s\",\"state\":\"%s\",\"reason\":\"%s\","
		"\"ttl\":%u,\"window\":%u,\"time\":%llu.%06llu}\n",
		addr, r->port, result_proto_name(r->proto), result_state_name(r->state),
		result_reason_name(r->reason), r->ttl, r->window,
		(unsigned long long)(r->time_ns / 1000000000ULL),
		(unsigned long long)(r->time_ns % 1000000000ULL / 1000));
	assert(n > 0 && n < JSON_LINE_MAX);
	records_commit(o, (size_t)n);
	return rc;
}

static int json_close(struct output *o, const struct output_info *info)
{
	(void)info;
	return records_close(o);
}

const struct output_ops output_json_ops = {
	.name = "json",
	.open = json_open,
	.write = json_write,
	.flush = records_flush,
	.close = json_close,
};
