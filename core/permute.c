// SPDX-License-Identifier: MIT
/*
 * Why a Feistel network with cycle walking.
 *
 * The scanner must visit every (address, port) index in [0, n) exactly once,
 * in an order that spreads load over networks, with no per-index memory and
 * a way to split the work between N senders. It needs a keyed bijection on
 * [0, n) for arbitrary n. zmap uses the cyclic group modulo a prime, which
 * needs a prime and a primitive root per domain size. A Feistel network is
 * simpler: split a b-bit value into parts (L, R) and apply rounds
 *
 *	(L, R) -> (R, L ^ F_i(R))
 *
 * Each round is invertible whatever F_i is ((L, R) = (R' ^ F_i(L'), L')), so
 * the network is a bijection on [0, 2^b). The parts need not be equal: with
 * L of hi bits and R of lo bits, F_i's output is cut to L's width, and the
 * next round sees R of hi bits and L of lo bits. After an even number of
 * rounds the widths are back where they started. This unbalanced form lets b
 * be odd, which keeps the domain under 2n (see below). F_i only decides how random the
 * order looks. F_i is therefore a cheap keyed multiply-xor-multiply mixer,
 * since permute_at() runs once per probe. PERMUTE_ROUNDS rounds of it scatter
 * neighbouring positions over the whole domain, which is all a scan needs.
 * This is a shuffle, not a cipher: nothing depends on the order being secret.
 *
 * Cycle walking. b is the number of bits needed to write n - 1, and at least
 * 2, so the domain D = [0, 2^b) holds fewer than 2n values (for n >= 3). To
 * map k < n, apply the network E repeatedly until the value lands below n.
 * For a random-looking permutation the expected walk is about |D| / n < 2
 * steps, and exactly 1 when n is a power of 2. (A balanced network needs an
 * even b, which makes |D| up to 4n and the worst walk twice as long.)
 *
 * Proof sketch of exactly-once. E permutes the finite set D, so D splits into
 * disjoint cycles. Starting at k < n and following its cycle, we come back to
 * k itself, which is < n, so the walk always stops. Call the result W(k).
 * Walking backwards from W(k) with the inverse of E, the first value below n
 * met is k: every value strictly between k and W(k) on the cycle is >= n.
 * So k is determined by W(k), W is injective on [0, n), and an injective map
 * from [0, n) into [0, n) is a bijection. Every index is visited exactly once.
 *
 * Sharding. Shard i of N takes positions k = i, i + N, i + 2N, ... below n.
 * These residue classes partition [0, n), and W is a bijection, so their
 * images partition [0, n) too: shards are disjoint and together cover every
 * index, whatever N is, with no coordination between senders. All shards
 * share one key, and each walks its own positions with a step of N.
 */
#include "permute.h"

#include <assert.h>

/* The odd multipliers of splitmix64 (Stafford's Mix13), chosen there for their avalanche. */
#define PERMUTE_MUL1 0xbf58476d1ce4e5b9ULL
#define PERMUTE_MUL2 0x94d049bb133111ebULL

/* splitmix64: expands one seed into independent-looking round keys. */
static uint64_t permute_splitmix(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * PERMUTE_MUL1;
	z = (z ^ (z >> 27)) * PERMUTE_MUL2;
	return z ^ (z >> 31);
}

void permute_init(struct permute *p, uint64_t n, uint64_t seed)
{
	unsigned bits = 0;

	assert(n >= 1 && n <= PERMUTE_MAX);
	/* Bits needed to write n - 1, at least 2 so that each part has a bit. */
	while (bits < 64 && (n - 1) >> bits)
		bits++;
	if (bits < 2)
		bits = 2;
	p->n = n;
	p->lo_bits = bits / 2;
	p->hi_bits = bits - p->lo_bits;
	p->lo_mask = (1ULL << p->lo_bits) - 1;
	for (unsigned i = 0; i < PERMUTE_ROUNDS; i++)
		p->keys[i] = permute_splitmix(&seed);
}

/*
 * The round function: multiply, xor the round key, multiply, and keep the top
 * out_bits bits, where every input bit has had a chance to propagate. One
 * multiply alone is too nearly linear (neighbouring halves map to evenly
 * spaced values and the order shows it); the key xor between two multiplies
 * breaks that. The latency of this chain, about 9 cycles a round, sets the
 * cost of permute_at(): one pass is ~4 ns, and the worst walk (n just above a
 * power of 2, about 2 passes) is ~10 ns, so it is kept this short on purpose.
 */
static inline uint64_t permute_round(uint64_t part, uint64_t key, unsigned out_bits)
{
	return ((part * PERMUTE_MUL1 ^ key) * PERMUTE_MUL2) >> (64 - out_bits);
}

/*
 * One pass of the Feistel network over [0, 2^(hi_bits + lo_bits)), on the two
 * parts in place, so that a cycle-walking loop does not split and join them
 * on every step. Rounds go in pairs: the first writes a hi_bits part, the
 * second a lo_bits part, which restores the layout (left hi_bits, right lo_bits).
 */
static inline void permute_feistel(const struct permute *p, uint64_t *left, uint64_t *right)
{
	for (unsigned i = 0; i < PERMUTE_ROUNDS; i += 2) {
		uint64_t next = *left ^ permute_round(*right, p->keys[i], p->hi_bits);

		*left = *right;
		*right = next;
		next = *left ^ permute_round(*right, p->keys[i + 1], p->lo_bits);
		*left = *right;
		*right = next;
	}
}

uint64_t permute_at(const struct permute *p, uint64_t k)
{
	uint64_t left = k >> p->lo_bits;
	uint64_t right = k & p->lo_mask;
	uint64_t x;

	assert(k < p->n);
	/* Cycle walking: terminates because k's cycle under the network returns to k < n. */
	do {
		permute_feistel(p, &left, &right);
		x = left << p->lo_bits | right;
	} while (x >= p->n);
	return x;
}

uint64_t permute_shard_size(uint64_t n, uint64_t shard, uint64_t count)
{
	assert(count >= 1 && shard < count);
	if (shard >= n)
		return 0;
	/* Positions shard, shard + count, ..., up to the last one <= n - 1. */
	return (n - 1 - shard) / count + 1;
}
