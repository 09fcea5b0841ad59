// SPDX-License-Identifier: MIT
/*
 * Tests for hayate-detect's pure core (tools/detect/): the LRU table, the
 * windowed distinct sets, the random walk, the attempt table, and the tracker
 * fed hand-made frames: each threshold fires exactly at its count, windows
 * expire, the random walk flags a scanner after four failed first contacts
 * and clears an ordinary client, alerts are suppressed, and a flood of a
 * million spoofed sources neither allocates nor hides a real scanner.
 *
 * Linked with --wrap for malloc, calloc, realloc and aligned_alloc (see the
 * Makefile), so a test can assert that a stretch of code allocates nothing.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "../tools/detect/attempts.h"
#include "../tools/detect/distinct.h"
#include "../tools/detect/lru.h"
#include "../tools/detect/tracker.h"
#include "../tools/detect/trw.h"
#include "packet.h"

#define SCANNER	   0xc6130001u /* 198.19.0.1 */
#define CLIENT	   0xc6130002u /* 198.19.0.2 */
#define TARGET	   0xc6120001u /* 198.18.0.1 */
#define BASE_NS	   1700000000000000000ull
#define MS	   1000000ull
#define SECOND	   (1000 * MS)
#define ALERTS_MAX 64

/* --- allocation counting ---------------------------------------------------- */

void *__real_malloc(size_t size);
void *__real_calloc(size_t n, size_t size);
void *__real_realloc(void *p, size_t size);
void *__real_aligned_alloc(size_t align, size_t size);
void *__wrap_malloc(size_t size);
void *__wrap_calloc(size_t n, size_t size);
void *__wrap_realloc(void *p, size_t size);
void *__wrap_aligned_alloc(size_t align, size_t size);

static unsigned long allocations;

void *__wrap_malloc(size_t size)
{
	allocations++;
	return __real_malloc(size);
}

void *__wrap_calloc(size_t n, size_t size)
{
	allocations++;
	return __real_calloc(n, size);
}

void *__wrap_realloc(void *p, size_t size)
{
	allocations++;
	return __real_realloc(p, size);
}

void *__wrap_aligned_alloc(size_t align, size_t size)
{
	allocations++;
	return __real_aligned_alloc(align, size);
}

/* --- helpers ------------------------------------------------------------------ */

static uint64_t rng_state = 0x853c49e6748fea9bull;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

struct sink {
	struct alert alerts[ALERTS_MAX];
	unsigned n;
};

static void sink_alert(void *ctx, const struct alert *a)
{
	struct sink *s = ctx;

	if (s->n < ALERTS_MAX)
		s->alerts[s->n] = *a;
	s->n++;
}

static unsigned sink_count(const struct sink *s, enum alert_kind kind, uint32_t src)
{
	unsigned n = 0;

	for (unsigned i = 0; i < s->n && i < ALERTS_MAX; i++)
		n += s->alerts[i].kind == kind && s->alerts[i].src == src;
	return n;
}

/* A tracker with small tables and the given config tweaks applied by the caller. */
static void tracker_small(struct tracker *t, struct detect_config *cfg, struct sink *sink)
{
	struct errmsg err;

	memset(sink, 0, sizeof(*sink));
	assert_int_equal(tracker_init(t, cfg, sink_alert, sink, &err), 0);
}

static void config_small(struct detect_config *cfg)
{
	tracker_config_default(cfg);
	cfg->max_sources = 1024;
	cfg->max_pairs = 1024;
	cfg->max_contacts = 4096;
	cfg->max_attempts = 4096;
	cfg->seed = 42;
}

static void feed_tcp(struct tracker *t, uint64_t ts_ns, uint32_t src, uint16_t sport, uint32_t dst,
		     uint16_t dport, uint8_t flags, enum tool_hint hint)
{
	struct frame_info fi = {
		.kind = FRAME_TCP,
		.src_ip = src,
		.dst_ip = dst,
		.src_port = sport,
		.dst_port = dport,
		.tcp_flags = flags,
		.ttl = 64,
	};

	tracker_packet(t, &fi, hint, ts_ns);
}

static void feed_unreachable(struct tracker *t, uint64_t ts_ns, uint32_t orig, uint16_t sport,
			     uint32_t target, uint16_t dport)
{
	struct frame_info fi = {
		.kind = FRAME_ICMP,
		.src_ip = 0x0a0000fe,
		.dst_ip = orig,
		.icmp_type = 3,
		.icmp_code = 13,
		.has_quote = true,
		.q_proto = IPPROTO_TCP_NUM,
		.q_src_ip = orig,
		.q_dst_ip = target,
		.q_src_port = sport,
		.q_dst_port = dport,
	};

	tracker_packet(t, &fi, TOOL_NONE, ts_ns);
}

/* A closed port: SYN, then the target's RST-ACK 1 ms later. */
static void probe_closed(struct tracker *t, uint64_t ts_ns, uint32_t src, uint32_t dst,
			 uint16_t dport)
{
	feed_tcp(t, ts_ns, src, 40000, dst, dport, TCP_FLAG_SYN, TOOL_NMAP);
	feed_tcp(t, ts_ns + MS, dst, dport, src, 40000, TCP_FLAG_RST | TCP_FLAG_ACK, TOOL_NONE);
}

/* An open port probed by a SYN scanner: SYN, SYN-ACK, the scanner's RST. */
static void probe_half_open(struct tracker *t, uint64_t ts_ns, uint32_t src, uint32_t dst,
			    uint16_t dport)
{
	feed_tcp(t, ts_ns, src, 61000, dst, dport, TCP_FLAG_SYN, TOOL_MASSCAN);
	feed_tcp(t, ts_ns + MS, dst, dport, src, 61000, TCP_FLAG_SYN | TCP_FLAG_ACK, TOOL_NONE);
	feed_tcp(t, ts_ns + 2 * MS, src, 61000, dst, dport, TCP_FLAG_RST, TOOL_NONE);
}

/* A full connection: handshake, a request, FIN. */
static void connect_ok(struct tracker *t, uint64_t ts_ns, uint32_t src, uint16_t sport,
		       uint32_t dst, uint16_t dport)
{
	feed_tcp(t, ts_ns, src, sport, dst, dport, TCP_FLAG_SYN, TOOL_NONE);
	feed_tcp(t, ts_ns + MS, dst, dport, src, sport, TCP_FLAG_SYN | TCP_FLAG_ACK, TOOL_NONE);
	feed_tcp(t, ts_ns + 2 * MS, src, sport, dst, dport, TCP_FLAG_ACK, TOOL_NONE);
	feed_tcp(t, ts_ns + 3 * MS, src, sport, dst, dport, TCP_FLAG_ACK | TCP_FLAG_PSH, TOOL_NONE);
	feed_tcp(t, ts_ns + 4 * MS, dst, dport, src, sport, TCP_FLAG_ACK | TCP_FLAG_FIN, TOOL_NONE);
}

/* --- lru ------------------------------------------------------------------------ */

struct test_entry {
	uint64_t key;
	uint64_t value;
};

static void test_lru_get_find_remove(void **state)
{
	(void)state;
	struct lru t;
	struct test_entry *e;
	bool is_new;

	assert_int_equal(lru_init(&t, 100, sizeof(struct test_entry), 0, 7), 0);
	assert_int_equal(lru_capacity(&t), 128);
	assert_null(lru_find(&t, 5, 0));
	e = lru_get(&t, 5, 0, &is_new);
	assert_true(is_new);
	assert_int_equal(e->key, 5);
	e->value = 55; /* a new entry's fields beyond the key are the caller's to set */
	e = lru_get(&t, 5, 1, &is_new);
	assert_false(is_new);
	assert_int_equal(e->value, 55);
	assert_ptr_equal(lru_find(&t, 5, 2), e);
	/* Key 0 is a key like any other. */
	e = lru_get(&t, 0, 3, &is_new);
	assert_true(is_new);
	assert_ptr_equal(lru_find(&t, 0, 3), e);
	lru_remove(&t, e);
	assert_null(lru_find(&t, 0, 4));
	assert_non_null(lru_find(&t, 5, 4));
	lru_free(&t);
	lru_free(&t);
	assert_int_equal(lru_init(&t, 1, 12, 0, 0), -EINVAL);
}

/* With one bucket, the ninth key replaces whichever of the eight was used longest ago. */
static void test_lru_evicts_least_recent(void **state)
{
	(void)state;
	struct lru t;
	bool is_new;

	assert_int_equal(lru_init(&t, LRU_WAYS, sizeof(struct test_entry), 0, 1), 0);
	for (uint64_t k = 1; k <= LRU_WAYS; k++)
		lru_get(&t, k, (uint32_t)k, &is_new);
	/* Touch key 1 (the oldest) so that key 2 becomes the least recent. */
	assert_non_null(lru_find(&t, 1, 100));
	lru_get(&t, 99, 101, &is_new);
	assert_true(is_new);
	assert_int_equal(t.evictions, 1);
	assert_null(lru_find(&t, 2, 102));
	assert_non_null(lru_find(&t, 1, 102));
	assert_non_null(lru_find(&t, 99, 102));
	/* Ages compare across a wrap of the millisecond clock. */
	lru_get(&t, 1000, UINT32_MAX - 5, &is_new);
	lru_get(&t, 1001, 10, &is_new);
	assert_non_null(lru_find(&t, 1000, 11));
	assert_non_null(lru_find(&t, 1001, 11));
	lru_free(&t);
}

/* A flood of one-time keys replaces its own kind, not a key used twice within protect_ms. */
static void test_lru_protects_repeat_users(void **state)
{
	(void)state;
	struct lru t;
	bool is_new;

	assert_int_equal(lru_init(&t, LRU_WAYS, sizeof(struct test_entry), 1000, 1), 0);
	lru_get(&t, 7, 0, &is_new);
	assert_non_null(lru_find(&t, 7, 1));
	for (uint64_t k = 100; k < 1100; k++)
		lru_get(&t, k, (uint32_t)(k - 100) / 2, &is_new);
	assert_non_null(lru_find(&t, 7, 1010));
	/* Idle for longer than protect_ms, it is an ordinary old entry again. */
	for (uint64_t k = 2000; k < 2000 + LRU_WAYS; k++)
		lru_get(&t, k, 2100, &is_new);
	assert_null(lru_find(&t, 7, 2100));
	lru_free(&t);
}

/*
 * The eviction order against a model of it, over many random uses of one
 * bucket: each key's presence, as lru_get() reports it, must be what the
 * model predicts. Times rise strictly, so no two ways are ever equally old.
 */
static void test_lru_matches_model(void **state)
{
	(void)state;
	enum { KEYS = 20, PROTECT_MS = 1000 };
	struct model {
		bool present;
		uint32_t uses, used_ms;
	} m[KEYS] = {0};
	uint64_t rng = 0x9e3779b97f4a7c15ull;
	uint32_t now = 0;
	unsigned present = 0;
	struct lru t;
	bool is_new;

	assert_int_equal(lru_init(&t, LRU_WAYS, sizeof(struct test_entry), PROTECT_MS, 5), 0);
	for (int op = 0; op < 20000; op++) {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		unsigned k = (unsigned)(rng % KEYS);

		now += 1 + (uint32_t)(rng >> 40) % 400;
		if (!m[k].present && present == LRU_WAYS) {
			/* The victim: the oldest unprotected key, else the oldest of all. */
			int victim = -1;
			uint64_t worst = 0;

			for (unsigned j = 0; j < KEYS; j++) {
				uint32_t age = now - m[j].used_ms;
				bool is_protected = m[j].uses >= 2 && age < PROTECT_MS;
				uint64_t rank = (uint64_t)!is_protected << 32 | age;

				if (m[j].present && rank >= worst)
					worst = rank, victim = (int)j;
			}
			m[victim].present = false;
			present--;
		}
		lru_get(&t, k, now, &is_new);
		assert_int_equal(is_new, !m[k].present);
		if (is_new) {
			m[k] = (struct model){.present = true, .uses = 1, .used_ms = now};
			present++;
		} else {
			m[k].uses += m[k].uses < 255;
			m[k].used_ms = now;
		}
	}
	lru_free(&t);
}

/* A way reserved ahead for a key (lru_prepare()) is the key's at its lru_get(), invisible before.
 */
static void test_lru_prepare_reserves(void **state)
{
	(void)state;
	struct lru t;
	bool is_new;
	struct test_entry *e;
	uint64_t h;

	assert_int_equal(lru_init(&t, LRU_WAYS, sizeof(struct test_entry), 0, 3), 0);
	for (uint64_t k = 1; k <= LRU_WAYS; k++)
		lru_get(&t, k, (uint32_t)k, &is_new);
	/* A find that would miss reserves nothing; an insert evicts the oldest, key 1, now. */
	assert_false(lru_prepare(&t, lru_prefetch(&t, 100), false, 20));
	assert_int_equal(t.evictions, 0);
	h = lru_prefetch(&t, 100);
	assert_false(lru_prepare(&t, h, true, 20));
	assert_int_equal(t.evictions, 1);
	assert_null(lru_find(&t, 1, 21));
	assert_null(lru_find(&t, 100, 21));
	/* Preparing again finds the reservation rather than taking another way. */
	assert_true(lru_prepare(&t, h, true, 21));
	assert_int_equal(t.evictions, 1);
	e = lru_get(&t, 100, 22, &is_new);
	assert_true(is_new);
	e->value = 7;
	assert_ptr_equal(lru_get(&t, 100, 23, &is_new), e);
	assert_false(is_new);
	assert_ptr_equal(lru_find(&t, 100, 24), e);
	for (uint64_t k = 2; k <= LRU_WAYS; k++)
		assert_non_null(lru_find(&t, k, 25));
	/* A key already there has its entry fetched and nothing moves. */
	assert_true(lru_prepare(&t, lru_prefetch(&t, 5), true, 26));
	assert_int_equal(t.evictions, 1);
	lru_free(&t);
}

static void test_lru_bytes(void **state)
{
	(void)state;

	assert_int_equal(lru_bytes(8, 16), 64 + 8 * 16);
	assert_int_equal(lru_bytes(9, 16), 2 * (64 + 8 * 16));
	assert_int_equal(lru_bytes(65536, 88), 8192 * (64 + 8 * 88));
}

/* --- distinct ------------------------------------------------------------------- */

static void test_distinct_counts_exactly_to_cap(void **state)
{
	(void)state;
	struct distinct_elem set[5];
	uint32_t n = 0;

	assert_int_equal(distinct_add(set, &n, 5, 80, 0, 1000), 1);
	assert_int_equal(distinct_add(set, &n, 5, 80, 1, 1000), 1); /* a repeat */
	assert_int_equal(distinct_add(set, &n, 5, 443, 2, 1000), 2);
	assert_int_equal(distinct_add(set, &n, 5, 22, 3, 1000), 3);
	assert_int_equal(distinct_add(set, &n, 5, 25, 4, 1000), 4);
	assert_int_equal(distinct_add(set, &n, 5, 21, 5, 1000), 5);
	/* Full of values inside the window: the count stays at the cap. */
	assert_int_equal(distinct_add(set, &n, 5, 23, 6, 1000), 5);
	assert_int_equal(n, 5);
}

static void test_distinct_window_slides(void **state)
{
	(void)state;
	struct distinct_elem set[3];
	uint32_t n = 0;

	assert_int_equal(distinct_add(set, &n, 3, 1, 0, 100), 1);
	assert_int_equal(distinct_add(set, &n, 3, 2, 50, 100), 2);
	/* At 100 the value seen at 0 has left the window (0 + 100 is not inside). */
	assert_int_equal(distinct_add(set, &n, 3, 3, 100, 100), 2);
	/* Full, but the oldest (value 1, seen at 0) is stale and makes room. */
	assert_int_equal(distinct_add(set, &n, 3, 4, 120, 100), 3);
	assert_int_equal(n, 3);
	/* A repeat refreshes: value 2 seen again at 140 counts until 240. */
	assert_int_equal(distinct_add(set, &n, 3, 2, 140, 100), 3);
	assert_int_equal(distinct_add(set, &n, 3, 5, 230, 100), 2); /* 2 and 5; 3 and 4 are stale */
	/* Out of order: an observation older than others still counts them. */
	assert_int_equal(distinct_add(set, &n, 3, 6, 200, 100), 3);
	/* Times wrap modulo 2^32. */
	n = 0;
	assert_int_equal(distinct_add(set, &n, 3, 1, UINT32_MAX - 10, 100), 1);
	assert_int_equal(distinct_add(set, &n, 3, 2, 20, 100), 2);
}

/* --- trw ------------------------------------------------------------------------ */

static void test_trw_defaults(void **state)
{
	(void)state;
	struct trw w;
	struct errmsg err;
	float ratio = 1;

	assert_int_equal(trw_init(&w, 0.8, 0.2, 0.01, 0.99, &err), 0);
	/* Three failures: 64 < 99; the fourth: 256 >= 99. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(trw_step(&w, &ratio, false), TRW_PENDING);
	assert_int_equal(trw_step(&w, &ratio, false), TRW_SCANNER);
	assert_true(ratio == 1);
	/* Four successes clear a source: 1/256 <= 1/99. */
	for (int i = 0; i < 3; i++)
		assert_int_equal(trw_step(&w, &ratio, true), TRW_PENDING);
	assert_int_equal(trw_step(&w, &ratio, true), TRW_BENIGN);
	/* Alternating outcomes never decide. */
	for (int i = 0; i < 100; i++)
		assert_int_equal(trw_step(&w, &ratio, i & 1), TRW_PENDING);
	/* One success in between delays the verdict by two failures. */
	ratio = 1;
	assert_int_equal(trw_step(&w, &ratio, false), TRW_PENDING);
	assert_int_equal(trw_step(&w, &ratio, true), TRW_PENDING);
	for (int i = 0; i < 3; i++)
		assert_int_equal(trw_step(&w, &ratio, false), TRW_PENDING);
	assert_int_equal(trw_step(&w, &ratio, false), TRW_SCANNER);
}

static void test_trw_rejects_bad_parameters(void **state)
{
	(void)state;
	struct trw w;
	struct errmsg err;

	assert_int_equal(trw_init(&w, 0.2, 0.8, 0.01, 0.99, &err), -EINVAL);
	assert_non_null(strstr(err.text, "theta1"));
	assert_int_equal(trw_init(&w, 1.0, 0.2, 0.01, 0.99, &err), -EINVAL);
	assert_int_equal(trw_init(&w, 0.8, 0.2, 0.5, 0.4, &err), -EINVAL);
	assert_non_null(strstr(err.text, "beta"));
	assert_int_equal(trw_init(&w, 0.8, 0.2, 0, 0.99, &err), -EINVAL);
	/* A stricter alpha needs more failures: eta1 = 0.99 / 0.0001 = 9900 < 4^7. */
	assert_int_equal(trw_init(&w, 0.8, 0.2, 0.0001, 0.99, &err), 0);
	float ratio = 1;
	for (int i = 0; i < 6; i++)
		assert_int_equal(trw_step(&w, &ratio, false), TRW_PENDING);
	assert_int_equal(trw_step(&w, &ratio, false), TRW_SCANNER);
}

/* --- attempts ------------------------------------------------------------------- */

static void test_attempts_open_find_close(void **state)
{
	(void)state;
	struct attempts a;
	struct attempt *at;
	bool is_new;

	assert_int_equal(attempts_init(&a, 64, 3), 0);
	at = attempts_open(&a, SCANNER, 40000, TARGET, 80, 10, &is_new);
	assert_true(is_new);
	assert_ptr_equal(attempts_find(&a, SCANNER, 40000, TARGET, 80), at);
	/* The same tuple again is a retransmission of the open attempt. */
	assert_ptr_equal(attempts_open(&a, SCANNER, 40000, TARGET, 80, 12, &is_new), at);
	assert_false(is_new);
	assert_int_equal(at->syn_ms, 10);
	/* Every field of the tuple matters, and direction too. */
	assert_null(attempts_find(&a, SCANNER, 40001, TARGET, 80));
	assert_null(attempts_find(&a, SCANNER, 40000, TARGET, 81));
	assert_null(attempts_find(&a, CLIENT, 40000, TARGET, 80));
	assert_null(attempts_find(&a, TARGET, 80, SCANNER, 40000));
	assert_null(attempts_expired(&a, 100, 1000));
	attempts_close(&a, at);
	assert_null(attempts_find(&a, SCANNER, 40000, TARGET, 80));
	/* A closed attempt never comes out of the ring. */
	assert_null(attempts_expired(&a, 5000, 1000));
	attempts_free(&a);
}

static void test_attempts_expire_in_order(void **state)
{
	(void)state;
	struct attempts a;
	struct attempt *at;
	bool is_new;

	assert_int_equal(attempts_init(&a, 64, 3), 0);
	for (uint16_t p = 1; p <= 10; p++)
		attempts_open(&a, SCANNER, 40000, TARGET, p, p * 10u, &is_new);
	attempts_close(&a, attempts_find(&a, SCANNER, 40000, TARGET, 3));
	/* At 1045 with a 1000 ms timeout, the SYNs of 10, 20 and 40 ms are due (30 was closed). */
	for (uint16_t want = 1; want <= 4; want++) {
		if (want == 3)
			continue;
		at = attempts_expired(&a, 1045, 1000);
		assert_non_null(at);
		assert_int_equal(at->target_port, want);
		attempts_close(&a, at);
	}
	assert_null(attempts_expired(&a, 1045, 1000));
	assert_non_null(attempts_find(&a, SCANNER, 40000, TARGET, 5));
	attempts_free(&a);
}

/* A full ring gives up its oldest slot: that attempt is forgotten, answered or not. */
static void test_attempts_full_ring_makes_room(void **state)
{
	(void)state;
	struct attempts a;
	struct attempt *at;
	bool is_new;
	uint64_t cap;

	assert_int_equal(attempts_init(&a, 16, 3), 0);
	cap = attempts_capacity(&a);
	assert_int_equal(cap, 16);
	for (uint16_t p = 0; p < cap; p++) {
		assert_false(attempts_make_room(&a));
		attempts_open(&a, SCANNER, 40000, TARGET, p, 0, &is_new);
	}
	assert_true(attempts_make_room(&a));
	assert_false(attempts_make_room(&a));
	at = attempts_open(&a, SCANNER, 40000, TARGET, 100, 0, &is_new);
	assert_true(is_new);
	assert_null(attempts_find(&a, SCANNER, 40000, TARGET, 0));
	assert_ptr_equal(attempts_find(&a, SCANNER, 40000, TARGET, 100), at);
	at = attempts_expired(&a, 5000, 1000);
	assert_non_null(at);
	assert_int_equal(at->target_port, 1);
	attempts_close(&a, at);
	assert_null(attempts_find(&a, SCANNER, 40000, TARGET, 1));
	attempts_free(&a);
}

/*
 * Many tuples in few buckets: every open attempt that the index still holds
 * is found, a closed one never is, and a full bucket gives up its oldest.
 */
static void test_attempts_crowded_index(void **state)
{
	(void)state;
	struct attempts a;
	struct attempt *at;
	bool is_new;
	unsigned found = 0;

	assert_int_equal(attempts_init(&a, 64, 9), 0);
	for (uint16_t p = 0; p < 64; p++) {
		at = attempts_open(&a, SCANNER, 40000, TARGET, p, p, &is_new);
		assert_true(is_new);
		if (p % 2)
			attempts_close(&a, at);
	}
	for (uint16_t p = 0; p < 64; p++) {
		at = attempts_find(&a, SCANNER, 40000, TARGET, p);
		if (p % 2) {
			assert_null(at);
		} else if (at) {
			assert_int_equal(at->target_port, p);
			assert_int_equal(at->state, ATTEMPT_SYN_SENT);
			found++;
		}
	}
	/* 32 open in 16 buckets of 8 ways: nearly all stay findable. */
	assert_true(found >= 28);
	assert_int_equal(found + a.evictions, 32);
	attempts_free(&a);
}

/* --- tracker ---------------------------------------------------------------------- */

static void test_port_scan_fires_at_threshold(void **state)
{
	(void)state;
	struct detect_config cfg;
	struct tracker t;
	struct sink sink;

	config_small(&cfg);
	cfg.trw_enabled = false;
	tracker_small(&t, &cfg, &sink);
	for (uint16_t p = 1; p <= 14; p++)
		probe_closed(&t, BASE_NS + p * 10 * MS, SCANNER, TARGET, p);
	assert_int_equal(sink.n, 0);
	/* A repeated port is not a new one. */
	probe_closed(&t, BASE_NS + 200 * MS, SCANNER, TARGET, 14);
	assert_int_equal(sink.n, 0);
	probe_closed(&t, BASE_NS + 300 * MS, SCANNER, TARGET, 15);
	assert_int_equal(sink.n, 1);
	assert_int_equal(sink.alerts[0].kind, ALERT_PORT_SCAN);
	assert_int_equal(sink.alerts[0].src, SCANNER);
	assert_int_equal(sink.alerts[0].host, TARGET);
	assert_int_equal(sink.alerts[0].count, 15);
	assert_int_equal(sink.alerts[0].probes, 16);
	assert_int_equal(sink.alerts[0].first_ns, BASE_NS + 10 * MS);
	assert_int_equal(sink.alerts[0].last_ns, BASE_NS + 300 * MS);
	assert_int_equal(sink.alerts[0].hint, TOOL_NMAP);
	/* More ports: suppressed, one alert per source and kind. */
	for (uint16_t p = 16; p <= 40; p++)
		probe_closed(&t, BASE_NS + SECOND + p * MS, SCANNER, TARGET, p);
	assert_int_equal(sink.n, 1);
	tracker_free(&t);
}

static void test_port_scan_needs_one_host(void **state)
{
	(void)state;
	struct detect_config cfg;
	struct tracker t;
	struct sink sink;

	config_small(&cfg);
	cfg.trw_enabled = false;
	tracker_small(&t, &cfg, &sink);
	/* 14 ports on each of 20 hosts: no port scan, and 20 hosts per port is under 25. */
	for (uint32_t h = 0; h < 20; h++)
		for (uint16_t p = 1; p <= 14; p++)
			probe_closed(&t, BASE_NS + (h * 14 + p) * MS * 2, SCANNER, TARGET + h, p);
	assert_int_equal(sink.n, 0);
	tracker_free(&t);
}

static void test_window_expires(void **state)
{
	(void)state;
	struct detect_config cfg;
	struct tracker t;
	struct sink sink;

	config_small(&cfg);
	cfg.trw_enabled = false;
	cfg.window_ns = 60 * SECOND;
	tracker_small(&t, &cfg, &sink);
	/* 14 ports, a pause longer than the window, 14 more: never 15 within 60 s. */
	for (uint16_t p = 1; p <= 14; p++)
		probe_closed(&t, BASE_NS + p * SECOND, SCANNER, TARGET, p);
	for (uint16_t p = 15; p <= 28; p++)
		probe_closed(&t, BASE_NS + 100 * SECOND + p * SECOND, SCANNER, TARGET, p);
	assert_int_equal(sink.n, 0);
	/* A slow scan inside the window still counts: one port every 4 s. */
	for (uint16_t p = 1; p <= 15; p++)
		probe_closed(&t, BASE_NS + 1000 * SECOND + p * 4 * SECOND, SCANNER, TARGET + 1, p);
	assert_int_equal(sink.n, 1);
	assert_int_equal(sink.alerts[0].host, TARGET + 1);
	tracker_free(&t);
}

static void test_address_sweep_half_open(void **state)
{
	(void)state;
	struct detect_config cfg;
	struct tracker t;
	struct sink sink;
	struct tracker_stats st;

	config_small(&cfg);
	tracker_small(&t, &cfg, &sink);
	/* Every host answers SYN-ACK and the scanner resets: Zeek's half-open failure. */
	for (uint32_t h = 0; h < 24; h++)
		probe_half_open(&t, BASE_NS + h * 10 * MS, SCANNER, TARGET + h, 443);
	assert_int_equal(sink.n, 0);
	probe_half_open(&t, BASE_NS + SECOND, SCANNER, TARGET + 24, 443);
	assert_int_equal(sink.n, 1);
	assert_int_equal(sink.alerts[0].kind, ALERT_ADDRESS_SWEEP);
	assert_int_equal(sink.alerts[0].port, 443);
	assert_int_equal(sink.alerts[0].count, 25);
	assert_int_equal(sink.alerts[0].hint, TOOL_MASSCAN);
	/* All first contacts succeeded: the random walk says benign, never scanner. */
	assert_int_equal(sink_count(&sink, ALERT_TRW, SCANNER), 0);
	tracker_get_stats(&t, &st);
	assert_int_equal(st.answered, 25);
	assert_int_equal(st.half_open, 25);
	tracker_free(&t);
}

static void test_unanswered_and_unreachable_fail(void **state)
{
	(void)state;
	struct detect_config cfg;
	struct tracker t;
	struct sink sink;
	struct tracker_stats st;

	config_small(&cfg);
	cfg.trw_enabled = false;
	cfg.port_threshold = 4;
	tracker_small(&t, &cfg, &sink);
	/* Two silent ports and two ICMP-unreachable ports. */
	feed_tcp(&t, BASE_NS, SCANNER, 40000, TARGET, 1, TCP_FLAG_SYN, TOOL_NONE);
	feed_tcp(&t, BASE_NS + MS, SCANNER, 40000, TARGET, 2, TCP_FLAG_SYN, TOOL_NONE);
	feed_tcp(&t, BASE_NS + 2 * MS, SCANNER, 40000, TARGET, 3, TCP_FLAG_SYN, TOOL_NONE);
	feed_tcp(&t, BASE_NS + 3 * MS, SCANNER, 40000, TARGET, 4, TCP_FLAG_SYN, TOOL_NONE);
	/* A retransmission is not a second attempt. */
	feed_tcp(&t, BASE_NS + 4 * MS, SCANNER, 40000, TARGET, 4, TCP_FLAG_SYN, TOOL_NONE);
	feed_unreachable(&t, BASE_NS + 5 * MS, SCANNER, 40000, TARGET, 3);
	feed_unreachable(&t, BASE_NS + 6 * MS, SCANNER, 40000, TARGET, 4);
	assert_int_equal(sink.n, 0);
	/* Nothing happens until the 5 s timeout passes; any frame moves the clock. */
	feed_tcp(&t, BASE_NS + 4 * SECOND, CLIENT, 1, TARGET, 1, TCP_FLAG_ACK, TOOL_NONE);
	assert_int_equal(sink.n, 0);
	feed_tcp(&t, BASE_NS + 6 * SECOND, CLIENT, 1, TARGET, 1, TCP_FLAG_ACK, TOOL_NONE);
	assert_int_equal(sink.n, 1);
	assert_int_equal(sink.alerts[0].count, 4);
	tracker_get_stats(&t, &st);
	assert_int_equal(st.syns, 4);
	assert_int_equal(st.retransmits, 1);
	assert_int_equal(st.unreachable, 2);
	assert_int_equal(st.unanswered, 2);
	tracker_free(&t);
}

/* With no frames to move it (a quiet live capture), tracker_advance() moves the clock. */
static void test_advance_decides_timeouts(void **state)
{
	(void)state;
	struct detect_config cfg;
	struct tracker t;
	struct sink sink;
	struct tracker_stats st;

	config_small(&cfg);
	cfg.trw_enabled = false;
	cfg.host_threshold = 3;
	tracker_small(&t, &cfg, &sink);
	tracker_advance(&t, BASE_NS + 60 * SECOND); /* before any frame: nothing to anchor */
	for (uint32_t i = 0; i < 3; i++)
		feed_tcp(&t, BASE_NS + i * MS, SCANNER, 40000, TARGET + i, 443, TCP_FLAG_SYN,
			 TOOL_NONE);
	tracker_advance(&t, BASE_NS + 4 * SECOND);
	tracker_advance(&t, BASE_NS + 2 * SECOND); /* time never goes back */
	assert_int_equal(sink.n, 0);
	tracker_advance(&t, BASE_NS + 5 * SECOND + 2 * MS);
	assert_int_equal(sink.n, 1);
	assert_int_equal(sink.alerts[0].kind, ALERT_ADDRESS_SWEEP);
	assert_int_equal(sink.alerts[0].count, 3);
	tracker_get_stats(&t, &st);
	assert_int_equal(st.unanswered, 3);
	tracker_free(&t);
}

/*
 * Runs frames (one every 100/7 ms) through the reader's three stages, 8 and
 * 16 frames apart, dropping first what tracker_may_skip() calls droppable if
 * skip (their times still move the clock, in their place, as in the reader);
 * returns how many it dropped.
 */
static unsigned pipeline_run(struct tracker *t, const struct frame_info *frames, unsigned n,
			     bool skip)
{
	enum { AHEAD = 16 };
	struct tracker_prefetch pf[AHEAD];
	const struct frame_info *ring[AHEAD];
	uint64_t ring_ts[AHEAD], then_ts[AHEAD];
	unsigned head = 0, tail = 0, skipped = 0;

	for (unsigned i = 0; i <= n; i++) {
		uint64_t ts = BASE_NS + i * 100 * MS / 7;

		/* As the reader does: the oldest frame leaves the ring before a new one enters. */
		while (head - tail == AHEAD || (i == n && tail != head)) {
			tracker_packet_prefetched(t, ring[tail % AHEAD], TOOL_NONE,
						  ring_ts[tail % AHEAD], &pf[tail % AHEAD]);
			if (then_ts[tail % AHEAD])
				tracker_tick(t, then_ts[tail % AHEAD]);
			tail++;
		}
		if (i == n)
			break;
		if (skip && tracker_may_skip(t, &frames[i])) {
			skipped++;
			if (head == tail)
				tracker_tick(t, ts);
			else
				then_ts[(head - 1) % AHEAD] = ts;
			continue;
		}
		ring[head % AHEAD] = &frames[i];
		ring_ts[head % AHEAD] = ts;
		then_ts[head % AHEAD] = 0;
		tracker_prefetch(t, &frames[i], &pf[head % AHEAD]);
		head++;
		if (head - tail > AHEAD / 2)
			tracker_prefetch_entries(t, &pf[(head - AHEAD / 2 - 1) % AHEAD]);
	}
	return skipped;
}

/*
 * The reader's path (tracker_prefetch(), tracker_prefetch_entries() eight
 * frames later, tracker_packet_prefetched() eight after that) must decide
 * exactly what tracker_packet() alone does, on a random mix of scanners'
 * SYNs, spoofed SYNs, answers, refusals and handshakes, in tables big enough
 * that nothing is evicted (where eviction may happen a few frames earlier).
 */
static void test_prefetched_path_agrees(void **state)
{
	(void)state;
	enum { FRAMES = 20000 };
	static struct frame_info frames[FRAMES];
	struct detect_config cfg;
	struct tracker plain, piped;
	struct sink sink_plain, sink_piped;
	struct tracker_stats a, b;
	uint64_t rng = 12345;

	for (unsigned i = 0; i < FRAMES; i++) {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		uint32_t src =
			rng % 4 ? SCANNER + (uint32_t)(rng >> 60) % 4 : (uint32_t)(rng >> 20);
		uint32_t dst = TARGET + (uint32_t)(rng >> 40) % 16;
		uint16_t port = (uint16_t)(rng >> 32) % 8, sport = 40000;
		static const uint8_t kinds[] = {TCP_FLAG_SYN,
						TCP_FLAG_SYN,
						TCP_FLAG_SYN | TCP_FLAG_ACK,
						TCP_FLAG_RST | TCP_FLAG_ACK,
						TCP_FLAG_ACK,
						TCP_FLAG_RST};
		uint8_t flags = kinds[(rng >> 8) % sizeof(kinds)];
		bool reply = flags == (TCP_FLAG_SYN | TCP_FLAG_ACK) ||
			     flags == (TCP_FLAG_RST | TCP_FLAG_ACK);

		frames[i] = (struct frame_info){
			.kind = FRAME_TCP,
			.src_ip = reply ? dst : src,
			.dst_ip = reply ? src : dst,
			.src_port = reply ? port : sport,
			.dst_port = reply ? sport : port,
			.tcp_flags = flags,
		};
	}
	config_small(&cfg);
	cfg.max_sources = cfg.max_pairs = cfg.max_contacts = cfg.max_attempts = 1 << 20;
	cfg.port_threshold = 5;
	cfg.host_threshold = 5;
	tracker_small(&plain, &cfg, &sink_plain);
	tracker_small(&piped, &cfg, &sink_piped);
	for (unsigned i = 0; i < FRAMES; i++)
		tracker_packet(&plain, &frames[i], TOOL_NONE, BASE_NS + i * 100 * MS / 7);
	/* Dropping what may be skipped, as the reader does, changes no verdict either. */
	assert_true(pipeline_run(&piped, frames, FRAMES, true) > FRAMES / 20);
	tracker_finish(&plain);
	tracker_finish(&piped);
	tracker_get_stats(&plain, &a);
	tracker_get_stats(&piped, &b);
	assert_true(a.syns > 1000 && a.rejected > 100 && a.unanswered > 100 && a.half_open > 10);
	assert_int_equal(a.sources_evicted, 0);
	assert_memory_equal(&a, &b, sizeof(a));
	assert_true(sink_plain.n > 10);
	assert_int_equal(sink_plain.n, sink_piped.n);
	assert_memory_equal(sink_plain.alerts, sink_piped.alerts,
			    (sink_plain.n < ALERTS_MAX ? sink_plain.n : ALERTS_MAX) *
				    sizeof(struct alert));
	tracker_free(&plain);
	tracker_free(&piped);
}

/*
 * The reader drops a bare ACK that has no answered attempt to complete. A
 * handshake's ACK often follows its SYN-ACK within the look-ahead, before
 * the tracker has seen the SYN-ACK: it must not be dropped then. Here every
 * SYN, SYN-ACK and ACK come back to back, each connection followed by data.
 */
static void test_skipped_acks_keep_handshakes(void **state)
{
	(void)state;
	enum { CONNS = 300, PER_CONN = 42 };
	static struct frame_info frames[CONNS * PER_CONN];
	struct detect_config cfg;
	struct tracker t;
	struct sink sink;
	struct tracker_stats st;
	unsigned n = 0, skipped;

	for (uint16_t c = 0; c < CONNS; c++) {
		uint16_t sport = (uint16_t)(30000 + c), dport = (uint16_t)(1 + c % 40);
		struct frame_info syn = {.kind = FRAME_TCP,
					 .src_ip = CLIENT,
					 .dst_ip = TARGET,
					 .src_port = sport,
					 .dst_port = dport,
					 .tcp_flags = TCP_FLAG_SYN};
		struct frame_info synack = {.kind = FRAME_TCP,
					    .src_ip = TARGET,
					    .dst_ip = CLIENT,
					    .src_port = dport,
					    .dst_port = sport,
					    .tcp_flags = TCP_FLAG_SYN | TCP_FLAG_ACK};
		struct frame_info ack = syn;

		ack.tcp_flags = TCP_FLAG_ACK;
		frames[n++] = syn;
		frames[n++] = synack;
		for (int k = 0; k < PER_CONN - 2; k++)
			frames[n++] = ack; /* the handshake's ACK, then data */
	}
	config_small(&cfg);
	tracker_small(&t, &cfg, &sink);
	skipped = pipeline_run(&t, frames, n, true);
	tracker_finish(&t);
	tracker_get_stats(&t, &st);
	assert_int_equal(st.established, CONNS);
	assert_int_equal(st.half_open, 0);
	assert_int_equal(st.unanswered, 0);
	assert_int_equal(sink.n, 0);
	/* Data segments after the handshake went no further than the check. */
	assert_true(skipped >= CONNS * 10);
	tracker_free(&t);
}

static void test_trw_flags_after_four_failures(void **state)
{
	(void)state;
	struct detect_config cfg;
	struct tracker t;
	struct sink sink;

	config_small(&cfg);
	tracker_small(&t, &cfg, &sink);
	/* One closed port on each of four hosts: far below any count threshold. */
	for (uint32_t h = 0; h < 3; h++)
		probe_closed(&t, BASE_NS + h * 10 * MS, SCANNER, TARGET + h, 23);
	assert_int_equal(sink.n, 0);
	/* A second port on a host already contacted is no first contact. */
	probe_closed(&t, BASE_NS + 40 * MS, SCANNER, TARGET, 24);
	assert_int_equal(sink.n, 0);
	probe_closed(&t, BASE_NS + 50 * MS, SCANNER, TARGET + 3, 23);
	assert_int_equal(sink.n, 1);
	assert_int_equal(sink.alerts[0].kind, ALERT_TRW);
	assert_int_equal(sink.alerts[0].trw_failures, 4);
	assert_int_equal(sink.alerts[0].trw_successes, 0);
	assert_int_equal(sink.alerts[0].probes, 5);
	assert_int_equal(sink.alerts[0].failed, 5);
	tracker_free(&t);
}

/* An ordinary client: many connections to a few services, one refused: no alert. */
static void test_normal_client_is_quiet(void **state)
{
	(void)state;
	struct detect_config cfg;
	struct tracker t;
	struct sink sink;
	struct tracker_stats st;
	uint64_t ts = BASE_NS;

	config_small(&cfg);
	tracker_small(&t, &cfg, &sink);
	for (int i = 0; i < 500; i++) {
		uint32_t server = TARGET + (uint32_t)(i % 3);
		uint16_t sport = (uint16_t)(32768 + i);

		connect_ok(&t, ts, CLIENT, sport, server, i % 2 ? 80 : 443);
		ts += 20 * MS;
	}
	probe_closed(&t, ts, CLIENT, TARGET + 7, 8080);
	tracker_finish(&t);
	assert_int_equal(sink.n, 0);
	tracker_get_stats(&t, &st);
	assert_int_equal(st.established, 500);
	tracker_free(&t);
}

static void test_suppress_interval(void **state)
{
	(void)state;
	struct detect_config cfg;
	struct tracker t;
	struct sink sink;

	config_small(&cfg);
	cfg.trw_enabled = false;
	cfg.port_threshold = 2;
	cfg.window_ns = 10 * SECOND;
	cfg.suppress_ns = 60 * SECOND;
	tracker_small(&t, &cfg, &sink);
	probe_closed(&t, BASE_NS, SCANNER, TARGET, 1);
	probe_closed(&t, BASE_NS + MS * 10, SCANNER, TARGET, 2);
	assert_int_equal(sink.n, 1);
	probe_closed(&t, BASE_NS + 30 * SECOND, SCANNER, TARGET + 1, 1);
	probe_closed(&t, BASE_NS + 30 * SECOND + 10 * MS, SCANNER, TARGET + 1, 2);
	assert_int_equal(sink.n, 1);
	probe_closed(&t, BASE_NS + 70 * SECOND, SCANNER, TARGET + 2, 1);
	probe_closed(&t, BASE_NS + 70 * SECOND + 10 * MS, SCANNER, TARGET + 2, 2);
	assert_int_equal(sink.n, 2);
	assert_int_equal(sink.alerts[1].host, TARGET + 2);
	tracker_free(&t);
}

static void test_finish_decides_pending(void **state)
{
	(void)state;
	struct detect_config cfg;
	struct tracker t;
	struct sink sink;

	config_small(&cfg);
	cfg.trw_enabled = false;
	cfg.host_threshold = 3;
	tracker_small(&t, &cfg, &sink);
	for (uint32_t h = 0; h < 3; h++)
		feed_tcp(&t, BASE_NS + h * MS, SCANNER, 40000, TARGET + h, 80, TCP_FLAG_SYN,
			 TOOL_ZMAP);
	assert_int_equal(sink.n, 0);
	tracker_finish(&t);
	assert_int_equal(sink.n, 1);
	assert_int_equal(sink.alerts[0].kind, ALERT_ADDRESS_SWEEP);
	assert_int_equal(sink.alerts[0].hint, TOOL_ZMAP);
	tracker_free(&t);
}

static void test_config_checked(void **state)
{
	(void)state;
	struct detect_config cfg;
	struct tracker t;
	struct errmsg err;

	config_small(&cfg);
	cfg.port_threshold = 0;
	assert_int_equal(tracker_init(&t, &cfg, sink_alert, NULL, &err), -EINVAL);
	assert_non_null(strstr(err.text, "--port-threshold"));
	config_small(&cfg);
	cfg.trw_theta1 = 0.9;
	assert_int_equal(tracker_init(&t, &cfg, sink_alert, NULL, &err), -EINVAL);
	config_small(&cfg);
	cfg.max_attempts = 0;
	assert_int_equal(tracker_init(&t, &cfg, sink_alert, NULL, &err), -EINVAL);
}

/*
 * A million spoofed sources each send one SYN to a random host and port,
 * answered by RST half the time. Interleaved, a real scanner probes 20 closed
 * ports of one host. The tables stay as allocated (no allocation at all
 * after init), the flood raises no alert, and the scanner is still found.
 */
static void test_flood_of_spoofed_sources(void **state)
{
	(void)state;
	struct detect_config cfg;
	struct tracker t;
	struct sink sink;
	struct tracker_stats st;
	size_t bytes;
	uint64_t ts = BASE_NS;

	tracker_config_default(&cfg);
	cfg.seed = 9;
	bytes = tracker_bytes(&cfg);
	tracker_small(&t, &cfg, &sink);
	allocations = 0;
	for (uint32_t i = 0; i < 1000000; i++) {
		uint64_t r = rng_next();
		uint32_t src = (uint32_t)r, dst = TARGET + (uint32_t)(r >> 48);
		uint16_t dport = (uint16_t)(r >> 32);

		feed_tcp(&t, ts, src, 1024, dst, dport, TCP_FLAG_SYN, TOOL_NONE);
		if (r & (1ull << 47))
			feed_tcp(&t, ts + 1000, dst, dport, src, 1024, TCP_FLAG_RST | TCP_FLAG_ACK,
				 TOOL_NONE);
		if (i % 50000 == 0)
			probe_closed(&t, ts + 2000, SCANNER, TARGET, (uint16_t)(i / 50000 + 1));
		ts += 2000; /* 500k SYN/s */
	}
	tracker_finish(&t);
	assert_int_equal(allocations, 0);
	assert_int_equal(tracker_bytes(&cfg), bytes);
	tracker_get_stats(&t, &st);
	assert_true(st.sources_evicted > 900000);
	assert_int_equal(sink.n, 1);
	assert_int_equal(sink.alerts[0].kind, ALERT_PORT_SCAN);
	assert_int_equal(sink.alerts[0].src, SCANNER);
	tracker_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lru_get_find_remove),
		cmocka_unit_test(test_lru_evicts_least_recent),
		cmocka_unit_test(test_lru_protects_repeat_users),
		cmocka_unit_test(test_lru_matches_model),
		cmocka_unit_test(test_lru_prepare_reserves),
		cmocka_unit_test(test_lru_bytes),
		cmocka_unit_test(test_distinct_counts_exactly_to_cap),
		cmocka_unit_test(test_distinct_window_slides),
		cmocka_unit_test(test_trw_defaults),
		cmocka_unit_test(test_trw_rejects_bad_parameters),
		cmocka_unit_test(test_attempts_open_find_close),
		cmocka_unit_test(test_attempts_expire_in_order),
		cmocka_unit_test(test_attempts_full_ring_makes_room),
		cmocka_unit_test(test_attempts_crowded_index),
		cmocka_unit_test(test_port_scan_fires_at_threshold),
		cmocka_unit_test(test_port_scan_needs_one_host),
		cmocka_unit_test(test_window_expires),
		cmocka_unit_test(test_address_sweep_half_open),
		cmocka_unit_test(test_unanswered_and_unreachable_fail),
		cmocka_unit_test(test_advance_decides_timeouts),
		cmocka_unit_test(test_prefetched_path_agrees),
		cmocka_unit_test(test_skipped_acks_keep_handshakes),
		cmocka_unit_test(test_trw_flags_after_four_failures),
		cmocka_unit_test(test_normal_client_is_quiet),
		cmocka_unit_test(test_suppress_interval),
		cmocka_unit_test(test_finish_decides_pending),
		cmocka_unit_test(test_config_checked),
		cmocka_unit_test(test_flood_of_spoofed_sources),
	};

	return cmocka_run_group_tests_name("detect_core", tests, NULL, NULL);
}
