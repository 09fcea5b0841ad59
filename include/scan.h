/* SPDX-License-Identifier: MIT */
/*
 * The scan: struct scan_config is what the user asked for, plain data filled
 * by cli_parse() and never changed after; struct scan is the one context the
 * sender, receiver and main share. It owns the target and port sets, the
 * permutation, the cookie key and the counters. Nothing mutable is global.
 *
 * Probe positions: one pass covers every (address, port) pair once; with
 * --retries R there are R + 1 passes, each in the same permuted order, so a
 * retry comes a whole pass after its first probe. A shard i/N takes the
 * permutation positions k = i, i + N, ... of every pass.
 */
#pragma once

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "answered.h"
#include "cookie.h"
#include "errmsg.h"
#include "permute.h"
#include "ports.h"
#include "reply.h"
#include "targets.h"
#include "template.h"
#include "template_icmp.h"
#include "template_udp.h"

enum show_mask {
	SHOW_OPEN = 1u << PORT_OPEN,
	SHOW_CLOSED = 1u << PORT_CLOSED,
	SHOW_FILTERED = 1u << PORT_FILTERED,
	SHOW_OPEN_FILTERED = 1u << PORT_OPEN_FILTERED,
	SHOW_UP = 1u << PORT_UP,
};

#define SCAN_DEFAULT_RATE_PPS	 10000.0
#define SCAN_DEFAULT_WAIT_S	 3.0
#define SCAN_DEFAULT_SPORT_FIRST 61000
#define SCAN_DEFAULT_SPORT_LAST	 61255
/* Larger target sets are internet-scale: the IANA special-purpose ranges are excluded. */
#define SCAN_RESERVED_ABOVE (1ULL << 16)
/* Larger target sets need an explicit exclude list (it may be empty: --excludefile /dev/null). */
#define SCAN_REFUSE_ABOVE (1ULL << 24)
/* More transmit threads than this only contend for the same queue. */
#define SCAN_TX_THREADS_MAX 16

/* One -o option: a format (enum output_format) and its file ("-" is stdout). */
struct output_spec {
	unsigned format;
	char *path; /* owned by the config */
};

#define SCAN_DEFAULT_PAUSE_FILE "paused.conf"

struct scan_config {
	const char **target_specs; /* positional arguments */
	unsigned target_count;
	const char **exclude_specs; /* --exclude values, each a comma list */
	unsigned exclude_count;
	const char **include_files; /* -iL */
	unsigned include_file_count;
	const char **exclude_files; /* --excludefile */
	unsigned exclude_file_count;
	bool include_reserved;

	const char *ports_spec;
	double rate_pps;
	unsigned retries;
	double wait_s;
	bool has_seed;
	uint64_t seed;
	uint64_t shard_index, shard_count; /* 0-based index; count >= 1 */
	unsigned batch;			   /* 0 = chosen from the rate */
	unsigned tx_threads;		   /* 0 = one */
	bool connect_scan;		   /* -sT: full handshakes through the kernel */
	unsigned max_inflight;		   /* -sT: connects at once, 0 = the default */
	unsigned connect_timeout_ms;	   /* -sT: per attempt, 0 = the default */
	bool udp_scan;			   /* -sU: ports without a T: or U: prefix are UDP */
	bool ping;			   /* --ping, -sn: echo first; ports only to hosts up */

	const char *ifname;
	bool has_src_ip;
	uint32_t src_ip;
	bool has_src_ports;
	uint16_t src_port_first, src_port_last;
	bool has_router_mac;
	uint8_t router_mac[6];
	const char *send_backend;    /* NULL = automatic */
	const char *capture_backend; /* NULL = automatic */
	bool offline;		     /* send into the null backend, capture nothing */

	unsigned show; /* enum show_mask bits */
	bool has_show; /* --show was given */
	bool quiet;
	/* Set by main: with no -o option, a terminal gets nmap's normal report, a pipe the lines.
	 */
	bool stdout_is_terminal;

	struct output_spec *outputs; /* -oN -oX -oG -oB -oJ -oL; -oA adds all six */
	unsigned output_count;
	const char **readscan_files; /* --readscan FILE, then every positional argument */
	unsigned readscan_count;
	bool merge_anyway;	 /* --readscan: merge files of different scans */
	const char *resume_file; /* --resume */
	const char *pause_file;	 /* where an interrupted scan saves its state */

	const char *user;     /* --user: who to run as once set up (NULL: nobody) */
	bool keep_privileges; /* --no-drop-privileges */
};

/* Counters: each group is written by one thread only and sits on its own cache line. */
struct scan_counters {
	_Alignas(64) atomic_uint_fast64_t sent; /* sender */
	atomic_uint_fast64_t tx_would_block;
	atomic_uint_fast64_t tx_errors;
	_Alignas(64) atomic_uint_fast64_t rx_frames; /* receiver */
	atomic_uint_fast64_t rx_malformed;
	atomic_uint_fast64_t rx_unmatched;
	atomic_uint_fast64_t rx_duplicates;
	atomic_uint_fast64_t found[8]; /* indexed by enum port_state */
	atomic_uint_fast64_t rx_kernel_drops;
};

/* Where probes leave from; filled by main from route detection or the overrides. */
struct scan_net {
	char ifname[16];
	int ifindex;
	bool is_loopback;
	uint32_t src_ip;
	uint8_t src_mac[6], dst_mac[6];
	uint16_t src_port_first, src_port_last;
};

struct scan {
	const struct scan_config *cfg;
	struct target_set targets;
	struct port_set ports;
	struct permute order;
	struct cookie_key key;
	struct template tpl;
	struct validate_config vcfg;
	struct scan_net net;
	uint64_t seed;
	uint64_t probes;       /* targets x ports: one pass over the whole scan */
	uint64_t shard_probes; /* positions of this shard in one pass */
	uint64_t total_sends;  /* shard_probes x (retries + 1) */
	struct scan_counters counters;
	atomic_bool stop;    /* no more probes: user interrupt or a hard send error */
	atomic_bool tx_done; /* every sender has returned */
	atomic_bool rx_stop; /* the receiver should return */
	uint64_t start_ns, tx_end_ns;
	/*
	 * Send positions of each slice (one per transmit thread), for pause and
	 * resume: where it started (0 = at its beginning) and the next position
	 * not yet sent, which only its sender writes.
	 */
	unsigned slices;
	uint64_t tx_first[SCAN_TX_THREADS_MAX];
	atomic_uint_fast64_t tx_next[SCAN_TX_THREADS_MAX];
	struct answered answered; /* written by the receiver; bits NULL = not tracked */
	/*
	 * Other probe kinds. Port indexes past ports.total are UDP ports; in the
	 * ping phase every target gets one ICMP echo and nothing else.
	 */
	struct port_set udp_ports;
	bool ping_phase;
	struct template_icmp icmp_tpl;
	struct template_udp udp_tpl;
};

/*
 * Builds the target and port sets from cfg: specs, -iL files, excludes, and
 * the safety rules (reserved ranges above SCAN_RESERVED_ABOVE addresses unless
 * cfg->include_reserved; refusal above SCAN_REFUSE_ABOVE without any exclude
 * list). Returns 0, or -EINVAL/-errno with err naming the problem.
 */
int scan_build_sets(struct scan *s, const struct scan_config *cfg, struct errmsg *err);

/*
 * Finishes the context once sets and seed are known: permutation, cookie key
 * (derived from seed so that shards of one scan agree) and position counts.
 * Returns 0 or -EINVAL (empty target set, shard out of range).
 */
int scan_prepare(struct scan *s, uint64_t seed, struct errmsg *err);

/* Builds the SYN template and validator settings from s->net. */
void scan_set_net(struct scan *s, const struct scan_net *net);

/* Releases what scan_build_sets() allocated. */
void scan_free(struct scan *s);

struct probe {
	uint32_t dst_ip;
	uint16_t dst_port, src_port; /* src_port: TCP only (UDP's comes from its cookie) */
	uint8_t proto;		     /* IP protocol: 6 TCP, 17 UDP, 1 ICMP echo */
};

/* Ports per address: TCP then UDP, or the one echo of the ping phase. */
static inline uint64_t scan_ports_per_target(const struct scan *s)
{
	return s->ping_phase ? 1 : (uint64_t)s->ports.total + s->udp_ports.total;
}

/* The probe index (address index + port index x addresses) at send position pos. */
static inline uint64_t scan_index_at(const struct scan *s, uint64_t pos)
{
	uint64_t pass_pos = pos % s->shard_probes;
	uint64_t k = s->cfg->shard_index + pass_pos * s->cfg->shard_count;

	return permute_at(&s->order, k);
}

/* The probe at send position pos (0 <= pos < s->total_sends) of this shard. */
static inline struct probe scan_probe_at(const struct scan *s, uint64_t pos)
{
	uint64_t idx = scan_index_at(s, pos);
	uint64_t naddr = s->targets.total;
	uint32_t nsport = (uint32_t)s->net.src_port_last - s->net.src_port_first + 1;

	uint32_t pi = (uint32_t)(idx / naddr);
	struct probe p;

	p.dst_ip = targets_at(&s->targets, idx % naddr);
	p.src_port = (uint16_t)(s->net.src_port_first + idx % nsport);
	if (s->ping_phase) {
		p.dst_port = 0;
		p.proto = IPPROTO_ICMP_NUM;
	} else if (pi < s->ports.total) {
		p.dst_port = ports_at(&s->ports, pi);
		p.proto = IPPROTO_TCP_NUM;
	} else {
		p.dst_port = ports_at(&s->udp_ports, pi - s->ports.total);
		p.proto = IPPROTO_UDP_NUM;
	}
	return p;
}

/* The probe index of (addr, port, proto) (the inverse of the above), or UINT64_MAX. */
uint64_t scan_index_of(const struct scan *s, uint32_t addr, uint16_t port, uint8_t proto);
