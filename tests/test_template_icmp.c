// SPDX-License-Identifier: MIT
/*
 * The echo request builder: every field where the wire format puts it, both
 * checksums valid by an independent computation, and the cookie in the
 * identifier and sequence number, different for every target.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "probe_fixture.h"
#include "template_icmp.h"

static void test_echo_request(void **state)
{
	struct template_params tp = fix_params();
	struct template_icmp t;
	uint8_t f[ICMP_ECHO_FRAME_BYTES + 8];
	uint64_t cookie = template_icmp_cookie(&fix_key, FIX_OUR_IP, FIX_TARGET_IP);
	const uint8_t *ip = f + 14, *icmp = f + 34;

	(void)state;
	template_icmp_init(&t, &tp);
	memset(f, 0xaa, sizeof(f));
	assert_int_equal(template_icmp_write(&t, f, FIX_TARGET_IP, cookie), 42);
	assert_memory_equal(f, tp.dst_mac, 6);
	assert_memory_equal(f + 6, tp.src_mac, 6);
	assert_int_equal(be16_read(f + 12), 0x0800);
	assert_int_equal(ip[0], 0x45);
	assert_int_equal(be16_read(ip + 2), 28);
	assert_int_equal(be16_read(ip + 4), cookie_ip_id(cookie));
	assert_int_equal(ip[8], TEMPLATE_TTL);
	assert_int_equal(ip[9], 1);
	assert_int_equal(be32_read(ip + 12), FIX_OUR_IP);
	assert_int_equal(be32_read(ip + 16), FIX_TARGET_IP);
	assert_int_equal(fix_csum(ip, 20, 0), 0);
	assert_int_equal(icmp[0], ICMP_ECHO_REQUEST);
	assert_int_equal(icmp[1], 0);
	assert_int_equal(be16_read(icmp + 4), template_icmp_id(cookie));
	assert_int_equal(be16_read(icmp + 6), template_icmp_seq(cookie));
	assert_int_equal(fix_csum(icmp, 8, 0), 0);
	assert_int_equal(f[42], 0xaa); /* nothing written past the frame */
}

static void test_cookie_per_target(void **state)
{
	uint64_t a = template_icmp_cookie(&fix_key, FIX_OUR_IP, FIX_TARGET_IP);
	uint64_t b = template_icmp_cookie(&fix_key, FIX_OUR_IP, FIX_TARGET_IP + 1);
	uint64_t c = template_icmp_cookie(&fix_other_key, FIX_OUR_IP, FIX_TARGET_IP);

	(void)state;
	assert_true((uint32_t)a != (uint32_t)b);
	assert_true((uint32_t)a != (uint32_t)c);
	assert_int_equal(a, template_icmp_cookie(&fix_key, FIX_OUR_IP, FIX_TARGET_IP));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_request),
		cmocka_unit_test(test_cookie_per_target),
	};

	return cmocka_run_group_tests_name("template_icmp", tests, NULL, NULL);
}
