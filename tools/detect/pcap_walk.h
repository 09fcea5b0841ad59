/* SPDX-License-Identifier: MIT */
/*
 * The records of a classic pcap file (version 2.4, microsecond or nanosecond
 * timestamps, either byte order), walked in place in memory. Pure.
 *
 * Why: libpcap reads a file with two fread()s a frame, copying every record
 * twice; that alone took 29 of the 67 ns a frame may cost at 14.88 Mpps.
 * A mapped file needs no copy. libpcap still opens every file and is the
 * judge of its header, link type and snap length (reader.c); this walks only
 * the records after the 24-byte file header, by the rules libpcap applies to
 * them, so both readers hand the tracker the same frames:
 *  - a record whose captured length exceeds PCAP_WALK_MAX_CAPLEN is an error;
 *  - one longer than the file's snap length is cut to it (the rest skipped);
 *  - a record cut short by the end of the file is an error ("truncated");
 *  - timestamps are unsigned 32-bit seconds and fraction, as the format
 *    defines them (libpcap reads them signed, unless the file's byte order
 *    is swapped: seconds past 2038 went negative), the fraction in
 *    microseconds scaled to nanoseconds.
 * Other formats (pcapng, pcap before 2.4, patched record headers) are left
 * to libpcap: pcap_walk_init() refuses them.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "errmsg.h"

#define PCAP_WALK_FILE_HDR   24
#define PCAP_WALK_RECORD_HDR 16
#define PCAP_WALK_MAX_CAPLEN 262144 /* libpcap's largest snap length for our link types */

/* A number of a capture file's, in its byte order: swapped if it was written in the other one. */
static inline uint32_t pcap_load32(const uint8_t *p, bool swapped)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return swapped ? __builtin_bswap32(v) : v;
}

static inline uint16_t pcap_load16(const uint8_t *p, bool swapped)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return swapped ? __builtin_bswap16(v) : v;
}

struct pcap_walk {
	const uint8_t *at, *end; /* the next record header; the end of the file */
	uint32_t snaplen;
	uint32_t ns_per_tick; /* 1000: microsecond timestamps; 1: nanosecond */
	bool swapped;	      /* written in the other byte order */
};

struct pcap_record {
	const uint8_t *data; /* caplen bytes, inside the walked buffer */
	uint32_t caplen;     /* at most the snap length */
	uint32_t len;	     /* the frame's length on the wire */
	uint64_t ts_ns;
};

/*
 * Sets w to walk the records of the len bytes at file, which must hold the
 * whole file, its header first. snaplen is the file's snap length as libpcap
 * adjusted it (pcap_snapshot()). Returns 0, or -EPROTONOSUPPORT if the file
 * is not a version 2.4 pcap with the standard magic number.
 */
int pcap_walk_init(struct pcap_walk *w, const uint8_t *file, uint64_t len, uint32_t snaplen);

/*
 * The next record into rec. Returns 1, 0 at the end of the file, or -EINVAL
 * with err saying how the record is broken; after an error the walk is over.
 */
int pcap_walk_next(struct pcap_walk *w, struct pcap_record *rec, struct errmsg *err);
