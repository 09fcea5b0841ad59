// SPDX-License-Identifier: MIT
/*
 * Tests for core/output_list.c: masscan's columns between "#masscan" and
 * "# end", one line per shown result.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "output_fixture.h"

static void test_masscan_layout(void **state)
{
	char *text = fixture_run(&output_list_ops, 0x6, NULL);

	(void)state;
	assert_int_equal(strncmp(text, "#masscan\n", 9), 0);
	assert_non_null(strstr(text, "\nopen tcp 22 198.18.0.1 1700000000\n"));
	assert_non_null(strstr(text, "\nclosed tcp 443 198.18.0.2 1700000000\n"));
	assert_null(strstr(text, "filtered"));
	assert_int_equal(fixture_lines(text, "open tcp "), 2);
	assert_int_equal(fixture_lines(text, "closed tcp "), 3);
	assert_string_equal(text + strlen(text) - 6, "# end\n");
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_masscan_layout),
	};

	return cmocka_run_group_tests_name("output_list", tests, NULL, NULL);
}
