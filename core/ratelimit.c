// SPDX-License-Identifier: MIT
/*
 * A token bucket with a small bucket. Tokens accrue continuously at rate_pps
 * from the caller's clock and are spent one per packet; the bucket holds at
 * most burst_pkts (one batch), so the longest burst the wire ever sees is one
 * batch, and time the sender spends stalled is lost rather than repaid in a
 * flood. The bucket starts empty: the first packet goes 1 / rate_pps seconds
 * after ratelimit_init(), which keeps "never faster than rate_pps" true from
 * the very first packet.
 *
 * Tokens are a double so that rates such as 3 pps or 7.5 Mpps are exact on
 * average: the fractional token left after a grant is carried to the next
 * call instead of being rounded away. A double holds integers exactly up to
 * 2^53, far more than any bucket, so the only rounding is in the per-call
 * increment and does not accumulate into a measurable drift.
 */
#include "ratelimit.h"

#include <assert.h>

#define NS_PER_S 1e9

void ratelimit_init(struct ratelimit *rl, double rate_pps, unsigned burst_pkts, uint64_t now_ns)
{
	assert(rate_pps >= 0);
	rl->rate_pps = rate_pps;
	rl->tokens = 0;
	rl->burst_pkts = burst_pkts ? burst_pkts : 1;
	rl->last_ns = now_ns;
}

/* The bucket's level at now_ns: what has accrued since last_ns, capped at the burst. */
static inline double ratelimit_level(const struct ratelimit *rl, uint64_t now_ns)
{
	double tokens = rl->tokens;

	/* A clock that went backwards adds nothing; last_ns is not moved back either. */
	if (now_ns > rl->last_ns)
		tokens += (double)(now_ns - rl->last_ns) * rl->rate_pps / NS_PER_S;
	return tokens < rl->burst_pkts ? tokens : rl->burst_pkts;
}

unsigned ratelimit_take(struct ratelimit *rl, uint64_t now_ns, unsigned want)
{
	unsigned grant;

	if (rl->rate_pps == 0)
		return want;
	rl->tokens = ratelimit_level(rl, now_ns);
	if (now_ns > rl->last_ns)
		rl->last_ns = now_ns;
	/* tokens lies in [0, burst_pkts], and burst_pkts fits an unsigned, so truncation is floor.
	 */
	grant = (unsigned)rl->tokens;
	if (grant > want)
		grant = want;
	rl->tokens -= grant;
	return grant;
}

uint64_t ratelimit_wait_n_ns(const struct ratelimit *rl, uint64_t now_ns, unsigned n)
{
	double tokens, need, wait;
	uint64_t wait_ns;

	if (rl->rate_pps == 0)
		return 0;
	/* More than the bucket holds can never be there at once: wait for a full bucket. */
	need = n < rl->burst_pkts ? n : rl->burst_pkts;
	if (need < 1)
		need = 1;
	tokens = ratelimit_level(rl, now_ns);
	if (tokens >= need)
		return 0;
	wait = (need - tokens) * NS_PER_S / rl->rate_pps;
	/* Beyond 2^64 ns (585 years) the answer is "forever"; casting would be undefined. */
	if (wait >= 0x1p64)
		return UINT64_MAX;
	/* Round up, so that after waiting this long the tokens really are there. */
	wait_ns = (uint64_t)wait;
	if ((double)wait_ns < wait)
		wait_ns++;
	return wait_ns ? wait_ns : 1;
}

uint64_t ratelimit_wait_ns(const struct ratelimit *rl, uint64_t now_ns)
{
	return ratelimit_wait_n_ns(rl, now_ns, 1);
}

void ratelimit_give_back(struct ratelimit *rl, unsigned n)
{
	rl->tokens += n;
	if (rl->tokens > rl->burst_pkts)
		rl->tokens = rl->burst_pkts;
}
