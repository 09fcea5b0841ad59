// SPDX-License-Identifier: MIT
/* core/arp.c: the who-has we send, byte for byte, and which replies we accept. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "arp.h"

static const uint8_t our_mac[6] = {0x02, 0x11, 0x22, 0x33, 0x44, 0x55};
static const uint8_t their_mac[6] = {0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee};
#define OUR_IP	 0xc6130001u /* 198.19.0.1 */
#define THEIR_IP 0xc6130002u /* 198.19.0.2 */

static void test_request_bytes(void **state)
{
	static const uint8_t want[ARP_FRAME_BYTES] = {
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x11, 0x22, 0x33, 0x44, 0x55,
		0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, /* Ethernet, IPv4, 6, 4,
									       request */
		0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 198,  19,	0,    1,    /* sender */
		0,    0,    0,	  0,	0,    0,    198,  19,	0,    2,    /* target */
	};
	uint8_t frame[ARP_FRAME_BYTES + 8];

	(void)state;
	memset(frame, 0x5a, sizeof(frame));
	assert_int_equal(arp_build_request(frame, our_mac, OUR_IP, THEIR_IP), ARP_FRAME_BYTES);
	assert_memory_equal(frame, want, ARP_FRAME_BYTES);
	assert_int_equal(frame[ARP_FRAME_BYTES], 0x5a); /* nothing written past the end */
}

/* A reply from THEIR_IP to us, built by hand, padded to Ethernet's 60-byte minimum. */
static unsigned make_reply(uint8_t frame[60])
{
	static const uint8_t reply[ARP_FRAME_BYTES] = {
		0x02, 0x11, 0x22, 0x33, 0x44, 0x55, 0x02, 0xaa, 0xbb, 0xcc, 0xdd,
		0xee, 0x08, 0x06, 0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x02, /* reply */
		0x02, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 198,  19,	0,    2,    0x02,
		0x11, 0x22, 0x33, 0x44, 0x55, 198,  19,	  0,	1,
	};

	memset(frame, 0, 60);
	memcpy(frame, reply, sizeof(reply));
	return 60;
}

static void test_reply_accepted(void **state)
{
	uint8_t frame[60], mac[6] = {0};

	(void)state;
	assert_true(arp_parse_reply(frame, make_reply(frame), THEIR_IP, mac));
	assert_memory_equal(mac, their_mac, 6);
	/* Exactly 42 bytes (unpadded, as a packet socket may deliver it) is enough. */
	assert_true(arp_parse_reply(frame, ARP_FRAME_BYTES, THEIR_IP, mac));
}

static void test_reply_rejected(void **state)
{
	static const struct {
		unsigned offset;
		uint8_t value;
	} damage[] = {
		{12, 0x86}, {13, 0x00}, /* EtherType 0x8606, 0x0800: not ARP */
		{15, 0x06},		/* hardware type 6 */
		{17, 0xdd},		/* protocol type 0x86dd */
		{18, 8},    {19, 16},	/* address lengths */
		{21, 1},		/* a request, not a reply */
		{31, 3},		/* sender is 198.19.0.3, not whom we asked */
		{22, 0x01},		/* multicast sender MAC */
	};
	uint8_t frame[60], mac[6] = {0};
	unsigned len;

	(void)state;
	for (size_t i = 0; i < sizeof(damage) / sizeof(damage[0]); i++) {
		len = make_reply(frame);
		frame[damage[i].offset] = damage[i].value;
		assert_false(arp_parse_reply(frame, len, THEIR_IP, mac));
	}
	len = make_reply(frame);
	memset(frame + 22, 0, 6); /* all-zero sender MAC */
	assert_false(arp_parse_reply(frame, len, THEIR_IP, mac));
	len = make_reply(frame);
	for (unsigned short_len = 0; short_len < ARP_FRAME_BYTES; short_len++)
		assert_false(arp_parse_reply(frame, short_len, THEIR_IP, mac));
	assert_memory_equal(mac, (uint8_t[6]){0}, 6); /* untouched by any rejection */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_request_bytes),
		cmocka_unit_test(test_reply_accepted),
		cmocka_unit_test(test_reply_rejected),
	};

	return cmocka_run_group_tests_name("arp", tests, NULL, NULL);
}
