// SPDX-License-Identifier: MIT
/*
 * The look-ahead ring between the capture and the tracker (reader.h says
 * why it exists). Both ways of reading a file, and a live capture, feed it.
 */
#include "reader.h"

#include <errno.h>

#include "packet.h"

/* Hands the oldest parsed frame to the tracker. */
static void reader_feed_oldest(struct reader *r, struct tracker *t)
{
	struct reader_frame *f = &r->ahead[r->tail++ % READER_AHEAD];

	tracker_packet_prefetched(t, &f->fi, f->hint, f->ts_ns, &f->pf);
	/* The frames dropped after it still move the clock, in their place. */
	if (f->then_ns)
		tracker_tick(t, f->then_ns);
}

/* A frame the tracker need not see: only its time moves the clock, in its place. */
static void reader_skip(struct reader *r, struct tracker *t, uint64_t ts_ns)
{
	if (r->head == r->tail)
		tracker_tick(t, ts_ns);
	else
		r->ahead[(r->head - 1) % READER_AHEAD].then_ns = ts_ns;
}

/* The parsed frame at head enters the ring: the first prefetch stage, and the second 8 behind. */
static void reader_enter(struct reader *r, struct tracker *t, struct reader_frame *f)
{
	f->then_ns = 0;
	f->hint = TOOL_NONE;
	if (f->fi.kind == FRAME_TCP &&
	    (f->fi.tcp_flags & (TCP_FLAG_SYN | TCP_FLAG_ACK | TCP_FLAG_RST)) == TCP_FLAG_SYN)
		f->hint = fingerprint_syn(&f->fi);
	tracker_prefetch(t, &f->fi, &f->pf);
	r->head++;
	/* Halfway to the tracker, its buckets have arrived: fetch the entries they name. */
	if (r->head - r->tail > READER_AHEAD / 2)
		tracker_prefetch_entries(
			t, &r->ahead[(r->head - READER_AHEAD / 2 - 1) % READER_AHEAD].pf);
}

/*
 * Decides the bare ACK parsed last, whose counter was fetched meanwhile.
 * Nothing reached the tracker since, so the verdict is the one
 * tracker_may_skip() would have given then.
 */
static void reader_settle(struct reader *r, struct tracker *t)
{
	struct reader_frame *f = &r->ahead[r->head % READER_AHEAD];

	r->ack_pending = false;
	if (tracker_ack_may_skip(t, r->ack_hash))
		reader_skip(r, t, f->ts_ns);
	else
		reader_enter(r, t, f);
}

void reader_take(struct reader *r, struct tracker *t, const uint8_t *data, uint32_t caplen,
		 uint64_t ts_ns)
{
	struct reader_frame *f;
	int rc;

	r->stats.frames++;
	if (r->ack_pending)
		reader_settle(r, t);
	if (r->head - r->tail == READER_AHEAD)
		reader_feed_oldest(r, t);
	f = &r->ahead[r->head % READER_AHEAD];
	rc = parse_frame(r->link, data, caplen, &f->fi);
	if (rc) {
		if (rc == -EPROTONOSUPPORT)
			r->stats.other++;
		else
			r->stats.malformed++;
		return;
	}
	r->stats.parsed++;
	f->ts_ns = ts_ns;
	if (tracker_is_bare_ack(&f->fi)) {
		r->ack_hash = tracker_ack_prefetch(t, &f->fi);
		r->ack_pending = true;
	} else if (tracker_may_skip(t, &f->fi)) {
		reader_skip(r, t, ts_ns);
	} else {
		reader_enter(r, t, f);
	}
}

void reader_drain(struct reader *r, struct tracker *t)
{
	if (r->ack_pending)
		reader_settle(r, t);
	while (r->tail != r->head)
		reader_feed_oldest(r, t);
}
