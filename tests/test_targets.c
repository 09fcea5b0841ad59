// SPDX-License-Identifier: MIT
/*
 * Target set tests: dotted-quad parsing, every spec form and every way a spec
 * can be wrong, merging, each overlap case of exclude subtraction, and
 * targets_at()/targets_contains() against a brute-force bitmap on many random
 * sets drawn from a seeded xorshift, near 0 and near 255.255.255.255.
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
#include "targets.h"

#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t xorshift64(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void test_addr_parse(void **state)
{
	static const char *const bad[] = {
		"",	    "1.2.3",	  "1.2.3.4.5", " 1..2.3",   "0x1.2.3.4",
		"+1.2.3.4", "1.2.3.256",  "1.2.3.-1",  "1.2.3.4 ",  " 1.2.3.4",
		"1.2.3.",   ".1.2.3",	  "1.2.3.4.",  "010.0.0.1", "1.2.3.00",
		"1.2.3.1a", "1234.1.1.1", "1.2.3.4/8", "a.b.c.d",   "1.2.3.0004",
	};
	char buf[ADDR_STR_MAX];
	uint32_t a = 0;

	(void)state;
	assert_true(addr_parse("0.0.0.0", &a));
	assert_int_equal(a, 0);
	assert_true(addr_parse("255.255.255.255", &a));
	assert_int_equal(a, 0xffffffffu);
	assert_true(addr_parse("198.18.0.1", &a));
	assert_int_equal(a, IP(198, 18, 0, 1));
	assert_true(addr_parse("10.0.0.0", &a));
	assert_int_equal(a, IP(10, 0, 0, 0));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = 42;
		if (addr_parse(bad[i], &a))
			fail_msg("'%s' parsed as an address", bad[i]);
		assert_int_equal(a, 42);
	}
	/* addr_parse_n reads exactly len bytes, so it can parse inside a longer string. */
	assert_true(addr_parse_n("10.1.2.3/8", 8, &a));
	assert_int_equal(a, IP(10, 1, 2, 3));
	assert_false(addr_parse_n("10.1.2.3/8", 9, &a));
	assert_string_equal(addr_format(0, buf), "0.0.0.0");
	assert_string_equal(addr_format(0xffffffffu, buf), "255.255.255.255");
	assert_string_equal(addr_format(IP(10, 0, 100, 9), buf), "10.0.100.9");
	for (int i = 0; i < 100000; i++) {
		uint32_t x = (uint32_t)xorshift64(), y;

		assert_true(addr_parse(addr_format(x, buf), &y));
		assert_int_equal(x, y);
	}
}

/* Adds spec to a fresh set, finishes it and checks it is exactly [first, last]. */
static void check_one(const char *spec, uint32_t first, uint32_t last)
{
	struct target_set t;
	struct errmsg err = {{0}};

	targets_init(&t);
	if (targets_add_spec(&t, spec, &err))
		fail_msg("'%s' rejected: %s", spec, err.text);
	assert_int_equal(targets_finish(&t), 0);
	assert_int_equal(t.count, 1);
	assert_int_equal(t.ranges[0].first, first);
	assert_int_equal(t.ranges[0].last, last);
	assert_true(t.total == (uint64_t)last - first + 1);
	targets_free(&t);
}

static void test_good_specs(void **state)
{
	(void)state;
	check_one("192.0.2.7", IP(192, 0, 2, 7), IP(192, 0, 2, 7));
	check_one("  192.0.2.7\t", IP(192, 0, 2, 7), IP(192, 0, 2, 7));
	check_one("10.0.0.0/8", IP(10, 0, 0, 0), IP(10, 255, 255, 255));
	check_one("10.1.2.3/8", IP(10, 0, 0, 0), IP(10, 255, 255, 255));
	check_one("10.1.2.3/32", IP(10, 1, 2, 3), IP(10, 1, 2, 3));
	check_one("10.1.2.3/31", IP(10, 1, 2, 2), IP(10, 1, 2, 3));
	check_one("128.0.0.0/1", IP(128, 0, 0, 0), 0xffffffffu);
	check_one("10.0.0.0 / 24", IP(10, 0, 0, 0), IP(10, 0, 0, 255));
	check_one("10.0.0.1-10.0.0.9", IP(10, 0, 0, 1), IP(10, 0, 0, 9));
	check_one("10.0.0.1 - 10.0.1.0", IP(10, 0, 0, 1), IP(10, 0, 1, 0));
	check_one("10.0.0.5-10.0.0.5", IP(10, 0, 0, 5), IP(10, 0, 0, 5));
	check_one("10.0.0.1-200", IP(10, 0, 0, 1), IP(10, 0, 0, 200));
	check_one("10.0.0.0-255.255.255.255", IP(10, 0, 0, 0), 0xffffffffu);
	check_one("0.0.0.0-0", 0, 0);
}

static void test_everything(void **state)
{
	struct target_set t;
	struct errmsg err = {{0}};

	(void)state;
	targets_init(&t);
	assert_int_equal(targets_add_spec(&t, "0.0.0.0/0", &err), 0);
	assert_int_equal(targets_finish(&t), 0);
	assert_true(t.total == 4294967296ULL);
	assert_int_equal(targets_at(&t, 0), 0);
	assert_int_equal(targets_at(&t, 4294967295ULL), 0xffffffffu);
	assert_int_equal(targets_at(&t, IP(10, 1, 2, 3)), IP(10, 1, 2, 3));
	assert_true(targets_contains(&t, 0) && targets_contains(&t, 0xffffffffu));
	assert_int_equal(targets_exclude_spec(&t, "10.0.0.0/8", &err), 0);
	assert_int_equal(targets_exclude_spec(&t, "255.255.255.255", &err), 0);
	assert_int_equal(targets_finish(&t), 0);
	assert_true(t.total == 4294967296ULL - 16777216 - 1);
	assert_int_equal(targets_at(&t, IP(10, 0, 0, 0)), IP(11, 0, 0, 0));
	assert_int_equal(targets_at(&t, t.total - 1), 0xfffffffeu);
	assert_false(targets_contains(&t, IP(10, 9, 9, 9)));
	assert_false(targets_contains(&t, 0xffffffffu));
	targets_free(&t);
}

struct bad_case {
	const char *spec, *message;
};

static const struct bad_case bad_specs[] = {
	{"", "empty target spec"},
	{" \t ", "empty target spec"},
	{"10.0.0.256", "'10.0.0.256' is not an IPv4 address, CIDR or range"},
	{"10.0.0.300", "'10.0.0.300' is not an IPv4 address, CIDR or range"},
	{"1.2.3", "'1.2.3' is not an IPv4 address, CIDR or range"},
	{"1.2.3.4.5", "'1.2.3.4.5' is not an IPv4 address, CIDR or range"},
	{" 1..2.3", "'1..2.3' is not an IPv4 address, CIDR or range"},
	{"0x1.2.3.4", "'0x1.2.3.4' is not an IPv4 address, CIDR or range"},
	{"+1.2.3.4", "'+1.2.3.4' is not an IPv4 address, CIDR or range"},
	{"example.com", "'example.com' is not an IPv4 address, CIDR or range"},
	{"10.0.0.1 10.0.0.2", "'10.0.0.1 10.0.0.2' is not an IPv4 address, CIDR or range"},
	{"010.0.0.1", "'010.0.0.1' is not an IPv4 address, CIDR or range (a leading zero is "
		      "ambiguous: octal or decimal?)"},
	{"10.0.0.0/33", "'10.0.0.0/33': prefix length must be 0-32"},
	{"10.0.0.0/", "'10.0.0.0/': prefix length must be 0-32"},
	{"10.0.0.0/-1", "'10.0.0.0/-1': prefix length must be 0-32"},
	{"10.0.0.0/24x", "'10.0.0.0/24x': prefix length must be 0-32"},
	{"10.0.0.0/8/8", "'10.0.0.0/8/8': prefix length must be 0-32"},
	{"10.0.0.0/999", "'10.0.0.0/999': prefix length must be 0-32"},
	{"10.0.0.256/8", "'10.0.0.256/8': '10.0.0.256' is not an IPv4 address"},
	{"/8", "'/8': missing address"},
	{"10.0.0.9-10.0.0.1", "range '10.0.0.9-10.0.0.1' is reversed"},
	{"10.0.0.9-1", "range '10.0.0.9-1' is reversed"},
	{"10.0.0.1-", "'10.0.0.1-': missing address"},
	{"-10.0.0.1", "'-10.0.0.1': missing address"},
	{"10.0.0.1-10.0.0.300", "'10.0.0.1-10.0.0.300': '10.0.0.300' is not an IPv4 address"},
	{"10.0.0.1-256", "'10.0.0.1-256': '256' is not an IPv4 address"},
	{"10.0.0.1--10.0.0.2", "'10.0.0.1--10.0.0.2': '-10.0.0.2' is not an IPv4 address"},
	{"1.2.3.4-01.2.3.5", "'1.2.3.4-01.2.3.5': '01.2.3.5' is not an IPv4 address (a leading "
			     "zero is ambiguous: octal or decimal?)"},
};

static void test_bad_specs(void **state)
{
	char long_spec[300];

	(void)state;
	for (size_t i = 0; i < sizeof(bad_specs) / sizeof(bad_specs[0]); i++) {
		struct target_set t;
		struct errmsg err = {{0}};

		targets_init(&t);
		assert_int_equal(targets_add_spec(&t, bad_specs[i].spec, &err), -EINVAL);
		assert_string_equal(err.text, bad_specs[i].message);
		memset(&err, 0, sizeof(err));
		assert_int_equal(targets_exclude_spec(&t, bad_specs[i].spec, &err), -EINVAL);
		assert_string_equal(err.text, bad_specs[i].message);
		/* A rejected spec leaves nothing behind. */
		assert_int_equal(t.count, 0);
		assert_int_equal(t.excl_count, 0);
		targets_free(&t);
	}
	/* A long spec is cut short in the message, so the reason still fits. */
	memset(long_spec, 'x', sizeof(long_spec) - 1);
	long_spec[sizeof(long_spec) - 1] = '\0';
	{
		struct target_set t;
		struct errmsg err = {{0}};
		const char *tail = "...' is not an IPv4 address, CIDR or range";

		targets_init(&t);
		assert_int_equal(targets_add_spec(&t, long_spec, &err), -EINVAL);
		assert_non_null(strstr(err.text, tail));
		targets_free(&t);
	}
	/* A NULL errmsg is allowed: the code still comes back. */
	{
		struct target_set t;

		targets_init(&t);
		assert_int_equal(targets_add_spec(&t, "10.0.0.0/40", NULL), -EINVAL);
		targets_free(&t);
	}
}

static void test_lists(void **state)
{
	struct target_set t;
	struct errmsg err = {{0}};

	(void)state;
	targets_init(&t);
	assert_int_equal(targets_add_list(&t, "10.0.0.1, 10.0.0.3 ,10.0.0.2,10.0.1.0/24", &err), 0);
	assert_int_equal(targets_exclude_list(&t, "10.0.1.128/25,10.0.0.2", &err), 0);
	assert_int_equal(targets_finish(&t), 0);
	assert_int_equal(t.count, 3);
	assert_true(t.total == 2 + 128);
	assert_int_equal(t.ranges[0].first, IP(10, 0, 0, 1));
	assert_int_equal(t.ranges[1].first, IP(10, 0, 0, 3));
	assert_int_equal(t.ranges[2].first, IP(10, 0, 1, 0));
	assert_int_equal(t.ranges[2].last, IP(10, 0, 1, 127));

	assert_int_equal(targets_add_list(&t, "10.0.0.1,,10.0.0.2", &err), -EINVAL);
	assert_string_equal(err.text, "empty item in target list '10.0.0.1,,10.0.0.2'");
	assert_int_equal(targets_add_list(&t, "10.0.0.1,", &err), -EINVAL);
	assert_string_equal(err.text, "empty item in target list '10.0.0.1,'");
	assert_int_equal(targets_add_list(&t, "", &err), -EINVAL);
	assert_string_equal(err.text, "empty target spec");
	assert_int_equal(targets_exclude_list(&t, "10.0.0.1,10.0.0.300", &err), -EINVAL);
	assert_string_equal(err.text, "'10.0.0.300' is not an IPv4 address, CIDR or range");
	targets_free(&t);
}

/* Checks the invariants finish() promises: sorted, disjoint, non-adjacent, exact prefix sums. */
static void check_invariants(const struct target_set *t)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < t->count; i++) {
		assert_true(t->ranges[i].first <= t->ranges[i].last);
		if (i > 0)
			assert_true((uint64_t)t->ranges[i - 1].last + 1 < t->ranges[i].first);
		assert_true(t->starts[i] == sum);
		sum += (uint64_t)t->ranges[i].last - t->ranges[i].first + 1;
	}
	assert_true(t->total == sum);
}

#define MAX_PIECES 4

struct sub_case {
	struct target_range incl[MAX_PIECES], excl[MAX_PIECES], want[MAX_PIECES];
	unsigned n_incl, n_excl, n_want;
};

static const struct sub_case sub_cases[] = {
	/* Merging alone: adjacent, contained, overlapping, duplicate, and a real gap. */
	{{{5, 9}, {1, 3}, {4, 4}}, {{0}}, {{1, 9}}, 3, 0, 1},
	{{{20, 30}, {25, 27}, {20, 30}}, {{0}}, {{20, 30}}, 3, 0, 1},
	{{{40, 50}, {45, 60}, {100, 100}, {102, 102}},
	 {{0}},
	 {{40, 60}, {100, 100}, {102, 102}},
	 4,
	 0,
	 3},
	{{{0xfffffff0u, 0xffffffffu}, {0xffffffffu, 0xffffffffu}, {0xffffffe0u, 0xffffffefu}},
	 {{0}},
	 {{0xffffffe0u, 0xffffffffu}},
	 3,
	 0,
	 1},
	/* One include [100, 200] against every placement of an exclude. */
	{{{100, 200}}, {{10, 20}}, {{100, 200}}, 1, 1, 1},
	{{{100, 200}}, {{300, 400}}, {{100, 200}}, 1, 1, 1},
	{{{100, 200}}, {{50, 99}}, {{100, 200}}, 1, 1, 1},
	{{{100, 200}}, {{201, 300}}, {{100, 200}}, 1, 1, 1},
	{{{100, 200}}, {{50, 120}}, {{121, 200}}, 1, 1, 1},
	{{{100, 200}}, {{150, 250}}, {{100, 149}}, 1, 1, 1},
	{{{100, 200}}, {{120, 130}}, {{100, 119}, {131, 200}}, 1, 1, 2},
	{{{100, 200}}, {{100, 200}}, {{0}}, 1, 1, 0},
	{{{100, 200}}, {{0, 1000}}, {{0}}, 1, 1, 0},
	{{{100, 200}}, {{100, 100}}, {{101, 200}}, 1, 1, 1},
	{{{100, 200}}, {{200, 200}}, {{100, 199}}, 1, 1, 1},
	{{{100, 200}},
	 {{110, 110}, {120, 125}, {190, 200}},
	 {{100, 109}, {111, 119}, {126, 189}},
	 1,
	 3,
	 3},
	{{{100, 200}}, {{120, 140}, {130, 150}}, {{100, 119}, {151, 200}}, 1, 2, 2},
	{{{100, 200}}, {{120, 129}, {130, 150}}, {{100, 119}, {151, 200}}, 1, 2, 2},
	/* One exclude across several includes. */
	{{{100, 200}, {300, 400}, {500, 600}}, {{150, 550}}, {{100, 149}, {551, 600}}, 3, 1, 2},
	{{{100, 200}, {300, 400}, {500, 600}},
	 {{201, 299}, {401, 499}},
	 {{100, 200}, {300, 400}, {500, 600}},
	 3,
	 2,
	 3},
	/* The ends of the address space, where last + 1 would overflow 32 bits. */
	{{{0, 0xffffffffu}}, {{0, 0}, {0xffffffffu, 0xffffffffu}}, {{1, 0xfffffffeu}}, 1, 2, 1},
	{{{0, 0xffffffffu}}, {{0x80000000u, 0xffffffffu}}, {{0, 0x7fffffffu}}, 1, 1, 1},
	{{{0xfffffff0u, 0xffffffffu}},
	 {{0xfffffff8u, 0xffffffffu}},
	 {{0xfffffff0u, 0xfffffff7u}},
	 1,
	 1,
	 1},
};

static void test_merge_and_subtract(void **state)
{
	(void)state;
	for (size_t c = 0; c < sizeof(sub_cases) / sizeof(sub_cases[0]); c++) {
		const struct sub_case *sc = &sub_cases[c];
		struct target_set t;

		targets_init(&t);
		/* Excludes first: the order of adds must not matter. */
		for (unsigned i = 0; i < sc->n_excl; i++)
			assert_int_equal(
				targets_exclude_range(&t, sc->excl[i].first, sc->excl[i].last), 0);
		for (unsigned i = 0; i < sc->n_incl; i++)
			assert_int_equal(targets_add_range(&t, sc->incl[i].first, sc->incl[i].last),
					 0);
		assert_int_equal(targets_finish(&t), 0);
		check_invariants(&t);
		if (t.count != sc->n_want)
			fail_msg("case %zu: %u ranges, want %u", c, t.count, sc->n_want);
		for (unsigned i = 0; i < sc->n_want; i++) {
			assert_int_equal(t.ranges[i].first, sc->want[i].first);
			assert_int_equal(t.ranges[i].last, sc->want[i].last);
		}
		targets_free(&t);
	}
}

static void test_empty_and_refinish(void **state)
{
	struct target_set t;

	(void)state;
	targets_init(&t);
	assert_int_equal(targets_finish(&t), 0);
	assert_true(t.total == 0);
	assert_false(targets_contains(&t, 0));
	assert_int_equal(targets_exclude_range(&t, 5, 5), 0);
	assert_int_equal(targets_finish(&t), 0);
	assert_true(t.total == 0);

	assert_int_equal(targets_add_range(&t, 1, 10), 0);
	assert_int_equal(targets_finish(&t), 0);
	assert_true(t.total == 9);
	/* More adds after a finish: the queued exclude still applies. */
	assert_int_equal(targets_add_range(&t, 5, 5), 0);
	assert_int_equal(targets_add_range(&t, 20, 20), 0);
	assert_int_equal(targets_finish(&t), 0);
	check_invariants(&t);
	assert_true(t.total == 10);
	assert_false(targets_contains(&t, 5));
	assert_int_equal(targets_at(&t, 9), 20);
	targets_free(&t);
	/* A freed set can be used again. */
	assert_int_equal(targets_add_range(&t, 7, 7), 0);
	assert_int_equal(targets_finish(&t), 0);
	assert_true(t.total == 1);
	targets_free(&t);
}

#define UNIVERSE 1024

/* A random range inside [base, base + UNIVERSE), mostly short so that gaps survive. */
static struct target_range random_range(uint32_t base)
{
	uint32_t off = (uint32_t)(xorshift64() % UNIVERSE);
	uint32_t len = (uint32_t)(xorshift64() % (xorshift64() % 4 ? 40 : UNIVERSE));

	if (off + len >= UNIVERSE)
		len = UNIVERSE - 1 - off;
	return (struct target_range){base + off, base + off + len};
}

/* Adds r either directly or through its spec text, to cover both paths. */
static void add_random(struct target_set *t, struct target_range r, bool exclude)
{
	char a[ADDR_STR_MAX], b[ADDR_STR_MAX], spec[2 * ADDR_STR_MAX + 2];
	struct errmsg err = {{0}};

	if (xorshift64() % 2) {
		strcpy(spec, addr_format(r.first, a));
		strcat(spec, "-");
		strcat(spec, addr_format(r.last, b));
		assert_int_equal(exclude ? targets_exclude_spec(t, spec, &err)
					 : targets_add_spec(t, spec, &err),
				 0);
	} else {
		assert_int_equal(exclude ? targets_exclude_range(t, r.first, r.last)
					 : targets_add_range(t, r.first, r.last),
				 0);
	}
}

static void test_random_against_bitmap(void **state)
{
	(void)state;
	for (int iter = 0; iter < 3000; iter++) {
		uint32_t bases[] = {0, (uint32_t)(0x100000000ULL - UNIVERSE),
				    (uint32_t)xorshift64() & ~(uint32_t)(UNIVERSE - 1)};
		uint32_t base = bases[iter % 3];
		bool incl[UNIVERSE] = {0}, excl[UNIVERSE] = {0};
		unsigned n_incl = (unsigned)(xorshift64() % 9),
			 n_excl = (unsigned)(xorshift64() % 7);
		struct target_set t;
		uint64_t idx = 0;

		targets_init(&t);
		/* Interleave includes and excludes in a random order. */
		while (n_incl || n_excl) {
			bool exclude = n_excl && (!n_incl || xorshift64() % 2);
			struct target_range r = random_range(base);

			for (uint32_t a = r.first - base; a <= r.last - base; a++)
				(exclude ? excl : incl)[a] = true;
			add_random(&t, r, exclude);
			exclude ? n_excl-- : n_incl--;
		}
		assert_int_equal(targets_finish(&t), 0);
		check_invariants(&t);
		for (uint32_t a = 0; a < UNIVERSE; a++) {
			bool want = incl[a] && !excl[a];

			if (targets_contains(&t, base + a) != want)
				fail_msg("iter %d: contains(base+%u) != %d", iter, a, want);
			if (want)
				assert_int_equal(targets_at(&t, idx++), base + a);
		}
		assert_true(idx == t.total);
		if (base != 0)
			assert_false(targets_contains(&t, base - 1));
		if (base + UNIVERSE != 0)
			assert_false(targets_contains(&t, base + UNIVERSE));
		targets_free(&t);
	}
}

/* Millions of ranges: qsort plus linear sweeps must keep this to well under a second. */
static void test_many_ranges(void **state)
{
	struct target_set t;
	uint64_t prev_addr = 0;

	(void)state;
	targets_init(&t);
	for (int i = 0; i < 2000000; i++) {
		uint32_t first = (uint32_t)xorshift64();
		uint32_t last = xorshift64() % 4 ? first : first | 0xff;

		assert_int_equal(targets_add_range(&t, first, last), 0);
	}
	for (int i = 0; i < 200000; i++) {
		uint32_t first = (uint32_t)xorshift64();

		assert_int_equal(targets_exclude_range(&t, first, first | 0xfff), 0);
	}
	assert_int_equal(targets_finish(&t), 0);
	check_invariants(&t);
	assert_true(t.count > 1000000);
	for (int i = 0; i < 200000; i++) {
		uint64_t idx = xorshift64() % t.total;
		uint32_t addr = targets_at(&t, idx);

		assert_true(targets_contains(&t, addr));
		assert_int_equal(targets_rank(&t, addr), idx); /* rank inverts at */
		addr = (uint32_t)xorshift64(); /* any address: in the set, or TARGETS_NONE */
		if (targets_contains(&t, addr))
			assert_int_equal(targets_at(&t, targets_rank(&t, addr)), addr);
		else
			assert_int_equal(targets_rank(&t, addr), TARGETS_NONE);
		addr = targets_at(&t, idx);
		/* Neighbouring indexes map to increasing addresses. */
		if (idx + 1 < t.total)
			assert_true(targets_at(&t, idx + 1) > addr);
	}
	for (uint64_t idx = 0; idx < t.total; idx += t.total / 1000 + 1) {
		uint32_t addr = targets_at(&t, idx);

		assert_true(idx == 0 || addr > prev_addr);
		prev_addr = addr;
	}
	targets_free(&t);
}

/* A file that repeats itself must not grow memory without bound: adds are compacted. */
static void test_repeated_adds_compact(void **state)
{
	struct target_set t;

	(void)state;
	targets_init(&t);
	for (int i = 0; i < 3000000; i++)
		assert_int_equal(
			targets_add_range(&t, IP(10, 0, 0, i % 256), IP(10, 0, 0, i % 256)), 0);
	assert_true(t.cap <= (1u << 20));
	assert_int_equal(targets_finish(&t), 0);
	assert_int_equal(t.count, 1);
	assert_true(t.total == 256);
	targets_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_addr_parse),
		cmocka_unit_test(test_good_specs),
		cmocka_unit_test(test_everything),
		cmocka_unit_test(test_bad_specs),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_merge_and_subtract),
		cmocka_unit_test(test_empty_and_refinish),
		cmocka_unit_test(test_random_against_bitmap),
		cmocka_unit_test(test_many_ranges),
		cmocka_unit_test(test_repeated_adds_compact),
	};

	return cmocka_run_group_tests_name("targets", tests, NULL, NULL);
}
