// SPDX-License-Identifier: MIT
/*
 * SYN cookies: the ack of a reply to our probe must check out, anything else
 * must not, and every bit of the tuple and of the key must matter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cookie.h"

#define TUPLES 2000

struct tuple {
	uint32_t src_ip, dst_ip;
	uint16_t src_port, dst_port;
};

/* splitmix64: a deterministic source of test inputs, so a failure reproduces. */
static uint64_t test_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static struct tuple tuple_random(uint64_t *state)
{
	uint64_t a = test_rand(state), b = test_rand(state);
	struct tuple t = {
		.src_ip = (uint32_t)a,
		.dst_ip = (uint32_t)(a >> 32),
		.src_port = (uint16_t)b,
		.dst_port = (uint16_t)(b >> 16),
	};

	return t;
}

static uint64_t tuple_hash(const struct cookie_key *key, const struct tuple *t)
{
	return cookie_hash(key, t->src_ip, t->dst_ip, t->src_port, t->dst_port);
}

static void test_round_trip(void **state)
{
	struct cookie_key key = {.sk = {.k0 = 0x0123456789abcdefULL, .k1 = 0xfedcba9876543210ULL}};
	uint64_t rng = 1;

	(void)state;
	for (unsigned i = 0; i < TUPLES; i++) {
		struct tuple t = tuple_random(&rng);
		uint32_t seq = cookie_seq(tuple_hash(&key, &t));

		assert_true(tuple_hash(&key, &t) == tuple_hash(&key, &t));
		assert_true(cookie_check_ack(&key, t.src_ip, t.dst_ip, t.src_port, t.dst_port,
					     seq + 1));
		assert_false(
			cookie_check_ack(&key, t.src_ip, t.dst_ip, t.src_port, t.dst_port, seq));
		assert_false(cookie_check_ack(&key, t.src_ip, t.dst_ip, t.src_port, t.dst_port,
					      seq + 2));
		/* The reply's tuple reversed is a different probe and must not match by accident.
		 */
		assert_false(cookie_check_ack(&key, t.dst_ip, t.src_ip, t.dst_port, t.src_port,
					      seq + 1));
	}
}

/* Flips one bit of the tuple (bits 0-95) or of the key (bits 96-223). */
static void flip_bit(struct tuple *t, struct cookie_key *key, unsigned bit)
{
	if (bit < 32)
		t->src_ip ^= 1u << bit;
	else if (bit < 64)
		t->dst_ip ^= 1u << (bit - 32);
	else if (bit < 80)
		t->src_port ^= (uint16_t)(1u << (bit - 64));
	else if (bit < 96)
		t->dst_port ^= (uint16_t)(1u << (bit - 80));
	else if (bit < 160)
		key->sk.k0 ^= 1ULL << (bit - 96);
	else
		key->sk.k1 ^= 1ULL << (bit - 160);
}

/* A seq collision has probability 2^-32 per flip, so across ~450k flips expect none. */
static void test_one_bit_changes_seq(void **state)
{
	uint64_t rng = 2, flips = 0, changed = 0;

	(void)state;
	for (unsigned i = 0; i < TUPLES; i++) {
		struct cookie_key key = {.sk = {.k0 = test_rand(&rng), .k1 = test_rand(&rng)}};
		struct tuple t = tuple_random(&rng);
		uint32_t seq = cookie_seq(tuple_hash(&key, &t));

		for (unsigned bit = 0; bit < 224; bit++) {
			struct cookie_key k2 = key;
			struct tuple t2 = t;

			flip_bit(&t2, &k2, bit);
			flips++;
			changed += cookie_seq(tuple_hash(&k2, &t2)) != seq;
		}
	}
	assert_true(changed * 1000 > flips * 999);
}

/* ack - 1 is taken modulo 2^32: a seq of 0xffffffff is acknowledged by 0. */
static void test_ack_rule_wraps(void **state)
{
	(void)state;
	assert_true(cookie_ack_matches(0xffffffffULL, 0));
	assert_true(cookie_ack_matches(0xabcd0000ffffffffULL, 0));
	assert_false(cookie_ack_matches(0xffffffffULL, 0xffffffffu));
	assert_true(cookie_ack_matches(0, 1));
	assert_false(cookie_ack_matches(0, 0));
	assert_true(cookie_ack_matches(0x7fffffff, 0x80000000u));
	/* Only the low 32 bits are the seq; the high bits must not take part in the check. */
	assert_true(cookie_ack_matches(0xffffffff00000005ULL, 6));
}

static void test_seq_and_ip_id(void **state)
{
	struct cookie_key key = {.sk = {.k0 = 7, .k1 = 9}};
	uint64_t hash = cookie_hash(&key, 0x0a000001, 0xc0a80101, 40000, 443);

	(void)state;
	assert_int_equal(cookie_seq(0x1234567890abcdefULL), 0x90abcdef);
	assert_int_equal(cookie_ip_id(0x1234567890abcdefULL), 0x1234);
	assert_int_equal(cookie_seq(hash), hash & 0xffffffff);
	assert_int_equal(cookie_ip_id(hash), hash >> 48);
	/* cookie_hash() is siphash24_2u64() over the documented packing. */
	assert_true(hash == siphash24_2u64(&key.sk, 0x0a000001c0a80101ULL, 40000u << 16 | 443u));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_one_bit_changes_seq),
		cmocka_unit_test(test_ack_rule_wraps),
		cmocka_unit_test(test_seq_and_ip_id),
	};

	return cmocka_run_group_tests_name("cookie", tests, NULL, NULL);
}
