// SPDX-License-Identifier: MIT
/*
 * What an internet-wide sweep must skip, modelled on ZMap's default blocklist
 * and the IANA IPv4 Special-Purpose Address Registry (RFC 6890). hayate's scan
 * setup applies this list only when the include set is larger than a /16, so
 * the list answers one question: "is it ever right for a sweep of the public
 * internet to reach this block by accident?"
 *
 * In, because these are never public unicast destinations:
 *   this network (0/8), loopback (127/8), link-local (169.254/16), the IETF
 *   protocol block (192.0.0/24), the three documentation nets, benchmarking
 *   (198.18/15), multicast (224/4), the reserved class E block (240/4) and
 *   limited broadcast. A SYN to any of these from a sweep is at best wasted and
 *   at worst lands on the scanner's own stack or its neighbours.
 * In, because these are somebody's private network:
 *   RFC 1918 (10/8, 172.16/12, 192.168/16) and shared CGN space (100.64/10).
 *   A sweep that routes them out goes to the scanner's own LAN or its ISP's
 *   inside, which the operator did not mean to probe. ZMap excludes them too.
 *   The deprecated 6to4 anycast relay block (192.88.99/24) is in as well:
 *   it is being returned to IANA and its relays belong to many operators.
 * Out: AS112 and the PCP/TURN anycast addresses are public services.
 *
 * Scanning your own 10.0.0.0/8 must still work, so reserved_exclude_all()
 * keeps the addresses that a spec names from inside a reserved block: only
 * what a wider spec covers by accident is dropped (see reserved.h).
 */
#include "reserved.h"

#include <errno.h>
#include <stdlib.h>

#include "compiler.h"

struct reserved_entry {
	uint32_t first, last;
	const char *name;
};

#define IP(a, b, c, d)	     ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))
#define NET(a, b, c, d, len) IP(a, b, c, d), IP(a, b, c, d) | (uint32_t)(0xffffffffULL >> (len))

/* Sorted and disjoint: tests/test_reserved.c checks both. */
static const struct reserved_entry reserved_table[] = {
	{NET(0, 0, 0, 0, 8), "this network (RFC 791, RFC 1122)"},
	{NET(10, 0, 0, 0, 8), "private (RFC 1918)"},
	{NET(100, 64, 0, 0, 10), "shared CGN space (RFC 6598)"},
	{NET(127, 0, 0, 0, 8), "loopback (RFC 1122)"},
	{NET(169, 254, 0, 0, 16), "link-local (RFC 3927)"},
	{NET(172, 16, 0, 0, 12), "private (RFC 1918)"},
	{NET(192, 0, 0, 0, 24), "IETF protocol assignments (RFC 6890)"},
	{NET(192, 0, 2, 0, 24), "TEST-NET-1 documentation (RFC 5737)"},
	{NET(192, 88, 99, 0, 24), "deprecated 6to4 relay anycast (RFC 7526)"},
	{NET(192, 168, 0, 0, 16), "private (RFC 1918)"},
	{NET(198, 18, 0, 0, 15), "benchmarking (RFC 2544)"},
	{NET(198, 51, 100, 0, 24), "TEST-NET-2 documentation (RFC 5737)"},
	{NET(203, 0, 113, 0, 24), "TEST-NET-3 documentation (RFC 5737)"},
	{NET(224, 0, 0, 0, 4), "multicast (RFC 5771)"},
	{IP(240, 0, 0, 0), IP(255, 255, 255, 254), "reserved class E (RFC 1112)"},
	{NET(255, 255, 255, 255, 32), "limited broadcast (RFC 919)"},
};

unsigned reserved_count(void)
{
	return ARRAY_SIZE(reserved_table);
}

struct target_range reserved_at(unsigned i, const char **name)
{
	if (name)
		*name = reserved_table[i].name;
	return (struct target_range){reserved_table[i].first, reserved_table[i].last};
}

bool reserved_contains(uint32_t addr)
{
	for (unsigned i = 0; i < ARRAY_SIZE(reserved_table); i++)
		if (addr >= reserved_table[i].first && addr <= reserved_table[i].last)
			return true;
	return false;
}

/* The table index of the block that wholly holds r, or -1. */
static int reserved_block_of(struct target_range r)
{
	for (unsigned i = 0; i < ARRAY_SIZE(reserved_table); i++)
		if (r.first >= reserved_table[i].first && r.last <= reserved_table[i].last)
			return (int)i;
	return -1;
}

static int reserved_cmp(const void *a, const void *b)
{
	const struct target_range *x = a, *y = b;

	return (x->first > y->first) - (x->first < y->first);
}

/*
 * Excludes block b except the parts that the sorted includes inside[0..n)
 * name; *pos walks inside[] forward across calls, since blocks are sorted too.
 */
static int reserved_exclude_block(struct target_set *t, unsigned b,
				  const struct target_range *inside, size_t n, size_t *pos)
{
	uint64_t cur = reserved_table[b].first, last = reserved_table[b].last;
	int rc;

	for (; *pos < n && inside[*pos].last <= last; (*pos)++) {
		if (inside[*pos].first > cur) {
			rc = targets_exclude_range(t, (uint32_t)cur, inside[*pos].first - 1);
			if (rc)
				return rc;
		}
		if ((uint64_t)inside[*pos].last + 1 > cur)
			cur = (uint64_t)inside[*pos].last + 1;
	}
	return cur <= last ? targets_exclude_range(t, (uint32_t)cur, (uint32_t)last) : 0;
}

int reserved_exclude_all(struct target_set *t)
{
	struct target_range *inside = NULL;
	size_t n = 0, pos = 0;
	int rc = 0;

	for (unsigned i = 0; i < t->count; i++) {
		if (reserved_block_of(t->ranges[i]) < 0)
			continue;
		if (!inside) {
			inside = malloc((size_t)(t->count - i) * sizeof(*inside));
			if (!inside)
				return -ENOMEM;
		}
		inside[n++] = t->ranges[i];
	}
	if (n)
		qsort(inside, n, sizeof(*inside), reserved_cmp);
	for (unsigned b = 0; b < ARRAY_SIZE(reserved_table) && !rc; b++)
		rc = reserved_exclude_block(t, b, inside, n, &pos);
	free(inside);
	return rc;
}
