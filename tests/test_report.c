// SPDX-License-Identifier: MIT
/*
 * Tests for core/report.c: the command line as one shell-safe line, the port
 * set as ranges, a scan id equal across shards and different across seeds,
 * targets and TCP or UDP ports, and silent probes written as filtered through the --show
 * filter of each output.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "report.h"

static struct scan s;

static void build_ports(const char *target, const char *ports, uint64_t seed, uint64_t shard)
{
	static const char *t[1];
	static struct scan_config cfg;
	struct errmsg err;

	t[0] = target;
	memset(&cfg, 0, sizeof(cfg));
	cfg.target_specs = t;
	cfg.target_count = 1;
	cfg.ports_spec = ports;
	cfg.shard_index = shard;
	cfg.shard_count = 2;
	memset(&s, 0, sizeof(s));
	s.net.src_port_first = s.net.src_port_last = 61000;
	assert_int_equal(scan_build_sets(&s, &cfg, &err), 0);
	assert_int_equal(scan_prepare(&s, seed, &err), 0);
}

static void build(const char *target, uint64_t seed, uint64_t shard)
{
	build_ports(target, "80,22,8000-8100,443", seed, shard);
}

static void test_strings(void **state)
{
	char *argv[] = {"hayate", "198.18.0.0/16", "-p", "22,80", "--exclude", "it's here", ""};
	char *line = report_join_args(7, argv), *ports;

	(void)state;
	assert_string_equal(line, "hayate 198.18.0.0/16 -p 22,80 --exclude 'it'\\''s here' ''");
	free(line);
	build("198.18.0.0/24", 1, 0);
	ports = report_ports_string(&s.ports);
	assert_string_equal(ports, "22,80,443,8000-8100");
	free(ports);
	scan_free(&s);
}

static void test_scan_id(void **state)
{
	uint64_t a, b, c, d;

	(void)state;
	build("198.18.0.0/24", 1, 0);
	a = report_scan_id(&s);
	scan_free(&s);
	build("198.18.0.0/24", 1, 1);
	b = report_scan_id(&s);
	scan_free(&s);
	build("198.18.0.0/24", 2, 0);
	c = report_scan_id(&s);
	scan_free(&s);
	build("198.18.0.0/25", 1, 0);
	d = report_scan_id(&s);
	scan_free(&s);
	assert_int_equal(a, b); /* shards of one scan */
	assert_int_not_equal(a, c);
	assert_int_not_equal(a, d);
}

/*
 * The UDP ports are part of the scan: -sU of port 53 and of port 161 are two
 * scans, whose files must not merge. A TCP-only scan keeps the id earlier
 * versions gave it, so their files still merge with new ones.
 */
static void test_scan_id_udp(void **state)
{
	uint64_t tcp, udp53, udp161, both;

	(void)state;
	build_ports("198.18.0.0/24", "80,22,8000-8100,443", 1, 0);
	tcp = report_scan_id(&s);
	scan_free(&s);
	build_ports("198.18.0.0/24", "U:53", 1, 0);
	udp53 = report_scan_id(&s);
	scan_free(&s);
	build_ports("198.18.0.0/24", "U:161", 1, 0);
	udp161 = report_scan_id(&s);
	scan_free(&s);
	build_ports("198.18.0.0/24", "80,22,8000-8100,443,U:53", 1, 0);
	both = report_scan_id(&s);
	scan_free(&s);
	assert_int_equal(tcp, 0xe7451f04654a7f3fULL); /* as hayate 0.1.0 computed it */
	assert_int_not_equal(udp53, udp161);
	assert_int_not_equal(both, tcp);
	assert_int_not_equal(both, udp53);
}

static void test_silent(void **state)
{
	struct scan_config cfg;
	struct report rp;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);
	char *argv[] = {"hayate"};
	uint64_t lines = 0, expected = 0;

	(void)state;
	build("198.18.0.0/30", 3, 0);
	memset(&cfg, 0, sizeof(cfg));
	cfg.show = SHOW_FILTERED;
	assert_int_equal(answered_init(&s.answered, s.probes), 0);
	s.slices = 1;
	atomic_store(&s.tx_next[0], s.total_sends);
	answered_mark(&s.answered, &s, 0xc6120001, 22, 6);
	assert_int_equal(report_init(&rp, &s, 1, argv, 1), 0);
	output_set_bind(&rp.front, &rp.set);
	rp.set.outs[0] = (struct output){.ops = &output_text_ops, .fp = fp, .show = SHOW_FILTERED};
	rp.set.outs[1] = (struct output){.ops = &output_text_ops, .fp = fp, .show = SHOW_OPEN};
	rp.set.count = 2;
	/* Shard 1 of 2 of 4 addresses x 104 ports: its probes, less the one answered. */
	for (uint64_t pos = 0; pos < s.shard_probes; pos++) {
		struct probe p = scan_probe_at(&s, pos);

		expected += !(p.dst_ip == 0xc6120001 && p.dst_port == 22);
	}
	assert_true(expected >= 207 && expected <= 208);
	assert_int_equal(report_silent(&rp, &s, 5), expected);
	assert_int_equal(report_close(&rp, 6, true, true), 0);
	fclose(fp);
	for (char *l = strtok(text, "\n"); l; l = strtok(NULL, "\n"), lines++)
		assert_int_equal(strncmp(l, "filtered tcp ", 13), 0);
	assert_int_equal(lines, expected); /* only the output showing filtered wrote them */
	free(text);
	report_free(&rp);
	answered_free(&s.answered);
	scan_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_scan_id),
		cmocka_unit_test(test_scan_id_udp),
		cmocka_unit_test(test_silent),
	};

	return cmocka_run_group_tests_name("report", tests, NULL, NULL);
}
