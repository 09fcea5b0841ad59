// SPDX-License-Identifier: MIT
/*
 * Tests for tx/template.c. Every expected frame here is built from scratch,
 * and every checksum is recomputed the long way, without any helper from
 * packet.h or template.c, so a shared mistake cannot hide in both.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "template.h"

struct probe {
	uint32_t dst_ip;
	uint16_t src_port, dst_port;
	uint32_t seq;
	uint16_t ip_id;
};

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* RFC 1071 the plain way: a wide sum of big-endian words, folded until it fits. */
static uint16_t ref_checksum(const uint8_t *p, size_t len, uint64_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint64_t)p[i] * 256 + p[i + 1];
	if (len & 1)
		sum += (uint64_t)p[len - 1] * 256;
	while (sum > 0xffff)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The frame a correct template must produce, byte by byte, with both checksums. */
static void expected_frame(uint8_t *f, const struct template_params *tp, const struct probe *pr)
{
	uint8_t pseudo[12 + 24];

	memset(f, 0, SYN_FRAME_BYTES);
	memcpy(f, tp->dst_mac, 6);
	memcpy(f + 6, tp->src_mac, 6);
	f[12] = 0x08;
	f[13] = 0x00;
	f[14] = 0x45;
	f[15] = 0;
	put16(f + 16, 44);
	put16(f + 18, pr->ip_id);
	f[20] = 0x40; /* DF */
	f[21] = 0;
	f[22] = tp->ttl ? tp->ttl : 64;
	f[23] = 6;
	put32(f + 26, tp->src_ip);
	put32(f + 30, pr->dst_ip);
	put16(f + 24, ref_checksum(f + 14, 20, 0));

	put16(f + 34, pr->src_port);
	put16(f + 36, pr->dst_port);
	put32(f + 38, pr->seq);
	f[46] = 0x60;
	f[47] = 0x02;
	put16(f + 48, tp->window ? tp->window : 64240);
	f[54] = 2;
	f[55] = 4;
	put16(f + 56, tp->mss ? tp->mss : 1460);

	memset(pseudo, 0, sizeof(pseudo));
	put32(pseudo, tp->src_ip);
	put32(pseudo + 4, pr->dst_ip);
	pseudo[9] = 6;
	put16(pseudo + 10, 24);
	memcpy(pseudo + 12, f + 34, 24);
	put16(f + 50, ref_checksum(pseudo, sizeof(pseudo), 0));
}

static void random_params(struct template_params *tp)
{
	uint64_t r = rng_next();

	for (int i = 0; i < 6; i++) {
		tp->src_mac[i] = (uint8_t)(r >> (8 * i));
		tp->dst_mac[i] = (uint8_t)(r >> (8 * i + 16));
	}
	r = rng_next();
	tp->src_ip = (uint32_t)r;
	tp->ttl = (uint8_t)(r >> 32);
	tp->window = (uint16_t)(r >> 40);
	tp->mss = (uint16_t)(r >> 56);
}

static void check_probe(const struct template_params *tp, const struct probe *pr)
{
	struct template t;
	uint8_t got[SYN_FRAME_BYTES], want[SYN_FRAME_BYTES];

	template_init(&t, tp);
	template_write(&t, got, pr->dst_ip, pr->src_port, pr->dst_port, pr->seq, pr->ip_id);
	expected_frame(want, tp, pr);
	assert_memory_equal(got, want, SYN_FRAME_BYTES);
	/* A correct header sums, checksum included, to zero after complementing. */
	assert_int_equal(ref_checksum(got + 14, 20, 0), 0);
}

static void test_layout_literal(void **state)
{
	(void)state;
	struct template_params tp = {
		.src_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x01},
		.dst_mac = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02},
		.src_ip = 0xc0a80001, /* 192.168.0.1 */
		.ttl = 64,
		.window = 1024,
		.mss = 1460,
	};
	/* Checksums computed outside this code base (Python's struct module) for these fields. */
	static const uint8_t want[SYN_FRAME_BYTES] = {
		0x02, 0x00, 0x00, 0x00, 0x00, 0x02, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x08, 0x00, 0x45, 0x00, 0x00, 0x2c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06,
		0xa6, 0x7f, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7, 0x9c, 0x40,
		0x00, 0x50, 0xde, 0xad, 0xbe, 0xef, 0x00, 0x00, 0x00, 0x00, 0x60, 0x02,
		0x04, 0x00, 0xd7, 0xdf, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4,
	};
	struct template t;
	uint8_t got[SYN_FRAME_BYTES];

	template_init(&t, &tp);
	template_write(&t, got, 0xc0a800c7, 40000, 80, 0xdeadbeef, 0x1234);
	assert_memory_equal(got, want, SYN_FRAME_BYTES);
}

static void test_random_fields(void **state)
{
	(void)state;
	struct template_params tp;
	struct probe pr;

	for (int i = 0; i < 20000; i++) {
		if (i % 500 == 0)
			random_params(&tp);
		uint64_t r = rng_next();
		pr.dst_ip = (uint32_t)r;
		pr.seq = (uint32_t)(r >> 32);
		r = rng_next();
		pr.src_port = (uint16_t)r;
		pr.dst_port = (uint16_t)(r >> 16);
		pr.ip_id = (uint16_t)(r >> 32);
		check_probe(&tp, &pr);
	}
}

/* Values at the edges of one's-complement arithmetic, where end-around carries happen. */
static void test_carry_extremes(void **state)
{
	(void)state;
	static const uint32_t v32[] = {0, 1, 0xffff, 0x10000, 0xfffeffff, 0xffff0000, 0xffffffff};
	static const uint16_t v16[] = {0, 1, 0x7fff, 0x8000, 0xfffe, 0xffff};
	struct template_params tp = {.src_ip = 0xffffffff, .ttl = 255, .window = 0xffff};
	struct probe pr;

	memset(tp.src_mac, 0xff, 6);
	memset(tp.dst_mac, 0xff, 6);
	for (size_t s = 0; s < 3; s++) {
		tp.src_ip = s == 0 ? 0xffffffff : s == 1 ? 0 : 0xfffe0001;
		tp.mss = s == 2 ? 0xffff : 0;
		for (size_t a = 0; a < 7; a++)
			for (size_t b = 0; b < 7; b++)
				for (size_t c = 0; c < 6; c++)
					for (size_t d = 0; d < 6; d++) {
						pr.dst_ip = v32[a];
						pr.seq = v32[b];
						pr.src_port = v16[c];
						pr.dst_port = v16[d];
						pr.ip_id = v16[(c + d) % 6];
						check_probe(&tp, &pr);
					}
	}
}

static void test_patch_equals_write(void **state)
{
	(void)state;
	struct template_params tp;
	struct template t;
	uint8_t patched[SYN_FRAME_BYTES], fresh[SYN_FRAME_BYTES];

	random_params(&tp);
	template_init(&t, &tp);
	template_write(&t, patched, 0x01020304, 1111, 22, 0xffffffff, 0xffff);
	for (int i = 0; i < 5000; i++) {
		uint64_t r = rng_next();
		uint64_t q = rng_next();
		template_patch(&t, patched, (uint32_t)r, (uint16_t)q, (uint16_t)(q >> 16),
			       (uint32_t)(r >> 32), (uint16_t)(q >> 32));
		template_write(&t, fresh, (uint32_t)r, (uint16_t)q, (uint16_t)(q >> 16),
			       (uint32_t)(r >> 32), (uint16_t)(q >> 32));
		assert_memory_equal(patched, fresh, SYN_FRAME_BYTES);
	}
}

static void test_defaults(void **state)
{
	(void)state;
	struct template_params tp = {.src_ip = 0x0a000001};
	struct template t;
	uint8_t f[SYN_FRAME_BYTES];

	template_init(&t, &tp);
	template_write(&t, f, 0x0a000002, 50000, 443, 7, 9);
	assert_int_equal(f[22], TEMPLATE_TTL);
	assert_int_equal(f[48] * 256 + f[49], TEMPLATE_WINDOW);
	assert_int_equal(f[56] * 256 + f[57], TEMPLATE_MSS);

	struct probe pr = {0x0a000002, 50000, 443, 7, 9};
	check_probe(&tp, &pr);
}

/* The template itself keeps its variable fields and checksums zero, as template.h says. */
static void test_template_frame_zeroed(void **state)
{
	(void)state;
	struct template_params tp;
	struct template t;
	static const int zero_at[] = {18, 19, 24, 25, 30, 31, 32, 33, 34,
				      35, 36, 37, 38, 39, 40, 41, 50, 51};

	random_params(&tp);
	template_init(&t, &tp);
	for (size_t i = 0; i < sizeof(zero_at) / sizeof(zero_at[0]); i++)
		assert_int_equal(t.frame[zero_at[i]], 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_layout_literal), cmocka_unit_test(test_random_fields),
		cmocka_unit_test(test_carry_extremes), cmocka_unit_test(test_patch_equals_write),
		cmocka_unit_test(test_defaults),       cmocka_unit_test(test_template_frame_zeroed),
	};

	return cmocka_run_group_tests_name("template", tests, NULL, NULL);
}
