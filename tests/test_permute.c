// SPDX-License-Identifier: MIT
/*
 * The permutation must visit every index of [0, n) exactly once for any n,
 * depend only on (n, seed), and split into disjoint shards that cover it.
 * Small domains are checked exhaustively with a bitmap; 2^32 and 2^48 are
 * sampled, since walking them would take minutes.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "permute.h"

#define BITMAP_MAX ((1ULL << 20) + 1)
#define SAMPLE	   300000

static uint64_t bitmap[(BITMAP_MAX + 63) / 64];

static const uint64_t seeds[] = {0, 1, 0xdeadbeefcafef00dULL};

static uint64_t test_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/* Sets bit x and returns whether it was already set. */
static int bitmap_test_and_set(uint64_t x)
{
	uint64_t mask = 1ULL << (x & 63);
	int was_set = (bitmap[x >> 6] & mask) != 0;

	bitmap[x >> 6] |= mask;
	return was_set;
}

static void bitmap_clear(uint64_t n)
{
	memset(bitmap, 0, (n + 63) / 64 * sizeof(bitmap[0]));
}

/* Every image is below n and no image repeats: with n positions, that is exactly-once. */
static void check_exactly_once(uint64_t n, uint64_t seed)
{
	struct permute p;

	permute_init(&p, n, seed);
	bitmap_clear(n);
	for (uint64_t k = 0; k < n; k++) {
		uint64_t x = permute_at(&p, k);

		assert_true(x < n);
		assert_false(bitmap_test_and_set(x));
	}
}

static void test_small_domains(void **state)
{
	(void)state;
	for (uint64_t n = 1; n <= 2000; n++)
		for (unsigned s = 0; s < sizeof(seeds) / sizeof(seeds[0]); s++)
			check_exactly_once(n, seeds[s]);
}

static void test_large_domains(void **state)
{
	static const uint64_t sizes[] = {
		1023,	1024,	1025,	4095,	4096,	4097,	65535,	 65536,	  65537,
		262143, 262144, 262145, 524287, 524288, 524289, 1048575, 1048576, 1048577,
		7919,	104729, 999983, 3,	131071, 12345,	777777,
	};
	uint64_t rng = 42;

	(void)state;
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		check_exactly_once(sizes[i], seeds[i % 3]);
	for (unsigned i = 0; i < 8; i++)
		check_exactly_once(1 + test_rand(&rng) % (1ULL << 20), test_rand(&rng));
}

static int cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/*
 * Samples distinct positions (a run from 0 and an even stride over the rest):
 * images must be in range, pairwise distinct and reproducible from (n, seed).
 */
static void check_sampled(uint64_t n, uint64_t seed)
{
	uint64_t *img = malloc(SAMPLE * sizeof(*img));
	uint64_t stride = (n - SAMPLE / 2) / (SAMPLE / 2);
	struct permute p, again;

	assert_non_null(img);
	permute_init(&p, n, seed);
	permute_init(&again, n, seed);
	for (uint64_t j = 0; j < SAMPLE; j++) {
		uint64_t k = j < SAMPLE / 2 ? j : SAMPLE / 2 + (j - SAMPLE / 2) * stride;

		img[j] = permute_at(&p, k);
		assert_true(img[j] < n);
		assert_true(permute_at(&again, k) == img[j]);
	}
	qsort(img, SAMPLE, sizeof(*img), cmp_u64);
	for (uint64_t j = 1; j < SAMPLE; j++)
		assert_true(img[j] != img[j - 1]);
	free(img);
}

static void test_sampled_huge(void **state)
{
	(void)state;
	check_sampled(1ULL << 32, 5);
	check_sampled((1ULL << 32) + 1, 6);
	check_sampled(PERMUTE_MAX, 7);
	check_sampled(PERMUTE_MAX - 12345, 8);
}

/* The Feistel width is the smallest that covers n (at least 2), split as evenly as it goes. */
static void test_part_bits(void **state)
{
	static const struct {
		uint64_t n;
		unsigned hi_bits, lo_bits;
	} cases[] = {
		{1, 1, 1},
		{2, 1, 1},
		{4, 1, 1},
		{5, 2, 1},
		{8, 2, 1},
		{9, 2, 2},
		{16, 2, 2},
		{17, 3, 2},
		{64, 3, 3},
		{65, 4, 3},
		{1ULL << 32, 16, 16},
		{(1ULL << 32) + 1, 17, 16},
		{PERMUTE_MAX, 24, 24},
	};
	struct permute p;

	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		permute_init(&p, cases[i].n, 0);
		assert_int_equal(p.hi_bits, cases[i].hi_bits);
		assert_int_equal(p.lo_bits, cases[i].lo_bits);
		assert_true(p.lo_mask == (1ULL << cases[i].lo_bits) - 1);
	}
}

static void test_seed_decides_order(void **state)
{
	const uint64_t n = 1ULL << 20;
	struct permute a, b, c;
	unsigned differ = 0;

	(void)state;
	permute_init(&a, n, 99);
	permute_init(&b, n, 99);
	permute_init(&c, n, 100);
	for (uint64_t k = 0; k < 10000; k++) {
		assert_true(permute_at(&a, k) == permute_at(&b, k));
		differ += permute_at(&a, k) != permute_at(&c, k);
	}
	assert_true(differ > 9900);
}

static void check_shards(uint64_t n, uint64_t count)
{
	uint64_t sizes = 0;
	struct permute p;

	permute_init(&p, n, n * 31 + count);
	bitmap_clear(n);
	for (uint64_t shard = 0; shard < count; shard++) {
		uint64_t visited = 0;

		for (uint64_t k = shard; k < n; k += count, visited++)
			assert_false(bitmap_test_and_set(permute_at(&p, k)));
		assert_true(visited == permute_shard_size(n, shard, count));
		sizes += visited;
	}
	assert_true(sizes == n);
	/* Disjoint shards of total size n in [0, n): the union is everything; check it anyway. */
	for (uint64_t x = 0; x < n; x++)
		assert_true(bitmap_test_and_set(x));
}

static void test_shards_partition(void **state)
{
	static const uint64_t sizes[] = {1, 2, 5, 15, 16, 17, 1000, 65537, 100003};
	static const uint64_t counts[] = {1, 2, 3, 7, 16};

	(void)state;
	for (unsigned i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (unsigned j = 0; j < sizeof(counts) / sizeof(counts[0]); j++)
			check_shards(sizes[i], counts[j]);
}

static void test_shard_size(void **state)
{
	(void)state;
	assert_true(permute_shard_size(10, 0, 3) == 4);
	assert_true(permute_shard_size(10, 1, 3) == 3);
	assert_true(permute_shard_size(10, 2, 3) == 3);
	assert_true(permute_shard_size(5, 7, 16) == 0);
	assert_true(permute_shard_size(1, 0, 1) == 1);
	assert_true(permute_shard_size(PERMUTE_MAX, 0, 1) == PERMUTE_MAX);
	for (uint64_t n = 1; n < 300; n++)
		for (uint64_t count = 1; count < 40; count++) {
			uint64_t sum = 0;

			for (uint64_t shard = 0; shard < count; shard++)
				sum += permute_shard_size(n, shard, count);
			assert_true(sum == n);
		}
}

/* A weak look at randomness: the start of the order is not sorted and spreads over the range. */
static void test_order_looks_random(void **state)
{
	const uint64_t n = 1ULL << 20;
	unsigned buckets[16] = {0}, ascents = 0;
	uint64_t prev = 0;
	struct permute p;

	(void)state;
	permute_init(&p, n, 2024);
	for (uint64_t k = 0; k < 1000; k++) {
		uint64_t x = permute_at(&p, k);

		buckets[x >> 16]++;
		ascents += k > 0 && x > prev;
		prev = x;
	}
	/* Expect 499.5 ascents (sd ~9) and 62.5 per bucket (sd ~7.7). */
	assert_in_range(ascents, 400, 600);
	for (unsigned i = 0; i < 16; i++)
		assert_in_range(buckets[i], 25, 100);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_domains),
		cmocka_unit_test(test_large_domains),
		cmocka_unit_test(test_sampled_huge),
		cmocka_unit_test(test_part_bits),
		cmocka_unit_test(test_seed_decides_order),
		cmocka_unit_test(test_shards_partition),
		cmocka_unit_test(test_shard_size),
		cmocka_unit_test(test_order_looks_random),
	};

	return cmocka_run_group_tests_name("permute", tests, NULL, NULL);
}
