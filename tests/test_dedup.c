// SPDX-License-Identifier: MIT
/*
 * Tests for rx/dedup.c: duplicates are reported once, the state is part of
 * the key, eviction replaces the least recently seen slot (also across a
 * wrap of the insert counter), and the table never grows under a flood.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "dedup.h"
#include "reply.h"

static uint64_t rng_state = 0x853c49e6748fea9bull;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void test_duplicate_reported_once(void **state)
{
	(void)state;
	struct dedup d;

	assert_int_equal(dedup_init(&d, 1024), 0);
	assert_true(dedup_insert(&d, 0x0a000001, 80, PORT_OPEN));
	for (int i = 0; i < 10; i++)
		assert_false(dedup_insert(&d, 0x0a000001, 80, PORT_OPEN));
	/* All-zero fields still make a nonzero key, so they are not mistaken for empty. */
	assert_true(dedup_insert(&d, 0, 0, 0));
	assert_false(dedup_insert(&d, 0, 0, 0));
	assert_true(dedup_insert(&d, 0xffffffff, 0xffff, 0xff));
	assert_false(dedup_insert(&d, 0xffffffff, 0xffff, 0xff));
	dedup_free(&d);
}

static void test_every_field_is_in_the_key(void **state)
{
	(void)state;
	struct dedup d;

	assert_int_equal(dedup_init(&d, 1024), 0);
	assert_true(dedup_insert(&d, 0x0a000001, 443, PORT_OPEN));
	assert_true(dedup_insert(&d, 0x0a000001, 443, PORT_CLOSED));
	assert_true(dedup_insert(&d, 0x0a000001, 443, PORT_FILTERED));
	assert_true(dedup_insert(&d, 0x0a000001, 444, PORT_OPEN));
	assert_true(dedup_insert(&d, 0x0a000002, 443, PORT_OPEN));
	assert_false(dedup_insert(&d, 0x0a000001, 443, PORT_OPEN));
	assert_false(dedup_insert(&d, 0x0a000001, 443, PORT_CLOSED));
	assert_false(dedup_insert(&d, 0x0a000001, 443, PORT_FILTERED));
	dedup_free(&d);
}

static void test_capacity_rounding(void **state)
{
	(void)state;
	static const uint64_t cap[] = {0, 1, 4, 5, 1000, 65536, 65537};
	static const uint64_t buckets[] = {1, 1, 1, 2, 256, 16384, 32768};
	struct dedup d;

	for (size_t i = 0; i < sizeof(cap) / sizeof(cap[0]); i++) {
		assert_int_equal(dedup_init(&d, cap[i]), 0);
		assert_int_equal(d.mask + 1, buckets[i]);
		dedup_free(&d);
	}
}

/* One bucket of four: a hit refreshes, and a full bucket loses its least recently seen key. */
static void check_lru(uint32_t clock_start)
{
	struct dedup d;

	assert_int_equal(dedup_init(&d, DEDUP_WAYS), 0);
	d.clock = clock_start;
	for (uint16_t p = 1; p <= 4; p++)
		assert_true(dedup_insert(&d, 1, p, PORT_OPEN));
	assert_int_equal(d.evictions, 0);
	assert_false(dedup_insert(&d, 1, 1, PORT_OPEN)); /* port 1 is now the newest */
	assert_true(dedup_insert(&d, 1, 5, PORT_OPEN));	 /* evicts port 2 */
	assert_int_equal(d.evictions, 1);
	assert_false(dedup_insert(&d, 1, 1, PORT_OPEN));
	assert_false(dedup_insert(&d, 1, 3, PORT_OPEN));
	assert_false(dedup_insert(&d, 1, 5, PORT_OPEN));
	assert_true(dedup_insert(&d, 1, 2, PORT_OPEN)); /* gone, so reported again; evicts 4 */
	assert_true(dedup_insert(&d, 1, 4, PORT_OPEN));
	dedup_free(&d);
}

static void test_evicts_least_recent(void **state)
{
	(void)state;
	check_lru(0);
	check_lru(UINT32_MAX - 5); /* the insert counter wraps in the middle */
}

static void test_million_inserts_fixed_memory(void **state)
{
	(void)state;
	const uint64_t n = 1000000, cap = 65536;
	struct dedup d;
	uint64_t *slots;
	uint32_t *ages;
	uint64_t used = 0;

	assert_int_equal(dedup_init(&d, cap), 0);
	slots = d.slots;
	ages = d.ages;
	for (uint64_t i = 0; i < n; i++)
		assert_true(dedup_insert(&d, (uint32_t)(0x0a000000 + i / 7), (uint16_t)(i % 7), 1));
	assert_ptr_equal(d.slots, slots);
	assert_ptr_equal(d.ages, ages);
	assert_int_equal(d.mask + 1, cap / DEDUP_WAYS);
	for (uint64_t s = 0; s < cap; s++)
		used += d.slots[s] != 0;
	assert_int_equal(used, cap);
	assert_int_equal(d.evictions, n - cap);

	/* The last thousand are far fewer than the table holds: all still caught. */
	for (uint64_t i = n - 1000; i < n; i++)
		assert_false(
			dedup_insert(&d, (uint32_t)(0x0a000000 + i / 7), (uint16_t)(i % 7), 1));
	dedup_free(&d);
}

static void test_flood(void **state)
{
	(void)state;
	struct dedup d;
	uint64_t reported = 0;

	assert_int_equal(dedup_init(&d, 4096), 0);
	for (int i = 0; i < 2000000; i++) {
		uint64_t r = rng_next();
		/* A hot key answered over and over amid random replies stays deduplicated. */
		if (i % 8 == 0) {
			bool fresh = dedup_insert(&d, 0xc0a80001, 22, PORT_OPEN);
			assert_true(fresh == (i == 0));
			continue;
		}
		reported += dedup_insert(&d, (uint32_t)r, (uint16_t)(r >> 32), (uint8_t)(r >> 48));
	}
	assert_true(reported > 0);
	assert_int_equal(d.mask + 1, 1024);
	dedup_free(&d);
}

static void test_free_twice(void **state)
{
	(void)state;
	struct dedup d;

	assert_int_equal(dedup_init(&d, 100), 0);
	dedup_free(&d);
	dedup_free(&d);
	assert_null(d.slots);
	assert_int_equal(dedup_init(&d, 100), 0);
	assert_true(dedup_insert(&d, 1, 2, 3));
	dedup_free(&d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_duplicate_reported_once),
		cmocka_unit_test(test_every_field_is_in_the_key),
		cmocka_unit_test(test_capacity_rounding),
		cmocka_unit_test(test_evicts_least_recent),
		cmocka_unit_test(test_million_inserts_fixed_memory),
		cmocka_unit_test(test_flood),
		cmocka_unit_test(test_free_twice),
	};

	return cmocka_run_group_tests_name("dedup", tests, NULL, NULL);
}
