// SPDX-License-Identifier: MIT
/*
 * Tests for core/output_normal.c: hosts in address order, hosts that never
 * answered left out, "Not shown" counting what --show hides, nmap's column
 * layout and service names, and the first and last comment lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "output_fixture.h"

static void test_open_only(void **state)
{
	char *text = fixture_run(&output_normal_ops, 1u << 1, NULL);
	const char *h1 = strstr(text, "hayate scan report for 198.18.0.1\n");
	const char *h2 = strstr(text, "hayate scan report for 198.18.0.2\n");

	(void)state;
	assert_non_null(strstr(text, "# hayate 0.1.0 scan initiated Tue Nov 14 22:13:20 2023 as: "
				     "hayate 198.18.0.0/30"));
	assert_true(h1 && h2 && h1 < h2);
	assert_null(strstr(text, "198.18.0.0\n")); /* never answered: down */
	assert_non_null(strstr(h1, "Host is up, received syn-ack ttl 64.\n"
				   "Not shown: 1 closed tcp port (reset), 1 filtered tcp port "
				   "(no-response)\n"
				   "PORT   STATE SERVICE\n"
				   "22/tcp open  ssh\n\n"));
	assert_non_null(strstr(h2, "Not shown: 2 closed tcp ports (reset)\n"));
	assert_non_null(strstr(text, "All 3 scanned ports on 198.18.0.3 are in ignored states.\n"
				     "Not shown: 2 filtered tcp ports (no-response), 1 filtered "
				     "tcp port (unreach)\n"));
	assert_non_null(strstr(text, "# hayate done at Tue Nov 14 22:13:22 2023 -- 4 IP addresses "
				     "(3 hosts up) scanned in 2.50 seconds\n"));
	free(text);
}

static void test_all_states(void **state)
{
	char *text = fixture_run(&output_normal_ops, 0xe, NULL);

	(void)state;
	assert_null(strstr(text, "Not shown"));
	assert_non_null(strstr(text, "PORT    STATE    SERVICE\n"
				     "22/tcp  open     ssh\n"
				     "80/tcp  closed   http\n"
				     "443/tcp filtered https\n"));
	free(text);
}

/* A mixed scan hides UDP and TCP ports apart, each named by its protocol. */
static void test_udp_not_shown(void **state)
{
	static const struct result mixed[] = {
		{FIXTURE_T0 + 100000000, 0xc6120001, 53, PROTO_UDP, PORT_OPEN, REASON_UDP_RESPONSE,
		 64, 0},
		{FIXTURE_T0 + 110000000, 0xc6120001, 9999, PROTO_UDP, PORT_CLOSED,
		 REASON_PORT_UNREACH, 64, 0},
		{FIXTURE_T0 + 120000000, 0xc6120001, 80, PROTO_TCP, PORT_CLOSED, REASON_RST, 64, 0},
		{FIXTURE_T0 + 2500000000ULL, 0xc6120001, 5000, PROTO_UDP, PORT_OPEN_FILTERED,
		 REASON_NO_RESPONSE, 0, 0},
		{FIXTURE_T0 + 2500000000ULL, 0xc6120001, 5001, PROTO_UDP, PORT_OPEN_FILTERED,
		 REASON_NO_RESPONSE, 0, 0},
	};
	char *text = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&text, &n);
	struct output o = {.ops = &output_normal_ops, .fp = fp, .show = 1u << PORT_OPEN};

	(void)state;
	assert_int_equal(output_open(&o, &fixture_info), 0);
	for (size_t i = 0; i < sizeof(mixed) / sizeof(mixed[0]); i++)
		assert_int_equal(output_write(&o, &mixed[i]), 0);
	assert_int_equal(output_close(&o, &fixture_info), 0);
	fclose(fp);
	assert_non_null(strstr(text, "Not shown: 2 open|filtered udp ports (no-response), "));
	assert_non_null(strstr(text, "1 closed udp port (port-unreach)"));
	assert_non_null(strstr(text, "1 closed tcp port (reset)"));
	assert_non_null(strstr(text, "53/udp open"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_only),
		cmocka_unit_test(test_all_states),
		cmocka_unit_test(test_udp_not_shown),
	};

	return cmocka_run_group_tests_name("output_normal", tests, NULL, NULL);
}
