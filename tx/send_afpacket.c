// SPDX-License-Identifier: MIT
/*
 * AF_PACKET + sendmmsg: the baseline send backend. Frames live in a slot pool
 * (tx/slot_pool.h: frames the kernel refuses come first next time, never
 * copied); a batch goes to the kernel in one sendmmsg call.
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

#include <errno.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "packet.h"
#include "packet_socket.h"
#include "slot_pool.h"

struct afpacket {
	int fd;
	bool is_rawip; /* send the IP packet after the Ethernet header, routed */
	struct slot_pool pool;
	struct tx_stats stats;
	struct iovec iov[TX_BATCH_MAX];
	struct mmsghdr msgs[TX_BATCH_MAX];
	struct sockaddr_in dests[TX_BATCH_MAX]; /* rawip only */
};

static int afpacket_open_as(struct tx *tx, const struct tx_config *cfg, bool is_rawip,
			    struct errmsg *err)
{
	struct afpacket *a = calloc(1, sizeof(*a));
	int rc;

	if (!a)
		return errmsg_set(err, -ENOMEM, "out of memory");
	a->fd = -1;
	a->is_rawip = is_rawip;
	rc = slot_pool_init(&a->pool, cfg, err);
	if (rc < 0)
		goto out;
	for (unsigned i = 0; i < cfg->batch; i++) {
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
	slot_pool_free(&a->pool);
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

	return slot_pool_reserve(&a->pool, slots, want);
}

static int afpacket_submit(struct tx *tx, unsigned count)
{
	struct afpacket *a = tx->priv;
	int rc;

	for (unsigned i = 0; i < count; i++) {
		uint8_t *frame = slot_pool_frame(&a->pool, i);
		uint16_t len = slot_pool_len(&a->pool, i);

		a->iov[i].iov_base = frame;
		a->iov[i].iov_len = len;
		if (a->is_rawip && len > ETH_HDR_BYTES + IPV4_HDR_MIN) {
			/* The destination is the IPv4 header's, which the frame already holds. */
			a->dests[i].sin_family = AF_INET;
			memcpy(&a->dests[i].sin_addr, frame + ETH_HDR_BYTES + 16, 4);
			a->iov[i].iov_base = frame + ETH_HDR_BYTES;
			a->iov[i].iov_len -= ETH_HDR_BYTES;
		}
	}
	rc = sendmmsg(a->fd, a->msgs, count, MSG_DONTWAIT);
	if (rc < 0)
		rc = -errno;
	return slot_pool_settle(&a->pool, &a->stats, count, rc > 0 ? (unsigned)rc : 0, rc);
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
	slot_pool_free(&a->pool);
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
