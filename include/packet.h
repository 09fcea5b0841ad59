/* SPDX-License-Identifier: MIT */
/*
 * Wire layouts and the Internet checksum. Offsets are spelled out rather than
 * taken from packed structs, so code that touches the wire reads bytes at
 * known offsets and never dereferences a misaligned field.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define ETH_HDR_BYTES	 14
#define ETH_TYPE_IPV4	 0x0800
#define ETH_TYPE_ARP	 0x0806
#define ETH_TYPE_VLAN	 0x8100
#define ETH_TYPE_QINQ	 0x88a8
#define IPV4_HDR_MIN	 20
#define TCP_HDR_MIN	 20
#define ICMP_HDR_BYTES	 8
#define IPPROTO_TCP_NUM	 6
#define IPPROTO_ICMP_NUM 1
#define ICMP_UNREACH	 3 /* destination unreachable: the type that quotes what it refuses */

#define TCP_FLAG_FIN 0x01
#define TCP_FLAG_SYN 0x02
#define TCP_FLAG_RST 0x04
#define TCP_FLAG_PSH 0x08
#define TCP_FLAG_ACK 0x10

/* Our SYN: Ethernet + IPv4 (no options) + TCP with a 4-byte MSS option. */
#define SYN_FRAME_BYTES (ETH_HDR_BYTES + IPV4_HDR_MIN + TCP_HDR_MIN + 4)

static inline uint16_t be16_read(const uint8_t *p)
{
	return (uint16_t)((p[0] << 8) | p[1]);
}

static inline uint32_t be32_read(const uint8_t *p)
{
	return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static inline void be16_write(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void be32_write(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* One's-complement sum of len bytes (big-endian 16-bit words) added to sum, not folded. */
static inline uint32_t csum_add_bytes(uint32_t sum, const uint8_t *p, size_t len)
{
	while (len > 1) {
		sum += be16_read(p);
		p += 2;
		len -= 2;
	}
	if (len)
		sum += (uint32_t)p[0] << 8;
	return sum;
}

/* Folds a 32-bit one's-complement sum to 16 bits and complements it: the field value. */
static inline uint16_t csum_fold(uint32_t sum)
{
	sum = (sum & 0xffff) + (sum >> 16);
	sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}
