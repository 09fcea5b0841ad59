// SPDX-License-Identifier: MIT
/*
 * Injects hostile frames at the scanner from the target side of the testbed,
 * through an AF_PACKET socket on the target's veth. Every frame is addressed
 * to the scanner (its MAC, its address, a port in its source-port range), so
 * it passes the capture's BPF filter and reaches hayate's parser:
 *
 *   inject IFACE DST_MAC DST_IP PORT_FIRST PORT_LAST COUNT garbage PPS
 *       malformed frames (TCP data offset < 5, IP total length < header, a
 *       TCP header cut short, IP version 5, a non-first ICMP fragment) and
 *       well-formed ones that answer no probe (SYN-ACK, RST and bare ACK
 *       with a wrong ack, an ICMP unreachable quoting garbage), alternately.
 *   inject IFACE DST_MAC DST_IP PORT_FIRST PORT_LAST COUNT flood 0
 *       SYN-ACKs with wrong acks, as fast as the socket takes them.
 *
 * Prints "malformed M notours N" when done. Test helper only: it runs in a
 * namespace the test made, and refuses a destination outside 198.18.0.0/15.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <linux/if_packet.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "packet.h"

#define BATCH	  64
#define FRAME_MAX 128
#define SRC_IP	  0xc6120007u /* 198.18.0.7: a target */

struct frame {
	uint8_t b[FRAME_MAX];
	unsigned len;
};

static uint8_t dst_mac[6];
static uint32_t dst_ip;
static unsigned port_first, port_span;
static uint32_t rng = 2463534242u;

static uint32_t next_rand(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 17;
	rng ^= rng << 5;
	return rng;
}

/* Ethernet + IPv4 (20 bytes) headers; returns the offset of the transport header. */
static unsigned eth_ip(struct frame *f, uint8_t proto, unsigned payload)
{
	uint8_t *ip = f->b + 14;

	memset(f->b, 0, sizeof(f->b));
	memcpy(f->b, dst_mac, 6);
	memcpy(f->b + 6, "\x02\x00\x00\x00\x00\x07", 6);
	be16_write(f->b + 12, 0x0800);
	ip[0] = 0x45;
	be16_write(ip + 2, 20 + payload);
	ip[8] = 64;
	ip[9] = proto;
	be32_write(ip + 12, SRC_IP + (next_rand() & 0xff));
	be32_write(ip + 16, dst_ip);
	f->len = 14 + 20 + payload;
	return 34;
}

static void tcp(struct frame *f, uint8_t flags, uint8_t doff)
{
	uint8_t *t = f->b + eth_ip(f, 6, 20);

	be16_write(t, 80);
	be16_write(t + 2, port_first + next_rand() % port_span);
	be32_write(t + 4, next_rand());
	be32_write(t + 8, next_rand()); /* an ack no cookie matches (but 1 in 2^32) */
	t[12] = (uint8_t)(doff << 4);
	t[13] = flags;
	be16_write(t + 14, 1024);
}

/* Builds frame i of the garbage mix; returns true if it is malformed. */
static int garbage(struct frame *f, unsigned i)
{
	uint8_t *t;

	switch (i % 10) {
	case 0: /* TCP data offset below 5 */
		tcp(f, 0x12, (uint8_t)(next_rand() % 5));
		return 1;
	case 1: /* IP total length shorter than the IP header */
		tcp(f, 0x12, 5);
		be16_write(f->b + 16, 10 + next_rand() % 10);
		return 1;
	case 2: /* TCP header cut after the ports */
		tcp(f, 0x12, 5);
		f->len = 34 + 4 + next_rand() % 12;
		return 1;
	case 3: /* IP version 5 */
		tcp(f, 0x12, 5);
		f->b[14] = 0x55;
		return 1;
	case 4: /* a non-first fragment of an ICMP message */
		t = f->b + eth_ip(f, 1, 16);
		be16_write(f->b + 20, 0x0010);
		t[0] = 3;
		return 1;
	case 5:
		tcp(f, 0x12, 5); /* SYN-ACK, wrong ack */
		return 0;
	case 6:
		tcp(f, 0x14, 5); /* RST-ACK, wrong ack */
		return 0;
	case 7:
		tcp(f, 0x10, 5); /* bare ACK */
		return 0;
	case 8: /* ICMP port unreachable quoting 28 random bytes */
		t = f->b + eth_ip(f, 1, 36);
		t[0] = 3;
		t[1] = 3;
		for (unsigned k = 8; k < 36; k++)
			t[k] = (uint8_t)next_rand();
		return 0;
	default: /* ICMP unreachable quoting a TCP SYN from us with a wrong sequence */
		t = f->b + eth_ip(f, 1, 36);
		t[0] = 3;
		t[1] = 13;
		t[8] = 0x45;
		t[17] = 6;
		be32_write(t + 20, dst_ip);
		be32_write(t + 24, SRC_IP);
		be16_write(t + 28, port_first);
		be16_write(t + 30, 80);
		be32_write(t + 32, next_rand());
		return 0;
	}
}

int main(int argc, char **argv)
{
	static struct frame frames[BATCH];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	struct sockaddr_ll sll = {.sll_family = AF_PACKET};
	unsigned long count, malformed = 0, notours = 0, sent = 0;
	double pps;
	bool flood;
	struct in_addr a;
	int fd;

	if (argc != 9 ||
	    sscanf(argv[2], "%hhx:%hhx:%hhx:%hhx:%hhx:%hhx", &dst_mac[0], &dst_mac[1], &dst_mac[2],
		   &dst_mac[3], &dst_mac[4], &dst_mac[5]) != 6 ||
	    !inet_aton(argv[3], &a)) {
		fprintf(stderr, "usage: inject IFACE DST_MAC DST_IP PORT_FIRST PORT_LAST COUNT "
				"garbage|flood PPS\n");
		return 2;
	}
	dst_ip = ntohl(a.s_addr);
	if ((dst_ip >> 17) != (0xc6120000u >> 17)) {
		fprintf(stderr, "inject: %s is outside 198.18.0.0/15, the testbed's range\n",
			argv[3]);
		return 2;
	}
	port_first = (unsigned)atoi(argv[4]);
	port_span = (unsigned)atoi(argv[5]) - port_first + 1;
	count = strtoul(argv[6], NULL, 10);
	flood = !strcmp(argv[7], "flood");
	pps = atof(argv[8]);
	sll.sll_ifindex = (int)if_nametoindex(argv[1]);
	fd = socket(AF_PACKET, SOCK_RAW, 0);
	if (fd < 0 || !sll.sll_ifindex) {
		perror("inject: socket or interface");
		return 1;
	}
	while (sent < count) {
		unsigned n = count - sent < BATCH ? (unsigned)(count - sent) : BATCH;
		int is_bad[BATCH], got;

		for (unsigned i = 0; i < n; i++) {
			if (flood)
				tcp(&frames[i], 0x12, 5), is_bad[i] = 0;
			else
				is_bad[i] = garbage(&frames[i], (unsigned)(sent + i));
			iov[i] = (struct iovec){frames[i].b, frames[i].len};
			msgs[i] = (struct mmsghdr){.msg_hdr = {.msg_name = &sll,
							       .msg_namelen = sizeof(sll),
							       .msg_iov = &iov[i],
							       .msg_iovlen = 1}};
		}
		got = sendmmsg(fd, msgs, n, 0);
		if (got < 0 && errno != ENOBUFS && errno != EAGAIN && errno != EINTR) {
			perror("inject: sendmmsg");
			return 1;
		}
		/* Only what the socket took counts; the rest is built again. */
		for (int i = 0; i < got; i++)
			is_bad[i] ? malformed++ : notours++;
		sent += got > 0 ? (unsigned)got : 0;
		if (pps > 0) {
			struct timespec ts = {0, (long)(1e9 * n / pps)};

			nanosleep(&ts, NULL);
		}
	}
	printf("malformed %lu notours %lu\n", malformed, notours);
	return 0;
}
