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

struct mem_tx {
	unsigned batch;
	unsigned reserved;
	struct tx_frame *slots; /* the caller's array from the last reserve() */
	uint8_t *frames;	/* batch * TX_FRAME_MAX bytes */
	struct tx_stats stats;
	uint16_t lens[TX_BATCH_MAX];
	/* everything submitted so far: kept_count frames of TX_FRAME_MAX bytes */
	uint8_t *kept;
	uint16_t *kept_lens;
	uint64_t kept_count;
	uint64_t kept_cap;
};

static int mem_open(struct tx *tx, const struct tx_config *cfg, struct errmsg *err)
{
	struct mem_tx *m;

	if (cfg->batch < 1 || cfg->batch > TX_BATCH_MAX)
		return errmsg_set(err, -EINVAL, "batch size %u is outside 1-%d", cfg->batch,
				  TX_BATCH_MAX);
	if (cfg->prefill_len > TX_FRAME_MAX)
		return errmsg_set(err, -EINVAL, "template of %u bytes exceeds %d", cfg->prefill_len,
				  TX_FRAME_MAX);
	m = calloc(1, sizeof(*m));
	if (m)
		m->frames = calloc(cfg->batch, TX_FRAME_MAX);
	if (!m || !m->frames) {
		free(m);
		return errmsg_set(err, -ENOMEM, "out of memory");
	}
	m->batch = cfg->batch;
	for (unsigned i = 0; cfg->prefill && i < m->batch; i++) {
		memcpy(m->frames + (size_t)i * TX_FRAME_MAX, cfg->prefill, cfg->prefill_len);
		m->lens[i] = cfg->prefill_len;
	}
	tx->priv = m;
	return 0;
}

static unsigned mem_reserve(struct tx *tx, struct tx_frame *slots, unsigned want)
{
	struct mem_tx *m = tx->priv;
	unsigned count = want < m->batch ? want : m->batch;

	for (unsigned i = 0; i < count; i++) {
		slots[i].data = m->frames + (size_t)i * TX_FRAME_MAX;
		slots[i].len = m->lens[i];
	}
	m->slots = slots;
	m->reserved = count;
	return count;
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

	assert(count <= m->reserved);
	m->reserved = 0;
	m->stats.send_calls++;
	if (mem_grow(m, count) < 0) {
		m->stats.errors++;
		return -ENOMEM;
	}
	for (unsigned i = 0; i < count; i++) {
		m->lens[i] = m->slots[i].len;
		/* The whole slot, so bytes past len are defined for the tests that look. */
		memcpy(m->kept + m->kept_count * TX_FRAME_MAX, m->slots[i].data, TX_FRAME_MAX);
		m->kept_lens[m->kept_count++] = m->slots[i].len;
	}
	m->stats.frames_sent += count;
	return (int)count;
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
	free(m->frames);
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
