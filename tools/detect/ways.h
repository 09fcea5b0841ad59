/* SPDX-License-Identifier: MIT */
/*
 * The eight 32-bit lanes of a one-cache-line bucket (lru.c, attempts.c),
 * compared all at once: a lookup reads a bucket and must not spend a branch
 * per way on it. The compiler vectorizes plain loops over the lanes, but not
 * the packing of eight comparisons into a bit mask, so that one is written in
 * SSE2, which every x86-64 has; WAYS_SCALAR builds the plain loop instead
 * (the tests run both). Pure.
 */
#pragma once

#include <stdint.h>

#if defined(__SSE2__) && !defined(WAYS_SCALAR)
#include <emmintrin.h>
#endif

#define WAYS 8

/* A bit mask with bit i set where (lanes[i] & mask) == want. */
static inline unsigned ways_match(const uint32_t lanes[WAYS], uint32_t mask, uint32_t want)
{
#if defined(__SSE2__) && !defined(WAYS_SCALAR)
	const __m128i m = _mm_set1_epi32((int)mask), w = _mm_set1_epi32((int)want);
	__m128i lo = _mm_loadu_si128((const __m128i *)lanes);
	__m128i hi = _mm_loadu_si128((const __m128i *)lanes + 1);

	lo = _mm_cmpeq_epi32(_mm_and_si128(lo, m), w);
	hi = _mm_cmpeq_epi32(_mm_and_si128(hi, m), w);
	return (unsigned)_mm_movemask_ps(_mm_castsi128_ps(lo)) |
	       (unsigned)_mm_movemask_ps(_mm_castsi128_ps(hi)) << 4;
#else
	unsigned matches = 0;

	for (unsigned i = 0; i < WAYS; i++)
		matches |= (unsigned)((lanes[i] & mask) == want) << i;
	return matches;
#endif
}

/* The last lane holding the greatest value. */
static inline unsigned ways_argmax(const uint32_t lanes[WAYS])
{
	uint32_t best = 0;

	for (unsigned i = 0; i < WAYS; i++)
		best = lanes[i] > best ? lanes[i] : best;
	return 31u - (unsigned)__builtin_clz(ways_match(lanes, UINT32_MAX, best));
}
