// SPDX-License-Identifier: MIT
/*
 * Echo replies through parse_frame() and validate_reply(): the target's
 * answer to our own echo request is "up"; a reply with the identifier or the
 * sequence number off by one, from another address, for another key, to
 * another address of ours, or of another ICMP type or code is not ours; a
 * truncated ICMP header does not parse.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "probe_fixture.h"
#include "reply.h"
#include "template_icmp.h"

static const struct validate_config cfg = {
	.key = &fix_key,
	.src_ip = FIX_OUR_IP,
	.src_port_first = FIX_SPORT_LO,
	.src_port_last = FIX_SPORT_HI,
};

/* Our echo request to FIX_TARGET_IP, answered: type 0, same id and seq, fixed checksum. */
static uint32_t echo_answer(uint8_t *f, uint8_t type, int id_delta, int seq_delta)
{
	struct template_params tp = fix_params();
	struct template_icmp t;
	uint8_t icmp[8];

	template_icmp_init(&t, &tp);
	template_icmp_write(&t, f, FIX_TARGET_IP,
			    template_icmp_cookie(&fix_key, FIX_OUR_IP, FIX_TARGET_IP));
	memcpy(icmp, f + 34, 8);
	icmp[0] = type;
	be16_write(icmp + 4, (uint16_t)(be16_read(icmp + 4) + id_delta));
	be16_write(icmp + 6, (uint16_t)(be16_read(icmp + 6) + seq_delta));
	be16_write(icmp + 2, 0);
	be16_write(icmp + 2, fix_csum(icmp, 8, 0));
	return fix_answer(f, 1, icmp, 8);
}

static bool check(const uint8_t *f, uint32_t len, struct reply *r)
{
	struct frame_info fi;

	assert_int_equal(parse_frame(LINK_ETHERNET, f, len, &fi), 0);
	assert_int_equal(fi.kind, FRAME_ICMP);
	return validate_reply(&cfg, &fi, r);
}

static void test_echo_reply_is_up(void **state)
{
	uint8_t f[64];
	uint32_t len = echo_answer(f, ICMP_ECHO_REPLY, 0, 0);
	struct reply r;

	(void)state;
	memset(&r, 0xee, sizeof(r));
	assert_true(check(f, len, &r));
	assert_int_equal(r.state, PORT_UP);
	assert_int_equal(r.reason, REASON_ECHO_REPLY);
	assert_int_equal(r.proto, 1);
	assert_int_equal(r.addr, FIX_TARGET_IP);
	assert_int_equal(r.port, 0);
	assert_int_equal(r.ttl, 64);
	assert_int_equal(r.window, 0);
}

static void test_not_ours(void **state)
{
	uint8_t f[64];
	uint32_t len;
	struct reply r;
	struct validate_config other = cfg;
	struct frame_info fi;

	(void)state;
	len = echo_answer(f, ICMP_ECHO_REPLY, 1, 0);
	assert_false(check(f, len, &r));
	len = echo_answer(f, ICMP_ECHO_REPLY, 0, -1);
	assert_false(check(f, len, &r));
	len = echo_answer(f, ICMP_ECHO_REQUEST, 0, 0); /* someone pinging us back */
	assert_false(check(f, len, &r));
	len = echo_answer(f, ICMP_ECHO_REPLY, 0, 0);
	f[35] = 1; /* code 1 */
	assert_false(check(f, len, &r));
	len = echo_answer(f, ICMP_ECHO_REPLY, 0, 0);
	be32_write(f + 26, FIX_TARGET_IP + 1); /* a neighbour answering for it */
	assert_false(check(f, len, &r));
	len = echo_answer(f, ICMP_ECHO_REPLY, 0, 0);
	be32_write(f + 30, FIX_OUR_IP + 1); /* to another address of ours */
	assert_false(check(f, len, &r));
	len = echo_answer(f, ICMP_ECHO_REPLY, 0, 0);
	other.key = &fix_other_key; /* another scan's reply */
	assert_int_equal(parse_frame(LINK_ETHERNET, f, len, &fi), 0);
	assert_false(validate_reply(&other, &fi, &r));
}

static void test_truncated(void **state)
{
	uint8_t f[64];
	uint32_t len = echo_answer(f, ICMP_ECHO_REPLY, 0, 0);
	struct frame_info fi;

	(void)state;
	/* 7 of the 8 ICMP header bytes: malformed however the IP length lies. */
	assert_int_equal(parse_frame(LINK_ETHERNET, f, len - 1, &fi), -EINVAL);
	be16_write(f + 16, 20 + 7);
	assert_int_equal(parse_frame(LINK_ETHERNET, f, len, &fi), -EINVAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_echo_reply_is_up),
		cmocka_unit_test(test_not_ours),
		cmocka_unit_test(test_truncated),
	};

	return cmocka_run_group_tests_name("validate_icmp", tests, NULL, NULL);
}
