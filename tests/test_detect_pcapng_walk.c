// SPDX-License-Identifier: MIT
/*
 * The mapped reading of pcapng files (tools/detect/pcapng_walk.c) against
 * libpcap's own: random files of either byte order with several sections,
 * interfaces of every timestamp resolution and offset, the three packet
 * blocks and blocks to skip; each read whole, cut at every byte, and with
 * thousands of single bytes changed. Both must hand over the same frames,
 * timestamps and bytes, and end (or fail) at the same place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include "../tools/detect/pcapng_walk.h"

#define FILE_MAX   (64 << 10)
#define IFACES_MAX 64
#define FRAME_MAX  160 /* bytes captured at most, unless the snap length is less */

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

/* A pcapng file being written, in one byte order. */
struct ng {
	uint8_t buf[FILE_MAX];
	size_t n;
	bool swapped;
	uint32_t snaplen;
	unsigned ifaces; /* described in the current section */
};

static void put(struct ng *g, const void *p, size_t len)
{
	assert_true(g->n + len <= FILE_MAX);
	if (len)
		memcpy(g->buf + g->n, p, len);
	g->n += len;
}

static void put32(struct ng *g, uint32_t v)
{
	v = g->swapped ? __builtin_bswap32(v) : v;
	put(g, &v, 4);
}

static void put16(struct ng *g, uint16_t v)
{
	v = g->swapped ? __builtin_bswap16(v) : v;
	put(g, &v, 2);
}

static void pad4(struct ng *g)
{
	while (g->n % 4)
		g->buf[g->n++] = 0;
}

/* Starts a block of type; block_end() writes its lengths. */
static size_t block_start(struct ng *g, uint32_t type)
{
	size_t at = g->n;

	put32(g, type);
	put32(g, 0);
	return at;
}

static void block_end(struct ng *g, size_t at)
{
	uint32_t total = (uint32_t)(g->n + 4 - at),
		 v = g->swapped ? __builtin_bswap32(total) : total;

	memcpy(g->buf + at + 4, &v, 4);
	put32(g, total);
}

static void option(struct ng *g, uint16_t code, const void *value, uint16_t len)
{
	put16(g, code);
	put16(g, len);
	put(g, value, len);
	pad4(g);
}

static void section(struct ng *g)
{
	size_t at = block_start(g, 0x0a0d0d0au);
	uint64_t no_length = UINT64_MAX;

	put32(g, 0x1a2b3c4du);
	put16(g, 1);
	put16(g, 0);
	put(g, &no_length, 8);
	if (rnd() % 2)
		option(g, 1, "a comment", 9);
	block_end(g, at);
	g->ifaces = 0;
}

static void interface(struct ng *g)
{
	size_t at = block_start(g, 1);
	uint8_t resol = rnd() % 2 ? (uint8_t)(rnd() % 13) : (uint8_t)(0x80 | rnd() % 41);
	int64_t offset = (int64_t)(rnd() % 2000) - 1000;

	put16(g, DLT_EN10MB);
	put16(g, 0);
	put32(g, g->snaplen);
	if (rnd() % 2)
		option(g, 2, "eth0", 4);
	if (rnd() % 4)
		option(g, 9, &resol, 1);
	if (rnd() % 3 == 0) {
		uint64_t v = g->swapped ? __builtin_bswap64((uint64_t)offset) : (uint64_t)offset;

		option(g, 14, &v, 8);
	}
	if (rnd() % 2)
		option(g, 0, NULL, 0);
	block_end(g, at);
	g->ifaces++;
}

static void frame_bytes(struct ng *g, uint32_t caplen)
{
	for (uint32_t i = 0; i < caplen; i++)
		g->buf[g->n++] = (uint8_t)rnd();
	pad4(g);
}

static void packet(struct ng *g)
{
	uint32_t most = g->snaplen < FRAME_MAX ? g->snaplen : FRAME_MAX;
	uint32_t kind = rnd() % 8, caplen = rnd() % (most + 1), len = caplen + rnd() % 3;
	/* Times near now in any unit, and sometimes anything at all. */
	uint64_t ticks = rnd() % 4 ? (uint64_t)1700000000 * (1 + rnd() % 1000) * (1 + rnd() % 1000)
				   : (uint64_t)rnd() << 32 | rnd();
	size_t at;

	if (kind == 0) { /* a Simple Packet Block: interface 0, cut to the snap length */
		at = block_start(g, 3);
		len = rnd() % (most + 40);
		put32(g, len);
		frame_bytes(g, len < g->snaplen ? len : g->snaplen);
	} else {
		at = block_start(g, kind == 1 ? 2 : 6);
		if (kind == 1) { /* the obsolete Packet Block */
			put16(g, (uint16_t)(rnd() % g->ifaces));
			put16(g, 0);
		} else {
			put32(g, rnd() % g->ifaces);
		}
		put32(g, (uint32_t)(ticks >> 32));
		put32(g, (uint32_t)ticks);
		put32(g, caplen);
		put32(g, len);
		frame_bytes(g, caplen);
		if (rnd() % 4 == 0)
			option(g, 1, "late", 4);
	}
	block_end(g, at);
}

/* Something to skip: a name resolution or statistics block, or one of no known type. */
static void other_block(struct ng *g)
{
	static const uint32_t types[] = {4, 5, 0x0bad0bad};
	size_t at = block_start(g, types[rnd() % 3]);

	frame_bytes(g, rnd() % 40);
	block_end(g, at);
}

/* A random file: sections of interfaces, frames and other blocks. */
static size_t make_file(struct ng *g, bool swapped, uint32_t snaplen, unsigned blocks)
{
	memset(g, 0, sizeof(*g));
	g->swapped = swapped;
	g->snaplen = snaplen;
	section(g);
	if (rnd() % 2)
		other_block(g);
	interface(g);
	for (unsigned b = 0; b < blocks; b++) {
		uint32_t r = rnd() % 100;

		if (r < 3) {
			section(g);
			interface(g);
		} else if (r < 10) {
			interface(g);
		} else if (r < 15) {
			other_block(g);
		} else {
			packet(g);
		}
	}
	return g->n;
}

/* The link types reader.c reads (libpcap rewrites some others' headers in a swapped file). */
static bool reader_link_ok(int dlt)
{
	return dlt == DLT_EN10MB || dlt == DLT_RAW || dlt == DLT_LINUX_SLL || dlt == 228;
}

/*
 * Reads buf[0..len) with libpcap and with the walk side by side and fails at
 * the first difference. Returns how many frames both read, or -1 if libpcap
 * would not open the file (then the reader never maps it).
 */
static int compare_readers(const uint8_t *buf, size_t len)
{
	static struct pcapng_iface ifaces[IFACES_MAX];
	char errbuf[PCAP_ERRBUF_SIZE];
	FILE *fp = fmemopen((void *)buf, len, "rb");
	pcap_t *p =
		pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	struct pcapng_walk w;
	struct errmsg err = {""};
	uint32_t room = 2; /* grown as the walk asks */
	int frames = 0;

	if (!p) {
		fclose(fp);
		return -1;
	}
	/* Damage to the first interface can name a link type the reader refuses to read. */
	if (!reader_link_ok(pcap_datalink(p))) {
		pcap_close(p);
		return -1;
	}
	assert_int_equal(pcapng_walk_init(&w, buf, len, (uint32_t)pcap_snapshot(p),
					  (uint32_t)pcap_datalink(p), ifaces, room),
			 0);
	for (;;) {
		struct pcap_pkthdr *h;
		const u_char *data;
		struct pcap_record rec;
		int lib = pcap_next_ex(p, &h, &data), ours;

		while ((ours = pcapng_walk_next(&w, &rec, &err)) == -ENOSPC) {
			assert_true(room < IFACES_MAX);
			room *= 2;
			pcapng_walk_room(&w, ifaces, room);
		}
		if (lib == PCAP_ERROR_BREAK) {
			if (ours != 0)
				fail_msg("frame %d: libpcap ended, the walk says %d (%s)", frames,
					 ours, err.text);
			break;
		}
		if (lib == PCAP_ERROR) {
			if (ours != -EINVAL)
				fail_msg("frame %d: libpcap failed (%s), the walk says %d", frames,
					 pcap_geterr(p), ours);
			assert_true(err.text[0] != '\0');
			break;
		}
		if (ours != 1)
			fail_msg("frame %d: libpcap read one, the walk says %d (%s)", frames, ours,
				 err.text);
		assert_int_equal(rec.caplen, h->caplen);
		assert_int_equal(rec.len, h->len);
		/* As reader.c turns libpcap's header into nanoseconds. */
		assert_int_equal(rec.ts_ns, (uint64_t)(uint32_t)h->ts.tv_sec * 1000000000ull +
						    (uint64_t)h->ts.tv_usec);
		assert_memory_equal(rec.data, data, rec.caplen);
		frames++;
	}
	pcap_close(p);
	return frames;
}

static void test_walk_matches_libpcap(void **state)
{
	(void)state;
	static struct ng g;

	for (unsigned i = 0; i < 8; i++) {
		size_t len = make_file(&g, i % 2, i < 4 ? 65535 : 96, 120);
		int whole = compare_readers(g.buf, len);

		assert_true(whole > 50);
		/* Cut anywhere: the same frames, then both end or both fail. */
		for (size_t cut = 0; cut < len; cut++)
			assert_true(compare_readers(g.buf, cut) <= whole);
	}
}

/*
 * One to three bytes changed anywhere, or mostly among the first blocks,
 * where the section and interface headers are.
 */
static void test_walk_matches_libpcap_on_damage(void **state)
{
	(void)state;
	static struct ng g, bad;
	unsigned opened = 0;

	for (unsigned i = 0; i < 8; i++) {
		size_t len = make_file(&g, i % 2, i % 4 < 2 ? 65535 : 96, 30);

		for (unsigned k = 0; k < 2500; k++) {
			bad = g;
			for (unsigned n = 1 + rnd() % 3; n > 0; n--) {
				size_t at =
					rnd() % 3 ? rnd() % (len < 400 ? len : 400) : rnd() % len;

				bad.buf[at] = (uint8_t)(rnd() % 2 ? rnd() : rnd() % 8);
			}
			opened += compare_readers(bad.buf, len) >= 0;
		}
	}
	/* Most damage leaves the start readable, so libpcap opens the file. */
	assert_true(opened > 10000);
}

static void test_walk_refuses_pcap(void **state)
{
	(void)state;
	static const uint8_t pcap[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2, 0, 4, 0};
	static struct ng g;
	struct pcapng_iface ifaces[1];
	struct pcapng_walk w;
	size_t len = make_file(&g, false, 65535, 4);

	assert_int_equal(pcapng_walk_init(&w, g.buf, len, 65535, DLT_EN10MB, ifaces, 1), 0);
	assert_int_equal(pcapng_walk_init(&w, pcap, sizeof(pcap), 65535, DLT_EN10MB, ifaces, 1),
			 -EPROTONOSUPPORT);
	assert_int_equal(pcapng_walk_init(&w, g.buf, 20, 65535, DLT_EN10MB, ifaces, 1),
			 -EPROTONOSUPPORT);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_matches_libpcap),
		cmocka_unit_test(test_walk_matches_libpcap_on_damage),
		cmocka_unit_test(test_walk_refuses_pcap),
	};

	return cmocka_run_group_tests_name("detect_pcapng_walk", tests, NULL, NULL);
}
