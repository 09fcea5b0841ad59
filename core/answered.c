// SPDX-License-Identifier: MIT
#include "answered.h"

#include <errno.h>
#include <stdlib.h>

#include "scan.h"

int answered_init(struct answered *a, uint64_t probes)
{
	a->bits = NULL;
	a->probes = 0;
	if (probes > ANSWERED_MAX_PROBES)
		return -E2BIG;
	a->bits = calloc((size_t)(probes / 64 + 1), sizeof(*a->bits));
	if (!a->bits)
		return -ENOMEM;
	a->probes = probes;
	return 0;
}

void answered_free(struct answered *a)
{
	free(a->bits);
	a->bits = NULL;
	a->probes = 0;
}

void answered_mark(struct answered *a, const struct scan *s, uint32_t addr, uint16_t port)
{
	uint64_t ai, pi;

	if (!a->bits)
		return;
	ai = targets_rank(&s->targets, addr);
	pi = ports_rank(&s->ports, port);
	if (ai == TARGETS_NONE || pi == PORTS_NONE)
		return;
	answered_set(a, ai + pi * s->targets.total);
}

uint64_t answered_each_silent(const struct answered *a, const struct scan *s,
			      void (*fn)(void *ctx, uint32_t addr, uint16_t port), void *ctx)
{
	uint64_t silent = 0, naddr = s->targets.total;
	unsigned slices = s->slices ? s->slices : 1;

	if (!a->bits)
		return 0;
	for (unsigned i = 0; i < slices; i++) {
		uint64_t end = atomic_load(&s->tx_next[i]);
		uint64_t pos = s->tx_first[i] > i ? s->tx_first[i] : i;

		if (end > s->shard_probes)
			end = s->shard_probes;
		for (; pos < end; pos += slices) {
			uint64_t idx = scan_index_at(s, pos);

			if (answered_test(a, idx))
				continue;
			silent++;
			fn(ctx, targets_at(&s->targets, idx % naddr),
			   ports_at(&s->ports, (uint32_t)(idx / naddr)));
		}
	}
	return silent;
}
