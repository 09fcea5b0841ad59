/* SPDX-License-Identifier: MIT */
/*
 * The packets of a pcapng file, walked in place in memory, for the same
 * reason as pcap_walk.h's records. Pure: it allocates nothing; the caller
 * lends it room for the interfaces a section describes.
 *
 * libpcap opens the file first, reading its first section header and the
 * blocks up to the first interface, and is the judge of those (the link type
 * and snap length of the file are that interface's). The walk starts after
 * the first section header and reads every block by the rules libpcap 1.10
 * applies, so that both hand the tracker the same frames and stop at the
 * same block (test_detect_pcapng_walk.c checks this against the installed
 * libpcap on random and damaged files):
 *  - a block is at least 12 bytes, a multiple of 4, at most 16 MiB, and its
 *    trailing length repeats its leading one;
 *  - Enhanced, Simple and (obsolete) Packet Blocks carry frames; a Simple
 *    Packet Block's frame is on interface 0, without a timestamp, cut to the
 *    snap length; other frames longer than the snap length are errors;
 *  - an Interface Description Block after the first must have its link type
 *    (as written, against libpcap's number for the file's) and snap length
 *    (0, or more than 2^31 - 1, meaning 262144); its if_tsresol (a power of
 *    10 or of 2) and if_tsoffset options set how its timestamps read
 *    (microseconds by default), and are checked as libpcap checks them;
 *  - once there is an interface, a Section Header Block must keep the byte
 *    order and version 1, and starts a new list of interfaces; other blocks
 *    are skipped.
 * Timestamps come out as libpcap hands them over at nanosecond precision,
 * then as reader.c turns those into nanoseconds (seconds taken modulo 2^32).
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "errmsg.h"
#include "pcap_walk.h"

#define PCAPNG_WALK_MAX_BLOCK (16u << 20)

/* How one interface's timestamps read; see pcapng_walk.c. */
struct pcapng_iface {
	uint64_t tsresol; /* ticks a second */
	uint64_t factor;  /* the decimal ratio to nanoseconds, up or down */
	int64_t tsoffset; /* seconds added */
	uint8_t scale;
};

struct pcapng_walk {
	const uint8_t *at, *end; /* the next block; the end of the file */
	uint32_t snaplen;	 /* libpcap's, for the file */
	uint32_t linktype;	 /* libpcap's link type for the file (pcap_datalink()) */
	bool swapped;
	bool described; /* an interface block was read */
	uint32_t ifcount, ifroom;
	struct pcapng_iface *ifaces; /* the caller's, ifroom of them */
};

/*
 * Sets w to walk the len bytes at file, the whole file. snaplen and
 * linktype are libpcap's for it (pcap_snapshot(), pcap_datalink());
 * ifaces has room for ifroom interfaces. Returns 0, or -EPROTONOSUPPORT
 * if the file does not start with a section header block.
 */
int pcapng_walk_init(struct pcapng_walk *w, const uint8_t *file, uint64_t len, uint32_t snaplen,
		     uint32_t linktype, struct pcapng_iface *ifaces, uint32_t ifroom);

/*
 * The next frame into rec. Returns 1, 0 at the end of the file, -EINVAL
 * with err saying what is wrong (after which the walk is over), or -ENOSPC
 * when the next interface needs more room than ifaces has: call
 * pcapng_walk_room() with a larger array holding the first w->ifcount
 * entries, and ask again.
 */
int pcapng_walk_next(struct pcapng_walk *w, struct pcap_record *rec, struct errmsg *err);

static inline void pcapng_walk_room(struct pcapng_walk *w, struct pcapng_iface *ifaces,
				    uint32_t ifroom)
{
	w->ifaces = ifaces;
	w->ifroom = ifroom;
}
