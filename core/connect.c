// SPDX-License-Identifier: MIT
/*
 * The connect engine. A fixed table of max_inflight slots, each a socket with
 * one connect in flight. The loop:
 *
 *   refill: for every free slot the token bucket allows, take the next probe
 *           (a retry first, else the next permuted position), open a socket
 *           with SO_LINGER 0 and queue CONNECT -> LINK_TIMEOUT;
 *   submit: one io_uring_submit_and_wait_timeout() hands the new SQEs over
 *           and sleeps until a completion or the bucket's next token;
 *   reap:   each connect CQE says open, refused, unreachable or timed out;
 *           the socket is closed (an RST, never TIME_WAIT) and the slot freed.
 *
 * The ring holds two SQEs per slot and its completion queue two CQEs per
 * slot (the connect and its timeout each complete), so neither can overflow.
 * A slot's index is the connect's user_data (plus one); the timeout's is 0 and
 * its completion is ignored, so a late timeout CQE never touches a reused slot.
 *
 * Retries stay in flight order: a probe that timed out or met an ICMP error
 * goes to a queue that the refill drains before new positions. A slot frees
 * before its retry is queued, so slots in use plus queued retries never exceed
 * max_inflight, which is the queue's size.
 *
 * The ring may do nothing but CONNECT and LINK_TIMEOUT, linked
 * (include/uring_restrict.h): requests on a ring bypass the seccomp filter of
 * a scan that dropped its privileges.
 */
#include "connect.h"

#include <assert.h>
#include <errno.h>
#include <liburing.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "clock.h"
#include "connect_ring.h"
#include "ratelimit.h"
#include "uring_restrict.h"

#define CONNECT_WAIT_MAX_NS 100000000ULL /* re-check s->stop this often */
#define CONNECT_BURST	    64		 /* most attempts the bucket grants at once */

struct connect_probe {
	uint32_t addr;
	uint16_t port;
	uint8_t attempt; /* 0 for the first try */
	uint8_t reason;	 /* why the last try failed, for the filtered result */
};

struct connect_slot {
	int fd; /* -1 when free */
	struct connect_probe p;
	struct sockaddr_in sa; /* read by the kernel until the connect completes */
};

struct connect_engine {
	struct scan *s;
	struct connect_shared *cs;
	struct connect_ring *cr; /* cs->rings[slice] */
	struct io_uring *ring;	 /* &cr->ring */
	struct connect_slot *slots;
	unsigned *free_list, nfree, nslots;
	struct connect_probe *retry; /* ring buffer of nslots */
	unsigned retry_head, retry_count;
	int *spare; /* refused sockets, ready for another connect: no socket() and close() each */
	unsigned nspare;
	struct __kernel_timespec timeout;
	uint64_t pos; /* next new position of this slice */
	unsigned step;
	unsigned sqes_pending;
};

enum connect_outcome connect_classify(int res)
{
	switch (-res) {
	case 0:
		return CONNECT_OPEN;
	case ECONNREFUSED:
	case ECONNRESET:
		return CONNECT_CLOSED;
	case ECANCELED: /* the linked timeout cancelled the connect */
	case ETIMEDOUT:
		return CONNECT_TIMEOUT;
	case EADDRNOTAVAIL: /* every local port is busy: try again once some close */
	case ENOBUFS:
	case ENOMEM:
	case EAGAIN:
	case EINTR:
	/* A reused socket the kernel will not connect again: a fresh one will. */
	case EALREADY:
	case EISCONN:
	case ECONNABORTED:
	case EBADFD:
		return CONNECT_TRANSIENT;
	}
	/* EHOSTUNREACH, ENETUNREACH, EACCES/EPERM (a firewall), EPROTO and the like. */
	return CONNECT_UNREACH;
}

int connect_fit_inflight(unsigned want, bool is_explicit, unsigned *out, struct errmsg *err)
{
	struct rlimit rl;
	uint64_t need = (uint64_t)want + CONNECT_FD_RESERVE;

	if (getrlimit(RLIMIT_NOFILE, &rl))
		return errmsg_set(err, -errno, "getrlimit(RLIMIT_NOFILE): %s", strerror(errno));
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < need && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur > need)
			rl.rlim_cur = need;
		setrlimit(RLIMIT_NOFILE, &rl); /* on failure the old limit stands: checked below */
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need) {
		*out = want;
		return 0;
	}
	if (is_explicit || rl.rlim_cur <= CONNECT_FD_RESERVE)
		return errmsg_set(err, -EMFILE,
				  "--max-inflight %u needs %llu open files but the limit is %llu "
				  "(hard limit %llu); raise it with 'ulimit -n' or ask for fewer",
				  want, (unsigned long long)need, (unsigned long long)rl.rlim_cur,
				  (unsigned long long)rl.rlim_max);
	*out = (unsigned)(rl.rlim_cur - CONNECT_FD_RESERVE);
	return 0;
}

/* Hands one result to the output and the counters, as the receiver does with SYN replies. */
static void connect_report(struct connect_engine *e, const struct connect_probe *p,
			   enum port_state state, enum reply_reason reason)
{
	struct result res = {.time_ns = clock_wall_ns(),
			     .addr = p->addr,
			     .port = p->port,
			     .proto = PROTO_TCP,
			     .state = (uint8_t)state,
			     .reason = (uint8_t)reason};

	atomic_fetch_add_explicit(&e->s->counters.found[state], 1, memory_order_relaxed);
	/*
	 * Every result goes out, as from the receiver: each output applies --show
	 * itself, and one that fails keeps its error for main to name at the end.
	 */
	pthread_mutex_lock(&e->cs->out_lock);
	e->cs->out->ops->write(e->cs->out, &res);
	pthread_mutex_unlock(&e->cs->out_lock);
}

/*
 * True if the socket connected to itself: a connect to 127.0.0.1:P from the
 * ephemeral port P completes by simultaneous open, with no listener at all.
 */
static bool connect_is_self(int fd, const struct sockaddr_in *peer)
{
	struct sockaddr_in local;
	socklen_t len = sizeof(local);

	if (getsockname(fd, (struct sockaddr *)&local, &len))
		return false;
	return local.sin_addr.s_addr == peer->sin_addr.s_addr && local.sin_port == peer->sin_port;
}

/* A socket for the next connect: a spare one that was refused, else a new one. */
static int connect_socket(struct connect_engine *e)
{
	static const struct linger abort_on_close = {.l_onoff = 1, .l_linger = 0};
	int fd;

	if (e->nspare)
		return e->spare[--e->nspare];
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	/* Closing with linger 0 sends RST and skips TIME_WAIT: no pile-up of dead sockets. */
	setsockopt(fd, SOL_SOCKET, SO_LINGER, &abort_on_close, sizeof(abort_on_close));
	return fd;
}

/* Opens a socket for p in a free slot and queues its connect and timeout. Returns 0 or -errno. */
static int connect_start(struct connect_engine *e, const struct connect_probe *p)
{
	unsigned idx = e->free_list[e->nfree - 1];
	struct connect_slot *slot = &e->slots[idx];
	struct io_uring_sqe *sqe;
	int fd = connect_socket(e);

	if (fd < 0)
		return fd;
	e->nfree--;
	slot->fd = fd;
	slot->p = *p;
	slot->sa = (struct sockaddr_in){.sin_family = AF_INET,
					.sin_port = htons(p->port),
					.sin_addr.s_addr = htonl(p->addr)};
	sqe = io_uring_get_sqe(e->ring); /* room is guaranteed: two SQEs per slot */
	io_uring_prep_connect(sqe, fd, (struct sockaddr *)&slot->sa, sizeof(slot->sa));
	io_uring_sqe_set_data64(sqe, idx + 1);
	sqe->flags |= IOSQE_IO_LINK;
	sqe = io_uring_get_sqe(e->ring);
	io_uring_prep_link_timeout(sqe, &e->timeout, 0);
	io_uring_sqe_set_data64(sqe, 0);
	e->sqes_pending += 2;
	return 0;
}

/* The next probe to try: a queued retry, else the next new position. False if none. */
static bool connect_next_probe(struct connect_engine *e, struct connect_probe *p)
{
	if (e->retry_count) {
		*p = e->retry[e->retry_head];
		e->retry_head = (e->retry_head + 1) % e->nslots;
		e->retry_count--;
		return true;
	}
	if (e->pos >= e->s->shard_probes)
		return false;
	struct probe pr = scan_probe_at(e->s, e->pos);

	e->pos += e->step;
	*p = (struct connect_probe){.addr = pr.dst_ip, .port = pr.dst_port};
	atomic_fetch_add_explicit(&e->s->counters.sent, 1, memory_order_relaxed);
	return true;
}

static void connect_queue_retry(struct connect_engine *e, const struct connect_probe *p)
{
	e->retry[(e->retry_head + e->retry_count) % e->nslots] = *p;
	e->retry_count++;
}

static bool connect_has_work(const struct connect_engine *e)
{
	return e->retry_count || e->pos < e->s->shard_probes;
}

/* Starts as many connects as free slots and tokens allow. Returns 0 or -errno. */
static int connect_refill(struct connect_engine *e, struct ratelimit *rl, uint64_t now)
{
	unsigned want = e->nfree < CONNECT_BURST ? e->nfree : CONNECT_BURST;
	unsigned n = want && connect_has_work(e) ? ratelimit_take(rl, now, want) : 0;
	struct connect_probe p;

	for (unsigned i = 0; i < n && connect_next_probe(e, &p); i++) {
		int rc = connect_start(e, &p);

		if (rc) {
			/* Out of descriptors or buffers: put it back and wait for a slot. */
			connect_queue_retry(e, &p);
			if (e->nfree == e->nslots)
				return rc; /* nothing in flight will free one */
			break;
		}
	}
	return 0;
}

/* Handles the completion of the connect in slot idx with result res. */
static void connect_complete(struct connect_engine *e, unsigned idx, int res)
{
	struct connect_slot *slot = &e->slots[idx];
	struct connect_probe p = slot->p;
	enum connect_outcome oc = connect_classify(res);

	if (oc == CONNECT_OPEN && connect_is_self(slot->fd, &slot->sa))
		oc = CONNECT_CLOSED;
	/*
	 * A refused socket is back in TCP_CLOSE with its local port released, and
	 * Linux lets it connect again: keep it for the next probe. Anything else
	 * (connected, timed out mid-handshake, in error) is closed.
	 */
	if (res == -ECONNREFUSED && e->nspare < e->nslots)
		e->spare[e->nspare++] = slot->fd;
	else
		close(slot->fd);
	slot->fd = -1;
	e->free_list[e->nfree++] = idx;
	switch (oc) {
	case CONNECT_OPEN:
		connect_report(e, &p, PORT_OPEN, REASON_SYN_ACK);
		return;
	case CONNECT_CLOSED:
		connect_report(e, &p, PORT_CLOSED, REASON_RST);
		return;
	case CONNECT_TRANSIENT:
		atomic_fetch_add_explicit(&e->s->counters.tx_would_block, 1, memory_order_relaxed);
		connect_queue_retry(e, &p);
		return;
	case CONNECT_TIMEOUT:
	case CONNECT_UNREACH:
		p.reason = oc == CONNECT_TIMEOUT ? REASON_NO_RESPONSE : REASON_ICMP_UNREACH;
		if (p.attempt < e->s->cfg->retries) {
			p.attempt++;
			connect_queue_retry(e, &p);
			return;
		}
		connect_report(e, &p, PORT_FILTERED, (enum reply_reason)p.reason);
		return;
	}
}

static unsigned connect_reap(struct connect_engine *e)
{
	struct io_uring_cqe *cqe;
	unsigned head, seen = 0;

	io_uring_for_each_cqe(e->ring, head, cqe)
	{
		uint64_t data = io_uring_cqe_get_data64(cqe);

		if (data)
			connect_complete(e, (unsigned)(data - 1), cqe->res);
		seen++;
	}
	io_uring_cq_advance(e->ring, seen);
	return seen;
}

/* Submits what was queued and waits for a completion, at most wait_ns. Returns 0 or -errno. */
static int connect_submit_wait(struct connect_engine *e, uint64_t wait_ns)
{
	struct __kernel_timespec ts = {.tv_sec = (long long)(wait_ns / 1000000000ULL),
				       .tv_nsec = (long long)(wait_ns % 1000000000ULL)};
	struct io_uring_cqe *cqe;
	int rc;

	if (!wait_ns && !e->sqes_pending)
		return 0;
	if (wait_ns)
		rc = io_uring_submit_and_wait_timeout(e->ring, &cqe, 1, &ts, NULL);
	else
		rc = io_uring_submit(e->ring);
	e->sqes_pending = 0;
	if (rc == -ETIME || rc == -EINTR || rc == -EAGAIN || rc == -EBUSY)
		return 0;
	return rc < 0 ? rc : 0;
}

/* Sets up the slots and starts this thread's ring. Returns 0 or -errno with err set. */
static int connect_setup(struct connect_engine *e, unsigned slice, unsigned slices,
			 struct errmsg *err)
{
	unsigned max_inflight = connect_slot_count(e->cs, slices), timeout_ms = e->cs->timeout_ms;
	int rc;

	e->nslots = max_inflight;
	e->slots = calloc(max_inflight, sizeof(*e->slots));
	e->free_list = calloc(max_inflight, sizeof(*e->free_list));
	e->retry = calloc(max_inflight, sizeof(*e->retry));
	e->spare = calloc(max_inflight, sizeof(*e->spare));
	if (!e->slots || !e->free_list || !e->retry || !e->spare)
		return errmsg_set(err, -ENOMEM, "out of memory for %u connect slots", max_inflight);
	for (unsigned i = 0; i < max_inflight; i++) {
		e->slots[i].fd = -1;
		e->free_list[i] = max_inflight - 1 - i; /* slot 0 is used first */
	}
	e->nfree = max_inflight;
	e->timeout.tv_sec = timeout_ms / 1000;
	e->timeout.tv_nsec = (long long)(timeout_ms % 1000) * 1000000;
	assert(slice < e->cs->nrings && e->cs->rings[slice].open);
	e->cr = &e->cs->rings[slice];
	e->ring = &e->cr->ring;
	/* This thread becomes the ring's one submitter (IORING_SETUP_SINGLE_ISSUER). */
	rc = uring_enable(e->ring);
	if (rc)
		return errmsg_set(err, rc, "cannot start the io_uring: %s", strerror(-rc));
	return 0;
}

static void connect_teardown(struct connect_engine *e)
{
	if (e->cr)
		connect_ring_close(e->cr); /* cancels what is in flight */
	for (unsigned i = 0; e->slots && i < e->nslots; i++)
		if (e->slots[i].fd >= 0)
			close(e->slots[i].fd);
	while (e->nspare)
		close(e->spare[--e->nspare]);
	free(e->spare);
	free(e->slots);
	free(e->free_list);
	free(e->retry);
}

/* Flushes the output (under the lock); a failure stays with the output that met it. */
static void connect_flush(struct connect_engine *e)
{
	pthread_mutex_lock(&e->cs->out_lock);
	e->cs->out->ops->flush(e->cs->out);
	pthread_mutex_unlock(&e->cs->out_lock);
}

int connect_run(struct scan *s, struct connect_shared *cs, unsigned slice, unsigned slices,
		struct errmsg *err)
{
	struct connect_engine e = {.s = s, .cs = cs, .pos = slice, .step = slices};
	uint64_t last_flush = clock_now_ns();
	struct ratelimit rl;
	int rc;

	s->total_sends = s->shard_probes; /* one pass: retries happen inline */
	rc = connect_setup(&e, slice, slices, err);
	if (rc)
		goto out;
	ratelimit_init(&rl, s->cfg->rate_pps / slices, CONNECT_BURST, clock_now_ns());
	while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
		uint64_t now = clock_now_ns(), wait = CONNECT_WAIT_MAX_NS;

		rc = connect_refill(&e, &rl, now);
		if (rc) {
			errmsg_set(err, rc, "cannot open a socket: %s", strerror(-rc));
			break;
		}
		if (e.nfree == e.nslots && !connect_has_work(&e))
			break; /* all done */
		if (e.nfree && connect_has_work(&e)) {
			uint64_t w = ratelimit_wait_ns(&rl, clock_now_ns());

			wait = w < wait ? w : wait;
		}
		rc = connect_submit_wait(&e, wait ? wait : 1);
		if (rc) {
			errmsg_set(err, rc, "io_uring_submit: %s", strerror(-rc));
			break;
		}
		connect_reap(&e);
		if (clock_now_ns() - last_flush > 1000000000ULL) {
			connect_flush(&e);
			last_flush = clock_now_ns();
		}
	}
out:
	connect_teardown(&e);
	connect_flush(&e);
	return rc;
}
