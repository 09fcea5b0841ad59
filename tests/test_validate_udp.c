// SPDX-License-Identifier: MIT
/*
 * UDP replies through parse_frame() and validate_reply(), starting from a
 * probe the builder made: the target's datagram back is open; its ICMP port
 * unreachable quoting the probe is closed and any other unreachable
 * filtered. Off by one field (the source port, the echoed DNS ID, the quoted
 * length, our address) they are not ours. Truncated and lying headers do not
 * parse, or parse with no quote.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "probe_fixture.h"
#include "reply.h"
#include "template_udp.h"

static const struct validate_config cfg = {
	.key = &fix_key,
	.src_ip = FIX_OUR_IP,
	.src_port_first = FIX_SPORT_LO,
	.src_port_last = FIX_SPORT_HI,
};

/* Our probe to FIX_TARGET_IP:port, as the builder writes it. */
static uint16_t probe(uint8_t *f, uint16_t port)
{
	struct template_params tp = fix_params();
	struct template_udp t;

	template_udp_init(&t, &tp);
	return template_udp_write(&t, f, FIX_TARGET_IP, port,
				  payload_cookie(&fix_key, FIX_OUR_IP, FIX_TARGET_IP, port),
				  FIX_SPORT_LO, FIX_SPORT_HI);
}

/* The target's datagram back: ports swapped, the probe's payload as the reply (QR set). */
static uint32_t udp_answer(uint8_t *f, uint16_t port)
{
	uint16_t len = probe(f, port);
	uint8_t udp[UDP_FRAME_MAX_BYTES];
	uint32_t l4 = len - 34u;

	memcpy(udp, f + 34, l4);
	be16_write(udp, port);
	be16_write(udp + 2, be16_read(f + 34));
	if (l4 > 10)
		udp[8 + 2] |= 0x80; /* the DNS/NetBIOS response bit */
	return fix_answer(f, 17, udp, l4);
}

/* The target's ICMP unreachable (code) quoting our whole probe. */
static uint32_t unreach_answer(uint8_t *f, uint16_t port, uint8_t code)
{
	uint16_t len = probe(f, port);
	uint8_t icmp[8 + UDP_FRAME_MAX_BYTES] = {3, code};

	memcpy(icmp + 8, f + 14, len - 14u);
	return fix_answer(f, 1, icmp, 8 + len - 14u);
}

static bool check(const uint8_t *f, uint32_t len, struct reply *r)
{
	struct frame_info fi;

	assert_int_equal(parse_frame(LINK_ETHERNET, f, len, &fi), 0);
	return validate_reply(&cfg, &fi, r);
}

static void test_reply_is_open(void **state)
{
	static const uint16_t ports[] = {53, 137, 11211, 1900, 4444};
	uint8_t f[256];
	struct reply r;

	(void)state;
	for (unsigned i = 0; i < 5; i++) {
		uint32_t len = udp_answer(f, ports[i]);

		memset(&r, 0xee, sizeof(r));
		assert_true(check(f, len, &r));
		assert_int_equal(r.state, PORT_OPEN);
		assert_int_equal(r.reason, REASON_UDP_RESPONSE);
		assert_int_equal(r.proto, 17);
		assert_int_equal(r.addr, FIX_TARGET_IP);
		assert_int_equal(r.port, ports[i]);
		assert_int_equal(r.ttl, 64);
		assert_int_equal(r.window, 0);
	}
}

static void test_reply_not_ours(void **state)
{
	uint8_t f[256];
	uint32_t len;
	struct reply r;

	(void)state;
	len = udp_answer(f, 53);
	be16_write(f + 36, (uint16_t)(be16_read(f + 36) + 1)); /* another source port of ours */
	assert_false(check(f, len, &r));
	len = udp_answer(f, 53);
	f[42] ^= 1; /* DNS ID off by one */
	assert_false(check(f, len, &r));
	len = udp_answer(f, 53);
	f[44] &= 0x7f; /* our own query, reflected */
	assert_false(check(f, len, &r));
	len = udp_answer(f, 4444);
	be32_write(f + 30, FIX_OUR_IP + 1); /* to another address */
	assert_false(check(f, len, &r));
	len = udp_answer(f, 4444);
	be16_write(f + 34, 4445); /* from another port than the probe's */
	assert_false(check(f, len, &r));
}

static void test_truncated_and_lying(void **state)
{
	uint8_t f[256];
	uint32_t len = udp_answer(f, 53);
	struct frame_info fi;

	(void)state;
	assert_int_equal(parse_frame(LINK_ETHERNET, f, 14 + 20 + 7, &fi), -EINVAL);
	be16_write(f + 16, 20 + 7); /* an IP length that leaves no whole UDP header */
	assert_int_equal(parse_frame(LINK_ETHERNET, f, len, &fi), -EINVAL);
	len = udp_answer(f, 53);
	be16_write(f + 16, 20 + 8 + 5); /* IP length cuts the DNS header: parses, no match */
	be16_write(f + 38, 500);	/* and a UDP length that lies */
	assert_int_equal(parse_frame(LINK_ETHERNET, f, len, &fi), 0);
	assert_int_equal(fi.kind, FRAME_UDP);
	assert_int_equal(fi.payload_len, 5);
	assert_false(validate_reply(&cfg, &fi, &(struct reply){0}));
}

static void test_unreachables(void **state)
{
	uint8_t f[256];
	uint32_t len;
	struct reply r;

	(void)state;
	len = unreach_answer(f, 161, 3);
	assert_true(check(f, len, &r));
	assert_int_equal(r.state, PORT_CLOSED);
	assert_int_equal(r.reason, REASON_PORT_UNREACH);
	assert_int_equal(r.proto, 17);
	assert_int_equal(r.addr, FIX_TARGET_IP);
	assert_int_equal(r.port, 161);
	assert_int_equal(r.icmp_code, 3);
	for (uint8_t code = 0; code < 16; code++) {
		if (code == 3)
			continue;
		len = unreach_answer(f, 9999, code);
		assert_true(check(f, len, &r));
		assert_int_equal(r.state, PORT_FILTERED);
		assert_int_equal(r.reason, REASON_ICMP_UNREACH);
		assert_int_equal(r.port, 9999);
	}
}

static void test_unreach_not_ours(void **state)
{
	uint8_t f[256];
	uint32_t len;
	struct reply r;
	struct frame_info fi;

	(void)state;
	len = unreach_answer(f, 53, 3);
	be16_write(f + 42 + 20 + 4, 31); /* quoted UDP length not ours for port 53 */
	assert_false(check(f, len, &r));
	len = unreach_answer(f, 53, 3);
	be16_write(f + 42 + 20, (uint16_t)(be16_read(f + 42 + 20) ^ 1)); /* quoted source port */
	assert_false(check(f, len, &r));
	len = unreach_answer(f, 53, 3);
	be32_write(f + 42 + 12, FIX_OUR_IP + 1); /* quoted source address */
	assert_false(check(f, len, &r));
	len = unreach_answer(f, 53, 3);
	f[34] = 11; /* time exceeded, not unreachable */
	assert_false(check(f, len, &r));
	/* A quote cut inside the UDP header: the ICMP parses, without a quote, and is not ours. */
	len = unreach_answer(f, 53, 3);
	assert_int_equal(parse_frame(LINK_ETHERNET, f, 14 + 20 + 8 + 20 + 7, &fi), 0);
	assert_false(fi.has_quote);
	assert_false(validate_reply(&cfg, &fi, &r));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reply_is_open),	    cmocka_unit_test(test_reply_not_ours),
		cmocka_unit_test(test_truncated_and_lying), cmocka_unit_test(test_unreachables),
		cmocka_unit_test(test_unreach_not_ours),
	};

	return cmocka_run_group_tests_name("validate_udp", tests, NULL, NULL);
}
