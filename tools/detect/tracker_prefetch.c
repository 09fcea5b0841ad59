// SPDX-License-Identifier: MIT
/*
 * The reader's side of the tracker: what a frame will look up, fetched into
 * the cache while younger frames are parsed (tracker_prefetch(), then
 * tracker_prefetch_entries()), and the frames that need no tracker at all
 * (tracker_may_skip()). Nothing here decides anything: with or without these
 * stages, tracker.c reaches the same verdicts (test_prefetched_path_agrees).
 */
#include "tracker.h"

#include "packet.h"

bool tracker_is_bare_ack(const struct frame_info *fi)
{
	return fi->kind == FRAME_TCP &&
	       (fi->tcp_flags & (TCP_FLAG_SYN | TCP_FLAG_ACK | TCP_FLAG_RST)) == TCP_FLAG_ACK;
}

/* The hash of the attempt an ACK from fi's source would complete. */
static uint64_t tracker_ack_hash(const struct tracker *t, const struct frame_info *fi)
{
	return attempts_hash(&t->attempts, fi->src_ip, fi->src_port, fi->dst_ip, fi->dst_port);
}

uint64_t tracker_ack_prefetch(const struct tracker *t, const struct frame_info *fi)
{
	uint64_t h = tracker_ack_hash(t, fi);

	attempts_prefetch_answered(&t->attempts, h);
	return h;
}

bool tracker_ack_may_skip(const struct tracker *t, uint64_t h)
{
	return !attempts_maybe_answered(&t->attempts, h);
}

bool tracker_may_skip(const struct tracker *t, const struct frame_info *fi)
{
	if (fi->kind == FRAME_ICMP)
		return fi->icmp_type != ICMP_UNREACH || !fi->has_quote ||
		       fi->q_proto != IPPROTO_TCP_NUM;
	if (fi->kind != FRAME_TCP)
		return true; /* UDP */
	return tracker_is_bare_ack(fi) && tracker_ack_may_skip(t, tracker_ack_hash(t, fi));
}

/* Prefetches key's bucket in table and notes the lookup for the second stage. */
static void tracker_pend(struct tracker_prefetch *pf, struct lru *table, uint64_t key,
			 bool may_insert)
{
	pf->lookup[pf->n++] = (struct tracker_pending){
		.table = table,
		.hash = lru_prefetch(table, key),
		.may_insert = may_insert,
	};
}

/*
 * The lookups a frame will cause, as far as the frame tells: its attempt, and
 * for a frame that may decide a failure, the tables that failure updates. A
 * RST with ACK is taken to come from the target, a bare RST from the
 * originator (that is what stacks send); a wrong guess only wastes a prefetch.
 */
void tracker_prefetch(struct tracker *t, const struct frame_info *fi, struct tracker_prefetch *pf)
{
	uint8_t flags = fi->tcp_flags & (TCP_FLAG_SYN | TCP_FLAG_ACK | TCP_FLAG_RST);
	uint32_t orig = fi->src_ip, target = fi->dst_ip;
	uint16_t orig_port = fi->src_port, target_port = fi->dst_port;
	bool is_syn = fi->kind == FRAME_TCP && flags == TCP_FLAG_SYN;

	pf->n = 0;
	pf->has_attempt = false;
	pf->attempt_reversed = false;
	pf->answer_expected = false;
	pf->is_syn = is_syn;
	pf->contact = 0;
	if (fi->kind == FRAME_ICMP) {
		if (!fi->has_quote)
			return;
		orig = fi->q_src_ip, target = fi->q_dst_ip;
		orig_port = fi->q_src_port, target_port = fi->q_dst_port;
	} else if (fi->kind != FRAME_TCP) {
		return;
	} else if (flags == (TCP_FLAG_SYN | TCP_FLAG_ACK) ||
		   flags == (TCP_FLAG_RST | TCP_FLAG_ACK)) {
		orig = fi->dst_ip, target = fi->src_ip;
		orig_port = fi->dst_port, target_port = fi->src_port;
		pf->attempt_reversed = true;
	}
	pf->attempt_hash = attempts_hash(&t->attempts, orig, orig_port, target, target_port);
	pf->has_attempt = true;
	if (fi->kind == FRAME_TCP && flags == (TCP_FLAG_SYN | TCP_FLAG_ACK)) {
		/* Until it is decided, a bare ACK of its tuple may matter (tracker_may_skip()). */
		attempts_expect_answer(&t->attempts, pf->attempt_hash);
		pf->answer_expected = true;
	}
	attempts_prefetch(&t->attempts, pf->attempt_hash);
	if (fi->kind == FRAME_TCP && !(flags & TCP_FLAG_RST) && !is_syn)
		return; /* SYN-ACK or ACK: no table but the attempts' */
	tracker_pend(pf, &t->sources, orig, is_syn);
	if (is_syn) {
		pf->contact = tracker_pair_key(orig, target); /* if the source turns out known */
		return;
	}
	tracker_pend(pf, &t->host_ports, tracker_pair_key(orig, target), true);
	tracker_pend(pf, &t->port_hosts, tracker_pair_key(orig, target_port), true);
}

/*
 * A new source's first SYN needs no contacts lookup (tracker_first_contact()),
 * and under a flood of spoofed sources nearly every SYN is one: the contacts
 * bucket is fetched only once the source's bucket shows it known.
 */
void tracker_prefetch_entries(struct tracker *t, const struct tracker_prefetch *pf)
{
	bool known_source = false;

	/* A SYN's attempt is new but for a retransmission: nothing there to fetch. */
	if (pf->has_attempt && !pf->is_syn)
		attempts_prefetch_attempt(&t->attempts, pf->attempt_hash);
	for (unsigned i = 0; i < pf->n; i++)
		known_source = lru_prepare(pf->lookup[i].table, pf->lookup[i].hash,
					   pf->lookup[i].may_insert, t->now_ms);
	if (pf->contact && known_source)
		lru_prefetch(&t->contacts, pf->contact);
}
