// SPDX-License-Identifier: MIT
/*
 * How a frame moves the state:
 *
 *   SYN                  source: probes++, fingerprint vote; a new 4-tuple
 *                        opens an attempt (a repeat is a retransmission), and
 *                        a (source, host) pair not in `contacts` makes it a
 *                        first contact.
 *   SYN-ACK (reverse)    attempt answered: a first contact succeeds (TRW).
 *   ACK (forward)        after a SYN-ACK: handshake done, established,
 *                        closed, never counted. Any other ACK (data of an
 *                        established connection, most of a capture) does
 *                        nothing; tracker_may_skip() spots it cheaply.
 *   RST (reverse)        rejected: a failed probe; a first contact fails.
 *   RST (forward)        after a SYN-ACK: half-open, the SYN-scan signature.
 *   ICMP unreachable     quoting the SYN: a failed probe; first contact fails.
 *   timeout              unanswered (a failure), or half-open if answered.
 *
 * A failed probe adds the port to the (source, host) set and the host to the
 * (source, port) set; reaching a threshold raises an alert. Alerts of one kind
 * from one source are suppressed for suppress_ns after the first, as Zeek's
 * notices are. Time is the capture's: milliseconds since the first frame,
 * never going backwards.
 *
 * Under memory pressure the design prefers missing a scan to accusing an
 * innocent source: an attempt pushed out of the full ring gets no timeout
 * verdict (a reply may still decide it) rather than counting as a failure, and
 * an outcome whose source was evicted is not counted.
 */
#include "tracker.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

#include "packet.h"

#define NS_PER_MS     1000000ull
#define THRESHOLD_MAX 1024
#define TABLE_MAX     (1ull << 31)
#define TIME_MAX_MS   (1ull << 31) /* windows are compared modulo 2^32 ms */

static_assert(sizeof(struct source) == 64, "struct source must stay one cache line");

enum outcome {
	OUTCOME_ANSWERED = 0,
	OUTCOME_REJECTED,
	OUTCOME_UNREACHABLE,
	OUTCOME_UNANSWERED,
	OUTCOME_HALF_OPEN,
	OUTCOME_ESTABLISHED,
};

void tracker_config_default(struct detect_config *cfg)
{
	*cfg = (struct detect_config){
		.port_threshold = 15,
		.host_threshold = 25,
		.window_ns = 300 * 1000 * NS_PER_MS,
		.timeout_ns = 5 * 1000 * NS_PER_MS,
		.suppress_ns = 3600 * 1000 * NS_PER_MS,
		.trw_theta0 = 0.8,
		.trw_theta1 = 0.2,
		.trw_alpha = 0.01,
		.trw_beta = 0.99,
		.trw_enabled = true,
		.max_sources = 65536,
		.max_pairs = 65536,
		.max_contacts = 262144,
		.max_attempts = 262144,
	};
}

static size_t pair_bytes(uint32_t threshold)
{
	return sizeof(struct pair) + threshold * sizeof(struct distinct_elem);
}

size_t tracker_bytes(const struct detect_config *cfg)
{
	return sizeof(struct tracker) + lru_bytes(cfg->max_sources, sizeof(struct source)) +
	       lru_bytes(cfg->max_contacts, 0) +
	       lru_bytes(cfg->max_pairs, pair_bytes(cfg->port_threshold)) +
	       lru_bytes(cfg->max_pairs, pair_bytes(cfg->host_threshold)) +
	       attempts_bytes(cfg->max_attempts);
}

static int tracker_check(const struct detect_config *cfg, struct errmsg *err)
{
	if (cfg->port_threshold < 1 || cfg->port_threshold > THRESHOLD_MAX)
		return errmsg_set(err, -EINVAL, "--port-threshold must be 1-%d", THRESHOLD_MAX);
	if (cfg->host_threshold < 1 || cfg->host_threshold > THRESHOLD_MAX)
		return errmsg_set(err, -EINVAL, "--host-threshold must be 1-%d", THRESHOLD_MAX);
	if (cfg->window_ns < NS_PER_MS || cfg->window_ns / NS_PER_MS >= TIME_MAX_MS)
		return errmsg_set(err, -EINVAL, "--window must be 0.001 s to 24 days");
	if (cfg->timeout_ns < NS_PER_MS || cfg->timeout_ns / NS_PER_MS >= TIME_MAX_MS)
		return errmsg_set(err, -EINVAL, "--timeout must be 0.001 s to 24 days");
	if (cfg->suppress_ns / NS_PER_MS >= TIME_MAX_MS)
		return errmsg_set(err, -EINVAL, "--suppress must be under 24 days");
	if (!cfg->max_sources || !cfg->max_pairs || !cfg->max_contacts || !cfg->max_attempts ||
	    cfg->max_sources > TABLE_MAX || cfg->max_pairs > TABLE_MAX ||
	    cfg->max_contacts > TABLE_MAX || cfg->max_attempts > TABLE_MAX)
		return errmsg_set(err, -EINVAL, "table sizes must be 1 to 2^31");
	return 0;
}

int tracker_init(struct tracker *t, const struct detect_config *cfg, tracker_alert_fn *on_alert,
		 void *ctx, struct errmsg *err)
{
	uint64_t seed = cfg->seed;
	int rc;

	memset(t, 0, sizeof(*t));
	rc = tracker_check(cfg, err);
	if (!rc)
		rc = trw_init(&t->trw, cfg->trw_theta0, cfg->trw_theta1, cfg->trw_alpha,
			      cfg->trw_beta, err);
	if (rc)
		return rc;
	t->cfg = *cfg;
	t->window_ms = (uint32_t)(cfg->window_ns / NS_PER_MS);
	t->timeout_ms = (uint32_t)(cfg->timeout_ns / NS_PER_MS);
	t->suppress_ms = (uint32_t)(cfg->suppress_ns / NS_PER_MS);
	t->on_alert = on_alert;
	t->ctx = ctx;
	/* Each table gets its own seed, so a collision in one is no collision in another. */
	/* Protection lasts a window: state that counts towards a threshold outlives a flood. */
	if (lru_init(&t->sources, cfg->max_sources, sizeof(struct source), t->window_ms,
		     seed ^ 1) ||
	    lru_init(&t->contacts, cfg->max_contacts, 0, t->window_ms, seed ^ 2) ||
	    lru_init(&t->host_ports, cfg->max_pairs, pair_bytes(cfg->port_threshold), t->window_ms,
		     seed ^ 3) ||
	    lru_init(&t->port_hosts, cfg->max_pairs, pair_bytes(cfg->host_threshold), t->window_ms,
		     seed ^ 4) ||
	    attempts_init(&t->attempts, cfg->max_attempts, seed ^ 5)) {
		tracker_free(t);
		return errmsg_set(err, -ENOMEM, "cannot allocate %zu bytes of tables",
				  tracker_bytes(cfg));
	}
	return 0;
}

void tracker_free(struct tracker *t)
{
	lru_free(&t->sources);
	lru_free(&t->contacts);
	lru_free(&t->host_ports);
	lru_free(&t->port_hosts);
	attempts_free(&t->attempts);
}

/* The fingerprint carried by at least half of the source's SYNs, if any. */
static enum tool_hint tracker_hint(const struct source *s)
{
	enum tool_hint best = TOOL_NONE;

	for (int h = TOOL_NONE + 1; h < TOOL_HINTS; h++)
		if (s->hints[h] > s->hints[best])
			best = (enum tool_hint)h;
	uint32_t counted = s->probes < UINT8_MAX ? s->probes : UINT8_MAX;

	return (uint32_t)s->hints[best] * 2 >= counted ? best : TOOL_NONE;
}

/* True while an alert of this kind from s is suppressed. */
static bool tracker_suppressed(const struct tracker *t, const struct source *s,
			       enum alert_kind kind)
{
	return (s->alerted & (1u << kind)) && t->now_ms - s->alert_ms[kind] < t->suppress_ms;
}

/* Raises alert a (kind and kind-specific fields set) unless one is suppressed. */
static void tracker_alert(struct tracker *t, struct source *s, struct alert *a)
{
	unsigned bit = 1u << a->kind;

	if (tracker_suppressed(t, s, a->kind))
		return;
	s->alerted |= bit;
	s->alert_ms[a->kind] = t->now_ms;
	a->src = (uint32_t)s->key;
	a->first_ns = s->first_ns;
	a->last_ns = s->last_ns;
	a->probes = s->probes;
	a->failed = s->failed;
	a->hint = tracker_hint(s);
	t->stats.alerts[a->kind]++;
	t->on_alert(t->ctx, a);
}

static void tracker_walk(struct tracker *t, struct source *s, bool success)
{
	enum trw_verdict verdict;

	if (!t->cfg.trw_enabled)
		return;
	if (success)
		s->trw_successes += s->trw_successes < UINT8_MAX;
	else
		s->trw_failures += s->trw_failures < UINT8_MAX;
	verdict = trw_step(&t->trw, &s->trw_ratio, success);
	if (verdict == TRW_SCANNER) {
		struct alert a = {
			.kind = ALERT_TRW,
			.count = (uint32_t)s->trw_failures + s->trw_successes,
			.trw_failures = s->trw_failures,
			.trw_successes = s->trw_successes,
		};
		tracker_alert(t, s, &a);
	}
	if (verdict != TRW_PENDING)
		s->trw_failures = s->trw_successes = 0;
}

/*
 * A failed probe: the port joins the host's set, the host joins the port's
 * set. While a kind's alert is suppressed its set is left alone: nothing it
 * could count would be reported, and a busy scanner's replies then cost two
 * lookups fewer.
 */
static void tracker_failed(struct tracker *t, struct source *s, const struct attempt *at)
{
	const struct detect_config *cfg = &t->cfg;
	struct pair *p;
	uint32_t count;
	bool is_new;

	if (!tracker_suppressed(t, s, ALERT_PORT_SCAN)) {
		p = lru_get(&t->host_ports, tracker_pair_key(at->orig, at->target), t->now_ms,
			    &is_new);
		if (is_new)
			p->n = 0;
		count = distinct_add(p->set, &p->n, cfg->port_threshold, at->target_port,
				     at->syn_ms, t->window_ms);
		if (count >= cfg->port_threshold) {
			struct alert a = {
				.kind = ALERT_PORT_SCAN, .host = at->target, .count = count};
			tracker_alert(t, s, &a);
		}
	}
	if (!tracker_suppressed(t, s, ALERT_ADDRESS_SWEEP)) {
		p = lru_get(&t->port_hosts, tracker_pair_key(at->orig, at->target_port), t->now_ms,
			    &is_new);
		if (is_new)
			p->n = 0;
		count = distinct_add(p->set, &p->n, cfg->host_threshold, at->target, at->syn_ms,
				     t->window_ms);
		if (count >= cfg->host_threshold) {
			struct alert a = {.kind = ALERT_ADDRESS_SWEEP,
					  .port = at->target_port,
					  .count = count};
			tracker_alert(t, s, &a);
		}
	}
}

/* Applies an attempt's outcome; closes it unless it was just answered. */
static void tracker_decide(struct tracker *t, struct attempt *at, enum outcome outcome)
{
	struct source *s = lru_find(&t->sources, at->orig, t->now_ms);
	bool was_answered = at->state == ATTEMPT_ANSWERED;

	switch (outcome) {
	case OUTCOME_ANSWERED:
		t->stats.answered++;
		break;
	case OUTCOME_REJECTED:
		t->stats.rejected++;
		break;
	case OUTCOME_UNREACHABLE:
		t->stats.unreachable++;
		break;
	case OUTCOME_UNANSWERED:
		t->stats.unanswered++;
		break;
	case OUTCOME_HALF_OPEN:
		t->stats.half_open++;
		break;
	case OUTCOME_ESTABLISHED:
		t->stats.established++;
		break;
	}
	if (!s) {
		t->stats.outcomes_lost++;
	} else {
		bool failed = outcome != OUTCOME_ANSWERED && outcome != OUTCOME_ESTABLISHED;

		/* Counted first, so that any alert this outcome raises includes it. */
		s->failed += failed && s->failed < UINT32_MAX;
		/* A first contact's outcome is its first answer, or the lack of one. */
		if (at->first_contact && !was_answered)
			tracker_walk(t, s, !failed);
		if (failed)
			tracker_failed(t, s, at);
	}
	if (outcome == OUTCOME_ANSWERED)
		attempts_answer(&t->attempts, at);
	else
		attempts_close(&t->attempts, at);
}

static void tracker_clock(struct tracker *t, uint64_t ts_ns)
{
	if (!t->has_base) {
		t->base_ns = t->now_ns = ts_ns;
		t->has_base = true;
	}
	if (ts_ns > t->now_ns)
		t->now_ns = ts_ns;
	t->now_ms = (uint32_t)((t->now_ns - t->base_ns) / NS_PER_MS);
}

/*
 * Whether s's SYN to host is its first contact with host. The source keeps
 * the last host it contacted, which answers a new source's first SYN and a
 * port scan's repeats without the contacts table; that host joins the table
 * only once another host follows. A source that was evicted and comes back
 * starts a new walk, so its contacts count as first ones again.
 */
static bool tracker_first_contact(struct tracker *t, struct source *s, bool new_source,
				  uint32_t host)
{
	uint32_t src = (uint32_t)s->key;

	if (new_source) {
		s->last_host = host;
		s->last_host_kept = false;
		return true;
	}
	if (host == s->last_host)
		return false;
	if (!s->last_host_kept)
		lru_touch(&t->contacts, tracker_pair_key(src, s->last_host), t->now_ms);
	s->last_host = host;
	s->last_host_kept = true;
	return lru_touch(&t->contacts, tracker_pair_key(src, host), t->now_ms);
}

static void tracker_syn(struct tracker *t, const struct frame_info *fi, enum tool_hint hint,
			uint64_t ts_ns, const struct tracker_prefetch *pf)
{
	struct attempt *at;
	struct source *s;
	bool new_source, is_new;

	/* The prefetch stage hashed the source and the tuple already. */
	s = pf ? lru_get_hashed(&t->sources, pf->lookup[0].hash, fi->src_ip, t->now_ms, &new_source)
	       : lru_get(&t->sources, fi->src_ip, t->now_ms, &new_source);
	if (new_source) {
		*s = (struct source){.key = fi->src_ip, .first_ns = ts_ns, .trw_ratio = 1};
		t->stats.sources++;
	}
	if (ts_ns > s->last_ns)
		s->last_ns = ts_ns;
	if (s->probes < UINT8_MAX)
		s->hints[(unsigned)hint < TOOL_HINTS ? hint : TOOL_NONE]++;
	s->probes += s->probes < UINT32_MAX;
	t->stats.dropped += attempts_make_room(&t->attempts);
	at = pf ? attempts_open_hashed(&t->attempts, pf->attempt_hash, fi->src_ip, fi->src_port,
				       fi->dst_ip, fi->dst_port, t->now_ms, &is_new)
		: attempts_open(&t->attempts, fi->src_ip, fi->src_port, fi->dst_ip, fi->dst_port,
				t->now_ms, &is_new);
	if (!is_new) {
		t->stats.retransmits++;
		return;
	}
	t->stats.syns++;
	/* First contacts only feed the walk; a flagged scanner's need no remembering. */
	at->first_contact = t->cfg.trw_enabled && !tracker_suppressed(t, s, ALERT_TRW) &&
			    tracker_first_contact(t, s, new_source, fi->dst_ip);
}

static void tracker_tcp(struct tracker *t, const struct frame_info *fi, enum tool_hint hint,
			uint64_t ts_ns, const struct tracker_prefetch *pf)
{
	uint8_t flags = fi->tcp_flags & (TCP_FLAG_SYN | TCP_FLAG_ACK | TCP_FLAG_RST);
	struct attempt *at;
	uint64_t h;

	if (flags == TCP_FLAG_SYN) {
		tracker_syn(t, fi, hint, ts_ns, pf && pf->is_syn ? pf : NULL);
		return;
	}
	if (flags & (TCP_FLAG_SYN | TCP_FLAG_RST)) {
		/* From the target: SYN-ACK or RST answering the SYN. */
		at = attempts_find(&t->attempts, fi->dst_ip, fi->dst_port, fi->src_ip,
				   fi->src_port);
		if (at && at->state == ATTEMPT_SYN_SENT) {
			tracker_decide(t, at,
				       flags & TCP_FLAG_RST ? OUTCOME_REJECTED : OUTCOME_ANSWERED);
			return;
		}
		if (flags & TCP_FLAG_SYN)
			return;
	} else if (!(flags & TCP_FLAG_ACK)) {
		return; /* no SYN, ACK or RST: nothing that moves a handshake */
	}
	/*
	 * From the originator, after the target's SYN-ACK: its ACK completes the
	 * handshake, its RST aborts it. Most such frames are segments of
	 * established connections, which the answered-attempt counters turn
	 * away before the index is read.
	 */
	h = pf && pf->has_attempt && !pf->attempt_reversed
		    ? pf->attempt_hash
		    : attempts_hash(&t->attempts, fi->src_ip, fi->src_port, fi->dst_ip,
				    fi->dst_port);
	if (!attempts_maybe_answered(&t->attempts, h))
		return;
	at = attempts_find_hashed(&t->attempts, h, fi->src_ip, fi->src_port, fi->dst_ip,
				  fi->dst_port);
	if (at && at->state == ATTEMPT_ANSWERED)
		tracker_decide(t, at,
			       flags & TCP_FLAG_RST ? OUTCOME_HALF_OPEN : OUTCOME_ESTABLISHED);
}

static void tracker_icmp(struct tracker *t, const struct frame_info *fi)
{
	struct attempt *at;

	if (fi->icmp_type != ICMP_UNREACH || !fi->has_quote || fi->q_proto != IPPROTO_TCP_NUM)
		return;
	at = attempts_find(&t->attempts, fi->q_src_ip, fi->q_src_port, fi->q_dst_ip,
			   fi->q_dst_port);
	if (at && at->state == ATTEMPT_SYN_SENT)
		tracker_decide(t, at, OUTCOME_UNREACHABLE);
}

/* Decides the attempts that timed out by now. */
static void tracker_expire(struct tracker *t, uint32_t timeout_ms)
{
	struct attempt *at;

	while ((at = attempts_expired(&t->attempts, t->now_ms, timeout_ms)))
		tracker_decide(t, at,
			       at->state == ATTEMPT_ANSWERED ? OUTCOME_HALF_OPEN
							     : OUTCOME_UNANSWERED);
}

void tracker_tick(struct tracker *t, uint64_t ts_ns)
{
	tracker_clock(t, ts_ns);
	tracker_expire(t, t->timeout_ms);
}

void tracker_packet_prefetched(struct tracker *t, const struct frame_info *fi, enum tool_hint hint,
			       uint64_t ts_ns, const struct tracker_prefetch *pf)
{
	if (pf && pf->answer_expected)
		attempts_answer_arrived(&t->attempts, pf->attempt_hash);
	tracker_tick(t, ts_ns);
	if (fi->kind == FRAME_TCP)
		tracker_tcp(t, fi, hint, ts_ns, pf);
	else if (fi->kind == FRAME_ICMP)
		tracker_icmp(t, fi);
}

void tracker_packet(struct tracker *t, const struct frame_info *fi, enum tool_hint hint,
		    uint64_t ts_ns)
{
	tracker_packet_prefetched(t, fi, hint, ts_ns, NULL);
}

void tracker_advance(struct tracker *t, uint64_t now_ns)
{
	if (t->has_base)
		tracker_tick(t, now_ns);
}

void tracker_finish(struct tracker *t)
{
	tracker_expire(t, 0);
}

void tracker_get_stats(const struct tracker *t, struct tracker_stats *out)
{
	*out = t->stats;
	out->sources_evicted = t->sources.evictions;
	out->pairs_evicted = t->host_ports.evictions + t->port_hosts.evictions;
	out->attempts_evicted = t->attempts.evictions;
}
