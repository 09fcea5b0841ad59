// SPDX-License-Identifier: MIT
/*
 * UDP payloads: what each well-known port is sent (the cookie where the
 * protocol echoes it), and whether hand-built replies match: a real-looking
 * answer with the right echoed field does, one with the field off by one,
 * without its response bit or cut short does not, and malformed SNMP (lying
 * BER lengths, wrong tags) never matches or reads past its end.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "packet.h"
#include "payload.h"

#define COOKIE 0x1122334455667788ull

static void test_kinds_and_lengths(void **state)
{
	uint8_t buf[PAYLOAD_MAX_BYTES];

	(void)state;
	assert_int_equal(payload_kind_of(53), PAYLOAD_DNS);
	assert_int_equal(payload_kind_of(123), PAYLOAD_NTP);
	assert_int_equal(payload_kind_of(137), PAYLOAD_NETBIOS);
	assert_int_equal(payload_kind_of(161), PAYLOAD_SNMP);
	assert_int_equal(payload_kind_of(1900), PAYLOAD_SSDP);
	assert_int_equal(payload_kind_of(11211), PAYLOAD_MEMCACHED);
	assert_int_equal(payload_kind_of(54), PAYLOAD_EMPTY);
	for (unsigned p = 0; p < 65536; p++) {
		size_t n = payload_build((uint16_t)p, COOKIE, buf);

		assert_true(n <= PAYLOAD_MAX_BYTES);
		assert_int_equal(n, payload_len((uint16_t)p));
	}
}

static void test_dns(void **state)
{
	uint8_t q[PAYLOAD_MAX_BYTES], a[64];
	size_t n = payload_build(53, COOKIE, q);

	(void)state;
	assert_int_equal(be16_read(q), 0x7788); /* ID = low 16 cookie bits */
	assert_int_equal(be16_read(q + 4), 1);	/* one question */
	assert_memory_equal(q + 12, "\7version\4bind\0", 14);
	assert_int_equal(be16_read(q + n - 4), 16); /* TXT */
	assert_int_equal(be16_read(q + n - 2), 3);  /* CH */
	memcpy(a, q, n);
	a[2] |= 0x80; /* QR: a response (REFUSED or not, it is an answer) */
	a[3] = 0x05;
	assert_true(payload_reply_matches(53, COOKIE, a, n));
	assert_true(payload_reply_matches(53, COOKIE, a, 12));
	assert_false(payload_reply_matches(53, COOKIE, a, 11)); /* no whole header */
	assert_false(payload_reply_matches(53, COOKIE + 1, a, n));
	a[2] &= 0x7f; /* our own query reflected */
	assert_false(payload_reply_matches(53, COOKIE, a, n));
}

static void test_ntp(void **state)
{
	uint8_t q[PAYLOAD_MAX_BYTES], a[48];

	(void)state;
	assert_int_equal(payload_build(123, COOKIE, q), 48);
	assert_int_equal(q[0], 0x23); /* version 4, client */
	assert_int_equal(be32_read(q + 40), 0x11223344);
	assert_int_equal(be32_read(q + 44), 0x55667788);
	memset(a, 0, sizeof(a));
	a[0] = 0x24;		   /* version 4, server */
	memcpy(a + 24, q + 40, 8); /* origin = our transmit */
	assert_true(payload_reply_matches(123, COOKIE, a, 48));
	assert_false(payload_reply_matches(123, COOKIE, a, 47));
	assert_false(payload_reply_matches(123, COOKIE ^ 1, a, 48));
	assert_false(payload_reply_matches(123, COOKIE ^ (1ull << 63), a, 48));
	a[0] = 0x23; /* a client packet, not an answer */
	assert_false(payload_reply_matches(123, COOKIE, a, 48));
}

static void test_netbios_memcached_ssdp(void **state)
{
	uint8_t q[PAYLOAD_MAX_BYTES];
	size_t n;

	(void)state;
	n = payload_build(137, COOKIE, q);
	assert_int_equal(be16_read(q), 0x7788);
	assert_int_equal(q[12], 0x20);
	assert_memory_equal(q + 13, "CKAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", 32);
	assert_int_equal(be16_read(q + n - 4), 0x21); /* NBSTAT */
	q[2] |= 0x84;
	assert_true(payload_reply_matches(137, COOKIE, q, n));
	assert_false(payload_reply_matches(137, COOKIE + 1, q, n));

	n = payload_build(11211, COOKIE, q);
	assert_int_equal(be16_read(q), 0x7788);
	assert_int_equal(be16_read(q + 4), 1); /* one datagram */
	assert_memory_equal(q + 8, "stats\r\n", 7);
	assert_true(payload_reply_matches(11211, COOKIE, q, 8));
	assert_false(payload_reply_matches(11211, COOKIE, q, 7));
	assert_false(payload_reply_matches(11211, COOKIE - 1, q, n));

	n = payload_build(1900, COOKIE, q);
	assert_memory_equal(q, "M-SEARCH * HTTP/1.1\r\n", 21);
	assert_memory_equal(q + n - 4, "\r\n\r\n", 4);
	/* Nothing echoed: any answer matches (the source port is the proof). */
	assert_true(payload_reply_matches(1900, COOKIE, (const uint8_t *)"HTTP/1.1 200 OK", 15));
	assert_true(payload_reply_matches(4444, COOKIE, NULL, 0));
}

/* An SNMP GetResponse with request-id reqid encoded in id_len bytes. */
static size_t snmp_response(uint8_t *b, uint32_t reqid, unsigned id_len)
{
	uint8_t pdu[32], *p = pdu;
	size_t n = 0;

	*p++ = 0x02;
	*p++ = (uint8_t)id_len;
	for (unsigned i = id_len; i-- > 0;)
		*p++ = (uint8_t)(reqid >> (8 * i));
	memcpy(p, "\x02\x01\x00\x02\x01\x00\x30\x00", 8); /* no error, empty varbinds */
	p += 8;
	b[n++] = 0x30;
	b[n++] = (uint8_t)(3 + 8 + 2 + (p - pdu));
	memcpy(b + n, "\x02\x01\x01\x04\x06public", 11);
	n += 11;
	b[n++] = 0xa2;
	b[n++] = (uint8_t)(p - pdu);
	memcpy(b + n, pdu, (size_t)(p - pdu));
	return n + (size_t)(p - pdu);
}

static void test_snmp(void **state)
{
	uint8_t q[PAYLOAD_MAX_BYTES], a[64];
	size_t n = payload_build(161, COOKIE, q);
	uint32_t reqid = 0x55667788 & 0x7fffffff;

	(void)state;
	assert_int_equal(n, 43);
	assert_int_equal(q[0], 0x30);
	assert_int_equal(q[1], n - 2);
	assert_memory_equal(q + 2, "\x02\x01\x01\x04\x06public\xa0", 12); /* v2c, GetRequest */
	assert_int_equal(be32_read(q + 17), reqid);
	n = snmp_response(a, reqid, 4);
	assert_true(payload_reply_matches(161, COOKIE, a, n));
	n = snmp_response(a, 0x00123456, 3); /* the agent encodes it minimally */
	assert_true(payload_reply_matches(161, 0x00123456, a, n));
	n = snmp_response(a, reqid + 1, 4);
	assert_false(payload_reply_matches(161, COOKIE, a, n));
	n = snmp_response(a, reqid, 4);
	for (size_t cut = 0; cut < n; cut++) /* every truncation */
		assert_false(payload_reply_matches(161, COOKIE, a, cut));
	a[13] = 0xa0; /* a GetRequest, not a response */
	assert_false(payload_reply_matches(161, COOKIE, a, n));
}

static void test_snmp_malformed(void **state)
{
	uint8_t a[64];
	size_t n;

	(void)state;
	n = snmp_response(a, 7, 1);
	a[1] = 0x84; /* long form: 4 length bytes claiming far more than there is */
	assert_false(payload_reply_matches(161, 7, a, n));
	n = snmp_response(a, 7, 1);
	a[1] = 0x80; /* indefinite length */
	assert_false(payload_reply_matches(161, 7, a, n));
	n = snmp_response(a, 7, 1);
	a[14] = 60; /* PDU longer than the message */
	assert_false(payload_reply_matches(161, 7, a, n));
	n = snmp_response(a, 7, 1);
	a[16] = 0; /* request-id of length 0 */
	assert_false(payload_reply_matches(161, 7, a, n));
	n = snmp_response(a, 7, 1);
	a[0] = 0x31; /* not a SEQUENCE */
	assert_false(payload_reply_matches(161, 7, a, n));
	/* Random bytes never match and never read out of bounds (ASan checks the latter). */
	srand(5);
	for (int i = 0; i < 20000; i++) {
		uint8_t *r = malloc(40);

		for (int j = 0; j < 40; j++)
			r[j] = (uint8_t)rand();
		r[0] = 0x30;
		payload_reply_matches(161, 7, r, (size_t)(rand() % 41));
		free(r);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kinds_and_lengths),
		cmocka_unit_test(test_dns),
		cmocka_unit_test(test_ntp),
		cmocka_unit_test(test_netbios_memcached_ssdp),
		cmocka_unit_test(test_snmp),
		cmocka_unit_test(test_snmp_malformed),
	};

	return cmocka_run_group_tests_name("payload", tests, NULL, NULL);
}
