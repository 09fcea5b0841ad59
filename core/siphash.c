// SPDX-License-Identifier: MIT
/*
 * SipHash-2-4 as specified in "SipHash: a fast short-input PRF" (Aumasson and
 * Bernstein, 2012): two compression rounds per 8-byte message word and four
 * finalization rounds. Words are read little-endian whatever the host order,
 * so a cookie computed here matches one computed on any other machine.
 */
#include "siphash.h"

static inline uint64_t siphash_rotl(uint64_t x, unsigned bits)
{
	return (x << bits) | (x >> (64 - bits));
}

/* The four-word state; kept in locals so the compiler holds it in registers. */
struct siphash_state {
	uint64_t v0, v1, v2, v3;
};

static inline void siphash_round(struct siphash_state *s)
{
	s->v0 += s->v1;
	s->v1 = siphash_rotl(s->v1, 13);
	s->v1 ^= s->v0;
	s->v0 = siphash_rotl(s->v0, 32);
	s->v2 += s->v3;
	s->v3 = siphash_rotl(s->v3, 16);
	s->v3 ^= s->v2;
	s->v0 += s->v3;
	s->v3 = siphash_rotl(s->v3, 21);
	s->v3 ^= s->v0;
	s->v2 += s->v1;
	s->v1 = siphash_rotl(s->v1, 17);
	s->v1 ^= s->v2;
	s->v2 = siphash_rotl(s->v2, 32);
}

/* The constants spell "somepseudorandomlygeneratedbytes". */
static inline void siphash_start(struct siphash_state *s, const struct siphash_key *key)
{
	s->v0 = key->k0 ^ 0x736f6d6570736575ULL;
	s->v1 = key->k1 ^ 0x646f72616e646f6dULL;
	s->v2 = key->k0 ^ 0x6c7967656e657261ULL;
	s->v3 = key->k1 ^ 0x7465646279746573ULL;
}

static inline void siphash_compress(struct siphash_state *s, uint64_t m)
{
	s->v3 ^= m;
	siphash_round(s);
	siphash_round(s);
	s->v0 ^= m;
}

static inline uint64_t siphash_finish(struct siphash_state *s)
{
	s->v2 ^= 0xff;
	siphash_round(s);
	siphash_round(s);
	siphash_round(s);
	siphash_round(s);
	return s->v0 ^ s->v1 ^ s->v2 ^ s->v3;
}

static inline uint64_t siphash_load_le64(const uint8_t *p)
{
	uint64_t x = 0;

	for (unsigned i = 0; i < 8; i++)
		x |= (uint64_t)p[i] << (8 * i);
	return x;
}

uint64_t siphash24(const struct siphash_key *key, const void *data, size_t len)
{
	const uint8_t *in = data;
	const uint8_t *end = in + (len & ~(size_t)7);
	struct siphash_state s;
	uint64_t last = (uint64_t)len << 56;

	siphash_start(&s, key);
	for (; in != end; in += 8)
		siphash_compress(&s, siphash_load_le64(in));
	/* The final word holds the 0-7 leftover bytes and, in its top byte, len mod 256. */
	for (unsigned i = 0; i < (len & 7); i++)
		last |= (uint64_t)in[i] << (8 * i);
	siphash_compress(&s, last);
	return siphash_finish(&s);
}

uint64_t siphash24_2u64(const struct siphash_key *key, uint64_t a, uint64_t b)
{
	struct siphash_state s;

	/* Same as siphash24() over 16 bytes: two full words, then the length word alone. */
	siphash_start(&s, key);
	siphash_compress(&s, a);
	siphash_compress(&s, b);
	siphash_compress(&s, (uint64_t)16 << 56);
	return siphash_finish(&s);
}
