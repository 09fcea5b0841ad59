// SPDX-License-Identifier: MIT
/*
 * Tests for rx/validate.c: for each rule, a reply that passes and replies
 * that miss it by one field (an ack off by one, a cookie for another address
 * or key, a port just outside the range). The last test runs a SYN built by
 * the template through a simulated target and back through parse_frame().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "reply.h"
#include "template.h"

#define OUR_IP	   0xc0a80001u /* 192.168.0.1 */
#define OTHER_IP   0xc0a80002u
#define TARGET_IP  0x0a000005u
#define ROUTER_IP  0x0a0000feu
#define PORT_FIRST 40000
#define PORT_LAST  40099

static const struct cookie_key key = {.sk = {0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull}};
static const struct cookie_key other_key = {.sk = {0x0706050403020100ull, 0x0f0e0d0c0b0a0909ull}};
static const struct validate_config cfg = {
	.key = &key,
	.src_ip = OUR_IP,
	.src_port_first = PORT_FIRST,
	.src_port_last = PORT_LAST,
};

static uint32_t seq_of(const struct cookie_key *k, uint32_t src_ip, uint16_t sport, uint16_t dport)
{
	return cookie_seq(cookie_hash(k, src_ip, TARGET_IP, sport, dport));
}

/* The target's answer to our SYN from to_ip:sport to TARGET_IP:80, acking our seq + 1. */
static struct frame_info tcp_reply(uint8_t flags, uint32_t to_ip, uint16_t sport, uint32_t ack)
{
	struct frame_info fi = {
		.kind = FRAME_TCP,
		.src_ip = TARGET_IP,
		.dst_ip = to_ip,
		.ttl = 51,
		.src_port = 80,
		.dst_port = sport,
		.seq = 0x55555555,
		.ack = ack,
		.tcp_flags = flags,
		.window = 65160,
	};
	return fi;
}

static struct frame_info good_tcp(uint8_t flags)
{
	return tcp_reply(flags, OUR_IP, 40007, seq_of(&key, OUR_IP, 40007, 80) + 1);
}

static void test_syn_ack_is_open(void **state)
{
	(void)state;
	struct frame_info fi = good_tcp(TCP_FLAG_SYN | TCP_FLAG_ACK);
	struct reply r;

	memset(&r, 0xee, sizeof(r));
	assert_true(validate_reply(&cfg, &fi, &r));
	assert_int_equal(r.state, PORT_OPEN);
	assert_int_equal(r.reason, REASON_SYN_ACK);
	assert_int_equal(r.addr, TARGET_IP);
	assert_int_equal(r.port, 80);
	assert_int_equal(r.src_port, 40007);
	assert_int_equal(r.ttl, 51);
	assert_int_equal(r.window, 65160);
	assert_int_equal(r.icmp_type, 0);
	assert_int_equal(r.icmp_code, 0);
}

static void test_rst_is_closed(void **state)
{
	(void)state;
	static const uint8_t rsts[] = {TCP_FLAG_RST, TCP_FLAG_RST | TCP_FLAG_ACK,
				       TCP_FLAG_RST | TCP_FLAG_SYN | TCP_FLAG_ACK};
	struct reply r;

	for (size_t i = 0; i < sizeof(rsts); i++) {
		struct frame_info fi = good_tcp(rsts[i]);

		assert_true(validate_reply(&cfg, &fi, &r));
		assert_int_equal(r.state, PORT_CLOSED);
		assert_int_equal(r.reason, REASON_RST);
		assert_int_equal(r.addr, TARGET_IP);
		assert_int_equal(r.port, 80);
		assert_int_equal(r.window, 65160);
	}
}

static void test_other_flags_rejected(void **state)
{
	(void)state;
	static const uint8_t flags[] = {0, TCP_FLAG_ACK, TCP_FLAG_SYN, TCP_FLAG_FIN | TCP_FLAG_ACK,
					TCP_FLAG_PSH | TCP_FLAG_ACK};
	struct reply r;

	for (size_t i = 0; i < sizeof(flags); i++) {
		struct frame_info fi = good_tcp(flags[i]);
		assert_false(validate_reply(&cfg, &fi, &r));
	}
}

static void test_wrong_ack_rejected(void **state)
{
	(void)state;
	static const uint8_t flag_sets[] = {TCP_FLAG_SYN | TCP_FLAG_ACK, TCP_FLAG_RST};
	uint32_t seq = seq_of(&key, OUR_IP, 40007, 80);
	struct frame_info fi;
	struct reply r;

	for (size_t i = 0; i < sizeof(flag_sets); i++) {
		uint8_t flags = flag_sets[i];

		fi = tcp_reply(flags, OUR_IP, 40007, seq); /* ack == seq: off by one */
		assert_false(validate_reply(&cfg, &fi, &r));
		fi = tcp_reply(flags, OUR_IP, 40007, seq + 2);
		assert_false(validate_reply(&cfg, &fi, &r));
		fi = tcp_reply(flags, OUR_IP, 40007, seq_of(&other_key, OUR_IP, 40007, 80) + 1);
		assert_false(validate_reply(&cfg, &fi, &r));
		/* The right cookie, sent to a port of the same target we did not probe from. */
		fi = tcp_reply(flags, OUR_IP, 40008, seq + 1);
		assert_false(validate_reply(&cfg, &fi, &r));
	}
}

static void test_wrong_destination_rejected(void **state)
{
	(void)state;
	struct frame_info fi;
	struct reply r;

	/* A valid cookie for a probe from OTHER_IP: the reply is not for us. */
	fi = tcp_reply(0x12, OTHER_IP, 40007, seq_of(&key, OTHER_IP, 40007, 80) + 1);
	assert_false(validate_reply(&cfg, &fi, &r));
	/* The address swapped in the wrong direction: a reply sent by us. */
	fi = good_tcp(0x12);
	fi.src_ip = OUR_IP;
	fi.dst_ip = TARGET_IP;
	assert_false(validate_reply(&cfg, &fi, &r));
}

static void test_port_range_edges(void **state)
{
	(void)state;
	static const uint16_t ports[] = {PORT_FIRST - 1, PORT_FIRST, PORT_LAST, PORT_LAST + 1};
	struct reply r;

	for (size_t i = 0; i < 4; i++) {
		uint16_t p = ports[i];
		struct frame_info fi = tcp_reply(0x14, OUR_IP, p, seq_of(&key, OUR_IP, p, 80) + 1);

		assert_int_equal(validate_reply(&cfg, &fi, &r), i == 1 || i == 2);
	}
}

/* Router ROUTER_IP reporting our SYN from OUR_IP:sport to TARGET_IP:443 undeliverable. */
static struct frame_info icmp_reply(uint8_t type, uint8_t code, uint16_t sport, uint32_t q_seq)
{
	struct frame_info fi = {
		.kind = FRAME_ICMP,
		.src_ip = ROUTER_IP,
		.dst_ip = OUR_IP,
		.ttl = 250,
		.icmp_type = type,
		.icmp_code = code,
		.has_quote = true,
		.q_src_ip = OUR_IP,
		.q_dst_ip = TARGET_IP,
		.q_src_port = sport,
		.q_dst_port = 443,
		.q_seq = q_seq,
		.q_proto = 6,
	};
	return fi;
}

static void test_icmp_unreach_is_filtered(void **state)
{
	(void)state;
	uint32_t seq = seq_of(&key, OUR_IP, 40050, 443);
	struct reply r;

	for (unsigned code = 0; code < 256; code++) {
		bool wanted = code <= 3 || code == 9 || code == 10 || code == 13;
		struct frame_info fi = icmp_reply(3, (uint8_t)code, 40050, seq);

		memset(&r, 0, sizeof(r));
		assert_int_equal(validate_reply(&cfg, &fi, &r), wanted);
		if (!wanted)
			continue;
		assert_int_equal(r.state, PORT_FILTERED);
		assert_int_equal(r.reason, REASON_ICMP_UNREACH);
		assert_int_equal(r.addr, TARGET_IP);
		assert_int_equal(r.port, 443);
		assert_int_equal(r.src_port, 40050);
		assert_int_equal(r.icmp_type, 3);
		assert_int_equal(r.icmp_code, code);
		assert_int_equal(r.ttl, 250);
		assert_int_equal(r.window, 0);
	}
}

static void test_icmp_rejected(void **state)
{
	(void)state;
	uint32_t seq = seq_of(&key, OUR_IP, 40050, 443);
	struct frame_info fi;
	struct reply r;

	for (unsigned type = 0; type < 256; type++) {
		fi = icmp_reply((uint8_t)type, 3, 40050, seq);
		assert_int_equal(validate_reply(&cfg, &fi, &r), type == 3);
	}
	fi = icmp_reply(3, 3, 40050, seq);
	fi.has_quote = false;
	assert_false(validate_reply(&cfg, &fi, &r));
	fi = icmp_reply(3, 3, 40050, seq);
	fi.q_proto = 17;
	assert_false(validate_reply(&cfg, &fi, &r));
	fi = icmp_reply(3, 3, 40050, seq + 1);
	assert_false(validate_reply(&cfg, &fi, &r));
	fi = icmp_reply(3, 3, 40050, seq_of(&other_key, OUR_IP, 40050, 443));
	assert_false(validate_reply(&cfg, &fi, &r));
	fi = icmp_reply(3, 3, PORT_LAST + 1, seq_of(&key, OUR_IP, PORT_LAST + 1, 443));
	assert_false(validate_reply(&cfg, &fi, &r));
	/* A quote of someone else's SYN, even with a cookie that is right for it. */
	fi = icmp_reply(3, 3, 40050, seq_of(&key, OTHER_IP, 40050, 443));
	fi.q_src_ip = OTHER_IP;
	assert_false(validate_reply(&cfg, &fi, &r));

	fi.kind = FRAME_OTHER;
	assert_false(validate_reply(&cfg, &fi, &r));
}

/* A SYN from the template, answered the way a Linux target would, parsed and validated. */
static void test_round_trip(void **state)
{
	(void)state;
	struct template_params tp = {.src_ip = OUR_IP};
	struct template t;
	uint8_t f[60] = {0};
	struct frame_info fi;
	struct reply r;
	uint64_t hash = cookie_hash(&key, OUR_IP, TARGET_IP, 40099, 22);
	uint32_t seq = cookie_seq(hash);

	template_init(&t, &tp);
	template_write(&t, f, TARGET_IP, 40099, 22, seq, cookie_ip_id(hash));
	/* Turn it into the answer: swap addresses and ports, ack seq + 1, SYN+ACK. */
	memcpy(f + 26, (uint8_t[]){0x0a, 0x00, 0x00, 0x05, 0xc0, 0xa8, 0x00, 0x01}, 8);
	memcpy(f + 34, (uint8_t[]){0x00, 0x16, 0x9c, 0xa3}, 4);
	be32_write(f + 38, 0x12345678);
	be32_write(f + 42, seq + 1);
	f[47] = TCP_FLAG_SYN | TCP_FLAG_ACK;
	assert_int_equal(parse_frame(LINK_ETHERNET, f, sizeof(f), &fi), 0);
	assert_true(validate_reply(&cfg, &fi, &r));
	assert_int_equal(r.state, PORT_OPEN);
	assert_int_equal(r.addr, TARGET_IP);
	assert_int_equal(r.port, 22);
	assert_int_equal(r.src_port, 40099);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_syn_ack_is_open),
		cmocka_unit_test(test_rst_is_closed),
		cmocka_unit_test(test_other_flags_rejected),
		cmocka_unit_test(test_wrong_ack_rejected),
		cmocka_unit_test(test_wrong_destination_rejected),
		cmocka_unit_test(test_port_range_edges),
		cmocka_unit_test(test_icmp_unreach_is_filtered),
		cmocka_unit_test(test_icmp_rejected),
		cmocka_unit_test(test_round_trip),
	};

	return cmocka_run_group_tests_name("validate", tests, NULL, NULL);
}
