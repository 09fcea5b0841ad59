// SPDX-License-Identifier: MIT
/*
 * Tests for core/output_json.c: one object per line with the documented
 * field names and values, nothing but results (no header or footer), and only
 * the states --show selects.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "output_fixture.h"

static void test_fields(void **state)
{
	char *text = fixture_run(&output_json_ops, 0, NULL), *save = NULL;
	unsigned n = 0;

	(void)state;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const struct result *r = &fixture_results[n++];
		char ip[32], st[16], reason[16];
		unsigned port, ttl, win;
		unsigned long long sec, usec;
		int used = 0;

		assert_int_equal(
			sscanf(line,
			       "{\"ip\":\"%31[0-9.]\",\"port\":%u,\"proto\":\"tcp\",\"state\":"
			       "\"%15[a-z]\",\"reason\":\"%15[a-z-]\",\"ttl\":%u,\"window\":%u,"
			       "\"time\":%llu.%llu}%n",
			       ip, &port, st, reason, &ttl, &win, &sec, &usec, &used),
			8);
		assert_int_equal(used, (int)strlen(line)); /* nothing after the object */
		assert_int_equal(port, r->port);
		assert_string_equal(st, result_state_name(r->state));
		assert_string_equal(reason, result_reason_name(r->reason));
		assert_int_equal(ttl, r->ttl);
		assert_int_equal(win, r->window);
		assert_int_equal(sec * 1000000000ULL + usec * 1000, r->time_ns);
	}
	assert_int_equal(n, FIXTURE_COUNT);
	free(text);
}

static void test_show_filters(void **state)
{
	char *text = fixture_run(&output_json_ops, 1u << 1, NULL);

	(void)state;
	assert_int_equal(fixture_lines(text, "{\"ip\""), 2);
	assert_null(strstr(text, "closed"));
	free(text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_show_filters),
	};

	return cmocka_run_group_tests_name("output_json", tests, NULL, NULL);
}
