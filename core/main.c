// SPDX-License-Identifier: MIT
/*
 * main(): command line -> scan context -> network setup (core/run_setup.c) ->
 * capture and send threads -> status until done -> wait for late replies ->
 * summary. The only file that exits. Signals are blocked in every thread and
 * taken here with sigtimedwait(), so no signal handler and no global flag is
 * needed.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <unistd.h>

#include "cli.h"
#include "clock.h"
#include "connect.h"
#include "discovery.h"
#include "privdrop.h"
#include "readscan.h"
#include "receiver.h"
#include "report.h"
#include "resume.h"
#include "run.h"
#include "sender.h"
#include "status.h"
#include "version.h"

enum exit_code { EXIT_OK = 0, EXIT_SETUP = 1, EXIT_USAGE = 2, EXIT_INTERRUPTED = 130 };

static void die(int code, const struct errmsg *err)
{
	fprintf(stderr, "hayate: %s\n", err->text);
	exit(code);
}

static void *main_sender(void *arg)
{
	struct sender_thread *st = arg;
	struct run *r = st->r;

	/* Wake from nanosleep within a microsecond, not the default 50: the rate depends on it. */
	prctl(PR_SET_TIMERSLACK, 1000UL);
	if (r->scan.cfg->connect_scan)
		st->rc = connect_run(&r->scan, &r->connect, st->index, r->nsenders, &st->err);
	else
		st->rc = sender_run(&r->scan, &st->tx, r->batch, st->index, r->nsenders, &st->err);
	if (st->rc) /* one failed slice would leave a hole: stop them all */
		atomic_store(&r->scan.stop, true);
	/* The last sender out marks the end of sending. */
	if (atomic_fetch_sub(&r->senders_running, 1) == 1) {
		r->scan.tx_end_ns = clock_now_ns();
		atomic_store_explicit(&r->scan.tx_done, true, memory_order_release);
	}
	return NULL;
}

static void *main_receiver(void *arg)
{
	struct run *r = arg;

	r->rx_rc = receiver_run(&r->scan, &r->rx, &r->dedup, &r->out, &r->rx_err);
	return NULL;
}

/* Waits up to wait_ns for SIGINT/SIGTERM; returns true if one came. */
static bool main_wait_signal(const sigset_t *set, uint64_t wait_ns)
{
	struct timespec ts = {.tv_sec = (time_t)(wait_ns / 1000000000ULL),
			      .tv_nsec = (long)(wait_ns % 1000000000ULL)};

	return sigtimedwait(set, NULL, &ts) > 0;
}

/*
 * Shows status until every probe is sent, then waits cfg->wait_s for late
 * replies. A first signal stops sending; a signal while waiting ends the wait.
 * Returns true if the user interrupted.
 */
static bool main_supervise(struct run *r, const sigset_t *set)
{
	const struct scan_config *cfg = r->scan.cfg;
	struct status st;
	bool interrupted = false;
	uint64_t deadline = 0;

	status_init(&st, clock_now_ns(), isatty(STDERR_FILENO));
	for (;;) {
		bool sending = !atomic_load_explicit(&r->scan.tx_done, memory_order_acquire);
		uint64_t now = clock_now_ns(), tick = 1000000000ULL;

		if (!sending && !deadline)
			deadline =
				r->scan.tx_end_ns + (r->has_rx ? (uint64_t)(cfg->wait_s * 1e9) : 1);
		if (!sending && now >= deadline)
			break;
		if (!sending && deadline - now < tick)
			tick = deadline - now;
		/* Without a receiver the end of sending is the end: notice it within 10 ms. */
		if (main_wait_signal(set, sending ? tick / (r->has_rx ? 10 : 100) : tick)) {
			if (!sending || interrupted)
				return true;
			interrupted = true;
			atomic_store(&r->scan.stop, true);
			if (!cfg->quiet)
				fprintf(stderr,
					"\nhayate: interrupted; waiting %g s for replies "
					"(interrupt again to stop now)\n",
					cfg->wait_s);
			continue;
		}
		if (!cfg->quiet && clock_now_ns() - st.last_ns >= 1000000000ULL)
			status_print(&st, &r->scan, clock_now_ns(), !sending, stderr);
	}
	if (!cfg->quiet && st.is_tty)
		fputc('\n', stderr);
	return interrupted;
}

static uint64_t main_random_seed(void)
{
	uint64_t seed = 0;

	if (getrandom(&seed, sizeof(seed), 0) != sizeof(seed))
		seed = clock_wall_ns() ^ ((uint64_t)getpid() << 32);
	return seed;
}

/*
 * Opens the outputs, and the answered-probe bitmap when filtered ports are
 * to be reported (shown, or counted as "Not shown"). A resumed run first
 * continues the first run's files. Returns 0 or -errno.
 */
static int main_results_open(struct run *r, const struct scan_config *cfg, struct errmsg *err)
{
	bool grouped = false, append = r->resume && r->resume->keeps_outputs;
	int rc;

	for (unsigned i = 0; i < cfg->output_count; i++)
		grouped |= output_format_ops(cfg->outputs[i].format)->hidden != NULL;
	grouped |= !cfg->output_count && cfg->stdout_is_terminal; /* the normal report */
	if (((cfg->show & (SHOW_FILTERED | SHOW_OPEN_FILTERED)) || grouped) && !cfg->connect_scan &&
	    !cfg->offline) {
		rc = answered_init(&r->scan.answered, r->scan.probes);
		if (rc == -E2BIG)
			fprintf(stderr,
				"hayate: %llu probes: too many to track which went unanswered "
				"(the limit is 2^32, 512 MiB); filtered ports are reported only "
				"from ICMP unreachables\n",
				(unsigned long long)r->scan.probes);
		else if (rc)
			return errmsg_set(err, rc, "out of memory for the answered-probe bitmap");
	}
	rc = report_init(&r->report, &r->scan, r->argc, r->argv, clock_wall_ns());
	if (rc)
		return errmsg_set(err, rc, "out of memory");
	if (append && (rc = resume_prepare_outputs(cfg, r->report.info.scan_id, err)))
		return rc;
	rc = report_open(&r->report, cfg, append, err);
	if (!rc && append)
		rc = resume_preload(cfg, &r->report, &r->held, &r->nheld, err);
	r->out = r->report.front;
	return rc;
}

/* After the wait: reports the probes never answered as filtered. */
static void main_results_silent(struct run *r)
{
	resume_feed(&r->report, r->held, r->nheld); /* the first run's, if resumed */
	r->held = NULL;
	r->silent = report_silent(&r->report, &r->scan, clock_wall_ns());
}

/*
 * Closes the outputs and, if the scan was cut short, saves its state for
 * --resume. Returns 0 or EXIT_SETUP.
 */
static int main_results_close(struct run *r, bool interrupted)
{
	const struct scan_config *cfg = r->scan.cfg;
	bool completed = true, tracked = r->scan.answered.bits != NULL;
	struct errmsg err;
	int code = 0;

	for (unsigned i = 0; i < r->nsenders; i++)
		completed &= atomic_load(&r->scan.tx_next[i]) >= r->scan.total_sends;
	if (cfg->connect_scan) /* its engine keeps no send positions */
		completed = !interrupted;
	if (tracked)
		fprintf(stderr, "hayate: %llu probes never answered: %s\n",
			(unsigned long long)r->silent,
			!r->scan.udp_ports.total ? "filtered (no-response)"
			: r->scan.ports.total	 ? "filtered if TCP, open|filtered if UDP"
						 : "open|filtered (no-response)");
	if (report_close(&r->report, clock_wall_ns(), completed, tracked)) {
		/* One line per output that failed: each of those files is incomplete. */
		for (unsigned i = 0; output_failure(&r->report.front, i, &err); i++)
			fprintf(stderr, "hayate: %s\n", err.text);
		code = EXIT_SETUP;
	}
	if (interrupted && !completed && cfg->connect_scan) {
		fprintf(stderr, "hayate: a connect scan (-sT) cannot be resumed; run it again\n");
	} else if (interrupted && !completed) {
		if (resume_save(privdrop_path(cfg->pause_file), &r->scan, r->argc, r->argv, &err) ||
		    privdrop_finish(&err)) {
			fprintf(stderr, "hayate: %s\n", err.text);
			code = EXIT_SETUP;
		} else {
			fprintf(stderr,
				"hayate: saved where the scan stopped; continue with: hayate "
				"--resume %s\n",
				cfg->pause_file);
		}
	}
	answered_free(&r->scan.answered);
	report_free(&r->report);
	return code;
}

/* Gives up root for the rest of the run: sockets, capture and outputs are open by now. */
static int main_drop_privileges(const struct scan_config *cfg, struct errmsg *err)
{
	struct privdrop_result pd;
	int rc = privdrop_apply(cfg->user, cfg->connect_scan ? NULL : cfg->pause_file, &pd, err);

	if (!rc && pd.note[0] && !cfg->quiet)
		fprintf(stderr, "hayate: %s\n", pd.note);
	return rc;
}

/*
 * --ping with ports: once the echo phase is over, makes the hosts that
 * answered the targets of the port scan. Returns true if there is one to run.
 */
static bool main_next_phase(struct run *r)
{
	const struct scan_config *cfg = r->scan.cfg;
	bool failed = r->rx_rc;
	struct errmsg err;
	int64_t up;

	for (unsigned i = 0; i < r->nsenders; i++)
		failed |= r->senders[i].rc != 0;
	if (!r->scan.ping_phase || !cfg->ports_spec || failed)
		return false;
	status_summary(&r->scan, clock_now_ns(), stderr);
	up = discovery_restrict(&r->scan, cfg->show & (SHOW_FILTERED | SHOW_OPEN_FILTERED), &err);
	if (up < 0)
		fprintf(stderr, "hayate: %s\n", err.text);
	if (up <= 0)
		return false;
	fprintf(stderr, "hayate: %lld hosts up: scanning their ports\n", (long long)up);
	atomic_store(&r->scan.counters.sent, 0);
	atomic_store(&r->scan.stop, false);
	atomic_store(&r->scan.tx_done, false);
	atomic_store(&r->scan.rx_stop, false);
	r->scan.tx_end_ns = 0;
	for (unsigned i = 0; i < r->nsenders; i++) {
		r->scan.tx_first[i] = 0;
		atomic_store(&r->scan.tx_next[i], i);
	}
	return true;
}

/* Starts both threads, supervises, stops them, and reports. Returns the exit code. */
static int main_scan(struct run *r)
{
	pthread_t rx_thread;
	sigset_t set;
	bool interrupted, cut_short;
	int code = EXIT_OK;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	r->scan.start_ns = clock_now_ns();
	if (r->has_rx)
		pthread_create(&rx_thread, NULL, main_receiver, r);
	atomic_store(&r->senders_running, r->nsenders);
	for (unsigned i = 0; i < r->nsenders; i++)
		pthread_create(&r->senders[i].thread, NULL, main_sender, &r->senders[i]);
	interrupted = main_supervise(r, &set);
	atomic_store(&r->scan.stop, true);
	for (unsigned i = 0; i < r->nsenders; i++)
		pthread_join(r->senders[i].thread, NULL);
	atomic_store_explicit(&r->scan.rx_stop, true, memory_order_release);
	if (r->has_rx)
		pthread_join(rx_thread, NULL);
	if (!interrupted && main_next_phase(r))
		return main_scan(r);
	main_results_silent(r);
	status_summary(&r->scan, clock_now_ns(), stderr);
	/* A send or capture failure (interface down) cuts the scan short too: resumable. */
	cut_short = interrupted || r->rx_rc;
	for (unsigned i = 0; i < r->nsenders; i++)
		cut_short |= r->senders[i].rc != 0;
	code = main_results_close(r, cut_short);
	for (unsigned i = 0; i < r->nsenders; i++) {
		if (!r->senders[i].rc)
			continue;
		fprintf(stderr, "hayate: %s\n", r->senders[i].err.text);
		code = EXIT_SETUP;
	}
	if (r->rx_rc) {
		fprintf(stderr, "hayate: %s\n", r->rx_err.text);
		code = EXIT_SETUP;
	}
	return interrupted ? EXIT_INTERRUPTED : code;
}

int main(int argc, char **argv)
{
	static struct run r; /* large (the port set); static keeps it off the stack */
	struct scan_config cfg;
	struct scan_net net;
	struct errmsg err = {{0}};
	struct resume rs = {0};
	int rc = cli_parse(argc, argv, &cfg, &err);

	if (rc < 0)
		die(EXIT_USAGE, &err);
	if (rc == CLI_HELP) {
		cli_print_help(stdout);
		return EXIT_OK;
	}
	if (rc == CLI_VERSION) {
		printf("hayate %s\n", HAYATE_VERSION);
		return EXIT_OK;
	}
	if (cfg.readscan_count) {
		rc = readscan_run(&cfg, stderr, &err);
		if (rc)
			die(rc == -EINVAL ? EXIT_USAGE : EXIT_SETUP, &err);
		cli_free(&cfg);
		return EXIT_OK;
	}
	if (cfg.resume_file) { /* parse again: the saved arguments, then the ones given now */
		const char *resume_path = cfg.resume_file; /* points into argv: outlives cfg */

		if (resume_load(&rs, resume_path, argc, argv, &err))
			die(EXIT_USAGE, &err);
		cli_free(&cfg);
		argc = rs.argc;
		argv = rs.argv;
		rc = cli_parse(argc, argv, &cfg, &err);
		if (rc > 0) /* --help or --version inside a resume file */
			errmsg_set(&err, -EINVAL, "%s holds --help or --version, not a scan",
				   resume_path);
		if (rc)
			die(EXIT_USAGE, &err);
	}
	r.argc = argc;
	r.argv = argv;
	cfg.stdout_is_terminal = isatty(STDOUT_FILENO);
	if (cfg.ping)
		cfg.show |= SHOW_UP; /* the hosts up are what a ping sweep reports */
	if (scan_build_sets(&r.scan, &cfg, &err) ||
	    scan_prepare(&r.scan, cfg.has_seed ? cfg.seed : main_random_seed(), &err))
		die(EXIT_USAGE, &err);
	rc = run_connect_setup(&r, &cfg, &net, &err);
	if (rc || (!cfg.connect_scan && run_detect_net(&cfg, &r.scan, &net, &err)))
		die(rc == -EINVAL ? EXIT_USAGE : EXIT_SETUP, &err);
	scan_set_net(&r.scan, &net);
	r.batch = cfg.batch ? cfg.batch : sender_batch_for_rate(cfg.rate_pps);
	r.nsenders = cfg.tx_threads ? cfg.tx_threads : 1;
	r.scan.slices = r.nsenders;
	r.resume = rs.argv ? &rs : NULL;
	if (r.resume && resume_apply(&rs, &r.scan, r.nsenders, &err))
		die(EXIT_USAGE, &err);
	for (unsigned i = 0; i < r.nsenders; i++)
		atomic_store(&r.scan.tx_next[i], r.scan.tx_first[i] > i ? r.scan.tx_first[i] : i);
	if (main_results_open(&r, &cfg, &err) || discovery_begin(&r.scan, &err))
		die(EXIT_SETUP, &err);
	if (!cfg.offline && !cfg.connect_scan && run_open_rx(&r, &err))
		die(EXIT_SETUP, &err);
	r.nsenders = cfg.tx_threads ? cfg.tx_threads : 1;
	for (unsigned i = 0; i < r.nsenders; i++) {
		r.senders[i] = (struct sender_thread){.r = &r, .index = i};
		if (!cfg.connect_scan && run_open_tx(&r, &cfg, &r.senders[i].tx, i, &err))
			die(EXIT_SETUP, &err);
	}
	/* Before the drop: after it, no io_uring can be made. */
	if (cfg.connect_scan && connect_prepare(&r.connect, r.nsenders, &err))
		die(EXIT_SETUP, &err);
	if (!cfg.keep_privileges && main_drop_privileges(&cfg, &err))
		die(EXIT_SETUP, &err);
	rc = main_scan(&r);
	for (unsigned i = 0; i < r.nsenders; i++)
		if (r.senders[i].tx.ops)
			r.senders[i].tx.ops->close(&r.senders[i].tx);
	if (r.has_rx) {
		r.rx.ops->close(&r.rx);
		dedup_free(&r.dedup);
	}
	connect_release(&r.connect);
	scan_free(&r.scan);
	cli_free(&cfg);
	resume_free(&rs);
	return rc;
}
