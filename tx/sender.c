// SPDX-License-Identifier: MIT
#include "sender.h"

#include <sched.h>
#include <string.h>

#include "clock.h"
#include "compiler.h"
#include "ratelimit.h"

/* How long to back off when the kernel queue is full; short, since it drains fast. */
#define SENDER_BACKOFF_NS 20000
/*
 * nanosleep may wake this late on a loaded machine. The sender sleeps only
 * when the bucket has room for that many more tokens; otherwise it spins, as
 * a late wake-up would cost tokens and so rate.
 */
#define SENDER_SLEEP_SLACK_NS 300000

unsigned sender_batch_for_rate(double rate_pps)
{
	/*
	 * About 2 ms of probes per batch. The sender wakes when half a batch
	 * has accrued, so the bucket (one batch) has 1 ms of room to absorb a
	 * late wake-up, and no wake-up ever costs tokens. Never fewer than 2, for
	 * the same reason; never more than 64, past which sendmmsg gains nothing.
	 */
	double b = rate_pps / 500.0;

	if (b < 2)
		return 2;
	if (b > 64)
		return 64;
	return (unsigned)b;
}

/* Writes the probe at position pos into slot. */
static inline void sender_fill(const struct scan *s, struct tx_frame *slot, uint64_t pos,
			       bool patch)
{
	struct probe p = scan_probe_at(s, pos);
	uint64_t h;

	if (unlikely(p.proto == IPPROTO_UDP_NUM)) {
		h = payload_cookie(&s->key, s->net.src_ip, p.dst_ip, p.dst_port);
		slot->len = template_udp_write(&s->udp_tpl, slot->data, p.dst_ip, p.dst_port, h,
					       s->net.src_port_first, s->net.src_port_last);
		return;
	}
	if (unlikely(p.proto == IPPROTO_ICMP_NUM)) {
		h = template_icmp_cookie(&s->key, s->net.src_ip, p.dst_ip);
		slot->len = template_icmp_write(&s->icmp_tpl, slot->data, p.dst_ip, h);
		return;
	}
	h = cookie_hash(&s->key, s->net.src_ip, p.dst_ip, p.src_port, p.dst_port);
	if (patch)
		template_patch(&s->tpl, slot->data, p.dst_ip, p.src_port, p.dst_port, cookie_seq(h),
			       cookie_ip_id(h));
	else
		template_write(&s->tpl, slot->data, p.dst_ip, p.src_port, p.dst_port, cookie_seq(h),
			       cookie_ip_id(h));
	slot->len = SYN_FRAME_BYTES;
}

/*
 * Reserves and fills up to want new probes from *pos. Tokens are taken only
 * for new probes: frames the kernel refused last time were already paid for.
 */
static unsigned sender_next_batch(struct scan *s, struct tx *tx, struct ratelimit *rl,
				  struct tx_frame *slots, uint64_t *pos, unsigned step,
				  unsigned batch, bool may_sleep)
{
	uint64_t left = (s->total_sends - *pos + step - 1) / step;
	unsigned want = left < batch ? (unsigned)left : batch;
	unsigned half = batch / 2 < want ? batch / 2 : want;
	uint64_t now = clock_now_ns();
	uint64_t wait = ratelimit_wait_n_ns(rl, now, half ? half : 1);
	/* A kept slot may hold a UDP or echo frame unless every probe, in every phase, is a SYN. */
	bool patch = (tx->ops->flags & TX_KEEPS_CONTENTS) && !s->udp_ports.total && !s->cfg->ping;
	unsigned n;

	if (wait) {
		/* Yielding, not plain spinning, lets more senders than cores share them. */
		if (may_sleep)
			clock_sleep_ns(wait);
		else
			sched_yield();
		return 0;
	}
	want = ratelimit_take(rl, now, want);
	n = tx->ops->reserve(tx, slots, want);
	/* A full ring hands out fewer slots: the tokens for the rest were not spent. */
	ratelimit_give_back(rl, want - n);
	for (unsigned i = 0; i < n; i++, *pos += step)
		sender_fill(s, &slots[i], *pos, patch);
	return n;
}

int sender_run(struct scan *s, struct tx *tx, unsigned batch, unsigned slice, unsigned slices,
	       struct errmsg *err)
{
	struct tx_frame slots[TX_BATCH_MAX];
	double rate_pps = s->cfg->rate_pps / slices;
	struct ratelimit rl;
	uint64_t pos = s->tx_first[slice] > slice ? s->tx_first[slice] : slice; /* resume */
	unsigned pending = 0; /* filled frames the kernel has not taken yet */
	/* Half a batch is awaited; the other half of the bucket absorbs a late wake-up. */
	bool may_sleep = (double)(batch - batch / 2) * 1e9 / rate_pps >= SENDER_SLEEP_SLACK_NS;
	int rc = 0;

	ratelimit_init(&rl, rate_pps, batch, clock_now_ns());
	while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
		unsigned count;
		int accepted;

		if (pending)
			count = tx->ops->reserve(tx, slots, pending);
		else if (pos < s->total_sends)
			count = sender_next_batch(s, tx, &rl, slots, &pos, slices, batch,
						  may_sleep);
		else
			break;
		if (!count)
			continue;
		accepted = tx->ops->submit(tx, count);
		if (accepted < 0) {
			atomic_fetch_add_explicit(&s->counters.tx_errors, 1, memory_order_relaxed);
			rc = errmsg_set(err, accepted, "sending on %s failed: %s", s->net.ifname,
					strerror(-accepted));
			break;
		}
		atomic_fetch_add_explicit(&s->counters.sent, (unsigned)accepted,
					  memory_order_relaxed);
		pending = count - (unsigned)accepted;
		/* The kernel took a prefix: the next unsent position, for pause and resume. */
		atomic_store_explicit(&s->tx_next[slice], pos - (uint64_t)pending * slices,
				      memory_order_relaxed);
		if (unlikely(pending)) {
			atomic_fetch_add_explicit(&s->counters.tx_would_block, 1,
						  memory_order_relaxed);
			clock_sleep_ns(SENDER_BACKOFF_NS);
		}
	}
	if (!rc && (rc = tx->ops->flush(tx, 1000)) < 0)
		errmsg_set(err, rc, "the last probes on %s did not leave within 1 s: %s",
			   s->net.ifname, strerror(-rc));
	return rc;
}
