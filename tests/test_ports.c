// SPDX-License-Identifier: MIT
/*
 * Port set tests: every nmap-style form, merging of overlaps and neighbours,
 * every kind of bad input with its exact message, and ports_at() and
 * ports_contains() against a brute-force map on random specs from a seeded
 * xorshift.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ports.h"

/* struct port_set is about 256 KiB: keep it off the test's stack. */
static struct port_set ps;

static uint64_t rng_state = 0x2545f4914f6cdd1dULL;

static uint64_t xorshift64(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Parses spec and checks the result is exactly the want[] ranges. */
static void check_ranges(const char *spec, const struct port_range *want, unsigned n)
{
	struct errmsg err = {{0}};
	uint32_t total = 0;

	if (ports_parse(&ps, spec, &err))
		fail_msg("'%s' rejected: %s", spec, err.text);
	if (ps.count != n)
		fail_msg("'%s': %u ranges, want %u", spec, ps.count, n);
	for (unsigned i = 0; i < n; i++) {
		assert_int_equal(ps.ranges[i].first, want[i].first);
		assert_int_equal(ps.ranges[i].last, want[i].last);
		assert_int_equal(ps.starts[i], total);
		total += (uint32_t)(want[i].last - want[i].first + 1);
	}
	assert_int_equal(ps.total, total);
}

#define CHECK(spec, ...)                                                                           \
	do {                                                                                       \
		const struct port_range want_[] = {__VA_ARGS__};                                   \
		check_ranges(spec, want_, sizeof(want_) / sizeof(want_[0]));                       \
	} while (0)

static void test_good(void **state)
{
	(void)state;
	CHECK("80", {80, 80});
	CHECK("22,80,443", {22, 22}, {80, 80}, {443, 443});
	CHECK("443,22,80", {22, 22}, {80, 80}, {443, 443});
	CHECK(" 22 , 80\t", {22, 22}, {80, 80});
	CHECK("8000-8100", {8000, 8100});
	CHECK("8000 - 8100", {8000, 8100});
	CHECK("-", {1, 65535});
	CHECK(" - ", {1, 65535});
	CHECK("-1024", {1, 1024});
	CHECK("60000-", {60000, 65535});
	CHECK("0", {0, 0});
	CHECK("0-", {0, 65535});
	CHECK("0-0", {0, 0});
	CHECK("65535", {65535, 65535});
	CHECK("00080", {80, 80});
	/* Overlaps, duplicates, containment and adjacency all merge. */
	CHECK("80,80,80", {80, 80});
	CHECK("1-10,5-20", {1, 20});
	CHECK("1-10,11-20", {1, 20});
	CHECK("1-10,12-20", {1, 10}, {12, 20});
	CHECK("100-200,150,120-130", {100, 200});
	CHECK("79,81,80", {79, 81});
	CHECK("-,22", {1, 65535});
	CHECK("0,-", {0, 65535});
	CHECK("65535,65534,1-2", {1, 2}, {65534, 65535});
}

static void test_alternating(void **state)
{
	char *spec = malloc(65536 * 6);
	size_t len = 0;

	(void)state;
	assert_non_null(spec);
	/* Every other port: the most ranges a set can need, 32768. */
	for (unsigned p = 0; p < 65536; p += 2)
		len += (size_t)sprintf(spec + len, "%u,", p);
	spec[len - 1] = '\0';
	assert_int_equal(ports_parse(&ps, spec, NULL), 0);
	assert_int_equal(ps.count, 32768);
	assert_int_equal(ps.total, 32768);
	assert_int_equal(ports_at(&ps, 32767), 65534);
	assert_false(ports_contains(&ps, 65535));
	assert_true(ports_contains(&ps, 0));
	len = 0;
	for (unsigned p = 1; p < 65536; p += 2)
		len += (size_t)sprintf(spec + len, "%u,", p);
	spec[len - 1] = '\0';
	assert_int_equal(ports_parse(&ps, spec, NULL), 0);
	assert_int_equal(ps.count, 32768);
	assert_int_equal(ports_at(&ps, 32767), 65535);
	assert_false(ports_contains(&ps, 0));
	free(spec);
}

struct bad_case {
	const char *spec, *message;
};

static const struct bad_case bad_specs[] = {
	{"", "empty port list"},
	{"  \t", "empty port list"},
	{"70000", "port 70000 is outside 0-65535"},
	{"65536", "port 65536 is outside 0-65535"},
	{"99999999999999999999999", "port 99999999999999999999999 is outside 0-65535"},
	{"1-70000", "port 70000 is outside 0-65535"},
	{"-70000", "port 70000 is outside 0-65535"},
	{"90-80", "range '90-80' is reversed"},
	{"-0", "range '-0' is reversed"},
	{"8o", "'8o' is not a port number"},
	{"80,8o", "'8o' is not a port number"},
	{"+80", "'+80' is not a port number"},
	{"0x50", "'0x50' is not a port number"},
	{"T:80", "'T:80' is not a port number"},
	{"80 443", "'80 443' is not a port number"},
	{"1-2-3", "'2-3' is not a port number"},
	{"--5", "'-5' is not a port number"},
	{"22,,80", "empty item in port list '22,,80'"},
	{"22,", "empty item in port list '22,'"},
	{",", "empty item in port list ','"},
};

static void test_bad(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof(bad_specs) / sizeof(bad_specs[0]); i++) {
		struct errmsg err = {{0}};

		assert_int_equal(ports_parse(&ps, "1-100", NULL), 0);
		assert_int_equal(ports_parse(&ps, bad_specs[i].spec, &err), -EINVAL);
		assert_string_equal(err.text, bad_specs[i].message);
		/* A failed parse leaves an empty set, not the previous one or half of this one. */
		assert_int_equal(ps.total, 0);
		assert_int_equal(ps.count, 0);
	}
	assert_int_equal(ports_parse(&ps, "x", NULL), -EINVAL);
}

static void test_random_against_map(void **state)
{
	char spec[4096];

	(void)state;
	for (int iter = 0; iter < 2000; iter++) {
		bool want[65536] = {0};
		unsigned items = 1 + (unsigned)(xorshift64() % 12), n = 0;
		size_t len = 0;
		/* Most specs stay in a small window so that merges and gaps both happen. */
		unsigned window = xorshift64() % 4 ? 200 : 65536;
		unsigned lowest = (unsigned)(xorshift64() % (65537 - window));

		for (unsigned i = 0; i < items; i++) {
			unsigned a = lowest + (unsigned)(xorshift64() % window);
			unsigned b = a + (unsigned)(xorshift64() % 30);
			unsigned form = (unsigned)(xorshift64() % 8), lo = a, hi = b;

			if (b > 65535)
				b = 65535, hi = 65535;
			if (form == 0)
				len += (size_t)sprintf(spec + len, "%u,", a), hi = a;
			else if (form == 1 && b > 0)
				len += (size_t)sprintf(spec + len, "-%u,", b), lo = 1;
			else if (form == 2)
				len += (size_t)sprintf(spec + len, " %u- ,", a), hi = 65535;
			else
				len += (size_t)sprintf(spec + len, "%u-%u,", a, b);
			for (unsigned p = lo; p <= hi; p++)
				want[p] = true;
		}
		spec[len - 1] = '\0';
		assert_int_equal(ports_parse(&ps, spec, NULL), 0);
		for (unsigned p = 0; p < 65536; p++) {
			if (ports_contains(&ps, (uint16_t)p) != want[p])
				fail_msg("'%s': contains(%u) != %d", spec, p, want[p]);
			assert_int_equal(ports_rank(&ps, (uint16_t)p), want[p] ? n : PORTS_NONE);
			if (want[p])
				assert_int_equal(ports_at(&ps, n++), p);
		}
		assert_int_equal(n, ps.total);
		for (unsigned i = 1; i < ps.count; i++)
			assert_true(ps.ranges[i - 1].last + 1 < ps.ranges[i].first);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_good),
		cmocka_unit_test(test_alternating),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_random_against_map),
	};

	return cmocka_run_group_tests_name("ports", tests, NULL, NULL);
}
