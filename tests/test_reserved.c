// SPDX-License-Identifier: MIT
/*
 * Reserved-range tests: the table is sorted and disjoint, well-known addresses
 * fall on the right side of each boundary, and reserved_exclude_all() drops
 * what a wide sweep covers by accident while keeping what a spec names from
 * inside a reserved block.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "addr.h"
#include "reserved.h"
#include "targets.h"

static uint32_t ip(const char *s)
{
	uint32_t a = 0;

	if (!addr_parse(s, &a))
		fail_msg("bad test address '%s'", s);
	return a;
}

static void test_table_shape(void **state)
{
	(void)state;
	assert_true(reserved_count() >= 15);
	for (unsigned i = 0; i < reserved_count(); i++) {
		const char *name = NULL;
		struct target_range r = reserved_at(i, &name);

		assert_non_null(name);
		assert_true(strstr(name, "RFC") != NULL);
		assert_true(r.first <= r.last);
		if (i > 0)
			assert_true(reserved_at(i - 1, NULL).last < r.first);
	}
}

static void test_known_addresses(void **state)
{
	static const char *const in[] = {
		"0.0.0.0",	 "0.255.255.255",   "10.0.0.0",	       "10.255.255.255",
		"100.64.0.0",	 "100.127.255.255", "127.0.0.1",       "169.254.1.1",
		"172.16.0.0",	 "172.31.255.255",  "192.0.0.8",       "192.0.2.5",
		"192.88.99.1",	 "192.168.1.1",	    "198.18.0.0",      "198.19.255.255",
		"198.51.100.77", "203.0.113.200",   "224.0.0.1",       "239.255.255.255",
		"240.0.0.0",	 "254.1.2.3",	    "255.255.255.254", "255.255.255.255",
	};
	static const char *const out[] = {
		"1.0.0.0",	"1.1.1.1",	   "8.8.8.8",	   "9.255.255.255",
		"11.0.0.0",	"100.63.255.255",  "100.128.0.0",  "126.255.255.255",
		"128.0.0.0",	"169.253.255.255", "169.255.0.0",  "172.15.255.255",
		"172.32.0.0",	"192.0.1.255",	   "192.0.3.0",	   "192.88.98.255",
		"192.88.100.0", "192.167.255.255", "192.169.0.0",  "198.17.255.255",
		"198.20.0.0",	"198.51.99.255",   "198.51.101.0", "203.0.112.255",
		"203.0.114.0",	"223.255.255.255", "192.31.196.1", "192.175.48.1",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(in) / sizeof(in[0]); i++)
		if (!reserved_contains(ip(in[i])))
			fail_msg("%s should be reserved", in[i]);
	for (size_t i = 0; i < sizeof(out) / sizeof(out[0]); i++)
		if (reserved_contains(ip(out[i])))
			fail_msg("%s should not be reserved", out[i]);
}

static uint64_t reserved_size(void)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < reserved_count(); i++) {
		struct target_range r = reserved_at(i, NULL);

		sum += (uint64_t)r.last - r.first + 1;
	}
	return sum;
}

static void test_exclude_from_everything(void **state)
{
	struct target_set t;
	uint64_t rng = 88172645463325252ULL;

	(void)state;
	targets_init(&t);
	assert_int_equal(targets_add_spec(&t, "0.0.0.0/0", NULL), 0);
	assert_int_equal(reserved_exclude_all(&t), 0);
	assert_int_equal(targets_finish(&t), 0);
	assert_true(t.total == (1ULL << 32) - reserved_size());
	/* The tally as ZMap's blocklist gives it: about 592.7 million reserved addresses. */
	assert_true(reserved_size() == 592708864ULL);
	for (int i = 0; i < 1000000; i++) {
		uint32_t a;

		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		a = (uint32_t)rng;
		assert_true(targets_contains(&t, a) == !reserved_contains(a));
		a = targets_at(&t, rng % t.total);
		assert_false(reserved_contains(a));
	}
	targets_free(&t);
}

/* Runs reserved_exclude_all() over the comma-separated includes; returns the total. */
static uint64_t total_after(const char *includes, struct target_set *t)
{
	targets_init(t);
	assert_int_equal(targets_add_list(t, includes, NULL), 0);
	assert_int_equal(reserved_exclude_all(t), 0);
	assert_int_equal(targets_finish(t), 0);
	return t->total;
}

static void test_named_blocks_survive(void **state)
{
	struct target_set t;

	(void)state;
	/* An admin scanning their own private network gets all of it. */
	assert_true(total_after("10.0.0.0/8", &t) == 1u << 24);
	targets_free(&t);
	assert_true(total_after("172.16.0.0/12,192.168.0.0/16", &t) == (1u << 20) + (1u << 16));
	targets_free(&t);
	/* A sweep plus one named address inside 10/8 keeps that address and no more of 10/8. */
	total_after("0.0.0.0/0,10.1.2.3,127.0.0.1", &t);
	assert_true(t.total == (1ULL << 32) - reserved_size() + 2);
	assert_true(targets_contains(&t, ip("10.1.2.3")));
	assert_true(targets_contains(&t, ip("127.0.0.1")));
	assert_false(targets_contains(&t, ip("10.1.2.4")));
	assert_false(targets_contains(&t, ip("127.0.0.2")));
	targets_free(&t);
	/* Overlapping named pieces inside one block and one in another, given out of order. */
	total_after("192.168.7.0/24,10.0.0.128-10.0.1.9,0.0.0.0/0,10.0.0.0/24", &t);
	assert_true(t.total == (1ULL << 32) - reserved_size() + 266 + 256);
	targets_free(&t);
	/* A spec that straddles a block boundary names neither block: 10/8 goes. */
	assert_true(total_after("9.255.255.0-11.0.0.255", &t) == 256 + 256);
	targets_free(&t);
	/* Includes that avoid every block are untouched. */
	assert_true(total_after("8.8.8.0/24", &t) == 256);
	targets_free(&t);
	/* A user exclude still wins over a named reserved block. */
	targets_init(&t);
	assert_int_equal(targets_add_spec(&t, "10.0.0.0/8", NULL), 0);
	assert_int_equal(targets_exclude_spec(&t, "10.0.0.0/9", NULL), 0);
	assert_int_equal(reserved_exclude_all(&t), 0);
	assert_int_equal(targets_finish(&t), 0);
	assert_true(t.total == 1u << 23);
	targets_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_shape),
		cmocka_unit_test(test_known_addresses),
		cmocka_unit_test(test_exclude_from_everything),
		cmocka_unit_test(test_named_blocks_survive),
	};

	return cmocka_run_group_tests_name("reserved", tests, NULL, NULL);
}
