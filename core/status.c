// SPDX-License-Identifier: MIT
#include "status.h"

#define LOAD(x) atomic_load_explicit(&(x), memory_order_relaxed)

void status_init(struct status *st, uint64_t now_ns, bool is_tty)
{
	st->last_ns = now_ns;
	st->last_sent = 0;
	st->is_tty = is_tty;
}

/* Writes seconds as H:MM:SS into buf. */
static const char *status_hms(double seconds, char buf[32])
{
	unsigned long t = seconds > 0 ? (unsigned long)(seconds + 0.5) : 0;

	snprintf(buf, 32, "%lu:%02lu:%02lu", t / 3600, t / 60 % 60, t % 60);
	return buf;
}

void status_print(struct status *st, const struct scan *s, uint64_t now_ns, bool waiting, FILE *fp)
{
	uint64_t sent = LOAD(s->counters.sent);
	double dt = (double)(now_ns - st->last_ns) / 1e9;
	double rate = dt > 0 ? (double)(sent - st->last_sent) / dt : 0;
	double done = s->total_sends ? 100.0 * (double)sent / (double)s->total_sends : 100.0;
	double eta = rate > 0 ? (double)(s->total_sends - sent) / rate : 0;
	char buf[32];

	if (waiting)
		fprintf(fp, "%swaiting for late replies, %llu probes sent, found=%llu%s",
			st->is_tty ? "\r" : "", (unsigned long long)sent,
			(unsigned long long)LOAD(s->counters.found[PORT_OPEN]),
			st->is_tty ? "          " : "\n");
	else
		fprintf(fp, "%srate: %8.2f kpps, %6.2f%% done, ETA %s, found=%llu%s",
			st->is_tty ? "\r" : "", rate / 1e3, done, status_hms(eta, buf),
			(unsigned long long)LOAD(s->counters.found[PORT_OPEN]),
			st->is_tty ? "   " : "\n");
	fflush(fp);
	st->last_ns = now_ns;
	st->last_sent = sent;
}

void status_summary(const struct scan *s, uint64_t now_ns, FILE *fp)
{
	const struct scan_counters *c = &s->counters;
	uint64_t tx_end = s->tx_end_ns ? s->tx_end_ns : now_ns;
	double elapsed = (double)(now_ns - s->start_ns) / 1e9;
	double sending = (double)(tx_end - s->start_ns) / 1e9;
	uint64_t sent = LOAD(c->sent);

	fprintf(fp,
		"hayate: %llu probes sent in %.2f s (%.0f pps), %llu replies in %.2f s: "
		"%llu open, %llu closed, %llu filtered\n",
		(unsigned long long)sent, sending, sending > 0 ? (double)sent / sending : 0,
		(unsigned long long)(LOAD(c->found[PORT_OPEN]) + LOAD(c->found[PORT_CLOSED]) +
				     LOAD(c->found[PORT_FILTERED])),
		elapsed, (unsigned long long)LOAD(c->found[PORT_OPEN]),
		(unsigned long long)LOAD(c->found[PORT_CLOSED]),
		(unsigned long long)LOAD(c->found[PORT_FILTERED]));
	if (s->ping_phase || LOAD(c->found[PORT_UP]))
		fprintf(fp, "hayate: %llu hosts up (ICMP echo reply)\n",
			(unsigned long long)LOAD(c->found[PORT_UP]));
	fprintf(fp,
		"hayate: %llu duplicates dropped, %llu frames not ours, %llu malformed, "
		"%llu capture drops, %llu send retries, %llu send errors\n",
		(unsigned long long)LOAD(c->rx_duplicates),
		(unsigned long long)LOAD(c->rx_unmatched),
		(unsigned long long)LOAD(c->rx_malformed),
		(unsigned long long)LOAD(c->rx_kernel_drops),
		(unsigned long long)LOAD(c->tx_would_block),
		(unsigned long long)LOAD(c->tx_errors));
}
