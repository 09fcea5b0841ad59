// SPDX-License-Identifier: MIT
/*
 * Tests for core/services.c: parsing nmap-services text (TCP only, first
 * name wins, comments and junk ignored), the built-in table, and, where nmap
 * is installed, that the built-in names agree with nmap's own file.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "services.h"

static void test_parse(void **state)
{
	const char *src = "# comment\nssh\t22/tcp\t0.18\t# Secure Shell\nssh\t22/udp\t0.01\n"
			  "other\t22/tcp\t0.5\n\ngarbage\nhttp 80/tcp 0.48\nbig\t70000/tcp\t0\n"
			  "x\t81/tcpx\t0\nlast\t65535/tcp";
	struct services sv;

	(void)state;
	assert_int_equal(services_parse(&sv, strdup(src), strlen(src)), 0);
	assert_string_equal(services_name(&sv, 22), "ssh");
	assert_string_equal(services_name(&sv, 80), "http");
	assert_string_equal(services_name(&sv, 81), "unknown");
	assert_string_equal(services_name(&sv, 65535), "last");
	assert_string_equal(services_name(&sv, 0), "unknown");
	services_free(&sv);
}

static void test_builtin_matches_nmap(void **state)
{
	struct services builtin, nmap;
	unsigned named = 0;

	(void)state;
	assert_int_equal(services_builtin(&builtin), 0);
	assert_string_equal(services_name(&builtin, 443), "https");
	assert_string_equal(services_name(&builtin, 3389), "ms-wbt-server");
	if (access(SERVICES_PATH, R_OK)) {
		services_free(&builtin);
		skip();
	}
	assert_int_equal(services_load(&nmap, NULL), 0);
	for (unsigned port = 0; port < 65536; port++) {
		if (!builtin.names[port])
			continue;
		named++;
		assert_string_equal(builtin.names[port], services_name(&nmap, (uint16_t)port));
	}
	assert_true(named > 50);
	services_free(&nmap);
	services_free(&builtin);
}

static void test_missing_file_falls_back(void **state)
{
	struct services sv;

	(void)state;
	assert_int_equal(services_load(&sv, "/nonexistent/nmap-services"), 0);
	assert_string_equal(services_name(&sv, 22), "ssh");
	services_free(&sv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_builtin_matches_nmap),
		cmocka_unit_test(test_missing_file_falls_back),
	};

	return cmocka_run_group_tests_name("services", tests, NULL, NULL);
}
