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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_open_only),
		cmocka_unit_test(test_all_states),
	};

	return cmocka_run_group_tests_name("output_normal", tests, NULL, NULL);
}
