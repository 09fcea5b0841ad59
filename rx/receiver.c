// SPDX-License-Identifier: MIT
#include "receiver.h"

#include <errno.h>
#include <string.h>

#include "clock.h"

#define RX_POLL_MS 100
#define COUNT(x)   atomic_fetch_add_explicit(&(x), 1, memory_order_relaxed)

void receiver_frame(void *ctx, const uint8_t *frame, uint32_t len, uint64_t ts_ns)
{
	struct receiver *r = ctx;
	struct scan_counters *c = &r->s->counters;
	struct frame_info fi;
	struct reply rep;
	struct result res;

	COUNT(c->rx_frames);
	if (parse_frame(r->rx->link_type, frame, len, &fi)) {
		COUNT(c->rx_malformed);
		return;
	}
	if (!validate_reply(&r->s->vcfg, &fi, &rep)) {
		COUNT(c->rx_unmatched);
		return;
	}
	/* For the filtered report, and for --ping: which hosts answered. */
	answered_mark(&r->s->answered, r->s, rep.addr, rep.port, rep.proto);
	/* The protocol goes into the key's state byte: TCP 53 and UDP 53 are two results. */
	if (!dedup_insert(r->dd, rep.addr, rep.port, (uint8_t)(rep.state | rep.proto << 3))) {
		COUNT(c->rx_duplicates);
		return;
	}
	COUNT(c->found[rep.state]);
	/* Every result goes out: each output applies --show, and counts what it hides. */
	res = (struct result){.time_ns = ts_ns,
			      .addr = rep.addr,
			      .port = rep.port,
			      .proto = rep.proto,
			      .state = (uint8_t)rep.state,
			      .reason = (uint8_t)rep.reason,
			      .ttl = rep.ttl,
			      .window = rep.window};
	/* A failing output keeps its error, for main to name at the end; the others go on. */
	r->out->ops->write(r->out, &res);
}

int receiver_run(struct scan *s, struct rx *rx, struct dedup *dd, struct output *out,
		 struct errmsg *err)
{
	struct receiver r = {.s = s, .rx = rx, .dd = dd, .out = out};
	uint64_t last_flush = clock_now_ns();
	struct rx_stats st;
	int rc = 0;

	while (!atomic_load_explicit(&s->rx_stop, memory_order_acquire)) {
		rc = rx->ops->dispatch(rx, receiver_frame, &r, RX_POLL_MS);
		if (rc < 0) {
			errmsg_set(err, rc, "capture on %s failed: %s", s->net.ifname,
				   strerror(-rc));
			break;
		}
		rc = 0;
		/* Flush about once a second, so a reader of a pipe sees results as they come. */
		if (clock_now_ns() - last_flush > 1000000000ULL) {
			out->ops->flush(out);
			last_flush = clock_now_ns();
		}
		rx->ops->stats(rx, &st);
		atomic_store_explicit(&s->counters.rx_kernel_drops,
				      st.kernel_drops + st.iface_drops, memory_order_relaxed);
	}
	/* One last pass for frames that arrived while we were told to stop. */
	for (int i = 0; !rc && i < 64; i++)
		if (rx->ops->dispatch(rx, receiver_frame, &r, 0) <= 0)
			break;
	out->ops->flush(out);
	return rc;
}
