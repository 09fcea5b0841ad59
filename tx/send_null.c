// SPDX-License-Identifier: MIT
/*
 * The null backend counts frames and discards them. It measures everything
 * the sender does except the kernel (benches, --offline), needs no privilege,
 * and behaves like a real backend whose queue is never full: its slots keep
 * their contents, so the sender's patch-only fast path is exercised too.
 */
#include "tx.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

struct null_tx {
	unsigned batch;
	unsigned reserved;
	struct tx_frame *slots; /* the caller's array from the last reserve() */
	uint8_t *frames;	/* batch * TX_FRAME_MAX bytes */
	struct tx_stats stats;
	uint16_t lens[TX_BATCH_MAX];
};

static int null_open(struct tx *tx, const struct tx_config *cfg, struct errmsg *err)
{
	struct null_tx *n;

	if (cfg->batch < 1 || cfg->batch > TX_BATCH_MAX)
		return errmsg_set(err, -EINVAL, "batch size %u is outside 1-%d", cfg->batch,
				  TX_BATCH_MAX);
	if (cfg->prefill_len > TX_FRAME_MAX)
		return errmsg_set(err, -EINVAL, "template of %u bytes exceeds %d", cfg->prefill_len,
				  TX_FRAME_MAX);
	n = calloc(1, sizeof(*n));
	if (n)
		n->frames = calloc(cfg->batch, TX_FRAME_MAX);
	if (!n || !n->frames) {
		free(n);
		return errmsg_set(err, -ENOMEM, "out of memory");
	}
	n->batch = cfg->batch;
	for (unsigned i = 0; cfg->prefill && i < n->batch; i++) {
		memcpy(n->frames + (size_t)i * TX_FRAME_MAX, cfg->prefill, cfg->prefill_len);
		n->lens[i] = cfg->prefill_len;
	}
	tx->priv = n;
	return 0;
}

static unsigned null_reserve(struct tx *tx, struct tx_frame *slots, unsigned want)
{
	struct null_tx *n = tx->priv;
	unsigned count = want < n->batch ? want : n->batch;

	for (unsigned i = 0; i < count; i++) {
		slots[i].data = n->frames + (size_t)i * TX_FRAME_MAX;
		slots[i].len = n->lens[i];
	}
	n->slots = slots;
	n->reserved = count;
	return count;
}

static int null_submit(struct tx *tx, unsigned count)
{
	struct null_tx *n = tx->priv;

	assert(count <= n->reserved);
	for (unsigned i = 0; i < count; i++)
		n->lens[i] = n->slots[i].len;
	n->reserved = 0;
	n->stats.frames_sent += count;
	n->stats.send_calls++;
	return (int)count;
}

static int null_flush(struct tx *tx UNUSED, int timeout_ms UNUSED)
{
	return 0;
}

static void null_stats(const struct tx *tx, struct tx_stats *out)
{
	const struct null_tx *n = tx->priv;

	*out = n->stats;
}

static void null_close(struct tx *tx)
{
	struct null_tx *n = tx->priv;

	if (!n)
		return;
	free(n->frames);
	free(n);
	tx->priv = NULL;
}

const struct tx_ops tx_null_ops = {
	.name = "null",
	.flags = TX_KEEPS_CONTENTS,
	.open = null_open,
	.reserve = null_reserve,
	.submit = null_submit,
	.flush = null_flush,
	.stats = null_stats,
	.close = null_close,
};
