// SPDX-License-Identifier: MIT
#include "pcapng_walk.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

#define BT_SHB		 0x0a0d0d0au /* the same in either byte order */
#define BT_IDB		 1
#define BT_PB		 2
#define BT_SPB		 3
#define BT_EPB		 6
#define BYTE_ORDER_MAGIC 0x1a2b3c4du
#define BLOCK_HDR	 8  /* type and total length */
#define BLOCK_MIN	 12 /* header and trailing length */
#define SHB_FIXED	 16 /* byte-order magic, version, section length */
#define IDB_FIXED	 8  /* link type, reserved, snap length */
#define PACKET_FIXED	 20 /* EPB and PB: interface, timestamp, lengths */
#define SPB_FIXED	 4
#define OPT_END		 0
#define OPT_TSRESOL	 9
#define OPT_TSOFFSET	 14
#define VERSION_MAJOR	 1
#define TSRESOL_DEFAULT	 1000000ull /* microseconds, when an interface does not say */
#define NS_PER_S	 1000000000ull

/* From an interface's ticks to nanoseconds, as libpcap scales its fraction of a second. */
enum {
	SCALE_SAME,
	SCALE_UP_DEC,	/* times a power of 10 */
	SCALE_DOWN_DEC, /* divided by one */
	SCALE_BIN,	/* times 10^9 over a power of 2, in 64 bits */
};

static uint32_t get32(const struct pcapng_walk *w, const uint8_t *p)
{
	return pcap_load32(p, w->swapped);
}

static uint16_t get16(const struct pcapng_walk *w, const uint8_t *p)
{
	return pcap_load16(p, w->swapped);
}

int pcapng_walk_init(struct pcapng_walk *w, const uint8_t *file, uint64_t len, uint32_t snaplen,
		     uint32_t linktype, struct pcapng_iface *ifaces, uint32_t ifroom)
{
	uint32_t magic, first;

	memset(w, 0, sizeof(*w));
	if (len < BLOCK_HDR + SHB_FIXED)
		return -EPROTONOSUPPORT;
	memcpy(&magic, file, sizeof(magic));
	if (magic != BT_SHB)
		return -EPROTONOSUPPORT;
	memcpy(&magic, file + BLOCK_HDR, sizeof(magic));
	if (magic != BYTE_ORDER_MAGIC && magic != __builtin_bswap32(BYTE_ORDER_MAGIC))
		return -EPROTONOSUPPORT;
	w->swapped = magic != BYTE_ORDER_MAGIC;
	/* libpcap read the first section header when it opened the file: start after it. */
	first = get32(w, file + 4);
	if (first < BLOCK_MIN + SHB_FIXED || first > len)
		return -EPROTONOSUPPORT;
	w->at = file + first;
	w->end = file + len;
	w->snaplen = snaplen;
	w->linktype = linktype;
	w->ifaces = ifaces;
	w->ifroom = ifroom;
	return 0;
}

/* The if_tsresol and if_tsoffset options of an interface, into f. */
static int pcapng_idb_options(struct pcapng_walk *w, const uint8_t *p, uint32_t left,
			      struct pcapng_iface *f, struct errmsg *err)
{
	bool saw_resol = false, saw_offset = false, binary = false;

	f->tsresol = TSRESOL_DEFAULT;
	f->tsoffset = 0;
	while (left) {
		uint16_t code, len;
		uint32_t padded;

		if (left < 4)
			return errmsg_set(err, -EINVAL, "an interface option is cut short");
		code = get16(w, p);
		len = get16(w, p + 2);
		padded = ((uint32_t)len + 3) / 4 * 4;
		if (left - 4 < padded)
			return errmsg_set(err, -EINVAL,
					  "an interface option of %u bytes is cut short", len);
		p += 4;
		left -= 4 + padded;
		if (code == OPT_END) {
			if (len)
				return errmsg_set(err, -EINVAL,
						  "an interface's end of options has length %u",
						  len);
			break;
		}
		if (code == OPT_TSRESOL) {
			uint8_t v = p[0];

			if (len != 1 || saw_resol)
				return errmsg_set(err, -EINVAL,
						  "an interface has a bad if_tsresol option");
			saw_resol = true;
			binary = v & 0x80;
			if ((binary && (v & 0x7f) > 63) || (!binary && v > 19))
				return errmsg_set(err, -EINVAL,
						  "an interface's if_tsresol %#x is too fine", v);
			f->tsresol = 1;
			if (binary)
				f->tsresol <<= v & 0x7f;
			else
				for (unsigned i = 0; i < v; i++)
					f->tsresol *= 10;
		} else if (code == OPT_TSOFFSET) {
			uint64_t off;

			if (len != 8 || saw_offset)
				return errmsg_set(err, -EINVAL,
						  "an interface has a bad if_tsoffset option");
			saw_offset = true;
			memcpy(&off, p, sizeof(off));
			f->tsoffset = (int64_t)(w->swapped ? __builtin_bswap64(off) : off);
		}
		p += padded;
	}
	if (f->tsresol == NS_PER_S)
		f->scale = SCALE_SAME;
	else if (binary)
		f->scale = SCALE_BIN;
	else if (f->tsresol > NS_PER_S)
		f->scale = SCALE_DOWN_DEC, f->factor = f->tsresol / NS_PER_S;
	else
		f->scale = SCALE_UP_DEC, f->factor = NS_PER_S / f->tsresol;
	return 0;
}

/* A snap length as libpcap 1.10 adjusts an interface's: 0 and lengths past INT_MAX are its most. */
static uint32_t pcapng_snaplen(uint32_t snaplen)
{
	return snaplen == 0 || snaplen > INT32_MAX ? PCAP_WALK_MAX_CAPLEN : snaplen;
}

/* A new interface from an IDB's body; -ENOSPC if ifaces is full. */
static int pcapng_idb(struct pcapng_walk *w, const uint8_t *body, uint32_t blen, struct errmsg *err)
{
	uint32_t linktype, snaplen;

	if (blen < IDB_FIXED)
		return errmsg_set(err, -EINVAL, "an interface block of %u bytes is too short",
				  blen);
	linktype = get16(w, body);
	snaplen = get32(w, body + 4);
	/*
	 * libpcap took the first interface's as the file's, the link type mapped
	 * to its own numbering (compared with later ones as they are written) and
	 * the snap length adjusted as below.
	 */
	if (w->described && linktype != w->linktype)
		return errmsg_set(err, -EINVAL, "an interface has link type %u, the first one %u",
				  linktype, w->linktype);
	if (w->described && pcapng_snaplen(snaplen) != w->snaplen)
		return errmsg_set(err, -EINVAL, "an interface has snap length %u, the first one %u",
				  snaplen, w->snaplen);
	if (w->ifcount == w->ifroom)
		return -ENOSPC;
	if (pcapng_idb_options(w, body + IDB_FIXED, blen - IDB_FIXED, &w->ifaces[w->ifcount], err))
		return -EINVAL;
	w->ifcount++;
	w->described = true;
	return 0;
}

/* A new section from an SHB's body: the same byte order, version 1, no interfaces yet. */
static int pcapng_shb(struct pcapng_walk *w, const uint8_t *body, uint32_t blen, struct errmsg *err)
{
	uint32_t magic;

	if (blen < SHB_FIXED)
		return errmsg_set(err, -EINVAL, "a section header of %u bytes is too short", blen);
	magic = get32(w, body);
	if (magic != BYTE_ORDER_MAGIC)
		return errmsg_set(err, -EINVAL,
				  "a section has byte-order magic %#x (another byte order?)",
				  magic);
	if (get16(w, body + 4) != VERSION_MAJOR)
		return errmsg_set(err, -EINVAL, "a section has major version %u",
				  get16(w, body + 4));
	w->ifcount = 0;
	return 0;
}

/* A frame's ticks on interface f as reader.c's nanoseconds from libpcap's timeval. */
static uint64_t pcapng_ts_ns(const struct pcapng_iface *f, uint64_t ticks)
{
	uint64_t sec = ticks / f->tsresol + (uint64_t)f->tsoffset, frac = ticks % f->tsresol;

	switch (f->scale) {
	case SCALE_UP_DEC:
		frac *= f->factor;
		break;
	case SCALE_DOWN_DEC:
		frac /= f->factor;
		break;
	case SCALE_BIN:
		frac = frac * NS_PER_S / f->tsresol;
		break;
	}
	/* libpcap keeps the fraction in an int; reader.c takes the seconds modulo 2^32. */
	return (uint64_t)(uint32_t)sec * NS_PER_S + (uint64_t)(int64_t)(int32_t)(uint32_t)frac;
}

static int pcapng_step(struct pcapng_walk *w, struct pcap_record *rec, struct errmsg *err)
{
	for (;;) {
		uint64_t left = (uint64_t)(w->end - w->at);
		uint32_t type, total, blen, ifid, caplen, len;
		const uint8_t *body;
		uint64_t ticks;
		int rc;

		if (left == 0)
			return 0;
		if (left < BLOCK_HDR)
			return errmsg_set(err, -EINVAL,
					  "truncated pcapng dump file; tried to read %u bytes, "
					  "only got %" PRIu64,
					  BLOCK_HDR, left);
		type = get32(w, w->at);
		total = get32(w, w->at + 4);
		if (total < BLOCK_MIN || total % 4 || total > PCAPNG_WALK_MAX_BLOCK)
			return errmsg_set(err, -EINVAL, "a block of type %u has length %u", type,
					  total);
		if (left < total)
			return errmsg_set(err, -EINVAL,
					  "truncated pcapng dump file; tried to read %u bytes, "
					  "only got %" PRIu64,
					  total - BLOCK_HDR, left - BLOCK_HDR);
		if (get32(w, w->at + total - 4) != total)
			return errmsg_set(err, -EINVAL,
					  "a block's length is %u ahead and %u behind", total,
					  get32(w, w->at + total - 4));
		body = w->at + BLOCK_HDR;
		blen = total - BLOCK_MIN;
		switch (type) {
		case BT_EPB:
		case BT_PB:
			if (blen < PACKET_FIXED)
				return errmsg_set(err, -EINVAL,
						  "a packet block of %u bytes is too short", blen);
			ifid = type == BT_EPB ? get32(w, body) : get16(w, body);
			ticks = (uint64_t)get32(w, body + 4) << 32 | get32(w, body + 8);
			caplen = get32(w, body + 12);
			len = get32(w, body + 16);
			body += PACKET_FIXED;
			blen -= PACKET_FIXED;
			break;
		case BT_SPB:
			if (blen < SPB_FIXED)
				return errmsg_set(err, -EINVAL,
						  "a simple packet block of %u bytes is too short",
						  blen);
			ifid = 0;
			ticks = 0;
			len = get32(w, body);
			caplen = len < w->snaplen ? len : w->snaplen;
			body += SPB_FIXED;
			blen -= SPB_FIXED;
			break;
		case BT_IDB:
			rc = pcapng_idb(w, body, blen, err);
			if (rc)
				return rc;
			w->at += total;
			continue;
		case BT_SHB:
			/* Before the first interface, libpcap skips any block but a packet. */
			if (w->described && pcapng_shb(w, body, blen, err))
				return -EINVAL;
			w->at += total;
			continue;
		default:
			w->at += total;
			continue;
		}
		if (ifid >= w->ifcount)
			return errmsg_set(err, -EINVAL,
					  "a packet on interface %u, but %u are described", ifid,
					  w->ifcount);
		if (caplen > w->snaplen)
			return errmsg_set(
				err, -EINVAL,
				"invalid packet capture length %u, bigger than snaplen of %u",
				caplen, w->snaplen);
		if (caplen > blen)
			return errmsg_set(err, -EINVAL,
					  "a packet block of %u bytes holds a %u-byte frame", blen,
					  caplen);
		rec->data = body;
		rec->caplen = caplen;
		rec->len = len;
		rec->ts_ns = pcapng_ts_ns(&w->ifaces[ifid], ticks);
		w->at += total;
		return 1;
	}
}

int pcapng_walk_next(struct pcapng_walk *w, struct pcap_record *rec, struct errmsg *err)
{
	int rc = pcapng_step(w, rec, err);

	if (rc == -EINVAL)
		w->at = w->end = NULL; /* the walk is over */
	return rc;
}
