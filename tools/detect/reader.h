/* SPDX-License-Identifier: MIT */
/*
 * Frames in: a pcap or pcapng file, or a live interface, through libpcap.
 * libpcap opens every capture; a named pcap or pcapng file is then mapped
 * and walked in place (reader_map.c, pcap_walk.h, pcapng_walk.h), the rest
 * (pipes, standard input, live captures) read by pcap_dispatch(). Then
 * parse_frame() (rx/parse.c, shared with the scanner) -> fingerprint of a
 * SYN -> tracker (reader_ahead.c). It parses READER_AHEAD frames ahead of the
 * tracker and prefetches the table buckets each will need, and halfway there
 * the entries those buckets point to, so their cache misses overlap instead
 * of stalling the tracker one by one.
 */
#pragma once

#include <pcap/pcap.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "errmsg.h"
#include "fingerprint.h"
#include "pcap_walk.h"
#include "pcapng_walk.h"
#include "reply.h"
#include "tracker.h"

#define READER_AHEAD 16 /* frames parsed ahead of the tracker; a power of two */

/* Whole cache lines each: a frame straddling two cost 10% of a frame's time. */
struct reader_frame {
	_Alignas(64) struct frame_info fi;
	struct tracker_prefetch pf;
	enum tool_hint hint;
	uint64_t ts_ns;
	uint64_t then_ns; /* the latest frame dropped after it (tracker_may_skip()); 0: none */
};

struct reader_stats {
	uint64_t frames;    /* read from the capture */
	uint64_t parsed;    /* IPv4 that parse_frame() reads: TCP, UDP, ICMP */
	uint64_t other;	    /* anything else (ARP, IPv6 ...) */
	uint64_t malformed; /* truncated or inconsistent headers */
	uint64_t drops;	    /* live only: dropped by the kernel or the interface */
};

/* A capture file mapped into memory, whole; see reader_map.c. */
struct reader_map {
	const uint8_t *base; /* NULL: libpcap reads the capture */
	uint64_t len;
	uint64_t ready;	   /* pages before this offset are mapped in */
	uint64_t released; /* and before this one, unmapped again */
	uint64_t window;   /* bytes mapped in at a time; a multiple of the page size */
	bool ng;	   /* pcapng: ng_walk walks it, else walk */
	struct pcap_walk walk;
	struct pcapng_walk ng_walk;
	struct pcapng_iface *ifaces; /* ng_walk's room for interfaces, grown as sections need */
	uint32_t ifroom;
	struct bpf_program filter; /* --filter, run here rather than in libpcap */
	bool has_filter;
};

struct reader {
	pcap_t *pcap;
	struct reader_map map;
	enum link_type link;
	bool is_live;
	atomic_bool broken;	 /* reader_break() was called */
	uint32_t ts_ns_per_unit; /* 1 with nanosecond timestamps, 1000 with microseconds */
	struct reader_frame ahead[READER_AHEAD];
	uint32_t head, tail;
	bool ack_pending; /* the frame at head is a bare ACK still to be settled */
	uint64_t ack_hash;
	struct reader_stats stats;
};

/*
 * Opens a capture file ("-" is stdin) and installs filter if not NULL.
 * Returns 0, or -EINVAL (not a capture file, unsupported link type, bad
 * filter) with err naming the file and the problem.
 */
int reader_open_file(struct reader *r, const char *path, const char *filter, struct errmsg *err);
/*
 * Starts a live capture on iface with filter (NULL: "tcp or icmp"). Returns 0,
 * or a negative code with err naming the problem (-EPERM: needs root).
 */
int reader_open_live(struct reader *r, const char *iface, const char *filter, struct errmsg *err);
/*
 * Feeds every frame to t until the file ends, or *stop is set or
 * reader_break() is called. Returns 0, or -EINVAL if the file is truncated or
 * corrupt (err says where), or -EIO for a live capture error.
 */
int reader_run(struct reader *r, struct tracker *t, const atomic_bool *stop, struct errmsg *err);
/* Makes reader_run() return soon; safe to call from a signal handler. */
void reader_break(struct reader *r);
void reader_get_stats(struct reader *r, struct reader_stats *out);
void reader_close(struct reader *r);

/* Between the reader's files only. */
/* Parses one frame of caplen bytes into the look-ahead ring, if parse_frame() reads it. */
void reader_take(struct reader *r, struct tracker *t, const uint8_t *data, uint32_t caplen,
		 uint64_t ts_ns);
/* Hands every parsed frame to the tracker. */
void reader_drain(struct reader *r, struct tracker *t);
/* Maps the file libpcap opened at path, if it is a pcap or pcapng file that can be; 0 if it did. */
int reader_map_open(struct reader *r, const char *path);
int reader_map_run(struct reader *r, struct tracker *t, const atomic_bool *stop,
		   struct errmsg *err);
void reader_map_close(struct reader *r);
