// SPDX-License-Identifier: MIT
/*
 * AF_XDP through libxdp: frames live in a UMEM of UMEM_FRAMES frames that the
 * kernel and we share. reserve() first drains the completion ring, whose
 * entries are frames the kernel is done with, onto a free stack, and hands
 * out frames from it; submit() puts one descriptor per frame on the TX ring
 * and kicks the kernel with sendto(MSG_DONTWAIT). Frames keep what was last
 * written to them (TX_KEEPS_CONTENTS): the whole UMEM is prefilled at open.
 *
 * The socket has a TX ring only, and is bound in copy mode (XDP_COPY), which
 * works on any device: the kernel builds an skb from each descriptor and
 * hands it to the driver (xsk_generic_xmit), so frames reach a veth peer like
 * any other, with no XDP program needed on either end. (XDP_TX and redirects
 * into a veth are another matter: there the peer needs an XDP program, see
 * README.) No XDP program is loaded: a TX-only socket receives nothing, so
 * the interface's receive path, where our capture listens, is left as it is.
 *
 * A kick sends at most a few dozen descriptors (the kernel's per-call budget)
 * and says -EAGAIN when more are left or the completion ring is full; the
 * descriptors stay queued, and each later kick, from submit, reserve or
 * flush, sends more. A frame the driver drops (-EBUSY) is lost; it is counted
 * in errors. One socket per interface queue: sender i binds queue i
 * (cfg->queue), and gets -EOPNOTSUPP if the device has no such queue (a veth
 * has one unless made with more) or -EBUSY if another socket holds it.
 */
#include "tx.h"

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
#include <xdp/libxdp.h>
#include <xdp/xsk.h>

#include "packet_socket.h"

#define UMEM_FRAMES   4096u
#define UMEM_FRAME    2048u /* == TX_FRAME_MAX, no headroom: the smallest UMEM frame */
#define RING_DESCS    4096u
#define KICKS_MAX     64 /* per submit: enough for a full batch at the kernel's budget */
#define FLUSH_POLL_MS 1
#define BUSY_TRIES    50
#define BUSY_WAIT_MS  10

struct xdp_tx {
	struct xsk_umem *umem;
	struct xsk_socket *xsk;
	struct xsk_ring_prod fill, tx_ring;
	struct xsk_ring_cons comp;
	uint8_t *area; /* UMEM_FRAMES * UMEM_FRAME bytes */
	int fd;
	unsigned nfree, outstanding; /* outstanding: submitted, not yet completed */
	unsigned reserved;
	struct tx_frame *slots;
	struct tx_stats stats;
	uint16_t lens[UMEM_FRAMES];
	uint32_t free_frames[UMEM_FRAMES]; /* a stack of free frame numbers */
};

static int xdp_tx_quiet(enum libxdp_print_level level UNUSED, const char *fmt UNUSED,
			va_list ap UNUSED)
{
	return 0;
}

/* Makes the UMEM and the TX-only socket on queue. Returns 0 or -errno with err set. */
static int xdp_tx_socket(struct xdp_tx *x, const char *name, unsigned queue, struct errmsg *err)
{
	struct xsk_umem_config ucfg = {.fill_size = XSK_RING_PROD__DEFAULT_NUM_DESCS,
				       .comp_size = RING_DESCS,
				       .frame_size = UMEM_FRAME,
				       .frame_headroom = 0};
	struct xsk_socket_config scfg = {.rx_size = 0,
					 .tx_size = RING_DESCS,
					 .libxdp_flags = XSK_LIBXDP_FLAGS__INHIBIT_PROG_LOAD,
					 .bind_flags = XDP_COPY};
	int rc;

	libxdp_set_print(xdp_tx_quiet);
	/*
	 * The kernel frees a closed socket's hold on its queue from a work
	 * queue, so a queue just given up can be busy for a few milliseconds.
	 */
	for (int tries = 0;; tries++) {
		rc = xsk_umem__create(&x->umem, x->area, (uint64_t)UMEM_FRAMES * UMEM_FRAME,
				      &x->fill, &x->comp, &ucfg);
		if (rc == 0)
			rc = xsk_socket__create(&x->xsk, name, queue, x->umem, NULL, &x->tx_ring,
						&scfg);
		if (rc != -EBUSY || tries == BUSY_TRIES)
			break;
		xsk_umem__delete(x->umem);
		x->umem = NULL;
		poll(NULL, 0, BUSY_WAIT_MS);
	}
	if (rc == -EBUSY)
		return errmsg_set(err, rc, "queue %u of '%s' is taken by another AF_XDP socket",
				  queue, name);
	if (rc == -EPERM || rc == -EACCES)
		return errmsg_set(err, rc, PACKET_SOCKET_NOT_ROOT);
	if (rc == -ENOMEM)
		return errmsg_set(err, rc, "out of memory for the AF_XDP rings");
	/* Anything else means this kernel or interface cannot do it: another backend may. */
	if (rc < 0)
		return errmsg_set(err, -EOPNOTSUPP,
				  "AF_XDP does not work on '%s' queue %u here: %s", name, queue,
				  strerror(-rc));
	x->fd = xsk_socket__fd(x->xsk);
	return 0;
}

/* Checks that the interface is up, through a socket any user may open. */
static int xdp_tx_check_up(const char *name, struct errmsg *err)
{
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	int rc;

	if (fd < 0)
		return errmsg_set(err, -errno, "socket: %s", strerror(errno));
	rc = packet_socket_check_up(fd, name, err);
	close(fd);
	return rc;
}

static void xdp_tx_free(struct xdp_tx *x)
{
	if (x->xsk)
		xsk_socket__delete(x->xsk);
	if (x->umem)
		xsk_umem__delete(x->umem);
	free(x->area);
	free(x);
}

static int xdp_tx_open(struct tx *tx, const struct tx_config *cfg, struct errmsg *err)
{
	char name[IF_NAMESIZE];
	struct xdp_tx *x;
	int ifindex, rc;

	rc = packet_socket_check_config(cfg, err);
	if (rc < 0)
		return rc;
	rc = packet_socket_find_if(cfg, name, &ifindex, err);
	if (rc < 0)
		return rc;
	rc = xdp_tx_check_up(name, err);
	if (rc < 0)
		return rc;
	x = calloc(1, sizeof(*x));
	if (!x)
		return errmsg_set(err, -ENOMEM, "out of memory");
	x->area = aligned_alloc(4096, (size_t)UMEM_FRAMES * UMEM_FRAME);
	if (!x->area) {
		free(x);
		return errmsg_set(err, -ENOMEM, "out of memory");
	}
	memset(x->area, 0, (size_t)UMEM_FRAMES * UMEM_FRAME);
	for (unsigned i = 0; i < UMEM_FRAMES; i++) {
		if (cfg->prefill)
			memcpy(x->area + (size_t)i * UMEM_FRAME, cfg->prefill, cfg->prefill_len);
		x->lens[i] = cfg->prefill ? cfg->prefill_len : 0;
		x->free_frames[i] = UMEM_FRAMES - 1 - i;
	}
	x->nfree = UMEM_FRAMES;
	rc = xdp_tx_socket(x, name, cfg->queue, err);
	if (rc < 0) {
		xdp_tx_free(x);
		return rc;
	}
	tx->priv = x;
	return 0;
}

/* Moves every completed frame back to the free stack. */
static void xdp_tx_complete(struct xdp_tx *x)
{
	uint32_t idx;
	unsigned n = xsk_ring_cons__peek(&x->comp, UMEM_FRAMES, &idx);

	for (unsigned i = 0; i < n; i++)
		x->free_frames[x->nfree++] =
			(uint32_t)(*xsk_ring_cons__comp_addr(&x->comp, idx + i) / UMEM_FRAME);
	xsk_ring_cons__release(&x->comp, n);
	x->outstanding -= n;
}

/* True while descriptors wait on the TX ring for the kernel. */
static bool xdp_tx_queued(const struct xdp_tx *x)
{
	return __atomic_load_n(x->tx_ring.consumer, __ATOMIC_ACQUIRE) != x->tx_ring.cached_prod;
}

/* One sendto; returns 1 if the kernel has more to do, 0 if not, or a hard -errno. */
static int xdp_tx_kick_once(struct xdp_tx *x)
{
	if (sendto(x->fd, NULL, 0, MSG_DONTWAIT, NULL, 0) >= 0)
		return 0;
	switch (errno) {
	case EAGAIN:
	case ENOBUFS:
		return 1;
	case EBUSY: /* the driver dropped a frame; the rest go on */
		x->stats.errors++;
		return 1;
	default:
		x->stats.errors++;
		return -errno;
	}
}

/* Kicks until the TX ring is empty, the kernel stalls, or kicks_max kicks. */
static int xdp_tx_kick(struct xdp_tx *x, int kicks_max)
{
	int rc = 0;

	for (int k = 0; k < kicks_max && xdp_tx_queued(x); k++) {
		rc = xdp_tx_kick_once(x);
		if (rc <= 0)
			break;
		xdp_tx_complete(x); /* a full completion ring stalls the kernel */
	}
	return rc < 0 ? rc : 0;
}

static unsigned xdp_tx_reserve(struct tx *tx, struct tx_frame *slots, unsigned want)
{
	struct xdp_tx *x = tx->priv;
	unsigned n, room;

	xdp_tx_complete(x);
	if (x->nfree < want && xdp_tx_queued(x)) {
		x->stats.would_block++;
		xdp_tx_kick(x, 1);
		xdp_tx_complete(x);
	}
	room = xsk_prod_nb_free(&x->tx_ring, want);
	n = want < x->nfree ? want : x->nfree;
	n = n < room ? n : room;
	for (unsigned i = 0; i < n; i++) {
		uint32_t frame = x->free_frames[x->nfree - 1 - i];

		slots[i].data = x->area + (size_t)frame * UMEM_FRAME;
		slots[i].len = x->lens[frame];
	}
	x->slots = slots;
	x->reserved = n;
	return n;
}

static int xdp_tx_submit(struct tx *tx, unsigned count)
{
	struct xdp_tx *x = tx->priv;
	uint32_t idx;
	int rc;

	if (!count)
		return 0;
	if (count > x->reserved || xsk_ring_prod__reserve(&x->tx_ring, count, &idx) != count)
		return -EINVAL; /* reserve() made sure there was room: a caller's bug */
	for (unsigned i = 0; i < count; i++) {
		uint32_t frame = x->free_frames[--x->nfree];
		struct xdp_desc *d = xsk_ring_prod__tx_desc(&x->tx_ring, idx + i);

		x->lens[frame] = x->slots[i].len;
		d->addr = (uint64_t)frame * UMEM_FRAME;
		d->len = x->slots[i].len;
		d->options = 0;
	}
	xsk_ring_prod__submit(&x->tx_ring, count);
	x->outstanding += count;
	x->reserved = 0;
	x->stats.send_calls++;
	x->stats.frames_sent += count;
	rc = xdp_tx_kick(x, KICKS_MAX);
	return rc < 0 ? rc : (int)count;
}

static int xdp_tx_flush(struct tx *tx, int timeout_ms)
{
	struct xdp_tx *x = tx->priv;
	int rc;

	for (int waited = 0;; waited += FLUSH_POLL_MS) {
		rc = xdp_tx_kick(x, KICKS_MAX);
		if (rc < 0)
			return rc;
		xdp_tx_complete(x);
		if (!x->outstanding)
			return 0;
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		poll(NULL, 0, FLUSH_POLL_MS);
	}
}

static void xdp_tx_stats(const struct tx *tx, struct tx_stats *out)
{
	const struct xdp_tx *x = tx->priv;

	*out = x->stats;
}

static void xdp_tx_close(struct tx *tx)
{
	struct xdp_tx *x = tx->priv;

	if (!x)
		return;
	xdp_tx_free(x);
	tx->priv = NULL;
}

const struct tx_ops tx_xdp_ops = {
	.name = "xdp",
	.flags = TX_KEEPS_CONTENTS | TX_NEEDS_RAW,
	.open = xdp_tx_open,
	.reserve = xdp_tx_reserve,
	.submit = xdp_tx_submit,
	.flush = xdp_tx_flush,
	.stats = xdp_tx_stats,
	.close = xdp_tx_close,
};
