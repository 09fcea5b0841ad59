// SPDX-License-Identifier: MIT
/*
 * The null backend counts frames and discards them. It measures everything
 * the sender does except the kernel (benches, --offline), needs no privilege,
 * and behaves like a real backend whose queue is never full: its slots keep
 * their contents, so the sender's patch-only fast path is exercised too.
 */
#include "tx.h"

#include <errno.h>
#include <stdlib.h>

#include "slot_pool.h"

struct null_tx {
	struct slot_pool pool;
	struct tx_stats stats;
};

static int null_open(struct tx *tx, const struct tx_config *cfg, struct errmsg *err)
{
	struct null_tx *n = calloc(1, sizeof(*n));
	int rc;

	if (!n)
		return errmsg_set(err, -ENOMEM, "out of memory");
	rc = slot_pool_init(&n->pool, cfg, err);
	if (rc < 0) {
		free(n);
		return rc;
	}
	tx->priv = n;
	return 0;
}

static unsigned null_reserve(struct tx *tx, struct tx_frame *slots, unsigned want)
{
	struct null_tx *n = tx->priv;

	return slot_pool_reserve(&n->pool, slots, want);
}

static int null_submit(struct tx *tx, unsigned count)
{
	struct null_tx *n = tx->priv;

	return slot_pool_settle(&n->pool, &n->stats, count, count, 0);
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
	slot_pool_free(&n->pool);
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
