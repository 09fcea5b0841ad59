// SPDX-License-Identifier: MIT
#include "pcap_walk.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#define MAGIC_USEC    0xa1b2c3d4u
#define MAGIC_NSEC    0xa1b23c4du
#define VERSION_MAJOR 2
#define VERSION_MINOR 4

int pcap_walk_init(struct pcap_walk *w, const uint8_t *file, uint64_t len, uint32_t snaplen)
{
	uint32_t magic;

	memset(w, 0, sizeof(*w));
	if (len < PCAP_WALK_FILE_HDR)
		return -EPROTONOSUPPORT;
	magic = pcap_load32(file, false);
	if (magic != MAGIC_USEC && magic != MAGIC_NSEC) {
		magic = __builtin_bswap32(magic);
		if (magic != MAGIC_USEC && magic != MAGIC_NSEC)
			return -EPROTONOSUPPORT;
		w->swapped = true;
	}
	if (pcap_load16(file + 4, w->swapped) != VERSION_MAJOR ||
	    pcap_load16(file + 6, w->swapped) != VERSION_MINOR)
		return -EPROTONOSUPPORT;
	w->ns_per_tick = magic == MAGIC_USEC ? 1000 : 1;
	w->snaplen = snaplen && snaplen < PCAP_WALK_MAX_CAPLEN ? snaplen : PCAP_WALK_MAX_CAPLEN;
	w->at = file + PCAP_WALK_FILE_HDR;
	w->end = file + len;
	return 0;
}

/* pcap_walk_next(), but for ending the walk after an error. */
static int pcap_walk_step(struct pcap_walk *w, struct pcap_record *rec, struct errmsg *err)
{
	uint64_t left = (uint64_t)(w->end - w->at);
	uint32_t caplen, sec, tick;

	if (left < PCAP_WALK_RECORD_HDR) {
		if (left == 0)
			return 0;
		return errmsg_set(
			err, -EINVAL,
			"truncated dump file; tried to read %u header bytes, only got %" PRIu64,
			PCAP_WALK_RECORD_HDR, left);
	}
	left -= PCAP_WALK_RECORD_HDR;
	caplen = pcap_load32(w->at + 8, w->swapped);
	if (caplen > PCAP_WALK_MAX_CAPLEN)
		return errmsg_set(err, -EINVAL,
				  "invalid packet capture length %u, bigger than maximum of %u",
				  caplen, PCAP_WALK_MAX_CAPLEN);
	if (caplen > left)
		return errmsg_set(
			err, -EINVAL,
			"truncated dump file; tried to read %u captured bytes, only got %" PRIu64,
			caplen, left);
	sec = pcap_load32(w->at, w->swapped);
	tick = pcap_load32(w->at + 4, w->swapped);
	rec->ts_ns = (uint64_t)sec * 1000000000ull + (uint64_t)tick * w->ns_per_tick;
	rec->len = pcap_load32(w->at + 12, w->swapped);
	rec->caplen = caplen < w->snaplen ? caplen : w->snaplen;
	rec->data = w->at + PCAP_WALK_RECORD_HDR;
	w->at = rec->data + caplen;
	return 1;
}

int pcap_walk_next(struct pcap_walk *w, struct pcap_record *rec, struct errmsg *err)
{
	int rc = pcap_walk_step(w, rec, err);

	if (rc < 0)
		w->at = w->end = NULL; /* the walk is over */
	return rc;
}
