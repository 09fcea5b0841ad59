// SPDX-License-Identifier: MIT
/*
 * The connect engine: how each connect result is classified, how
 * --max-inflight meets RLIMIT_NOFILE, and a real run over loopback sockets in
 * this process's own namespace (one listening port, one closed port), which
 * needs no privileges.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "connect.h"

static struct scan s; /* large: the port set */

static void test_classify(void **state)
{
	(void)state;
	assert_int_equal(connect_classify(0), CONNECT_OPEN);
	assert_int_equal(connect_classify(-ECONNREFUSED), CONNECT_CLOSED);
	assert_int_equal(connect_classify(-ECONNRESET), CONNECT_CLOSED);
	assert_int_equal(connect_classify(-ECANCELED), CONNECT_TIMEOUT);
	assert_int_equal(connect_classify(-ETIMEDOUT), CONNECT_TIMEOUT);
	assert_int_equal(connect_classify(-EHOSTUNREACH), CONNECT_UNREACH);
	assert_int_equal(connect_classify(-ENETUNREACH), CONNECT_UNREACH);
	assert_int_equal(connect_classify(-EACCES), CONNECT_UNREACH);
	assert_int_equal(connect_classify(-EADDRNOTAVAIL), CONNECT_TRANSIENT);
	assert_int_equal(connect_classify(-ENOBUFS), CONNECT_TRANSIENT);
}

/* Binds a TCP socket to 127.0.0.1 on a kernel-chosen port; listens if asked. */
static int bind_loopback(bool do_listen, uint16_t *port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	if (do_listen)
		assert_int_equal(listen(fd, 16), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sa, &len), 0);
	*port = ntohs(sa.sin_port);
	return fd;
}

static void test_run_loopback(void **state)
{
	const char *targets[] = {"127.0.0.1"};
	struct scan_config cfg = {.target_specs = targets,
				  .target_count = 1,
				  .rate_pps = 1e6,
				  .shard_count = 1,
				  .show = SHOW_OPEN | SHOW_CLOSED | SHOW_FILTERED};
	struct output out = {.ops = &output_text_ops};
	struct connect_shared cs = {.out = &out,
				    .out_lock = PTHREAD_MUTEX_INITIALIZER,
				    .max_inflight = 2, /* refused sockets get reused */
				    .timeout_ms = 2000};
	uint16_t open_port, closed_port, closed2[4];
	int lfd = bind_loopback(true, &open_port);
	int cfd = bind_loopback(false, &closed_port); /* bound, never listening: refused */
	int cfd2[4];
	char ports[64], want[96], *text = NULL;
	size_t text_len = 0;
	struct errmsg err;

	(void)state;
	for (int i = 0; i < 4; i++)
		cfd2[i] = bind_loopback(false, &closed2[i]);
	snprintf(ports, sizeof(ports), "%u,%u,%u,%u,%u,%u", open_port, closed_port, closed2[0],
		 closed2[1], closed2[2], closed2[3]);
	cfg.ports_spec = ports;
	memset(&s, 0, sizeof(s));
	assert_int_equal(scan_build_sets(&s, &cfg, &err), 0);
	assert_int_equal(scan_prepare(&s, 1, &err), 0);
	out.fp = open_memstream(&text, &text_len);
	assert_int_equal(connect_prepare(&cs, 1, &err), 0);
	assert_int_equal(connect_run(&s, &cs, 0, 1, &err), 0);
	connect_release(&cs);
	fclose(out.fp);
	snprintf(want, sizeof(want), "open tcp %u 127.0.0.1", open_port);
	assert_non_null(strstr(text, want));
	snprintf(want, sizeof(want), "closed tcp %u 127.0.0.1", closed_port);
	assert_non_null(strstr(text, want));
	assert_int_equal(atomic_load(&s.counters.found[PORT_OPEN]), 1);
	assert_int_equal(atomic_load(&s.counters.found[PORT_CLOSED]), 5);
	assert_int_equal(atomic_load(&s.counters.found[PORT_FILTERED]), 0);
	assert_int_equal(atomic_load(&s.counters.sent), 6);
	for (int i = 0; i < 4; i++) {
		snprintf(want, sizeof(want), "closed tcp %u 127.0.0.1", closed2[i]);
		assert_non_null(strstr(text, want));
		close(cfd2[i]);
	}
	free(text);
	close(lfd);
	close(cfd);
	scan_free(&s);
}

/* Last: it lowers this process's hard limit for good. */
static void test_fit_inflight(void **state)
{
	struct rlimit rl;
	struct errmsg err;
	unsigned n = 0;

	(void)state;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	if (rl.rlim_max != RLIM_INFINITY && rl.rlim_max < 2048)
		skip();
	/* A low soft limit is raised to fit. */
	rl.rlim_cur = 256;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	assert_int_equal(connect_fit_inflight(1024, true, &n, &err), 0);
	assert_int_equal(n, 1024);
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &rl), 0);
	assert_true(rl.rlim_cur >= 1024 + CONNECT_FD_RESERVE);
	/* A hard limit too low: the default shrinks to fit, an explicit ask fails. */
	rl.rlim_cur = rl.rlim_max = 512;
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &rl), 0);
	assert_int_equal(connect_fit_inflight(1024, false, &n, &err), 0);
	assert_int_equal(n, 512 - CONNECT_FD_RESERVE);
	assert_int_equal(connect_fit_inflight(1024, true, &n, &err), -EMFILE);
	assert_non_null(strstr(err.text, "--max-inflight 1024 needs 1088 open files"));
	assert_non_null(strstr(err.text, "ulimit -n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify),
		cmocka_unit_test(test_run_loopback),
		cmocka_unit_test(test_fit_inflight),
	};

	return cmocka_run_group_tests_name("connect", tests, NULL, NULL);
}
