// SPDX-License-Identifier: MIT
/*
 * The token bucket on a simulated clock: a sender loop that polls, sends and
 * sleeps with jitter must average the configured rate within 2% from 100 pps
 * to 10 Mpps, never get more than one batch at once, and get no catch-up
 * burst after a long stall or from a clock that steps backwards.
 */
#include <limits.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>

#include "ratelimit.h"

#define NS_PER_S     1000000000ULL
#define SIM_NS	     (10 * NS_PER_S)
#define SIM_MAX_PKTS 100000
#define START_NS     123456789ULL

static uint64_t test_rand(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

/*
 * A sender that asks for a full batch, spends up to half a packet interval
 * per packet sent (so it could go twice as fast as the limit), and otherwise
 * sleeps for a random time, never past the moment wait_ns() names. Runs for
 * 10 simulated seconds or SIM_MAX_PKTS packets and returns the rate achieved.
 */
static double simulate(double rate_pps, unsigned batch, uint64_t *rng)
{
	uint64_t period_ns = (uint64_t)(NS_PER_S / rate_pps);
	uint64_t now = START_NS, sent = 0;
	struct ratelimit rl;

	ratelimit_init(&rl, rate_pps, batch, now);
	while (sent < SIM_MAX_PKTS && now - START_NS < SIM_NS) {
		unsigned got = ratelimit_take(&rl, now, batch);

		assert_true(got <= batch);
		if (got) {
			sent += got;
			for (unsigned i = 0; i < got; i++)
				now += test_rand(rng) % (period_ns / 2 + 1);
		} else {
			uint64_t wait = ratelimit_wait_ns(&rl, now);
			uint64_t nap = 1 + test_rand(rng) % (2 * period_ns);

			assert_true(wait > 0);
			now += wait < nap ? wait : nap;
		}
	}
	return (double)sent * NS_PER_S / (double)(now - START_NS);
}

static void test_average_rate(void **state)
{
	static const double rates[] = {100, 1e3, 1e4, 1e5, 1e6, 1e7};
	static const unsigned batches[] = {1, 2, 3, 8, 16, 32, 64, 100, 128, 255, 256};
	uint64_t rng = 1;

	(void)state;
	for (unsigned r = 0; r < sizeof(rates) / sizeof(rates[0]); r++)
		for (unsigned b = 0; b < sizeof(batches) / sizeof(batches[0]); b++) {
			double got = simulate(rates[r], batches[b], &rng);

			if (got < rates[r] * 0.98 || got > rates[r] * 1.02)
				fail_msg("rate %.0f batch %u: got %.1f pps", rates[r], batches[b],
					 got);
		}
}

/*
 * The real sender's policy on a real kernel: wait until half a batch has
 * accrued; sleep for that wait only if the other half of the bucket covers
 * 300 us of lateness (nanosleep's slack on a loaded machine), else spin. The
 * average must stay within 2% of the rate at every batch size the sender picks
 * (2 at low rates, up to 64 at high ones).
 */
static double simulate_late_waker(double rate_pps, unsigned batch, uint64_t *rng)
{
	unsigned target = batch / 2 ? batch / 2 : 1;
	bool may_sleep = (batch - target) * NS_PER_S / rate_pps >= 300000;
	uint64_t now = START_NS, sent = 0;
	struct ratelimit rl;

	ratelimit_init(&rl, rate_pps, batch, now);
	while (sent < SIM_MAX_PKTS && now - START_NS < SIM_NS) {
		uint64_t wait = ratelimit_wait_n_ns(&rl, now, target);

		if (wait) {
			now += may_sleep ? wait + test_rand(rng) % 300000 : 50;
			continue;
		}
		sent += ratelimit_take(&rl, now, batch);
		now += 2000; /* one sendmmsg */
	}
	return (double)sent * NS_PER_S / (double)(now - START_NS);
}

static void test_late_waker_keeps_rate(void **state)
{
	static const struct {
		double rate;
		unsigned batch;
	} cases[] = {{100, 2}, {1e3, 2}, {1e4, 20}, {1e5, 64}, {2e5, 64}, {1e6, 64}};
	uint64_t rng = 7;

	(void)state;
	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double got = simulate_late_waker(cases[i].rate, cases[i].batch, &rng);

		if (got < cases[i].rate * 0.98 || got > cases[i].rate * 1.02)
			fail_msg("rate %.0f batch %u: got %.1f pps", cases[i].rate, cases[i].batch,
				 got);
	}
}

static void test_give_back(void **state)
{
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, 1000, 8, START_NS);
	assert_int_equal(ratelimit_take(&rl, START_NS + 8000000, 8), 8);
	ratelimit_give_back(&rl, 3);
	assert_int_equal(ratelimit_take(&rl, START_NS + 8000000, 8), 3);
	/* Giving back never overfills the bucket: no burst larger than one batch. */
	ratelimit_give_back(&rl, 100);
	assert_int_equal(ratelimit_take(&rl, START_NS + 8000000, 100), 8);
}

static void test_wait_for_n(void **state)
{
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, 1000, 8, START_NS);
	assert_true(ratelimit_wait_n_ns(&rl, START_NS, 4) == 4000000);
	assert_true(ratelimit_wait_n_ns(&rl, START_NS + 1000000, 4) == 3000000);
	/* More than the bucket holds: the wait is for a full bucket. */
	assert_true(ratelimit_wait_n_ns(&rl, START_NS, 100) == 8000000);
	assert_true(ratelimit_wait_n_ns(&rl, START_NS + 9000000, 8) == 0);
}

/* A sender that only wakes every half batch interval gets about half a batch each time. */
static void test_periodic_sender(void **state)
{
	const double rate = 1e6;
	const unsigned batch = 64;
	uint64_t now = START_NS, sent = 0;
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, rate, batch, now);
	for (unsigned i = 0; i < 10000; i++) {
		unsigned got;

		now += 32000;
		got = ratelimit_take(&rl, now, batch);
		assert_true(got <= batch);
		sent += got;
	}
	assert_in_range(sent, 10000 * 32 - 1, 10000 * 32);
}

static void test_stall_gives_one_burst(void **state)
{
	const unsigned batch = 64;
	uint64_t now = START_NS, sent = 0;
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, 1e6, batch, now);
	for (unsigned i = 0; i < 1000; i++, now += 1000)
		assert_true(ratelimit_take(&rl, now, batch) <= batch);
	now += SIM_NS;
	assert_true(ratelimit_take(&rl, now, UINT_MAX) <= batch);
	assert_int_equal(ratelimit_take(&rl, now, UINT_MAX), 0);
	assert_true(ratelimit_wait_ns(&rl, now) > 0);
	/* The second after the stall runs at the plain rate: nothing owed is repaid. */
	for (unsigned i = 0; i < 1000000; i++) {
		now += 1000;
		sent += ratelimit_take(&rl, now, UINT_MAX);
	}
	assert_in_range(sent, 1000000 - 1, 1000000 + 1);
}

static void test_clock_backwards(void **state)
{
	uint64_t now = 10 * NS_PER_S;
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, 1000, 16, now);
	now += NS_PER_S;
	assert_int_equal(ratelimit_take(&rl, now, UINT_MAX), 16);
	/* Half a second in the past: nothing new, and the past does not become a new origin. */
	assert_int_equal(ratelimit_take(&rl, now - NS_PER_S / 2, UINT_MAX), 0);
	assert_int_equal(ratelimit_take(&rl, now, UINT_MAX), 0);
	assert_int_equal(ratelimit_take(&rl, now + 999999, UINT_MAX), 0);
	assert_int_equal(ratelimit_take(&rl, now + 1000000, UINT_MAX), 1);
	assert_int_equal(ratelimit_take(&rl, 0, UINT_MAX), 0);
	assert_int_equal(ratelimit_take(&rl, now + 2000000, UINT_MAX), 1);
}

static void test_starts_empty_and_wait(void **state)
{
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, 1000, 8, START_NS);
	assert_int_equal(ratelimit_take(&rl, START_NS, 8), 0);
	assert_true(ratelimit_wait_ns(&rl, START_NS) == 1000000);
	assert_true(ratelimit_wait_ns(&rl, START_NS + 400000) == 600000);
	assert_true(ratelimit_wait_ns(&rl, START_NS + 1000000) == 0);
	assert_int_equal(ratelimit_take(&rl, START_NS + 2500000, 8), 2);
	assert_true(ratelimit_wait_ns(&rl, START_NS + 2500000) == 500000);
	/* A want of 0 takes nothing and spends nothing. */
	assert_int_equal(ratelimit_take(&rl, START_NS + 3000000, 0), 0);
	assert_int_equal(ratelimit_take(&rl, START_NS + 3000000, 8), 1);
	/* Slow and fractional rates are exact too. */
	ratelimit_init(&rl, 0.5, 1, 0);
	assert_true(ratelimit_wait_ns(&rl, 0) == 2 * NS_PER_S);
	/* A burst of 0 is treated as 1, the smallest useful bucket. */
	ratelimit_init(&rl, 1000, 0, 0);
	assert_int_equal(ratelimit_take(&rl, NS_PER_S, 5), 1);
}

static void test_unlimited(void **state)
{
	struct ratelimit rl;

	(void)state;
	ratelimit_init(&rl, 0, 1, START_NS);
	assert_int_equal(ratelimit_take(&rl, START_NS, 256), 256);
	assert_int_equal(ratelimit_take(&rl, START_NS, UINT_MAX), UINT_MAX);
	assert_int_equal(ratelimit_take(&rl, 0, 7), 7);
	assert_true(ratelimit_wait_ns(&rl, START_NS) == 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_average_rate),
		cmocka_unit_test(test_late_waker_keeps_rate),
		cmocka_unit_test(test_wait_for_n),
		cmocka_unit_test(test_give_back),
		cmocka_unit_test(test_periodic_sender),
		cmocka_unit_test(test_stall_gives_one_burst),
		cmocka_unit_test(test_clock_backwards),
		cmocka_unit_test(test_starts_empty_and_wait),
		cmocka_unit_test(test_unlimited),
	};

	return cmocka_run_group_tests_name("ratelimit", tests, NULL, NULL);
}
