// SPDX-License-Identifier: MIT
/*
 * An open-addressing table from address to host entry, grown at half load,
 * and one flat array of shown results. At the end both are sorted once: the
 * results by (address, port, time), so each host's results are one run of
 * the array, and the hosts by address.
 */
#include "hosts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

void hosts_init(struct hosts *h)
{
	memset(h, 0, sizeof(*h));
}

void hosts_free(struct hosts *h)
{
	free(h->results);
	free(h->list);
	free(h->table);
	hosts_init(h);
}

static size_t hosts_hash(uint32_t addr, size_t mask)
{
	return (size_t)((addr * 0x9e3779b1u) ^ (addr >> 16)) & mask;
}

/* Doubles the address table (or makes the first one) and reinserts every host. */
static int hosts_grow_table(struct hosts *h)
{
	size_t size = h->table ? (h->table_mask + 1) * 2 : 1024;
	uint32_t *table = calloc(size, sizeof(*table));

	if (!table)
		return -ENOMEM;
	for (size_t i = 0; i < h->nhosts; i++) {
		size_t slot = hosts_hash(h->list[i].addr, size - 1);

		while (table[slot])
			slot = (slot + 1) & (size - 1);
		table[slot] = (uint32_t)(i + 1);
	}
	free(h->table);
	h->table = table;
	h->table_mask = size - 1;
	return 0;
}

/* The host entry of addr, or NULL; *slot_out gets the slot where it is or would go. */
static struct host *hosts_find(const struct hosts *h, uint32_t addr, size_t *slot_out)
{
	size_t slot = hosts_hash(addr, h->table_mask);

	while (h->table[slot]) {
		struct host *host = &h->list[h->table[slot] - 1];

		if (host->addr == addr)
			return host;
		slot = (slot + 1) & h->table_mask;
	}
	*slot_out = slot;
	return NULL;
}

static struct host *hosts_insert(struct hosts *h, uint32_t addr)
{
	size_t slot = 0;
	struct host *host;

	if ((!h->table || 2 * (h->nhosts + 1) > h->table_mask + 1) && hosts_grow_table(h))
		return NULL;
	if (h->nhosts == UINT32_MAX - 1)
		return NULL;
	if (h->nhosts == h->hosts_cap) {
		size_t cap = h->hosts_cap ? 2 * h->hosts_cap : 256;
		struct host *list = realloc(h->list, cap * sizeof(*list));

		if (!list)
			return NULL;
		h->list = list;
		h->hosts_cap = cap;
	}
	hosts_find(h, addr, &slot);
	host = &h->list[h->nhosts++];
	memset(host, 0, sizeof(*host));
	host->addr = addr;
	h->table[slot] = (uint32_t)h->nhosts;
	return host;
}

static int hosts_keep(struct hosts *h, const struct result *r)
{
	if (h->count == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 1024;
		struct result *results = realloc(h->results, cap * sizeof(*results));

		if (!results)
			return -ENOMEM;
		h->results = results;
		h->cap = cap;
	}
	h->results[h->count++] = *r;
	return 0;
}

int hosts_add(struct hosts *h, const struct result *r, bool shown)
{
	struct host *host = NULL;
	size_t slot = 0;

	if (h->table)
		host = hosts_find(h, r->addr, &slot);
	if (!host) {
		if (r->reason == REASON_NO_RESPONSE)
			return 0; /* nothing ever came back from it: down */
		host = hosts_insert(h, r->addr);
		if (!host)
			return -ENOMEM;
		host->reason = r->reason;
		host->ttl = r->ttl;
		host->first_ns = r->time_ns;
	}
	if (r->time_ns < host->first_ns)
		host->first_ns = r->time_ns;
	if (r->time_ns > host->last_ns)
		host->last_ns = r->time_ns;
	if (!h->first_ns || r->time_ns < h->first_ns)
		h->first_ns = r->time_ns;
	if (r->time_ns > h->last_ns)
		h->last_ns = r->time_ns;
	if (r->state == PORT_UP)
		return 0; /* an echo reply: the host is up, and there is no port to list */
	if (shown)
		return hosts_keep(h, r);
	if (r->state < HOSTS_STATES && r->reason < HOSTS_REASONS)
		host->hidden[hosts_proto_index(r->proto)][r->state][r->reason]++;
	return 0;
}

static int hosts_cmp_result(const void *a, const void *b)
{
	const struct result *x = a, *y = b;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (x->time_ns != y->time_ns)
		return x->time_ns < y->time_ns ? -1 : 1;
	return 0;
}

static int hosts_cmp_host(const void *a, const void *b)
{
	const struct host *x = a, *y = b;

	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

void hosts_finish(struct hosts *h)
{
	size_t r = 0;

	if (h->count)
		qsort(h->results, h->count, sizeof(*h->results), hosts_cmp_result);
	if (h->nhosts)
		qsort(h->list, h->nhosts, sizeof(*h->list), hosts_cmp_host);
	/* Both arrays are now in address order: one merge pass links them. */
	for (size_t i = 0; i < h->nhosts; i++) {
		struct host *host = &h->list[i];

		while (r < h->count && h->results[r].addr < host->addr)
			r++;
		host->first = r;
		while (r < h->count && h->results[r].addr == host->addr)
			r++;
		host->count = r - host->first;
	}
	free(h->table); /* the slots point into the unsorted list */
	h->table = NULL;
	h->table_mask = 0;
}

uint64_t hosts_hidden_count(const struct host *host, unsigned state)
{
	uint64_t n = 0;

	for (unsigned p = 0; state < HOSTS_STATES && p < HOSTS_PROTOS; p++)
		for (unsigned reason = 0; reason < HOSTS_REASONS; reason++)
			n += host->hidden[p][state][reason];
	return n;
}

uint64_t hosts_state_count(const struct hosts *h, const struct host *host, unsigned state)
{
	uint64_t n = hosts_hidden_count(host, state);

	for (size_t i = 0; i < host->count; i++)
		n += h->results[host->first + i].state == state;
	return n;
}
