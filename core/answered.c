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

void answered_mark(struct answered *a, const struct scan *s, uint32_t addr, uint16_t port,
		   uint8_t proto)
{
	uint64_t idx;

	if (!a->bits)
		return;
	idx = scan_index_of(s, addr, port, proto);
	if (idx < a->probes)
		answered_set(a, idx);
}

uint64_t answered_each_silent(const struct answered *a, const struct scan *s,
			      void (*fn)(void *ctx, uint32_t addr, uint16_t port, uint8_t proto),
			      void *ctx)
{
	uint64_t silent = 0;
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
			struct probe p;

			if (answered_test(a, idx))
				continue;
			silent++;
			p = scan_probe_at(s, pos);
			fn(ctx, p.dst_ip, p.dst_port, p.proto);
		}
	}
	return silent;
}
