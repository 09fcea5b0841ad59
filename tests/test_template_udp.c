// SPDX-License-Identifier: MIT
/*
 * The UDP probe builder: headers where the wire format puts them, lengths
 * that agree, IPv4 and UDP checksums valid by an independent computation
 * (pseudo-header included), the source port inside the range and derived from
 * the cookie, and each well-known port's payload in place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "probe_fixture.h"
#include "template_udp.h"

/* Checks one probe to port; returns its payload length. */
static size_t check_probe(uint16_t port, uint16_t lo, uint16_t hi)
{
	struct template_params tp = fix_params();
	struct template_udp t;
	uint8_t f[UDP_FRAME_MAX_BYTES + 4], pseudo[12];
	uint64_t cookie = payload_cookie(&fix_key, FIX_OUR_IP, FIX_TARGET_IP, port);
	const uint8_t *ip = f + 14, *udp = f + 34;
	uint16_t len, sport;

	template_udp_init(&t, &tp);
	memset(f, 0xaa, sizeof(f));
	len = template_udp_write(&t, f, FIX_TARGET_IP, port, cookie, lo, hi);
	assert_int_equal(len, 42 + payload_len(port));
	assert_int_equal(f[len], 0xaa);
	assert_memory_equal(f, tp.dst_mac, 6);
	assert_int_equal(ip[0], 0x45);
	assert_int_equal(be16_read(ip + 2), len - 14);
	assert_int_equal(be16_read(ip + 4), cookie_ip_id(cookie));
	assert_int_equal(ip[9], 17);
	assert_int_equal(be32_read(ip + 12), FIX_OUR_IP);
	assert_int_equal(be32_read(ip + 16), FIX_TARGET_IP);
	assert_int_equal(fix_csum(ip, 20, 0), 0);
	sport = be16_read(udp);
	assert_true(sport >= lo && sport <= hi);
	assert_int_equal(sport, payload_src_port(cookie, lo, hi));
	assert_int_equal(be16_read(udp + 2), port);
	assert_int_equal(be16_read(udp + 4), len - 34);
	assert_int_not_equal(be16_read(udp + 6), 0);
	memcpy(pseudo, ip + 12, 8);
	pseudo[8] = 0;
	pseudo[9] = 17;
	be16_write(pseudo + 10, (uint16_t)(len - 34));
	assert_int_equal(fix_csum(udp, len - 34u, (uint32_t)(~fix_csum(pseudo, 12, 0) & 0xffff)),
			 0);
	return payload_len(port);
}

static void test_well_known_ports(void **state)
{
	(void)state;
	assert_int_equal(check_probe(53, FIX_SPORT_LO, FIX_SPORT_HI), 30);
	assert_int_equal(check_probe(123, FIX_SPORT_LO, FIX_SPORT_HI), 48);
	assert_int_equal(check_probe(137, FIX_SPORT_LO, FIX_SPORT_HI), 50);
	assert_int_equal(check_probe(161, FIX_SPORT_LO, FIX_SPORT_HI), 43);
	assert_true(check_probe(1900, FIX_SPORT_LO, FIX_SPORT_HI) > 60);
	assert_int_equal(check_probe(11211, FIX_SPORT_LO, FIX_SPORT_HI), 15);
	assert_int_equal(check_probe(9999, FIX_SPORT_LO, FIX_SPORT_HI), 0);
	assert_int_equal(check_probe(0, 5000, 5000), 0); /* one source port only */
}

static void test_sports_spread(void **state)
{
	unsigned seen[256] = {0}, distinct = 0;

	(void)state;
	for (uint32_t a = 0; a < 4096; a++) {
		uint64_t c = payload_cookie(&fix_key, FIX_OUR_IP, FIX_TARGET_IP + a, 53);

		seen[payload_src_port(c, FIX_SPORT_LO, FIX_SPORT_HI) - FIX_SPORT_LO]++;
	}
	for (unsigned i = 0; i < 256; i++)
		distinct += seen[i] != 0;
	assert_true(distinct > 240); /* 4096 targets fill nearly every one of 256 ports */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_well_known_ports),
		cmocka_unit_test(test_sports_spread),
	};

	return cmocka_run_group_tests_name("template_udp", tests, NULL, NULL);
}
