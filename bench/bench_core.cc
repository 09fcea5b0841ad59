// SPDX-License-Identifier: MIT
/*
 * Nanoseconds per call of the per-probe core functions: permute_at() (one
 * call per probe), cookie_hash() (one per probe and one per reply) and
 * ratelimit_take() (one per batch). The pipeline budget is 50 ns per probe
 * in total, so each of these should cost a small fraction of it.
 */
#include <benchmark/benchmark.h>

#include <cstdint>

extern "C" {
#include "cookie.h"
#include "permute.h"
#include "ratelimit.h"
}

/* Walks consecutive positions, as a sender does; the argument is the domain size. */
static void bench_permute_at(benchmark::State &state)
{
	const uint64_t n = static_cast<uint64_t>(state.range(0));
	struct permute p;
	uint64_t k = 0;

	permute_init(&p, n, 0x1234abcd);
	for (auto _ : state) {
		benchmark::DoNotOptimize(permute_at(&p, k));
		if (++k == n)
			k = 0;
	}
}
/* 2^32 fills its Feistel domain exactly; 2^32 + 1 is the worst case, walking ~4 steps. */
BENCHMARK(bench_permute_at)->Arg(1 << 20)->Arg(1LL << 32)->Arg((1LL << 32) + 1)->Arg(1LL << 48);

static void bench_cookie_hash(benchmark::State &state)
{
	const struct cookie_key key = {{0x0123456789abcdefULL, 0xfedcba9876543210ULL}};
	uint32_t dst_ip = 0x0a000000;

	for (auto _ : state)
		benchmark::DoNotOptimize(cookie_hash(&key, 0xc0a80001, dst_ip++, 40000, 443));
}
BENCHMARK(bench_cookie_hash);

/* A limited bucket on a clock that advances 100 ns per call: the path that does the math. */
static void bench_ratelimit_take(benchmark::State &state)
{
	struct ratelimit rl;
	uint64_t now_ns = 0;

	ratelimit_init(&rl, 1e7, 64, now_ns);
	for (auto _ : state) {
		now_ns += 100;
		benchmark::DoNotOptimize(ratelimit_take(&rl, now_ns, 64));
	}
}
BENCHMARK(bench_ratelimit_take);

BENCHMARK_MAIN();
