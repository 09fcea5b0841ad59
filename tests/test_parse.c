// SPDX-License-Identifier: MIT
/*
 * Tests for rx/parse.c: hand-built frames for every link type and protocol
 * path, every truncation of each, lying length fields, and random or mutated
 * garbage. Each frame handed to the parser sits in a malloc'd buffer of
 * exactly its length, so under -fsanitize=address any read past len faults.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <cmocka.h>

#include "reply.h"

#define OUR_IP	  0xc0a80001u /* 192.168.0.1 */
#define TARGET_IP 0x0a000005u /* 10.0.0.5 */
#define ROUTER_IP 0x0a0000feu /* 10.0.0.254 */

/* A test frame, and where the headers the parser needs end within it. */
struct frame {
	uint8_t b[256];
	uint32_t len;
	enum link_type link;
	uint32_t need;	     /* bytes needed for parse_frame to succeed */
	uint32_t quote_need; /* ICMP: bytes needed for has_quote (0: never) */
};

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* Writes a link header for f->link and returns its length; tags are VLAN types to insert. */
static uint32_t put_link(struct frame *f, const uint16_t *tags, int ntags)
{
	uint32_t off;

	memset(f->b, 0, sizeof(f->b));
	if (f->link == LINK_RAW)
		return 0;
	if (f->link == LINK_LINUX_SLL) {
		put16(f->b, 0);	    /* addressed to us */
		put16(f->b + 2, 1); /* ARPHRD_ETHER */
		put16(f->b + 4, 6); /* address length */
		memset(f->b + 6, 0xaa, 6);
		put16(f->b + 14, 0x0800);
		return 16;
	}
	memset(f->b, 0x02, 12);
	off = 12;
	for (int i = 0; i < ntags; i++, off += 4) {
		put16(f->b + off, tags[i]);
		put16(f->b + off + 2, 100 + i); /* VLAN ID */
	}
	put16(f->b + off, 0x0800);
	return off + 2;
}

/* IPv4 header of ihl_words words with total length covering l4_bytes; returns its length. */
static uint32_t put_ip(uint8_t *p, int ihl_words, uint8_t proto, uint32_t src, uint32_t dst,
		       uint32_t l4_bytes)
{
	p[0] = (uint8_t)(0x40 | ihl_words);
	put16(p + 2, (unsigned)(ihl_words * 4 + l4_bytes));
	put16(p + 4, 0x4242);
	put16(p + 6, 0x4000);
	p[8] = 57;
	p[9] = proto;
	put32(p + 12, src);
	put32(p + 16, dst);
	for (int i = 20; i < ihl_words * 4; i++)
		p[i] = 1; /* NOP options */
	return (uint32_t)ihl_words * 4;
}

/* TCP header with doff_words words (options as NOPs); returns its length. */
static uint32_t put_tcp(uint8_t *p, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
			uint8_t flags, int doff_words)
{
	put16(p, sport);
	put16(p + 2, dport);
	put32(p + 4, seq);
	put32(p + 8, ack);
	p[12] = (uint8_t)(doff_words << 4);
	p[13] = flags;
	put16(p + 14, 29200);
	for (int i = 20; i < doff_words * 4; i++)
		p[i] = 1;
	return (uint32_t)doff_words * 4;
}

/* A TCP reply from TARGET_IP:80 to OUR_IP:40000, padded to 60 bytes on Ethernet. */
static void build_tcp(struct frame *f, enum link_type link, const uint16_t *tags, int ntags,
		      uint8_t flags, int doff_words)
{
	uint32_t off, ip_len;

	f->link = link;
	off = put_link(f, tags, ntags);
	ip_len = put_ip(f->b + off, 5, 6, TARGET_IP, OUR_IP, (uint32_t)doff_words * 4);
	f->need =
		off + ip_len +
		put_tcp(f->b + off + ip_len, 80, 40000, 0x11223344, 0xdeadbef0, flags, doff_words);
	f->len = f->need;
	if (link == LINK_ETHERNET && f->len < 60)
		f->len = 60; /* Ethernet minimum: padding the parser must ignore */
	f->quote_need = 0;
}

/* ICMP error from ROUTER_IP quoting our SYN OUR_IP:40000 -> TARGET_IP:443 (quote IHL given). */
static void build_icmp(struct frame *f, enum link_type link, uint8_t type, uint8_t code,
		       int quote_ihl_words, uint32_t quote_l4_bytes)
{
	uint32_t off, ip_len, quote_ip_len;
	uint8_t *icmp, *q;

	f->link = link;
	off = put_link(f, NULL, 0);
	quote_ip_len = (uint32_t)quote_ihl_words * 4;
	ip_len = put_ip(f->b + off, 5, 1, ROUTER_IP, OUR_IP, 8 + quote_ip_len + quote_l4_bytes);
	icmp = f->b + off + ip_len;
	icmp[0] = type;
	icmp[1] = code;
	q = icmp + 8;
	put_ip(q, quote_ihl_words, 6, OUR_IP, TARGET_IP, 24);
	put_tcp(q + quote_ip_len, 40000, 443, 0xcafef00d, 0, 0x02, 6);
	f->need = off + ip_len + 8;
	f->len = f->need + quote_ip_len + quote_l4_bytes;
	f->quote_need = quote_l4_bytes >= 8 ? f->need + quote_ip_len + 8 : 0;
}

/* Parses len bytes of f from an exactly-sized heap copy, so ASan sees any overread. */
static int parse_exact(const struct frame *f, uint32_t len, struct frame_info *fi)
{
	uint8_t *copy = malloc(len);
	int rc;

	assert_true(copy != NULL || len == 0);
	if (len)
		memcpy(copy, f->b, len);
	rc = parse_frame(f->link, copy, len, fi);
	/* Pointers into the frame move to f's own bytes, which outlive the copy. */
	if (rc == 0 && fi->kind == FRAME_TCP) {
		assert_true(fi->tcp_options >= copy &&
			    fi->tcp_options + fi->tcp_options_len <= copy + len);
		fi->tcp_options = f->b + (fi->tcp_options - copy);
	}
	free(copy);
	return rc;
}

static void check_tcp_fields(const struct frame_info *fi, uint8_t flags)
{
	assert_int_equal(fi->kind, FRAME_TCP);
	assert_int_equal(fi->src_ip, TARGET_IP);
	assert_int_equal(fi->dst_ip, OUR_IP);
	assert_int_equal(fi->ttl, 57);
	assert_int_equal(fi->ip_id, 0x4242);
	assert_int_equal(fi->src_port, 80);
	assert_int_equal(fi->dst_port, 40000);
	assert_int_equal(fi->seq, 0x11223344);
	assert_int_equal(fi->ack, 0xdeadbef0);
	assert_int_equal(fi->tcp_flags, flags);
	assert_int_equal(fi->window, 29200);
}

static void check_quote_fields(const struct frame_info *fi)
{
	assert_true(fi->has_quote);
	assert_int_equal(fi->q_proto, 6);
	assert_int_equal(fi->q_src_ip, OUR_IP);
	assert_int_equal(fi->q_dst_ip, TARGET_IP);
	assert_int_equal(fi->q_src_port, 40000);
	assert_int_equal(fi->q_dst_port, 443);
	assert_int_equal(fi->q_seq, 0xcafef00d);
}

/*
 * Every prefix of f must parse to an error below f->need bytes and to the
 * full frame's fields from there on; for ICMP the quote appears exactly when
 * it is complete.
 */
static void check_truncations(const struct frame *f)
{
	struct frame_info full, part;

	assert_int_equal(parse_exact(f, f->len, &full), 0);
	for (uint32_t k = 0; k < f->len; k++) {
		int rc = parse_exact(f, k, &part);

		if (k < f->need) {
			assert_true(rc == -EINVAL);
			assert_int_equal(part.kind, FRAME_OTHER);
			continue;
		}
		assert_int_equal(rc, 0);
		assert_int_equal(part.kind, full.kind);
		assert_int_equal(part.src_ip, full.src_ip);
		assert_int_equal(part.ttl, full.ttl);
		if (full.kind == FRAME_TCP) {
			assert_memory_equal(&part, &full, sizeof(part));
			continue;
		}
		assert_int_equal(part.icmp_type, full.icmp_type);
		assert_int_equal(part.has_quote, f->quote_need && k >= f->quote_need);
		if (part.has_quote)
			check_quote_fields(&part);
	}
}

static void test_tcp_replies(void **state)
{
	(void)state;
	static const uint8_t flag_sets[] = {0x12, 0x04, 0x14, 0x10};
	static const enum link_type links[] = {LINK_ETHERNET, LINK_LINUX_SLL, LINK_RAW};
	struct frame f;
	struct frame_info fi;

	for (size_t l = 0; l < 3; l++)
		for (size_t i = 0; i < sizeof(flag_sets); i++)
			for (int doff = 5; doff <= 15; doff += 5) {
				build_tcp(&f, links[l], NULL, 0, flag_sets[i], doff);
				assert_int_equal(parse_exact(&f, f.len, &fi), 0);
				check_tcp_fields(&fi, flag_sets[i]);
				assert_int_equal(fi.tcp_options_len, doff * 4 - 20);
				assert_true(fi.ip_df);
				assert_false(fi.has_quote);
				check_truncations(&f);
			}
}

static void test_vlan_tags(void **state)
{
	(void)state;
	static const uint16_t dot1q[] = {0x8100};
	static const uint16_t qinq[] = {0x88a8, 0x8100};
	static const uint16_t triple[] = {0x88a8, 0x8100, 0x8100};
	struct frame f;
	struct frame_info fi;

	build_tcp(&f, LINK_ETHERNET, dot1q, 1, 0x12, 6);
	assert_int_equal(parse_exact(&f, f.len, &fi), 0);
	check_tcp_fields(&fi, 0x12);
	check_truncations(&f);

	build_tcp(&f, LINK_ETHERNET, qinq, 2, 0x14, 5);
	assert_int_equal(parse_exact(&f, f.len, &fi), 0);
	check_tcp_fields(&fi, 0x14);
	check_truncations(&f);

	build_tcp(&f, LINK_ETHERNET, triple, 3, 0x14, 5);
	assert_int_equal(parse_exact(&f, f.len, &fi), -EPROTONOSUPPORT);
}

static void test_icmp_errors(void **state)
{
	(void)state;
	static const enum link_type links[] = {LINK_ETHERNET, LINK_LINUX_SLL, LINK_RAW};
	struct frame f;
	struct frame_info fi;

	for (size_t l = 0; l < 3; l++) {
		/* A router's minimal quote (IP + 8), Linux's full quote, a quote with IP options.
		 */
		build_icmp(&f, links[l], 3, 13, 5, 8);
		assert_int_equal(parse_exact(&f, f.len, &fi), 0);
		assert_int_equal(fi.kind, FRAME_ICMP);
		assert_int_equal(fi.src_ip, ROUTER_IP);
		assert_int_equal(fi.dst_ip, OUR_IP);
		assert_int_equal(fi.icmp_type, 3);
		assert_int_equal(fi.icmp_code, 13);
		check_quote_fields(&fi);
		check_truncations(&f);

		build_icmp(&f, links[l], 3, 3, 5, 24);
		assert_int_equal(parse_exact(&f, f.len, &fi), 0);
		check_quote_fields(&fi);
		check_truncations(&f);

		build_icmp(&f, links[l], 11, 0, 7, 8);
		assert_int_equal(parse_exact(&f, f.len, &fi), 0);
		assert_int_equal(fi.icmp_type, 11);
		check_quote_fields(&fi);
		check_truncations(&f);
	}
}

static void test_icmp_without_quote(void **state)
{
	(void)state;
	struct frame f;
	struct frame_info fi;

	/* Echo reply: ICMP, but not an error, so nothing is quoted. */
	build_icmp(&f, LINK_ETHERNET, 0, 0, 5, 8);
	assert_int_equal(parse_exact(&f, f.len, &fi), 0);
	assert_int_equal(fi.kind, FRAME_ICMP);
	assert_false(fi.has_quote);

	/* An unreachable whose quote stops short of the 8 transport bytes. */
	build_icmp(&f, LINK_ETHERNET, 3, 1, 5, 4);
	assert_int_equal(parse_exact(&f, f.len, &fi), 0);
	assert_false(fi.has_quote);
	check_truncations(&f);
}

static void test_not_ours(void **state)
{
	(void)state;
	struct frame f;
	struct frame_info fi;

	build_tcp(&f, LINK_ETHERNET, NULL, 0, 0x12, 5);
	put16(f.b + 12, 0x0806); /* ARP */
	assert_int_equal(parse_exact(&f, f.len, &fi), -EPROTONOSUPPORT);
	put16(f.b + 12, 0x86dd); /* IPv6 */
	assert_int_equal(parse_exact(&f, f.len, &fi), -EPROTONOSUPPORT);
	assert_int_equal(fi.kind, FRAME_OTHER);

	build_tcp(&f, LINK_LINUX_SLL, NULL, 0, 0x12, 5);
	put16(f.b + 14, 0x86dd);
	assert_int_equal(parse_exact(&f, f.len, &fi), -EPROTONOSUPPORT);

	build_tcp(&f, LINK_RAW, NULL, 0, 0x12, 5);
	f.b[0] = 0x60; /* an IPv6 header on a raw link */
	assert_int_equal(parse_exact(&f, f.len, &fi), -EPROTONOSUPPORT);

	build_tcp(&f, LINK_ETHERNET, NULL, 0, 0x12, 5);
	f.b[14 + 9] = 17; /* UDP: parsed, the TCP header read as UDP header and payload */
	assert_int_equal(parse_exact(&f, f.len, &fi), 0);
	assert_int_equal(fi.kind, FRAME_UDP);
	f.b[14 + 9] = 47; /* GRE */
	assert_int_equal(parse_exact(&f, f.len, &fi), -EPROTONOSUPPORT);

	build_tcp(&f, LINK_ETHERNET, NULL, 0, 0x12, 5);
	assert_int_equal(parse_frame((enum link_type)228, f.b, f.len, &fi), -EPROTONOSUPPORT);
}

static void test_lying_ip_fields(void **state)
{
	(void)state;
	struct frame f;
	struct frame_info fi;
	uint8_t *ip = f.b + 14;

	build_tcp(&f, LINK_ETHERNET, NULL, 0, 0x12, 5);
	ip[0] = 0x4f; /* IHL 15: 60 bytes claimed, 46 captured */
	assert_int_equal(parse_exact(&f, f.len, &fi), -EINVAL);
	ip[0] = 0x44; /* IHL 4: shorter than any IPv4 header */
	assert_int_equal(parse_exact(&f, f.len, &fi), -EINVAL);
	ip[0] = 0x55; /* version 5 */
	assert_int_equal(parse_exact(&f, f.len, &fi), -EINVAL);

	build_tcp(&f, LINK_ETHERNET, NULL, 0, 0x12, 5);
	put16(ip + 2, 0); /* total length 0 */
	assert_int_equal(parse_exact(&f, f.len, &fi), -EINVAL);
	put16(ip + 2, 19); /* shorter than its own header */
	assert_int_equal(parse_exact(&f, f.len, &fi), -EINVAL);
	put16(ip + 2, 30); /* covers the IP header, cuts the TCP header */
	assert_int_equal(parse_exact(&f, f.len, &fi), -EINVAL);
	put16(ip + 2, 1500); /* longer than captured: parse what is there */
	assert_int_equal(parse_exact(&f, f.len, &fi), 0);
	check_tcp_fields(&fi, 0x12);
	put16(ip + 2, 0xffff);
	assert_int_equal(parse_exact(&f, f.len, &fi), 0);
}

static void test_fragments_and_tcp_offset(void **state)
{
	(void)state;
	struct frame f;
	struct frame_info fi;
	uint8_t *ip = f.b + 14;
	uint8_t *tcp = ip + 20;

	build_tcp(&f, LINK_ETHERNET, NULL, 0, 0x12, 5);
	put16(ip + 6, 0x2000 | 185); /* MF, offset 1480: a middle fragment */
	assert_int_equal(parse_exact(&f, f.len, &fi), -EINVAL);
	put16(ip + 6, 0x0001); /* last fragment, offset 8 */
	assert_int_equal(parse_exact(&f, f.len, &fi), -EINVAL);
	put16(ip + 6, 0x2000); /* first fragment: the TCP header is in it */
	assert_int_equal(parse_exact(&f, f.len, &fi), 0);
	check_tcp_fields(&fi, 0x12);

	build_tcp(&f, LINK_ETHERNET, NULL, 0, 0x12, 5);
	tcp[12] = 0xf0; /* data offset 15: 60 bytes claimed */
	assert_int_equal(parse_exact(&f, f.len, &fi), -EINVAL);
	tcp[12] = 0x40; /* data offset 4 */
	assert_int_equal(parse_exact(&f, f.len, &fi), -EINVAL);
	tcp[12] = 0x00;
	assert_int_equal(parse_exact(&f, f.len, &fi), -EINVAL);
	/* Data offset 6 on a 20-byte segment: the Ethernet padding must not count as options. */
	tcp[12] = 0x60;
	assert_int_equal(parse_exact(&f, f.len, &fi), -EINVAL);
}

static void test_lying_quote(void **state)
{
	(void)state;
	struct frame f;
	struct frame_info fi;
	uint8_t *q = f.b + 14 + 20 + 8;

	build_icmp(&f, LINK_ETHERNET, 3, 3, 5, 8);
	q[0] = 0x4f; /* quoted IHL 15 on a 28-byte quote */
	assert_int_equal(parse_exact(&f, f.len, &fi), 0);
	assert_int_equal(fi.kind, FRAME_ICMP);
	assert_false(fi.has_quote);
	q[0] = 0x43; /* quoted IHL 3 */
	assert_int_equal(parse_exact(&f, f.len, &fi), 0);
	assert_false(fi.has_quote);
	q[0] = 0x65; /* quoted IPv6 version nibble */
	assert_int_equal(parse_exact(&f, f.len, &fi), 0);
	assert_false(fi.has_quote);
	q[0] = 0x46; /* IHL 6 leaves only 4 transport bytes */
	assert_int_equal(parse_exact(&f, f.len, &fi), 0);
	assert_false(fi.has_quote);

	build_icmp(&f, LINK_ETHERNET, 3, 3, 5, 8);
	put16(q + 6, 0x0010); /* a quoted non-first fragment has no ports */
	assert_int_equal(parse_exact(&f, f.len, &fi), 0);
	assert_false(fi.has_quote);

	/* Outer total length trims the quote even though the bytes were captured. */
	build_icmp(&f, LINK_ETHERNET, 3, 3, 5, 8);
	put16(f.b + 14 + 2, 20 + 8 + 20 + 4);
	assert_int_equal(parse_exact(&f, f.len, &fi), 0);
	assert_false(fi.has_quote);
}

static uint64_t rng_state = 0x2545f4914f6cdd1dull;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void check_outcome(int rc, const struct frame_info *fi)
{
	assert_true(rc == 0 || rc == -EINVAL || rc == -EPROTONOSUPPORT);
	if (rc == 0)
		assert_true(fi->kind == FRAME_TCP || fi->kind == FRAME_ICMP ||
			    fi->kind == FRAME_UDP);
	else
		assert_int_equal(fi->kind, FRAME_OTHER);
}

static void test_random_garbage(void **state)
{
	(void)state;
	static const enum link_type links[] = {LINK_ETHERNET, LINK_LINUX_SLL, LINK_RAW};
	struct frame f;
	struct frame_info fi;

	for (int i = 0; i < 100000; i++) {
		uint64_t r = rng_next();

		f.link = links[r % 3];
		f.len = (uint32_t)(r >> 8) % 160;
		for (uint32_t j = 0; j < f.len; j += 8) {
			uint64_t w = rng_next();
			memcpy(f.b + j, &w, 8);
		}
		check_outcome(parse_exact(&f, f.len, &fi), &fi);
	}
}

/* Valid frames with a few bytes flipped and a random cut reach the deeper parsing paths. */
static void test_mutated_frames(void **state)
{
	(void)state;
	static const uint16_t qinq[] = {0x88a8, 0x8100};
	struct frame base[4], f;
	struct frame_info fi;

	build_tcp(&base[0], LINK_ETHERNET, qinq, 2, 0x12, 6);
	build_tcp(&base[1], LINK_RAW, NULL, 0, 0x14, 5);
	build_icmp(&base[2], LINK_ETHERNET, 3, 3, 5, 24);
	build_icmp(&base[3], LINK_LINUX_SLL, 11, 0, 6, 8);
	for (int i = 0; i < 100000; i++) {
		uint64_t r = rng_next();

		f = base[r & 3];
		for (int m = 0; m < (int)((r >> 2) & 3) + 1; m++) {
			uint64_t w = rng_next();
			f.b[w % f.len] ^= (uint8_t)(1u << ((w >> 32) & 7));
			if (w & (1ull << 40)) /* sometimes a whole byte: 0, 0xff or random */
				f.b[w % f.len] = (uint8_t)(w >> 48);
		}
		f.len = (r >> 16) & 1 ? f.len : (uint32_t)(r >> 20) % (f.len + 1);
		check_outcome(parse_exact(&f, f.len, &fi), &fi);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tcp_replies),
		cmocka_unit_test(test_vlan_tags),
		cmocka_unit_test(test_icmp_errors),
		cmocka_unit_test(test_icmp_without_quote),
		cmocka_unit_test(test_not_ours),
		cmocka_unit_test(test_lying_ip_fields),
		cmocka_unit_test(test_fragments_and_tcp_offset),
		cmocka_unit_test(test_lying_quote),
		cmocka_unit_test(test_random_garbage),
		cmocka_unit_test(test_mutated_frames),
	};

	return cmocka_run_group_tests_name("parse", tests, NULL, NULL);
}
