/* SPDX-License-Identifier: MIT */
/*
 * A token bucket on a caller-supplied clock. The sender asks how many packets
 * it may send now; tokens accrue at rate_pps and the bucket holds at most one
 * batch, so there is never a burst larger than a batch and no catch-up burst
 * after a stall (a suspended laptop or a slow ring must not turn into a flood).
 * Pure: time comes in as now_ns.
 */
#pragma once

#include <stdint.h>

struct ratelimit {
	double rate_pps;   /* 0 means unlimited */
	double tokens;	   /* may be fractional */
	double burst_pkts; /* bucket capacity, >= 1 */
	uint64_t last_ns;
};

/*
 * Starts with an empty bucket at time now_ns, so the first packet may go 1 / rate_pps s later.
 * rate_pps >= 0 (0: unlimited); burst_pkts caps any single grant (0 is taken as 1).
 */
void ratelimit_init(struct ratelimit *rl, double rate_pps, unsigned burst_pkts, uint64_t now_ns);

/*
 * Returns how many packets (0..want) may be sent at now_ns and consumes their
 * tokens. now_ns must not go backwards (a smaller value is treated as no time passing).
 */
unsigned ratelimit_take(struct ratelimit *rl, uint64_t now_ns, unsigned want);

/* Nanoseconds from now_ns until at least one packet may be sent (0 if one may go now). */
uint64_t ratelimit_wait_ns(const struct ratelimit *rl, uint64_t now_ns);

/*
 * Nanoseconds from now_ns until at least n packets may be sent (n is capped
 * at the bucket size; 0 if they may go now). Lets a sender sleep until a
 * useful batch has accrued instead of waking for every token.
 */
uint64_t ratelimit_wait_n_ns(const struct ratelimit *rl, uint64_t now_ns, unsigned n);

/*
 * Returns n tokens taken by ratelimit_take() but not used (the backend had
 * fewer free slots than granted). The bucket still never exceeds its size.
 */
void ratelimit_give_back(struct ratelimit *rl, unsigned n);
