// SPDX-License-Identifier: MIT
/*
 * io_uring: one SEND request per frame on the bound AF_PACKET socket, and one
 * io_uring_submit (one system call) per batch. Frames live in a pool of
 * POOL_BUFS buffers registered with the ring (io_uring_register_buffers); a
 * buffer is handed out by reserve(), queued by submit(), and comes back to the
 * free stack when its completion (CQE) is reaped, which reserve() and flush()
 * do. A buffer keeps the last frame written to it (TX_KEEPS_CONTENTS), and the
 * stack hands back the most recently freed buffers, which are still in cache.
 *
 * The kernel takes a request's frame when it issues it; what it makes of it
 * arrives later, in the CQE. So submit() accepts every frame it is given, and
 * a frame the device refused (-ENOBUFS, -EAGAIN in its CQE) cannot go back to
 * the sender, which has moved on: this backend queues it again itself, ahead
 * of the next batch, and counts it in would_block. Any other error in a CQE
 * is counted in errors and the frame is dropped.
 *
 * The ring may do nothing but SEND (include/uring_restrict.h): requests on a
 * ring bypass the seccomp filter of a scan that dropped its privileges.
 */
#include "tx.h"

#include <assert.h>
#include <errno.h>
#include <liburing.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "packet_socket.h"
#include "uring_restrict.h"

#define POOL_BUFS  1024u /* frames in flight at most: 2 MiB, a few batches deep */
#define POOL_ALIGN 4096u

struct uring_tx {
	struct io_uring ring;
	bool ring_ready;
	bool enabled; /* by the thread that sends, at its first reserve() */
	int fd;
	uint8_t *pool; /* POOL_BUFS * TX_FRAME_MAX bytes, registered */
	unsigned nfree, nretry, inflight;
	unsigned reserved;	/* buffers handed out by the last reserve() */
	struct tx_frame *slots; /* the caller's array from that reserve() */
	struct tx_stats stats;
	uint16_t lens[POOL_BUFS];
	uint16_t free_bufs[POOL_BUFS]; /* a stack of free buffer indices */
	uint16_t retry[POOL_BUFS];     /* refused by the device: to queue again */
};

static uint8_t *uring_buf(const struct uring_tx *u, unsigned i)
{
	return u->pool + (size_t)i * TX_FRAME_MAX;
}

/* Creates the ring and registers the pool with it. Returns 0 or -errno with err set. */
static int uring_setup(struct uring_tx *u, struct errmsg *err)
{
	struct iovec iov = {.iov_base = u->pool, .iov_len = (size_t)POOL_BUFS * TX_FRAME_MAX};
	int rc;

	/*
	 * One thread submits and reaps, and completions are only wanted when
	 * asked for. That thread is the sender, not the one opening: the ring
	 * starts disabled, and the first reserve() enables it for its caller.
	 */
	rc = io_uring_queue_init(POOL_BUFS, &u->ring,
				 IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN |
					 IORING_SETUP_R_DISABLED);
	if (rc == -EINVAL) /* a kernel before 6.1 */
		rc = io_uring_queue_init(POOL_BUFS, &u->ring, IORING_SETUP_R_DISABLED);
	if (rc < 0)
		return errmsg_set(err, rc, "io_uring_queue_init: %s", strerror(-rc));
	u->ring_ready = true;
	rc = io_uring_register_buffers(&u->ring, &iov, 1);
	if (rc < 0)
		return errmsg_set(err, rc, "io_uring_register_buffers: %s", strerror(-rc));
	/* From the sender's enable on: SEND only, and no more io_uring_register() calls. */
	rc = uring_restrict(&u->ring, URING_PACKET_SEND);
	if (rc < 0)
		return errmsg_set(err, rc, "cannot restrict the io_uring to SEND: %s",
				  strerror(-rc));
	return 0;
}

static int uring_open(struct tx *tx, const struct tx_config *cfg, struct errmsg *err)
{
	struct uring_tx *u;
	int rc;

	rc = packet_socket_check_config(cfg, err);
	if (rc < 0)
		return rc;
	u = calloc(1, sizeof(*u));
	if (!u)
		return errmsg_set(err, -ENOMEM, "out of memory");
	u->fd = -1;
	u->pool = aligned_alloc(POOL_ALIGN, (size_t)POOL_BUFS * TX_FRAME_MAX);
	if (!u->pool) {
		rc = errmsg_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	for (unsigned i = 0; i < POOL_BUFS; i++) {
		memset(uring_buf(u, i), 0, TX_FRAME_MAX);
		if (cfg->prefill)
			memcpy(uring_buf(u, i), cfg->prefill, cfg->prefill_len);
		u->lens[i] = cfg->prefill ? cfg->prefill_len : 0;
		u->free_bufs[i] = (uint16_t)(POOL_BUFS - 1 - i);
	}
	u->nfree = POOL_BUFS;
	rc = packet_socket_open(cfg, false, err);
	if (rc < 0)
		goto out;
	u->fd = rc;
	rc = uring_setup(u, err);
	if (rc < 0)
		goto out;
	tx->priv = u;
	return 0;
out:
	if (u->ring_ready)
		io_uring_queue_exit(&u->ring);
	if (u->fd >= 0)
		close(u->fd);
	free(u->pool);
	free(u);
	return rc;
}

/* Takes every completion that is ready and recycles its buffer. */
static void uring_reap(struct uring_tx *u)
{
	struct io_uring_cqe *cqe;
	unsigned head, n = 0;

	io_uring_for_each_cqe(&u->ring, head, cqe)
	{
		uint16_t buf = (uint16_t)cqe->user_data;

		n++;
		if (cqe->res == -ENOBUFS || cqe->res == -EAGAIN) {
			u->stats.would_block++;
			u->retry[u->nretry++] = buf;
			continue;
		}
		if (cqe->res < 0)
			u->stats.errors++;
		u->free_bufs[u->nfree++] = buf;
	}
	io_uring_cq_advance(&u->ring, n);
	u->inflight -= n;
}

static unsigned uring_reserve(struct tx *tx, struct tx_frame *slots, unsigned want)
{
	struct uring_tx *u = tx->priv;
	unsigned n;

	if (unlikely(!u->enabled)) {
		uring_enable(&u->ring); /* if it failed, the first submit says so */
		u->enabled = true;
	}
	if (u->nfree < want) {
		/* Completions deferred to us (DEFER_TASKRUN) run only when we ask. */
		io_uring_get_events(&u->ring);
		uring_reap(u);
	}
	n = want < u->nfree ? want : u->nfree;
	for (unsigned i = 0; i < n; i++) {
		unsigned buf = u->free_bufs[u->nfree - 1 - i];

		slots[i].data = uring_buf(u, buf);
		slots[i].len = u->lens[buf];
	}
	u->slots = slots;
	u->reserved = n;
	return n;
}

/* Queues one SEND of buffer buf; the SQ holds POOL_BUFS entries, so there is room. */
static void uring_queue(struct uring_tx *u, unsigned buf)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(&u->ring);

	assert(sqe);
	io_uring_prep_send(sqe, u->fd, uring_buf(u, buf), u->lens[buf], 0);
	sqe->user_data = buf;
	u->inflight++;
}

/* Queues the frames the device refused again, oldest first. */
static void uring_queue_retries(struct uring_tx *u)
{
	for (unsigned i = 0; i < u->nretry; i++)
		uring_queue(u, u->retry[i]);
	u->nretry = 0;
}

static int uring_submit(struct tx *tx, unsigned count)
{
	struct uring_tx *u = tx->priv;
	int rc;

	assert(count <= u->reserved);
	uring_queue_retries(u);
	for (unsigned i = 0; i < count; i++) {
		unsigned buf = u->free_bufs[--u->nfree];

		assert(uring_buf(u, buf) == u->slots[i].data);
		u->lens[buf] = u->slots[i].len;
		uring_queue(u, buf);
	}
	u->reserved = 0;
	u->stats.send_calls++;
	rc = io_uring_submit(&u->ring);
	if (rc < 0) {
		u->stats.errors++;
		return rc;
	}
	u->stats.frames_sent += count;
	uring_reap(u);
	return (int)count;
}

static int uring_flush(struct tx *tx, int timeout_ms)
{
	struct uring_tx *u = tx->priv;
	struct __kernel_timespec ts = {.tv_nsec = 1000000};
	struct io_uring_cqe *cqe;

	for (int waited = 0; u->inflight || u->nretry; waited++) {
		if (waited >= timeout_ms)
			return -ETIMEDOUT;
		if (u->nretry) {
			uring_queue_retries(u);
			io_uring_submit(&u->ring);
		}
		io_uring_wait_cqe_timeout(&u->ring, &cqe, &ts);
		uring_reap(u);
	}
	return 0;
}

static void uring_stats(const struct tx *tx, struct tx_stats *out)
{
	const struct uring_tx *u = tx->priv;

	*out = u->stats;
}

static void uring_close(struct tx *tx)
{
	struct uring_tx *u = tx->priv;

	if (!u)
		return;
	io_uring_queue_exit(&u->ring);
	close(u->fd);
	free(u->pool);
	free(u);
	tx->priv = NULL;
}

const struct tx_ops tx_uring_ops = {
	.name = "uring",
	.flags = TX_KEEPS_CONTENTS | TX_NEEDS_RAW,
	.open = uring_open,
	.reserve = uring_reserve,
	.submit = uring_submit,
	.flush = uring_flush,
	.stats = uring_stats,
	.close = uring_close,
};
