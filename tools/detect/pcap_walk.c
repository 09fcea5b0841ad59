// SPDX-License-Identifier: MIT
#include "pcap_walk.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#define MAGIC_USEC    0xa1b2c3d4u
#define MAGIC_NSEC    0xa1b23c4du
#define VERSION_MAJOR 2
#define VERSION_MINOR 4

static uint32_t load32(const uint8_t *p, bool swapped)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return swapped ? __builtin_bswap32(v) : v;
}

static uint16_t load16(const uint8_t *p, bool swapped)
{
	uint16_t v;

	memcpy(&v, p, sizeof(v));
	return swapped ? __builtin_bswap16(v) : v;
}

int pcap_walk_init(struct pcap_walk *w, const uint8_t *file, uint64_t len, uint32_t snaplen)
{
	uint32_t magic;

	memset(w, 0, sizeof(*w));
	if (len < PCAP_WALK_FILE_HDR)
		return -EPROTONOSUPPORT;
	magic = load32(file, false);
	if (magic != MAGIC_USEC && magic != MAGIC_NSEC) {
		magic = __builtin_bswap32(magic);
		if (magic != MAGIC_USEC && magic != MAGIC_NSEC)
			return -EPROTONOSUPPORT;
		w->swapped = true;
	}
	if (load16(file + 4, w->swapped) != VERSION_MAJOR ||
	    load16(file + 6, w->swapped) != VERSION_MINOR)
		return -EPROTONOSUPPORT;
	w->ns_per_tick = magic == MAGIC_USEC ? 1000 : 1;
	w->snaplen = snaplen && snaplen < PCAP_WALK_MAX_CAPLEN ? snaplen : PCAP_WALK_MAX_CAPLEN;
	w->at = file + PCAP_WALK_FILE_HDR;
	w->end = file + len;
	return 0;
}

static int pcap_walk_fail(struct pcap_walk *w, struct errmsg *err, const char *what, uint64_t want,
			  uint64_t got)
{
	w->at = w->end = NULL;
	if (want > PCAP_WALK_MAX_CAPLEN)
		return errmsg_set(err, -EINVAL,
				  "invalid packet capture length %" PRIu64
				  ", bigger than maximum of %u",
				  want, PCAP_WALK_MAX_CAPLEN);
	return errmsg_set(err, -EINVAL,
			  "truncated dump file; tried to read %" PRIu64
			  " %s bytes, only got %" PRIu64,
			  want, what, got);
}

int pcap_walk_next(struct pcap_walk *w, struct pcap_record *rec, struct errmsg *err)
{
	uint64_t left = (uint64_t)(w->end - w->at);
	uint32_t caplen, sec, tick;

	if (left < PCAP_WALK_RECORD_HDR) {
		if (left == 0)
			return 0;
		return pcap_walk_fail(w, err, "header", PCAP_WALK_RECORD_HDR, left);
	}
	left -= PCAP_WALK_RECORD_HDR;
	caplen = load32(w->at + 8, w->swapped);
	if (caplen > PCAP_WALK_MAX_CAPLEN || caplen > left)
		return pcap_walk_fail(w, err, "captured", caplen, left);
	sec = load32(w->at, w->swapped);
	tick = load32(w->at + 4, w->swapped);
	rec->ts_ns = (uint64_t)sec * 1000000000ull + (uint64_t)tick * w->ns_per_tick;
	rec->len = load32(w->at + 12, w->swapped);
	rec->caplen = caplen < w->snaplen ? caplen : w->snaplen;
	rec->data = w->at + PCAP_WALK_RECORD_HDR;
	w->at = rec->data + caplen;
	return 1;
}
