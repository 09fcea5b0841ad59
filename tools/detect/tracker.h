/* SPDX-License-Identifier: MIT */
/*
 * The detector's pure core. It is fed parsed frames in capture order and
 * calls back with alerts; it reads no clock (time is the frames' timestamps),
 * does no I/O, and allocates only in tracker_init().
 *
 * A SYN opens a connection attempt; the target's SYN-ACK, RST or ICMP
 * unreachable, the originator's ACK or RST, or a timeout closes it. Like
 * Zeek's scan policy, an attempt that was rejected, unreachable, unanswered
 * or half-open (SYN-ACK answered by the originator's RST, or by nothing) is
 * a failed probe: a source with port_threshold distinct failed ports on one
 * host within the window is a port scan, with host_threshold distinct failed
 * hosts on one port an address sweep. Each source's first contacts with
 * hosts also drive a threshold random walk (trw.h), which names a scanner
 * after a handful of failures. Memory: tables allocated once (tracker_bytes()).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "attempts.h"
#include "distinct.h"
#include "errmsg.h"
#include "fingerprint.h"
#include "lru.h"
#include "reply.h"
#include "trw.h"

enum alert_kind {
	ALERT_PORT_SCAN = 0, /* many ports on one host */
	ALERT_ADDRESS_SWEEP, /* one port on many hosts */
	ALERT_TRW,	     /* the random walk decided "scanner" */
	ALERT_KINDS,
};

struct detect_config {
	uint32_t port_threshold; /* distinct failed ports on one host (15) */
	uint32_t host_threshold; /* distinct failed hosts on one port (25) */
	uint64_t window_ns;	 /* the sliding window for both (300 s) */
	uint64_t timeout_ns;	 /* an unanswered SYN fails after this (5 s) */
	uint64_t suppress_ns;	 /* one alert per source and kind per this (3600 s) */
	double trw_theta0, trw_theta1, trw_alpha, trw_beta; /* 0.8, 0.2, 0.01, 0.99 */
	bool trw_enabled;
	uint64_t max_sources;  /* sources tracked (65536) */
	uint64_t max_pairs;    /* (source, host) and (source, port) sets, each (65536) */
	uint64_t max_contacts; /* (source, host) pairs remembered for first contact (262144) */
	uint64_t max_attempts; /* attempts awaiting an outcome (262144) */
	uint64_t seed;	       /* secret for the table hashes */
};

struct alert {
	enum alert_kind kind;
	uint32_t src;	       /* the scanning source */
	uint32_t host;	       /* ALERT_PORT_SCAN: the host whose ports were scanned */
	uint16_t port;	       /* ALERT_ADDRESS_SWEEP: the port swept */
	uint32_t count;	       /* distinct ports or hosts within the window */
	uint32_t trw_failures; /* first-contact outcomes in the walk that decided */
	uint32_t trw_successes;
	uint64_t first_ns, last_ns; /* the source's first and latest SYN (capture time) */
	uint64_t probes;	    /* SYNs from the source so far, retransmissions included */
	uint64_t failed;	    /* its failed probes so far */
	enum tool_hint hint;	    /* the fingerprint of at least half its SYNs, or TOOL_NONE */
};

typedef void tracker_alert_fn(void *ctx, const struct alert *alert);

struct tracker_stats {
	uint64_t syns, retransmits; /* SYNs opening an attempt; SYNs repeating one */
	uint64_t answered;	    /* SYN-ACK */
	uint64_t rejected;	    /* RST from the target */
	uint64_t unreachable;	    /* ICMP unreachable quoting the SYN */
	uint64_t unanswered;	    /* nothing before the timeout */
	uint64_t half_open;	    /* SYN-ACK, then the originator's RST or nothing */
	uint64_t established;	    /* the originator ACKed the SYN-ACK */
	uint64_t dropped;	    /* open attempts forgotten: the ring was full */
	uint64_t sources, sources_evicted, pairs_evicted, attempts_evicted;
	uint64_t outcomes_lost; /* outcomes whose source had been evicted */
	uint64_t alerts[ALERT_KINDS];
};

/* Per-source state: one 64-byte cache line. */
struct source {
	uint64_t key; /* the address; owned by the table */
	uint64_t first_ns, last_ns;
	uint32_t probes, failed;	/* saturating */
	uint32_t alert_ms[ALERT_KINDS]; /* last alert of each kind */
	uint32_t last_host;		/* the host of its latest first-contact check */
	float trw_ratio;
	uint8_t hints[TOOL_HINTS];	     /* fingerprints of the first 255 SYNs */
	uint8_t trw_failures, trw_successes; /* outcomes in the current walk, saturating */
	uint8_t alerted;		     /* bit per kind: alert_ms is valid */
	bool last_host_kept;		     /* last_host is in the contacts table too */
};

/* A (source, host) set of failed ports, or a (source, port) set of failed hosts. */
struct pair {
	uint64_t key; /* source << 32 | host or port; owned by the table */
	uint32_t n;
	uint32_t pad;
	struct distinct_elem set[]; /* port_threshold or host_threshold elements */
};

#define TRACKER_LOOKUPS_MAX 3 /* in LRU tables; the attempt is apart */

/* A lookup prefetched for a frame: the second stage needs its table and hash. */
struct tracker_pending {
	struct lru *table;
	uint64_t hash;
	bool may_insert;
};

struct tracker_prefetch {
	struct tracker_pending lookup[TRACKER_LOOKUPS_MAX];
	unsigned n;
	bool has_attempt, is_syn; /* attempt_hash is set; the frame is a SYN (lookup[0]: source) */
	bool attempt_reversed;	  /* the hash is of the tuple from dst to src (a reply) */
	bool answer_expected;	  /* a SYN-ACK: attempts_expect_answer() was called */
	uint64_t attempt_hash;	  /* of the tuple, oriented as the frame's flags suggest */
	uint64_t contact; /* a SYN's (source, host): looked up only if the source is known */
};

struct tracker {
	struct detect_config cfg;
	struct trw trw;
	struct lru sources;
	struct lru contacts; /* a set: (source, host) pairs seen */
	struct lru host_ports, port_hosts;
	struct attempts attempts;
	uint32_t window_ms, timeout_ms, suppress_ms;
	uint64_t base_ns; /* the first frame's time: ms 0 */
	bool has_base;
	uint64_t now_ns;
	uint32_t now_ms;
	tracker_alert_fn *on_alert;
	void *ctx;
	struct tracker_stats stats;
};

/* The key of a (source, host) or (source, port) pair in the tables. */
static inline uint64_t tracker_pair_key(uint32_t src, uint32_t other)
{
	return (uint64_t)src << 32 | other;
}

/* The defaults above. */
void tracker_config_default(struct detect_config *cfg);
/* The bytes tracker_init() allocates for cfg: all the memory the detector's state will use. */
size_t tracker_bytes(const struct detect_config *cfg);

/*
 * Checks cfg and allocates the tables. on_alert is called, with ctx, from
 * tracker_packet() and tracker_finish(). Returns 0, -EINVAL with err naming
 * the bad setting, or -ENOMEM.
 */
int tracker_init(struct tracker *t, const struct detect_config *cfg, tracker_alert_fn *on_alert,
		 void *ctx, struct errmsg *err);
void tracker_free(struct tracker *t);

/*
 * Feeds one parsed frame captured at ts_ns, with the fingerprint of the SYN it
 * carries (TOOL_NONE for anything else). Never allocates.
 */
void tracker_packet(struct tracker *t, const struct frame_info *fi, enum tool_hint hint,
		    uint64_t ts_ns);
/*
 * True for a frame that would change nothing but the clock: UDP, ICMP other
 * than an unreachable quoting TCP, and an ACK (most are segments of
 * established connections) with no answered attempt to complete, now or
 * once the SYN-ACKs already given to tracker_prefetch() are decided. The
 * reader drops such frames before any table work and moves the clock to
 * their time with tracker_tick() once the frames before them are fed.
 */
bool tracker_may_skip(const struct tracker *t, const struct frame_info *fi);
/*
 * The same, in two steps for a bare ACK, so that its counter's cache miss
 * overlaps the next frame's parsing: tracker_ack_prefetch() fetches the
 * counter of fi's tuple and returns its hash; tracker_ack_may_skip(), before
 * anything else is given to the tracker, says what tracker_may_skip() would.
 */
bool tracker_is_bare_ack(const struct frame_info *fi);
uint64_t tracker_ack_prefetch(const struct tracker *t, const struct frame_info *fi);
bool tracker_ack_may_skip(const struct tracker *t, uint64_t h);
/*
 * tracker_packet() of a frame whose tracker_prefetch() filled pf: its hashes
 * are reused (pf NULL: none to reuse, as tracker_packet()).
 */
void tracker_packet_prefetched(struct tracker *t, const struct frame_info *fi, enum tool_hint hint,
			       uint64_t ts_ns, const struct tracker_prefetch *pf);
/* Prefetches the table buckets tracker_packet() will read for fi; fills pf for the next stage. */
void tracker_prefetch(struct tracker *t, const struct frame_info *fi, struct tracker_prefetch *pf);
/* The second stage, some frames later: prefetches the entries those buckets point to. */
void tracker_prefetch_entries(struct tracker *t, const struct tracker_prefetch *pf);
/*
 * A frame captured at ts_ns that tracker_may_skip() let the caller drop:
 * moves the clock as tracker_packet() would, and decides what timed out.
 */
void tracker_tick(struct tracker *t, uint64_t ts_ns);
/*
 * Moves the clock to now_ns, if that is later, and decides the attempts that
 * timed out by then: the clock of a live capture that no frame moves. Does
 * nothing before the first frame.
 */
void tracker_advance(struct tracker *t, uint64_t now_ns);
/* Decides every open attempt as if its timeout had passed: the input has ended. */
void tracker_finish(struct tracker *t);
/* Counters so far, the tables' evictions included. */
void tracker_get_stats(const struct tracker *t, struct tracker_stats *out);
