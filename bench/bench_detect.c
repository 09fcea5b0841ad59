// SPDX-License-Identifier: MIT
/*
 * Writes the synthetic capture that bench_detect.sh times hayate-detect on:
 * minimum-size Ethernet frames (60 bytes captured, 64 on the wire with the
 * FCS), timestamped 67.2 ns apart, which is 14.88 Mpps, a saturated 10 GbE
 * link. Deterministic for a given seed.
 *
 * Profiles (weights are per event; an event is one to three frames):
 *   mixed  40 data segments of 65536 established flows, 2 complete normal
 *          handshakes, 40 probes from 16 scanners sweeping 10.0.0.0/8 on 100
 *          ports (half answered RST, a tenth SYN-ACK and the scanner's RST,
 *          the rest silent), 10 SYNs from random spoofed sources, 8 UDP.
 *   flood  every frame a SYN from a new random source to a random host and
 *          port: the worst case for the tables, nothing stays in cache.
 *
 * A FILE named *.pcapng is written as pcapng (one interface, nanosecond
 * timestamps, an Enhanced Packet Block a frame), anything else as pcap.
 *
 * Usage: bench_detect FILE FRAMES [mixed|flood] [SEED]
 */
#include <pcap/pcap.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet.h"

#define FRAME_BYTES  60
#define FRAME_GAP_PS 67200 /* 672 bits at 10 Gb/s */
#define FLOWS	     65536
#define SCANNERS     16
#define SCAN_PORTS   100
#define FLAG_FIN     0x01
#define FLAG_SYN     0x02
#define FLAG_RST     0x04
#define FLAG_PSH     0x08
#define FLAG_ACK     0x10

struct gen {
	pcap_dumper_t *dumper;
	FILE *ng; /* pcapng instead */
	uint64_t rng;
	uint64_t frames, limit;
	uint64_t t_ps; /* picoseconds since the first frame */
	uint8_t frame[FRAME_BYTES];
};

static uint64_t gen_rand(struct gen *g)
{
	g->rng ^= g->rng << 13;
	g->rng ^= g->rng >> 7;
	g->rng ^= g->rng << 17;
	return g->rng;
}

/* Appends one frame: IPv4 TCP (proto 6) with flags, or UDP (proto 17). */
static void le32(FILE *fp, uint32_t v)
{
	fwrite(&v, 4, 1, fp); /* x86: little-endian, as the section header says */
}

/* A section header and an Ethernet interface with nanosecond timestamps. */
static void ng_start(FILE *fp)
{
	static const uint32_t shb[] = {0x0a0d0d0a, 28, 0x1a2b3c4d, 1, 0xffffffff, 0xffffffff, 28};
	static const uint32_t idb[] = {1, 28, DLT_EN10MB, 65535, 0x00010009, 9, 28};

	fwrite(shb, sizeof(shb), 1, fp);
	fwrite(idb, sizeof(idb), 1, fp);
}

/* An Enhanced Packet Block; the frame is a multiple of 4 bytes long. */
static void ng_packet(FILE *fp, const struct pcap_pkthdr *h, const uint8_t *f)
{
	uint64_t ns = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;

	le32(fp, 6);
	le32(fp, 32 + h->caplen);
	le32(fp, 0);
	le32(fp, (uint32_t)(ns >> 32));
	le32(fp, (uint32_t)ns);
	le32(fp, h->caplen);
	le32(fp, h->len);
	fwrite(f, h->caplen, 1, fp);
	le32(fp, 32 + h->caplen);
}

static void gen_emit(struct gen *g, uint8_t proto, uint32_t src, uint16_t sport, uint32_t dst,
		     uint16_t dport, uint8_t flags)
{
	struct pcap_pkthdr h = {.caplen = FRAME_BYTES, .len = FRAME_BYTES};
	uint8_t *f = g->frame, *ip = f + 14, *l4 = ip + 20;

	if (g->frames == g->limit)
		return;
	memset(f, 0, sizeof(g->frame));
	memset(f, 0x02, 12);
	be16_write(f + 12, 0x0800);
	ip[0] = 0x45;
	be16_write(ip + 2, proto == 6 ? 40 : 28);
	be16_write(ip + 4, (uint16_t)g->frames);
	ip[8] = 64;
	ip[9] = proto;
	be32_write(ip + 12, src);
	be32_write(ip + 16, dst);
	be16_write(l4, sport);
	be16_write(l4 + 2, dport);
	if (proto == 6) {
		be32_write(l4 + 4, (uint32_t)gen_rand(g));
		l4[12] = 5 << 4;
		l4[13] = flags;
		be16_write(l4 + 14, flags == FLAG_SYN ? 1024 : 64240);
	} else {
		be16_write(l4 + 4, 8);
	}
	h.ts.tv_sec = (time_t)(1700000000 + g->t_ps / 1000000000000ull);
	h.ts.tv_usec = (suseconds_t)(g->t_ps % 1000000000000ull / 1000); /* nanoseconds */
	if (g->ng)
		ng_packet(g->ng, &h, f);
	else
		pcap_dump((u_char *)g->dumper, &h, f);
	g->frames++;
	g->t_ps += FRAME_GAP_PS;
}

static uint32_t flow_client(uint32_t i)
{
	return 0x0a010000u | (i & 0xffff); /* 10.1.0.0/16 */
}

static uint32_t flow_server(uint32_t i)
{
	return 0x0a020000u | (i % 64); /* 64 servers in 10.2.0.0/26 */
}

static void gen_mixed_event(struct gen *g)
{
	static const uint16_t scan_ports[SCAN_PORTS] = {
		21,    22,    23,    25,    53,	   80,	  81,	 88,	110,   111,   135,   139,
		143,   389,   443,   445,   465,   587,	  593,	 636,	873,   993,   995,   1025,
		1080,  1433,  1521,  1723,  1883,  2049,  2082,	 2083,	2222,  2375,  2376,  3000,
		3128,  3306,  3389,  3690,  4369,  4443,  4444,	 5000,	5060,  5432,  5555,  5601,
		5672,  5900,  5938,  5984,  6000,  6379,  6443,	 6667,	7001,  7071,  7077,  7443,
		8000,  8008,  8080,  8081,  8086,  8088,  8443,	 8530,	8888,  9000,  9042,  9090,
		9092,  9100,  9200,  9300,  9418,  9999,  10000, 10250, 11211, 15672, 16010, 20000,
		25565, 27017, 27018, 28017, 30000, 32400, 37777, 44818, 47808, 49152, 50000, 50070,
		54321, 55443, 60001, 61616};
	uint64_t r = gen_rand(g);
	uint32_t w = (uint32_t)(r % 100), i = (uint32_t)(r >> 16);

	if (w < 40) { /* a data segment of an established flow, either way */
		uint32_t flow = i % FLOWS;
		uint16_t cport = (uint16_t)(32768 + flow % 28000);

		if (r >> 63)
			gen_emit(g, 6, flow_client(flow), cport, flow_server(flow), 443,
				 FLAG_ACK | FLAG_PSH);
		else
			gen_emit(g, 6, flow_server(flow), 443, flow_client(flow), cport, FLAG_ACK);
	} else if (w < 42) { /* a normal connection's handshake */
		uint32_t c = flow_client(i), s = flow_server(i >> 16);
		uint16_t cport = (uint16_t)(32768 + (i >> 8) % 28000);

		gen_emit(g, 6, c, cport, s, 443, FLAG_SYN);
		gen_emit(g, 6, s, 443, c, cport, FLAG_SYN | FLAG_ACK);
		gen_emit(g, 6, c, cport, s, 443, FLAG_ACK);
	} else if (w < 82) { /* a scanner's probe and, maybe, its answer */
		uint32_t scanner = 0xc6336400u | (i % SCANNERS); /* 198.51.100.0/28 */
		uint32_t target = 0x0a000000u | (uint32_t)(gen_rand(g) & 0xffffff);
		uint16_t port = scan_ports[(i >> 8) % SCAN_PORTS], sport = 61000;
		uint32_t answer = (uint32_t)(r >> 40) % 10;

		gen_emit(g, 6, scanner, sport, target, port, FLAG_SYN);
		if (answer < 5) {
			gen_emit(g, 6, target, port, scanner, sport, FLAG_RST | FLAG_ACK);
		} else if (answer == 5) {
			gen_emit(g, 6, target, port, scanner, sport, FLAG_SYN | FLAG_ACK);
			gen_emit(g, 6, scanner, sport, target, port, FLAG_RST);
		}
	} else if (w < 92) { /* a spoofed SYN */
		gen_emit(g, 6, (uint32_t)gen_rand(g), (uint16_t)i, flow_server(i >> 20), 80,
			 FLAG_SYN);
	} else { /* UDP: read and skipped */
		gen_emit(g, 17, flow_client(i), 5353, 0x0a0200feu, 53, 0);
	}
}

static void gen_flood_event(struct gen *g)
{
	uint64_t r = gen_rand(g);

	gen_emit(g, 6, (uint32_t)r, (uint16_t)(r >> 32), 0x0a000000u | (uint32_t)(r >> 40),
		 (uint16_t)(r >> 48), FLAG_SYN);
}

int main(int argc, char **argv)
{
	struct gen g = {.rng = 0x9e3779b97f4a7c15ull};
	const char *profile = argc > 3 ? argv[3] : "mixed";
	pcap_t *dead;

	if (argc < 3 || (strcmp(profile, "mixed") && strcmp(profile, "flood"))) {
		fprintf(stderr, "usage: bench_detect FILE FRAMES [mixed|flood] [SEED]\n");
		return 2;
	}
	g.limit = strtoull(argv[2], NULL, 10);
	if (argc > 4)
		g.rng ^= strtoull(argv[4], NULL, 10) * 0xbf58476d1ce4e5b9ull;
	dead = pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
	if (strlen(argv[1]) > 7 && !strcmp(argv[1] + strlen(argv[1]) - 7, ".pcapng")) {
		if (!(g.ng = fopen(argv[1], "w"))) {
			perror(argv[1]);
			return 1;
		}
		ng_start(g.ng);
	} else if (!(g.dumper = pcap_dump_open(dead, argv[1]))) {
		fprintf(stderr, "bench_detect: %s\n", pcap_geterr(dead));
		return 1;
	}
	while (g.frames < g.limit) {
		if (!strcmp(profile, "mixed"))
			gen_mixed_event(&g);
		else
			gen_flood_event(&g);
	}
	if (g.ng && fclose(g.ng)) {
		perror(argv[1]);
		return 1;
	}
	if (g.dumper)
		pcap_dump_close(g.dumper);
	pcap_close(dead);
	return 0;
}
