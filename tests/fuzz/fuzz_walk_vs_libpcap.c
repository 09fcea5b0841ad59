// SPDX-License-Identifier: MIT
/*
 * Differential libFuzzer target: any bytes as a capture file, read by
 * libpcap (from memory) and by hayate-detect's walks (tools/detect/
 * pcap_walk.c or pcapng_walk.c), frame by frame. They must hand over the same
 * frames (lengths, timestamps as reader.c computes them, bytes) and end or
 * fail at the same place, for every file libpcap opens with a link type the
 * detector reads. A difference aborts.
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "../../tools/detect/pcap_walk.h"
#include "../../tools/detect/pcapng_walk.h"

#define IFACES_MAX 256

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The walk that the reader would choose, as reader_map.c chooses it. */
struct walks {
	bool ng;
	struct pcap_walk pcap;
	struct pcapng_walk png;
	struct pcapng_iface ifaces[IFACES_MAX];
	uint32_t room;
};

static int walks_next(struct walks *w, struct pcap_record *rec, struct errmsg *err)
{
	int rc;

	if (!w->ng)
		return pcap_walk_next(&w->pcap, rec, err);
	while ((rc = pcapng_walk_next(&w->png, rec, err)) == -ENOSPC && w->room < IFACES_MAX) {
		w->room *= 2;
		pcapng_walk_room(&w->png, w->ifaces, w->room);
	}
	return rc;
}

static void differ(const char *what, int frames)
{
	fprintf(stderr, "frame %d: %s\n", frames, what);
	abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct walks w;
	char errbuf[PCAP_ERRBUF_SIZE];
	FILE *fp;
	pcap_t *p;
	int dlt, frames = 0;

	if (size == 0 || !(fp = fmemopen((void *)data, size, "rb")))
		return 0;
	p = pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	if (!p) {
		fclose(fp);
		return 0;
	}
	dlt = pcap_datalink(p);
	memset(&w, 0, sizeof(w));
	w.room = 4;
	if (dlt != DLT_EN10MB && dlt != DLT_RAW && dlt != DLT_LINUX_SLL && dlt != 228)
		goto out;
	if (pcap_walk_init(&w.pcap, data, size, (uint32_t)pcap_snapshot(p))) {
		if (pcapng_walk_init(&w.png, data, size, (uint32_t)pcap_snapshot(p), (uint32_t)dlt,
				     w.ifaces, w.room))
			goto out; /* a format libpcap reads itself (pcap before 2.4) */
		w.ng = true;
	}
	for (;;) {
		struct pcap_pkthdr *h;
		const u_char *bytes;
		struct pcap_record rec;
		struct errmsg err;
		int lib = pcap_next_ex(p, &h, &bytes), ours = walks_next(&w, &rec, &err);

		if (ours == -ENOSPC)
			break; /* more interfaces than this target lends */
		if (lib == PCAP_ERROR_BREAK) {
			if (ours != 0)
				differ("libpcap ended, the walk did not", frames);
			break;
		}
		if (lib == PCAP_ERROR) {
			if (ours != -EINVAL)
				differ(pcap_geterr(p), frames);
			break;
		}
		if (ours != 1)
			differ(err.text, frames);
		if (rec.caplen != h->caplen || rec.len != h->len ||
		    memcmp(rec.data, bytes, rec.caplen))
			differ("lengths or bytes", frames);
		/* Seconds as the pcap format defines them (unsigned), modulo 2^32 as reader.c. */
		if (!w.ng &&
		    rec.ts_ns != (uint64_t)(uint32_t)h->ts.tv_sec * 1000000000ull +
					 (uint64_t)(uint32_t)(h->ts.tv_usec / w.pcap.ns_per_tick) *
						 w.pcap.ns_per_tick)
			differ("timestamp", frames);
		if (w.ng && rec.ts_ns != (uint64_t)(uint32_t)h->ts.tv_sec * 1000000000ull +
						 (uint64_t)h->ts.tv_usec)
			differ("timestamp", frames);
		frames++;
	}
out:
	pcap_close(p);
	return 0;
}
