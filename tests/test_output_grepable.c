// SPDX-License-Identifier: MIT
/*
 * Tests for core/output_grepable.c: nmap's two lines per host, the port
 * fields, "Ignored State" and the comment lines.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "output_fixture.h"

static void test_lines(void **state)
{
	char *text = fixture_run(&output_grepable_ops, 0x6, NULL);

	(void)state;
	assert_int_equal(strncmp(text, "# hayate 0.1.0 scan initiated ", 30), 0);
	assert_int_equal(fixture_lines(text, "Host: "), 6);
	assert_non_null(strstr(text, "Host: 198.18.0.1 ()\tStatus: Up\n"
				     "Host: 198.18.0.1 ()\tPorts: 22/open/tcp//ssh///, "
				     "80/closed/tcp//http///\tIgnored State: filtered (1)\n"));
	assert_non_null(strstr(text, "Host: 198.18.0.2 ()\tPorts: 22/closed/tcp//ssh///, "
				     "80/open/tcp//http///, 443/closed/tcp//https///\n"));
	assert_non_null(
		strstr(text, "Host: 198.18.0.3 ()\tPorts: \tIgnored State: filtered (3)\n"));
	assert_non_null(strstr(text, "\n# hayate done at "));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lines),
	};

	return cmocka_run_group_tests_name("output_grepable", tests, NULL, NULL);
}
