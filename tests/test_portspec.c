// SPDX-License-Identifier: MIT
/*
 * Protocol-qualified port lists: prefixes switch the protocol until the next
 * one, unprefixed ports take the default, each side is an ordinary port
 * list, and bad parts are named.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "portspec.h"

static struct port_set tcp, udp; /* large */

static void test_prefixes(void **state)
{
	struct errmsg err;

	(void)state;
	assert_int_equal(portspec_parse("U:53,161,T:21-25,80", false, &tcp, &udp, &err), 0);
	assert_int_equal(udp.total, 2);
	assert_true(ports_contains(&udp, 53) && ports_contains(&udp, 161));
	assert_int_equal(tcp.total, 6);
	assert_true(ports_contains(&tcp, 21) && ports_contains(&tcp, 25) &&
		    ports_contains(&tcp, 80));
	/* Before any prefix: the default protocol. */
	assert_int_equal(portspec_parse("22,U:53", false, &tcp, &udp, &err), 0);
	assert_int_equal(tcp.total, 1);
	assert_int_equal(udp.total, 1);
	assert_int_equal(portspec_parse("22,53", true, &tcp, &udp, &err), 0);
	assert_int_equal(tcp.total, 0);
	assert_int_equal(udp.total, 2);
	/* The same port under both protocols is two probes; lower case is accepted. */
	assert_int_equal(portspec_parse("u:53,t:53", false, &tcp, &udp, &err), 0);
	assert_true(ports_contains(&tcp, 53) && ports_contains(&udp, 53));
	/* "-" keeps its meaning on either side. */
	assert_int_equal(portspec_parse("U:-", false, &tcp, &udp, &err), 0);
	assert_int_equal(udp.total, 65535);
	assert_int_equal(tcp.total, 0);
}

static void test_errors(void **state)
{
	struct errmsg err;

	(void)state;
	assert_int_equal(portspec_parse("S:80", false, &tcp, &udp, &err), -EINVAL);
	assert_non_null(strstr(err.text, "SCTP"));
	assert_int_equal(portspec_parse("U:", false, &tcp, &udp, &err), -EINVAL);
	assert_non_null(strstr(err.text, "empty port list"));
	assert_int_equal(portspec_parse("U:70000", false, &tcp, &udp, &err), -EINVAL);
	assert_non_null(strstr(err.text, "70000"));
	assert_int_equal(portspec_parse("T:80,U:9o", false, &tcp, &udp, &err), -EINVAL);
	assert_non_null(strstr(err.text, "9o"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_prefixes),
		cmocka_unit_test(test_errors),
	};

	return cmocka_run_group_tests_name("portspec", tests, NULL, NULL);
}
