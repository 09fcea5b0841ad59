// SPDX-License-Identifier: MIT
/*
 * Tests for core/answered.c: marking by (address, port) hits the index the
 * sender walks, and the silent probes reported are exactly those this run
 * sent (per slice, from tx_first to tx_next, first pass only) and nobody
 * answered, for every shard; the size limit.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "scan.h"

static struct scan s; /* large: the port set */
static struct scan_config cfg;
static unsigned reported[70][3];

static void build(uint64_t shard, uint64_t nshards, unsigned retries)
{
	static const char *t[] = {"198.18.0.0/26", "198.18.1.7"};
	struct errmsg err;

	memset(&cfg, 0, sizeof(cfg));
	cfg.target_specs = t;
	cfg.target_count = 2;
	cfg.ports_spec = "22,80,443";
	cfg.shard_index = shard;
	cfg.shard_count = nshards;
	cfg.retries = retries;
	memset(&s, 0, sizeof(s));
	assert_int_equal(scan_build_sets(&s, &cfg, &err), 0);
	assert_int_equal(scan_prepare(&s, 4321, &err), 0);
	s.net.src_port_first = 61000;
	s.net.src_port_last = 61000;
}

static unsigned slot(uint32_t addr)
{
	return addr == 0xc6120107 ? 64 : addr - 0xc6120000;
}

static unsigned port_slot(uint16_t port)
{
	return port == 22 ? 0 : port == 80 ? 1 : 2;
}

static void record(void *ctx, uint32_t addr, uint16_t port, uint8_t proto)
{
	(void)ctx;
	assert_int_equal(proto, 6);
	reported[slot(addr)][port_slot(port)]++;
}

/* Shards x slices, with a resumed slice: silent = sent and unanswered, once each. */
static void test_silent_exactly(void **state)
{
	(void)state;
	for (uint64_t nshards = 1; nshards <= 3; nshards++) {
		unsigned sent[70][3] = {{0}};

		memset(reported, 0, sizeof(reported));
		for (uint64_t shard = 0; shard < nshards; shard++) {
			build(shard, nshards, 1);
			assert_int_equal(answered_init(&s.answered, s.probes), 0);
			s.slices = 2;
			/* Slice 0 ran from its start to the end; slice 1 resumed at 5, stopped
			 * at 41. */
			s.tx_first[1] = 5;
			atomic_store(&s.tx_next[0], s.total_sends + 1);
			atomic_store(&s.tx_next[1], 41);
			for (uint64_t pos = 0; pos < s.shard_probes; pos++) {
				struct probe p = scan_probe_at(&s, pos);
				bool was_sent = pos % 2 == 0 || (pos >= 5 && pos < 41);

				if (!was_sent)
					continue;
				sent[slot(p.dst_ip)][port_slot(p.dst_port)]++;
				/* Every third probe is answered; marked as the receiver does. */
				if (pos % 3 == 0) {
					answered_mark(&s.answered, &s, p.dst_ip, p.dst_port,
						      p.proto);
					sent[slot(p.dst_ip)][port_slot(p.dst_port)] += 10;
				}
			}
			answered_mark(&s.answered, &s, 0x0a000001, 80,
				      6); /* not a target: ignored */
			answered_mark(&s.answered, &s, 0xc6120001, 8080, 6);
			answered_each_silent(&s.answered, &s, record, NULL);
			answered_free(&s.answered);
			scan_free(&s);
		}
		for (unsigned a = 0; a < 65; a++)
			for (unsigned p = 0; p < 3; p++)
				assert_int_equal(reported[a][p], sent[a][p] == 1 ? 1 : 0);
	}
}

static void test_limits(void **state)
{
	struct answered a;

	(void)state;
	assert_int_equal(answered_init(&a, ANSWERED_MAX_PROBES + 1), -E2BIG);
	assert_null(a.bits);
	answered_free(&a);
	assert_int_equal(answered_init(&a, 1), 0);
	answered_set(&a, 0);
	assert_true(answered_test(&a, 0));
	answered_free(&a);
	build(0, 1, 0); /* not tracked: marking is a no-op, nothing is silent */
	answered_mark(&s.answered, &s, 0xc6120001, 80, 6);
	assert_int_equal(answered_each_silent(&s.answered, &s, record, NULL), 0);
	scan_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_silent_exactly),
		cmocka_unit_test(test_limits),
	};

	return cmocka_run_group_tests_name("answered", tests, NULL, NULL);
}
