// SPDX-License-Identifier: MIT
/*
 * The mem backend keeps a copy of every frame submitted, so tests can check
 * what the sender built, byte for byte, without root or a network. It accepts
 * every frame; memory grows by doubling, so it is meant for small runs.
 */
#include "tx.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "slot_pool.h"

struct mem_tx {
	struct slot_pool pool;
	struct tx_stats stats;
	/* everything submitted so far: kept_count frames of TX_FRAME_MAX bytes */
	uint8_t *kept;
	uint16_t *kept_lens;
	uint64_t kept_count;
	uint64_t kept_cap;
};

static int mem_open(struct tx *tx, const struct tx_config *cfg, struct errmsg *err)
{
	struct mem_tx *m = calloc(1, sizeof(*m));
	int rc;

	if (!m)
		return errmsg_set(err, -ENOMEM, "out of memory");
	rc = slot_pool_init(&m->pool, cfg, err);
	if (rc < 0) {
		free(m);
		return rc;
	}
	tx->priv = m;
	return 0;
}

static unsigned mem_reserve(struct tx *tx, struct tx_frame *slots, unsigned want)
{
	struct mem_tx *m = tx->priv;

	return slot_pool_reserve(&m->pool, slots, want);
}

/* Makes room for extra more kept frames. Returns 0 or -ENOMEM, keeping what was there. */
static int mem_grow(struct mem_tx *m, unsigned extra)
{
	uint64_t cap = m->kept_cap ? m->kept_cap : 64;
	uint8_t *kept;
	uint16_t *lens;

	while (cap < m->kept_count + extra)
		cap *= 2;
	if (cap == m->kept_cap)
		return 0;
	kept = realloc(m->kept, cap * TX_FRAME_MAX);
	if (!kept)
		return -ENOMEM;
	m->kept = kept;
	lens = realloc(m->kept_lens, cap * sizeof(*lens));
	if (!lens)
		return -ENOMEM;
	m->kept_lens = lens;
	m->kept_cap = cap;
	return 0;
}

static int mem_submit(struct tx *tx, unsigned count)
{
	struct mem_tx *m = tx->priv;

	if (mem_grow(m, count) < 0)
		return slot_pool_settle(&m->pool, &m->stats, count, 0, -ENOMEM);
	for (unsigned i = 0; i < count; i++) {
		/* The whole slot, so bytes past len are defined for the tests that look. */
		memcpy(m->kept + m->kept_count * TX_FRAME_MAX, slot_pool_frame(&m->pool, i),
		       TX_FRAME_MAX);
		m->kept_lens[m->kept_count++] = slot_pool_len(&m->pool, i);
	}
	return slot_pool_settle(&m->pool, &m->stats, count, count, 0);
}

static int mem_flush(struct tx *tx UNUSED, int timeout_ms UNUSED)
{
	return 0;
}

static void mem_stats(const struct tx *tx, struct tx_stats *out)
{
	const struct mem_tx *m = tx->priv;

	*out = m->stats;
}

static void mem_close(struct tx *tx)
{
	struct mem_tx *m = tx->priv;

	if (!m)
		return;
	free(m->kept);
	free(m->kept_lens);
	slot_pool_free(&m->pool);
	free(m);
	tx->priv = NULL;
}

void tx_mem_view(const struct tx *tx, struct tx_mem_view *out)
{
	const struct mem_tx *m = tx->priv;

	assert(tx->ops == &tx_mem_ops);
	out->frames = m->kept;
	out->lens = m->kept_lens;
	out->count = m->kept_count;
}

const struct tx_ops tx_mem_ops = {
	.name = "mem",
	.flags = TX_KEEPS_CONTENTS,
	.open = mem_open,
	.reserve = mem_reserve,
	.submit = mem_submit,
	.flush = mem_flush,
	.stats = mem_stats,
	.close = mem_close,
};
