// SPDX-License-Identifier: MIT
/*
 * AF_PACKET + sendmmsg: the baseline send backend. Frames live in one aligned
 * array of cfg->batch slots; a batch goes to the kernel in one sendmmsg call.
 *
 * Slots are handed out through order[], a permutation of slot indices. When
 * the kernel takes only part of a batch, order[] is rotated so the unaccepted
 * slots come first, in order, with their bytes untouched: no frame is copied.
 * The first `pending` entries of order[] are such leftovers.
 *
 * The socket is created and bound with protocol 0, so the kernel registers no
 * receive hook for it and it never queues a copy of incoming traffic; the
 * kernel (5.3+) takes skb->protocol from the Ethernet header of each frame.
 *
 * The rawip variant shares all of this but sends through an IPPROTO_RAW
 * socket, skipping each frame's Ethernet header: the kernel routes the
 * packet. That is what loopback needs: a frame injected on lo with a 127/8
 * address goes through input routing and is dropped as a martian, while a
 * routed packet keeps its output route and is delivered.
 */
#include "tx.h"

#include <stdbool.h>

#include <assert.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "packet.h"
#include "packet_socket.h"

#define SLOTS_ALIGN 4096

struct afpacket {
	int fd;
	bool is_rawip; /* send the IP packet after the Ethernet header, routed */
	unsigned batch;
	unsigned pending;	/* leftovers at the front of order[] */
	unsigned reserved;	/* slots handed out by the last reserve() */
	struct tx_frame *slots; /* the caller's array from that reserve() */
	uint8_t *frames;	/* batch * TX_FRAME_MAX bytes */
	struct tx_stats stats;
	uint16_t order[TX_BATCH_MAX];
	uint16_t lens[TX_BATCH_MAX]; /* last length written to each slot */
	struct iovec iov[TX_BATCH_MAX];
	struct mmsghdr msgs[TX_BATCH_MAX];
	struct sockaddr_in dests[TX_BATCH_MAX]; /* rawip only */
};

static int afpacket_open_as(struct tx *tx, const struct tx_config *cfg, bool is_rawip,
			    struct errmsg *err)
{
	size_t bytes = (size_t)cfg->batch * TX_FRAME_MAX;
	struct afpacket *a;
	int rc;

	rc = packet_socket_check_config(cfg, err);
	if (rc < 0)
		return rc;
	a = calloc(1, sizeof(*a));
	if (!a)
		return errmsg_set(err, -ENOMEM, "out of memory");
	a->fd = -1;
	a->is_rawip = is_rawip;
	a->batch = cfg->batch;
	a->frames =
		aligned_alloc(SLOTS_ALIGN, (bytes + SLOTS_ALIGN - 1) & ~(size_t)(SLOTS_ALIGN - 1));
	if (!a->frames) {
		rc = errmsg_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	memset(a->frames, 0, bytes);
	for (unsigned i = 0; i < a->batch; i++) {
		a->order[i] = (uint16_t)i;
		a->lens[i] = cfg->prefill ? cfg->prefill_len : 0;
		if (cfg->prefill)
			memcpy(a->frames + (size_t)i * TX_FRAME_MAX, cfg->prefill,
			       cfg->prefill_len);
		a->msgs[i].msg_hdr.msg_iov = &a->iov[i];
		a->msgs[i].msg_hdr.msg_iovlen = 1;
		if (is_rawip) {
			a->msgs[i].msg_hdr.msg_name = &a->dests[i];
			a->msgs[i].msg_hdr.msg_namelen = sizeof(a->dests[i]);
		}
	}
	rc = packet_socket_open(cfg, is_rawip, err);
	if (rc < 0)
		goto out;
	a->fd = rc;
	tx->priv = a;
	return 0;
out:
	free(a->frames);
	free(a);
	return rc;
}

static int afpacket_open(struct tx *tx, const struct tx_config *cfg, struct errmsg *err)
{
	return afpacket_open_as(tx, cfg, false, err);
}

static int rawip_open(struct tx *tx, const struct tx_config *cfg, struct errmsg *err)
{
	return afpacket_open_as(tx, cfg, true, err);
}

static unsigned afpacket_reserve(struct tx *tx, struct tx_frame *slots, unsigned want)
{
	struct afpacket *a = tx->priv;
	unsigned n = want < a->batch ? want : a->batch;

	for (unsigned i = 0; i < n; i++) {
		slots[i].data = a->frames + (size_t)a->order[i] * TX_FRAME_MAX;
		slots[i].len = a->lens[a->order[i]];
	}
	a->slots = slots;
	a->reserved = n;
	return n;
}

/* Moves the first k entries of order[] behind the rest, so leftovers lead. */
static void afpacket_rotate(struct afpacket *a, unsigned k)
{
	uint16_t head[TX_BATCH_MAX];

	memcpy(head, a->order, k * sizeof(head[0]));
	memmove(a->order, a->order + k, (a->batch - k) * sizeof(head[0]));
	memcpy(a->order + a->batch - k, head, k * sizeof(head[0]));
}

static int afpacket_submit(struct tx *tx, unsigned count)
{
	struct afpacket *a = tx->priv;
	unsigned unsent, accepted;
	int rc;

	assert(count <= a->reserved);
	for (unsigned i = 0; i < count; i++) {
		unsigned slot = a->order[i];

		uint8_t *frame = a->frames + (size_t)slot * TX_FRAME_MAX;

		a->lens[slot] = a->slots[i].len;
		a->iov[i].iov_base = frame;
		a->iov[i].iov_len = a->slots[i].len;
		if (a->is_rawip && a->slots[i].len > ETH_HDR_BYTES + IPV4_HDR_MIN) {
			/* The destination is the IPv4 header's, which the frame already holds. */
			a->dests[i].sin_family = AF_INET;
			memcpy(&a->dests[i].sin_addr, frame + ETH_HDR_BYTES + 16, 4);
			a->iov[i].iov_base = frame + ETH_HDR_BYTES;
			a->iov[i].iov_len -= ETH_HDR_BYTES;
		}
	}
	a->reserved = 0;
	unsent = count > a->pending ? count : a->pending;
	a->stats.send_calls++;
	rc = sendmmsg(a->fd, a->msgs, count, MSG_DONTWAIT);
	if (rc < 0)
		rc = -errno;
	accepted = rc > 0 ? (unsigned)rc : 0;
	a->pending = unsent - accepted;
	a->stats.frames_sent += accepted;
	if (accepted && a->pending)
		afpacket_rotate(a, accepted);
	/* A full queue is not a failure: the sender decides when to try again. */
	if (rc == -EAGAIN || rc == -ENOBUFS)
		rc = 0;
	if (rc < 0) {
		a->stats.errors++;
		return rc;
	}
	a->stats.would_block += accepted < count;
	return (int)accepted;
}

static int afpacket_flush(struct tx *tx UNUSED, int timeout_ms UNUSED)
{
	/* sendmmsg returns once the frames are queued; there is nothing to wait for. */
	return 0;
}

static void afpacket_stats(const struct tx *tx, struct tx_stats *out)
{
	const struct afpacket *a = tx->priv;

	*out = a->stats;
}

static void afpacket_close(struct tx *tx)
{
	struct afpacket *a = tx->priv;

	if (!a)
		return;
	close(a->fd);
	free(a->frames);
	free(a);
	tx->priv = NULL;
}

const struct tx_ops tx_afpacket_ops = {
	.name = "afpacket",
	.flags = TX_KEEPS_CONTENTS | TX_NEEDS_RAW,
	.open = afpacket_open,
	.reserve = afpacket_reserve,
	.submit = afpacket_submit,
	.flush = afpacket_flush,
	.stats = afpacket_stats,
	.close = afpacket_close,
};

const struct tx_ops tx_rawip_ops = {
	.name = "rawip",
	.flags = TX_KEEPS_CONTENTS | TX_NEEDS_RAW,
	.open = rawip_open,
	.reserve = afpacket_reserve,
	.submit = afpacket_submit,
	.flush = afpacket_flush,
	.stats = afpacket_stats,
	.close = afpacket_close,
};
