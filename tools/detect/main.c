// SPDX-License-Identifier: MIT
/*
 * hayate-detect's main(): options -> tracker -> reader loop -> summary. The
 * only file of the tool that exits, reads the clock, draws randomness or
 * installs a signal handler (which sets an atomic flag and calls
 * pcap_breakloop(), which libpcap documents as safe in a handler).
 */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "clock.h"
#include "options.h"
#include "reader.h"
#include "report.h"
#include "tracker.h"

enum exit_code { EXIT_OK = 0, EXIT_SETUP = 1, EXIT_USAGE = 2 };

#define SUMMARY_SOURCES_MAX 32 /* alerted sources listed by name in the summary */

/* A source that raised alerts, for the summary. */
struct flagged {
	uint32_t src;
	unsigned kinds; /* bit per enum alert_kind */
	enum tool_hint hint;
};

struct detect_run {
	FILE *out;
	bool quiet;
	int write_errno; /* first failure writing alerts */
	struct flagged flagged[SUMMARY_SOURCES_MAX];
	unsigned nflagged;
	uint64_t flagged_more; /* alerts from sources past the list's end */
};

static atomic_bool stop_requested;
static struct reader *signal_reader; /* set before the handlers are installed */

/* libpcap may sleep in poll() until a packet comes; pcap_breakloop() wakes it. */
static void main_on_signal(int sig)
{
	(void)sig;
	atomic_store(&stop_requested, true);
	reader_break(signal_reader);
}

static void die(int code, const char *what, const struct errmsg *err)
{
	if (what)
		fprintf(stderr, "hayate-detect: %s: %s\n", what, err->text);
	else
		fprintf(stderr, "hayate-detect: %s\n", err->text);
	exit(code);
}

static void main_note(struct detect_run *run, const struct alert *a)
{
	for (unsigned i = 0; i < run->nflagged; i++) {
		if (run->flagged[i].src == a->src) {
			run->flagged[i].kinds |= 1u << a->kind;
			run->flagged[i].hint = a->hint;
			return;
		}
	}
	if (run->nflagged == SUMMARY_SOURCES_MAX) {
		run->flagged_more++;
		return;
	}
	run->flagged[run->nflagged++] =
		(struct flagged){.src = a->src, .kinds = 1u << a->kind, .hint = a->hint};
}

static void main_on_alert(void *ctx, const struct alert *a)
{
	struct detect_run *run = ctx;
	char line[REPORT_LINE_MAX];

	report_json(a, line, sizeof(line));
	if ((fputs(line, run->out) == EOF || fflush(run->out)) && !run->write_errno)
		run->write_errno = errno ? errno : EIO;
	if (!run->quiet) {
		report_text(a, line, sizeof(line));
		fputs(line, stderr);
	}
	main_note(run, a);
}

static void main_summary(const struct detect_run *run, const struct reader_stats *rs,
			 const struct tracker_stats *ts, size_t state_bytes, uint64_t elapsed_ns)
{
	double secs = (double)elapsed_ns / 1e9;

	fprintf(stderr,
		"hayate-detect: %" PRIu64 " frames (%" PRIu64 " IPv4, %" PRIu64 " other, %" PRIu64
		" malformed) in %.3f s, %.2f Mpps",
		rs->frames, rs->parsed, rs->other, rs->malformed, secs,
		secs > 0 ? (double)rs->frames / secs / 1e6 : 0.0);
	if (rs->drops)
		fprintf(stderr, "; %" PRIu64 " dropped by the kernel", rs->drops);
	fprintf(stderr,
		"\nhayate-detect: %" PRIu64 " connection attempts (%" PRIu64
		" SYNs repeated): %" PRIu64 " answered, %" PRIu64 " rejected, %" PRIu64
		" unreachable, %" PRIu64 " unanswered; %" PRIu64 " half-open, %" PRIu64
		" established; %" PRIu64 " forgotten (ring full)\n",
		ts->syns, ts->retransmits, ts->answered, ts->rejected, ts->unreachable,
		ts->unanswered, ts->half_open, ts->established, ts->dropped);
	fprintf(stderr,
		"hayate-detect: %" PRIu64 " sources (%" PRIu64 " evicted), %.1f MiB of state; "
		"alerts: %" PRIu64 " port_scan, %" PRIu64 " address_sweep, %" PRIu64 " trw\n",
		ts->sources, ts->sources_evicted, (double)state_bytes / (1 << 20),
		ts->alerts[ALERT_PORT_SCAN], ts->alerts[ALERT_ADDRESS_SWEEP],
		ts->alerts[ALERT_TRW]);
	for (unsigned i = 0; i < run->nflagged; i++) {
		const struct flagged *f = &run->flagged[i];
		const char *tool = fingerprint_name(f->hint);

		fprintf(stderr, "hayate-detect: scanner %u.%u.%u.%u:", f->src >> 24,
			(f->src >> 16) & 0xff, (f->src >> 8) & 0xff, f->src & 0xff);
		for (int k = 0; k < ALERT_KINDS; k++)
			if (f->kinds & (1u << k))
				fprintf(stderr, " %s", report_kind_name((enum alert_kind)k));
		fprintf(stderr, "%s%s\n", tool ? ", looks like " : "", tool ? tool : "");
	}
	if (run->flagged_more)
		fprintf(stderr, "hayate-detect: and %" PRIu64 " more alerts from other sources\n",
			run->flagged_more);
}

static void main_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = main_on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

int main(int argc, char **argv)
{
	static struct detect_run run;
	static struct tracker tracker;
	struct detect_options opts;
	struct reader_stats rs;
	struct tracker_stats ts;
	struct reader reader;
	struct errmsg err;
	uint64_t start_ns;
	int rc;

	rc = options_parse(argc, argv, &opts, &err);
	if (rc < 0)
		die(EXIT_USAGE, NULL, &err);
	if (rc == OPTIONS_HELP) {
		options_print_help(stdout, &opts.cfg);
		return EXIT_OK;
	}
	if (getrandom(&opts.cfg.seed, sizeof(opts.cfg.seed), 0) != sizeof(opts.cfg.seed))
		opts.cfg.seed = clock_now_ns(); /* only spreads table buckets; not a secret key */
	rc = tracker_init(&tracker, &opts.cfg, main_on_alert, &run, &err);
	if (rc)
		die(rc == -EINVAL ? EXIT_USAGE : EXIT_SETUP, NULL, &err);

	run.quiet = opts.quiet;
	run.out = stdout;
	if (opts.out_path && !(run.out = fopen(opts.out_path, "w"))) {
		errmsg_set(&err, -errno, "%s", strerror(errno));
		die(EXIT_SETUP, opts.out_path, &err);
	}
	if (opts.read_path)
		rc = reader_open_file(&reader, opts.read_path, opts.filter, &err);
	else
		rc = reader_open_live(&reader, opts.iface, opts.filter, &err);
	if (rc)
		die(rc == -EINVAL ? EXIT_USAGE : EXIT_SETUP, NULL, &err);
	if (reader.is_live)
		fprintf(stderr, "hayate-detect: capturing on %s, Ctrl-C to stop\n", opts.iface);

	signal_reader = &reader;
	main_signals();
	start_ns = clock_now_ns();
	rc = reader_run(&reader, &tracker, &stop_requested, &err);
	/* A file has ended: nothing more can answer. A live capture was only stopped. */
	if (!reader.is_live)
		tracker_finish(&tracker);
	reader_get_stats(&reader, &rs);
	tracker_get_stats(&tracker, &ts);
	reader_close(&reader);
	if (rc)
		die(rc == -EINVAL ? EXIT_USAGE : EXIT_SETUP, opts.read_path, &err);
	main_summary(&run, &rs, &ts, tracker_bytes(&opts.cfg), clock_now_ns() - start_ns);
	tracker_free(&tracker);
	if (fclose(run.out) && !run.write_errno)
		run.write_errno = errno;
	if (run.write_errno) {
		errmsg_set(&err, -run.write_errno, "cannot write alerts: %s",
			   strerror(run.write_errno));
		die(EXIT_SETUP, NULL, &err);
	}
	return EXIT_OK;
}
