// SPDX-License-Identifier: MIT
#include "slot_pool.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "packet_socket.h"

/* Page-aligned, so frames never straddle a page more than they must. */
#define SLOTS_ALIGN 4096

int slot_pool_init(struct slot_pool *sp, const struct tx_config *cfg, struct errmsg *err)
{
	size_t bytes = (size_t)cfg->batch * TX_FRAME_MAX;
	int rc = packet_socket_check_config(cfg, err);

	if (rc < 0)
		return rc;
	memset(sp, 0, sizeof(*sp));
	sp->batch = cfg->batch;
	sp->frames =
		aligned_alloc(SLOTS_ALIGN, (bytes + SLOTS_ALIGN - 1) & ~(size_t)(SLOTS_ALIGN - 1));
	if (!sp->frames)
		return errmsg_set(err, -ENOMEM, "out of memory");
	memset(sp->frames, 0, bytes);
	for (unsigned i = 0; i < sp->batch; i++) {
		sp->order[i] = (uint16_t)i;
		sp->lens[i] = cfg->prefill ? cfg->prefill_len : 0;
		if (cfg->prefill)
			memcpy(sp->frames + (size_t)i * TX_FRAME_MAX, cfg->prefill,
			       cfg->prefill_len);
	}
	return 0;
}

void slot_pool_free(struct slot_pool *sp)
{
	free(sp->frames);
	sp->frames = NULL;
}

unsigned slot_pool_reserve(struct slot_pool *sp, struct tx_frame *slots, unsigned want)
{
	unsigned n = want < sp->batch ? want : sp->batch;

	for (unsigned i = 0; i < n; i++) {
		slots[i].data = sp->frames + (size_t)sp->order[i] * TX_FRAME_MAX;
		slots[i].len = sp->lens[sp->order[i]];
	}
	sp->slots = slots;
	sp->reserved = n;
	return n;
}

/* Moves the first k entries of order[] behind the rest, so refused frames lead. */
static void slot_pool_rotate(struct slot_pool *sp, unsigned k)
{
	uint16_t head[TX_BATCH_MAX];

	memcpy(head, sp->order, k * sizeof(head[0]));
	memmove(sp->order, sp->order + k, (sp->batch - k) * sizeof(head[0]));
	memcpy(sp->order + sp->batch - k, head, k * sizeof(head[0]));
}

int slot_pool_settle(struct slot_pool *sp, struct tx_stats *stats, unsigned count,
		     unsigned accepted, int sys_rc)
{
	unsigned unsent = count > sp->pending ? count : sp->pending;

	assert(count <= sp->reserved && accepted <= count);
	for (unsigned i = 0; i < count; i++)
		sp->lens[sp->order[i]] = sp->slots[i].len;
	sp->reserved = 0;
	sp->pending = unsent - accepted;
	stats->send_calls++;
	stats->frames_sent += accepted;
	if (accepted && sp->pending)
		slot_pool_rotate(sp, accepted);
	if (sys_rc == -EAGAIN || sys_rc == -ENOBUFS)
		sys_rc = 0;
	if (sys_rc < 0) {
		stats->errors++;
		return sys_rc;
	}
	stats->would_block += accepted < count;
	return (int)accepted;
}
