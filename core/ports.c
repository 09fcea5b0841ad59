// SPDX-License-Identifier: MIT
/*
 * The spec is parsed into a 65536-bit map first and the ranges are read back
 * from the map. That makes overlaps, duplicates and adjacency merge for free,
 * bounds the work by the port space rather than by how the user wrote it, and
 * needs no allocation: the map is 8 KiB on the stack.
 */
#include "ports.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

#define PORTS_WORDS (65536 / 64)

/* Quotes at most PART_SHOWN bytes of an item in a message. */
#define PART_SHOWN 40
#define PART_FMT   "'%.*s%s'"
#define PART_ARG(s, len)                                                                           \
	(int)((len) > PART_SHOWN ? PART_SHOWN : (len)), (s), ((len) > PART_SHOWN ? "..." : "")

static bool ports_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static void ports_trim(const char **s, size_t *len)
{
	while (*len && ports_is_space(**s))
		(*s)++, (*len)--;
	while (*len && ports_is_space((*s)[*len - 1]))
		(*len)--;
}

/* Parses one decimal port; values are clamped while reading so huge input cannot overflow. */
static int ports_parse_number(const char *s, size_t len, uint16_t *port, struct errmsg *err)
{
	unsigned long value = 0;

	ports_trim(&s, &len);
	if (len == 0)
		return errmsg_set(err, -EINVAL, "missing port number");
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return errmsg_set(err, -EINVAL, PART_FMT " is not a port number",
					  PART_ARG(s, len));
		if (value <= 65535)
			value = value * 10 + (unsigned long)(s[i] - '0');
	}
	if (value > 65535)
		return errmsg_set(err, -EINVAL, "port %.*s%s is outside 0-65535", PART_ARG(s, len));
	*port = (uint16_t)value;
	return 0;
}

/* One item: "p", "a-b", "-b" (1-b), "a-" (a-65535) or "-" (1-65535). */
static int ports_parse_item(const char *s, size_t len, uint16_t *first, uint16_t *last,
			    struct errmsg *err)
{
	const char *dash = memchr(s, '-', len), *left = s, *right;
	size_t left_len, right_len;
	int rc;

	if (!dash) {
		rc = ports_parse_number(s, len, first, err);
		*last = *first;
		return rc;
	}
	left_len = (size_t)(dash - s);
	right = dash + 1;
	right_len = len - left_len - 1;
	ports_trim(&left, &left_len);
	ports_trim(&right, &right_len);
	*first = 1;
	*last = 65535;
	if (left_len && (rc = ports_parse_number(left, left_len, first, err)))
		return rc;
	if (right_len && (rc = ports_parse_number(right, right_len, last, err)))
		return rc;
	if (*first > *last)
		return errmsg_set(err, -EINVAL, "range " PART_FMT " is reversed", PART_ARG(s, len));
	return 0;
}

/* Sets bits first..last of map, a word at a time. */
static void ports_mark(uint64_t *map, unsigned first, unsigned last)
{
	while (first <= last && first % 64)
		map[first / 64] |= 1ULL << (first % 64), first++;
	for (; first + 63 <= last; first += 64)
		map[first / 64] = ~0ULL;
	for (; first <= last; first++)
		map[first / 64] |= 1ULL << (first % 64);
}

/* Rebuilds ps->ranges and prefix sums from the map's runs of set bits. */
static void ports_collect(struct port_set *ps, const uint64_t *map)
{
	bool in_run = false;

	for (unsigned port = 0; port < 65536; port++) {
		bool is_set = map[port / 64] >> (port % 64) & 1;

		if (is_set && !in_run) {
			ps->ranges[ps->count].first = (uint16_t)port;
			ps->starts[ps->count] = ps->total;
		} else if (!is_set && in_run) {
			ps->ranges[ps->count].last = (uint16_t)(port - 1);
			ps->total += port - ps->ranges[ps->count++].first;
		}
		in_run = is_set;
	}
	if (in_run) {
		ps->ranges[ps->count].last = 65535;
		ps->total += 65536 - ps->ranges[ps->count++].first;
	}
}

int ports_parse(struct port_set *ps, const char *spec, struct errmsg *err)
{
	uint64_t map[PORTS_WORDS] = {0};
	const char *p = spec;
	size_t spec_len = strlen(spec);

	ps->count = 0;
	ps->total = 0;
	for (;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *item = p;
		uint16_t first, last;
		int rc;

		ports_trim(&item, &len);
		if (len == 0 && !comma && p == spec)
			return errmsg_set(err, -EINVAL, "empty port list");
		if (len == 0)
			return errmsg_set(err, -EINVAL, "empty item in port list '%.*s%s'",
					  PART_ARG(spec, spec_len));
		rc = ports_parse_item(item, len, &first, &last, err);
		if (rc)
			return rc;
		ports_mark(map, first, last);
		if (!comma)
			break;
		p = comma + 1;
	}
	ports_collect(ps, map);
	return 0;
}

uint16_t ports_at(const struct port_set *ps, uint32_t i)
{
	unsigned lo = 0, hi = ps->count - 1;

	assert(i < ps->total);
	/* The last range whose start index is <= i; starts[0] == 0 makes one exist. */
	while (lo < hi) {
		unsigned mid = lo + (hi - lo + 1) / 2;

		if (ps->starts[mid] <= i)
			lo = mid;
		else
			hi = mid - 1;
	}
	return (uint16_t)(ps->ranges[lo].first + (i - ps->starts[lo]));
}

bool ports_contains(const struct port_set *ps, uint16_t port)
{
	return ports_rank(ps, port) != PORTS_NONE;
}

uint32_t ports_rank(const struct port_set *ps, uint16_t port)
{
	unsigned lo = 0, hi = ps->count - 1;

	if (ps->count == 0 || port < ps->ranges[0].first)
		return PORTS_NONE;
	while (lo < hi) {
		unsigned mid = lo + (hi - lo + 1) / 2;

		if (ps->ranges[mid].first <= port)
			lo = mid;
		else
			hi = mid - 1;
	}
	if (port > ps->ranges[lo].last)
		return PORTS_NONE;
	return ps->starts[lo] + (uint32_t)(port - ps->ranges[lo].first);
}
