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
#include <string.h>

#include "addr.h"
#include "output_records.h"

/* The longest line: every field at its widest is under 200 bytes. */
#define JSON_LINE_MAX 256

static int json_open(struct output *o, const struct output_info *info)
{
	(void)info;
	return records_open(o, records_whole_lines);
}

/*
 * The line is put together by hand: printf-style formatting cost 180 to
 * 230 ns a line, four times these appends (bench_output), for the same
 * bytes.
 */
static char *json_str(char *p, const char *s)
{
	size_t n = strlen(s);

	memcpy(p, s, n);
	return p + n;
}

/* v in decimal, zero-padded to at least width digits. */
static char *json_uint(char *p, unsigned long long v, unsigned width)
{
	char digits[20];
	unsigned n = 0;

	do
		digits[n++] = (char)('0' + v % 10);
	while ((v /= 10) || n < width);
	while (n)
		*p++ = digits[--n];
	return p;
}

static int json_write(struct output *o, const struct result *r)
{
	char addr[ADDR_STR_MAX];
	int rc;
	char *line = (char *)records_reserve(o, JSON_LINE_MAX, &rc), *p = line;

	if (!line)
		return rc;
	addr_format(r->addr, addr);
	p = json_str(p, "{\"ip\":\"");
	p = json_str(p, addr);
	p = json_str(p, "\",\"port\":");
	p = json_uint(p, r->port, 1);
	p = json_str(p, ",\"proto\":\"");
	p = json_str(p, result_proto_name(r->proto));
	p = json_str(p, "\",\"state\":\"");
	p = json_str(p, result_state_name(r->state));
	p = json_str(p, "\",\"reason\":\"");
	p = json_str(p, result_reason_name(r->reason));
	p = json_str(p, "\",\"ttl\":");
	p = json_uint(p, r->ttl, 1);
	p = json_str(p, ",\"window\":");
	p = json_uint(p, r->window, 1);
	p = json_str(p, ",\"time\":");
	p = json_uint(p, r->time_ns / 1000000000ULL, 1);
	*p++ = '.';
	p = json_uint(p, r->time_ns % 1000000000ULL / 1000, 6);
	p = json_str(p, "}\n");
	assert(p - line < JSON_LINE_MAX);
	records_commit(o, (size_t)(p - line));
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
