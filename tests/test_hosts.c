// SPDX-License-Identifier: MIT
/*
 * Tests for core/hosts.c: grouping by host in address order with each host's
 * results by port, hidden results counted per state and reason, hosts that
 * only went unanswered left out, and many hosts through table growth.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "hosts.h"

static struct result res(uint32_t addr, uint16_t port, uint8_t state, uint8_t reason)
{
	return (struct result){.time_ns = 1000 + port,
			       .addr = addr,
			       .port = port,
			       .proto = 6,
			       .state = state,
			       .reason = reason,
			       .ttl = 64};
}

static void test_grouping(void **state)
{
	struct hosts h;
	struct result r;

	(void)state;
	hosts_init(&h);
	assert_int_equal(hosts_add(&h, (r = res(9, 443, PORT_OPEN, REASON_SYN_ACK), &r), true), 0);
	assert_int_equal(hosts_add(&h, (r = res(3, 80, PORT_OPEN, REASON_SYN_ACK), &r), true), 0);
	assert_int_equal(hosts_add(&h, (r = res(9, 22, PORT_OPEN, REASON_SYN_ACK), &r), true), 0);
	assert_int_equal(hosts_add(&h, (r = res(9, 23, PORT_CLOSED, REASON_RST), &r), false), 0);
	assert_int_equal(hosts_add(&h, (r = res(9, 24, PORT_CLOSED, REASON_RST), &r), false), 0);
	/* Unanswered: counted for a host that answered, ignored for one that never did. */
	assert_int_equal(
		hosts_add(&h, (r = res(3, 81, PORT_FILTERED, REASON_NO_RESPONSE), &r), false), 0);
	assert_int_equal(
		hosts_add(&h, (r = res(5, 81, PORT_FILTERED, REASON_NO_RESPONSE), &r), true), 0);
	hosts_finish(&h);
	assert_int_equal(h.nhosts, 2);
	assert_int_equal(h.list[0].addr, 3);
	assert_int_equal(h.list[0].count, 1);
	assert_int_equal(h.list[0].hidden[0][PORT_FILTERED][REASON_NO_RESPONSE], 1);
	assert_int_equal(h.list[1].addr, 9);
	assert_int_equal(h.list[1].count, 2);
	assert_int_equal(h.results[h.list[1].first].port, 22);
	assert_int_equal(h.results[h.list[1].first + 1].port, 443);
	assert_int_equal(h.list[1].hidden[0][PORT_CLOSED][REASON_RST], 2);
	assert_int_equal(hosts_state_count(&h, &h.list[1], PORT_CLOSED), 2);
	assert_int_equal(hosts_state_count(&h, &h.list[1], PORT_OPEN), 2);
	assert_int_equal(h.first_ns, 1000 + 22);
	hosts_free(&h);
}

static void test_many_hosts(void **state)
{
	struct hosts h;

	(void)state;
	hosts_init(&h);
	for (uint32_t i = 0; i < 100000; i++) {
		uint32_t addr =
			(i * 2654435761u) ^ 0x5a5a5a5a; /* a bijection: distinct addresses */
		struct result a = res(addr, 80, PORT_OPEN, REASON_SYN_ACK);
		struct result b = res(addr, 81, PORT_CLOSED, REASON_RST);

		assert_int_equal(hosts_add(&h, &a, true), 0);
		assert_int_equal(hosts_add(&h, &b, i % 2), 0);
	}
	hosts_finish(&h);
	assert_int_equal(h.nhosts, 100000);
	assert_int_equal(h.count, 150000);
	for (size_t i = 0; i < h.nhosts; i++) {
		assert_true(i == 0 || h.list[i - 1].addr < h.list[i].addr);
		assert_int_equal(h.results[h.list[i].first].addr, h.list[i].addr);
		assert_int_equal(h.list[i].count + h.list[i].hidden[0][PORT_CLOSED][REASON_RST], 2);
	}
	hosts_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_grouping),
		cmocka_unit_test(test_many_hosts),
	};

	return cmocka_run_group_tests_name("hosts", tests, NULL, NULL);
}
