// SPDX-License-Identifier: MIT
/*
 * The mem capture replays frames the caller holds in memory, once, through
 * the same callback a live capture uses: tests and fuzzers drive the whole
 * receive path with hand-built and malformed frames, without root or a
 * network. Each frame's timestamp is its index, so runs are reproducible.
 */
#include "rx.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>

#define LINK_TYPE_ETHERNET 1 /* DLT_EN10MB */

struct capture_mem {
	const uint8_t *const *frames; /* the caller's, valid until close */
	const uint32_t *lens;
	unsigned count;
	bool replayed;
	uint64_t frames_seen;
};

static int capture_mem_open(struct rx *rx, const struct rx_config *cfg, struct errmsg *err)
{
	struct capture_mem *m;

	if (cfg->mem_count && (!cfg->mem_frames || !cfg->mem_lens))
		return errmsg_set(err, -EINVAL, "%u frames to replay but no frames given",
				  cfg->mem_count);
	m = calloc(1, sizeof(*m));
	if (!m)
		return errmsg_set(err, -ENOMEM, "out of memory");
	m->frames = cfg->mem_frames;
	m->lens = cfg->mem_lens;
	m->count = cfg->mem_count;
	rx->link_type = LINK_TYPE_ETHERNET;
	rx->priv = m;
	return 0;
}

/* Replays every frame on the first call; later calls find nothing and return at once. */
static int capture_mem_dispatch(struct rx *rx, rx_frame_fn fn, void *ctx, int timeout_ms UNUSED)
{
	struct capture_mem *m = rx->priv;

	if (m->replayed)
		return 0;
	m->replayed = true;
	for (unsigned i = 0; i < m->count; i++)
		fn(ctx, m->frames[i], m->lens[i], i);
	m->frames_seen += m->count;
	return (int)m->count;
}

static void capture_mem_stats(const struct rx *rx, struct rx_stats *out)
{
	const struct capture_mem *m = rx->priv;

	*out = (struct rx_stats){.frames_seen = m->frames_seen};
}

static void capture_mem_close(struct rx *rx)
{
	free(rx->priv);
	rx->priv = NULL;
}

const struct rx_ops rx_mem_ops = {
	.name = "mem",
	.open = capture_mem_open,
	.dispatch = capture_mem_dispatch,
	.stats = capture_mem_stats,
	.close = capture_mem_close,
};
