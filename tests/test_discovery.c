// SPDX-License-Identifier: MIT
/*
 * The ping phase and what follows it, without a network: one echo probe per
 * target, each target's bit found again from its echo reply, then the port
 * scan restricted to the targets that answered (TCP then UDP ports, every
 * probe index mapping back to itself through scan_index_of()).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "discovery.h"

static struct scan s; /* large */

static void test_ping_then_ports(void **state)
{
	const char *targets[] = {"198.18.0.0/28"};
	struct scan_config cfg = {.target_specs = targets,
				  .target_count = 1,
				  .ports_spec = "T:22,80,U:53",
				  .ping = true,
				  .rate_pps = 1e6,
				  .shard_count = 1};
	bool seen[16] = {0};
	struct errmsg err;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(scan_build_sets(&s, &cfg, &err), 0);
	assert_int_equal(scan_prepare(&s, 9, &err), 0);
	assert_true(s.ping_phase);
	assert_int_equal(s.probes, 16); /* one echo per target */
	assert_int_equal(discovery_begin(&s, &err), 0);
	for (uint64_t pos = 0; pos < s.total_sends; pos++) {
		struct probe p = scan_probe_at(&s, pos);

		assert_int_equal(p.proto, 1);
		assert_int_equal(p.dst_port, 0);
		assert_false(seen[p.dst_ip & 15]);
		seen[p.dst_ip & 15] = true;
		/* Every third host answers its echo. */
		if ((p.dst_ip & 15) % 3 == 0)
			answered_mark(&s.answered, &s, p.dst_ip, 0, 1);
	}
	answered_mark(&s.answered, &s, 0xc6120101, 0, 1);	 /* not a target: ignored */
	answered_mark(&s.answered, &s, 0xc6120001, 22, 6);	 /* a TCP reply in the ping phase */
	assert_int_equal(discovery_restrict(&s, true, &err), 6); /* .0 .3 .6 .9 .12 .15 */
	assert_false(s.ping_phase);
	assert_int_equal(s.targets.total, 6);
	assert_false(targets_contains(&s.targets, 0xc6120001));
	assert_true(targets_contains(&s.targets, 0xc612000f));
	assert_int_equal(s.probes, 6 * 3);
	assert_non_null(s.answered.bits);
	for (uint64_t pos = 0; pos < s.total_sends; pos++) {
		struct probe p = scan_probe_at(&s, pos);

		assert_true(p.proto == (p.dst_port == 53 ? 17 : 6));
		assert_int_equal((p.dst_ip & 15) % 3, 0);
		assert_int_equal(scan_index_of(&s, p.dst_ip, p.dst_port, p.proto),
				 scan_index_at(&s, pos));
	}
	assert_int_equal(scan_index_of(&s, 0xc6120000, 53, 6), UINT64_MAX); /* 53 is UDP here */
	answered_free(&s.answered);
	scan_free(&s);
}

static void test_nobody_up(void **state)
{
	const char *targets[] = {"198.18.0.0/30"};
	struct scan_config cfg = {.target_specs = targets,
				  .target_count = 1,
				  .ports_spec = "80",
				  .ping = true,
				  .rate_pps = 1e6,
				  .shard_count = 1};
	struct errmsg err;

	(void)state;
	memset(&s, 0, sizeof(s));
	assert_int_equal(scan_build_sets(&s, &cfg, &err), 0);
	assert_int_equal(scan_prepare(&s, 9, &err), 0);
	assert_int_equal(discovery_begin(&s, &err), 0);
	assert_int_equal(discovery_restrict(&s, false, &err), 0);
	assert_true(s.ping_phase); /* unchanged: nothing to scan */
	assert_int_equal(s.targets.total, 4);
	answered_free(&s.answered);
	scan_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ping_then_ports),
		cmocka_unit_test(test_nobody_up),
	};

	return cmocka_run_group_tests_name("discovery", tests, NULL, NULL);
}
