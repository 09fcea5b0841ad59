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
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "packet.h"

#define SNDBUF_BYTES (64 << 20)
#define SLOTS_ALIGN  4096

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

/* Checks the interface and resolves its name and index, whichever one cfg lacks. */
static int afpacket_find_if(const struct tx_config *cfg, char name[IF_NAMESIZE], int *ifindex,
			    struct errmsg *err)
{
	if (cfg->ifname) {
		snprintf(name, IF_NAMESIZE, "%s", cfg->ifname);
		*ifindex = cfg->ifindex ? cfg->ifindex : (int)if_nametoindex(cfg->ifname);
	} else if (!cfg->ifindex || !if_indextoname((unsigned)cfg->ifindex, name)) {
		return errmsg_set(err, -ENODEV, "interface #%d does not exist", cfg->ifindex);
	} else {
		*ifindex = cfg->ifindex;
	}
	if (!*ifindex)
		return errmsg_set(err, -ENODEV, "interface '%s' does not exist", cfg->ifname);
	return 0;
}

/* Creates the socket and binds it to the interface, which must be up. */
static int afpacket_socket(const struct tx_config *cfg, bool is_rawip, struct errmsg *err)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET};
	char name[IF_NAMESIZE];
	struct ifreq ifr = {0};
	int size = SNDBUF_BYTES;
	int fd, rc;

	rc = afpacket_find_if(cfg, name, &sll.sll_ifindex, err);
	if (rc < 0)
		return rc;
	fd = is_rawip ? socket(AF_INET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, IPPROTO_RAW)
		      : socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0) {
		rc = -errno;
		if (rc == -EPERM || rc == -EACCES)
			return errmsg_set(err, rc,
					  "opening a packet socket needs root or "
					  "CAP_NET_RAW (try sudo, or setcap "
					  "cap_net_raw+ep bin/hayate)");
		return errmsg_set(err, rc, "opening a raw socket: %s", strerror(-rc));
	}
	memcpy(ifr.ifr_name, name, IF_NAMESIZE);
	if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0) {
		rc = errmsg_set(err, -errno, "interface '%s' does not exist", name);
		goto out;
	}
	if (!(ifr.ifr_flags & IFF_UP)) {
		rc = errmsg_set(err, -ENETDOWN, "interface '%s' is down", name);
		goto out;
	}
	if (is_rawip ? setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, name, IF_NAMESIZE) < 0
		     : bind(fd, (struct sockaddr *)&sll, sizeof(sll)) < 0) {
		rc = errmsg_set(err, -errno, "binding to '%s': %s", name, strerror(errno));
		goto out;
	}
	/* A deep queue absorbs bursts; FORCE exceeds wmem_max but needs CAP_NET_ADMIN. */
	if (setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &size, sizeof(size)) < 0)
		setsockopt(fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof(size));
	return fd;
out:
	close(fd);
	return rc;
}

static int afpacket_open_as(struct tx *tx, const struct tx_config *cfg, bool is_rawip,
			    struct errmsg *err)
{
	size_t bytes = (size_t)cfg->batch * TX_FRAME_MAX;
	struct afpacket *a;
	int rc;

	if (cfg->batch < 1 || cfg->batch > TX_BATCH_MAX)
		return errmsg_set(err, -EINVAL, "batch size %u is outside 1-%d", cfg->batch,
				  TX_BATCH_MAX);
	if (cfg->prefill_len > TX_FRAME_MAX)
		return errmsg_set(err, -EINVAL, "template of %u bytes exceeds %d", cfg->prefill_len,
				  TX_FRAME_MAX);
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
	rc = afpacket_socket(cfg, is_rawip, err);
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
