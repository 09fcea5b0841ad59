/* SPDX-License-Identifier: MIT */
/*
 * Helpers for the UDP and ICMP echo tests: an independent Internet checksum,
 * and a simulated target that turns one of our probe frames into its answer
 * (addresses and ports swapped, a new payload), so a test can run builder ->
 * target -> parse_frame() -> validate_reply() without a network.
 */
#pragma once

#include <stdint.h>
#include <string.h>

#include "cookie.h"
#include "packet.h"
#include "template.h"

#define FIX_OUR_IP    0xc6130001u /* 198.19.0.1 */
#define FIX_TARGET_IP 0xc6120007u /* 198.18.0.7 */
#define FIX_SPORT_LO  61000
#define FIX_SPORT_HI  61255

static const struct cookie_key fix_key = {.sk = {0x0706050403020100ull, 0x0f0e0d0c0b0a0908ull}};
static const struct cookie_key fix_other_key = {
	.sk = {0x0706050403020100ull, 0x0f0e0d0c0b0a0909ull}};

static inline struct template_params fix_params(void)
{
	struct template_params tp = {.src_ip = FIX_OUR_IP};

	memcpy(tp.src_mac, "\x02\x00\x00\x00\x00\x01", 6);
	memcpy(tp.dst_mac, "\x02\x00\x00\x00\x00\x02", 6);
	return tp;
}

/* RFC 1071, word by word, written apart from packet.h's helpers. */
static inline uint16_t fix_csum(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)p[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/*
 * Rewrites the IPv4 frame f (Ethernet, IHL 5) in place into the target's
 * answer: addresses swapped, TTL 64, protocol proto, then l4 (l4_len bytes)
 * as the transport header and payload. Returns the new frame length.
 */
static inline uint32_t fix_answer(uint8_t *f, uint8_t proto, const uint8_t *l4, uint32_t l4_len)
{
	uint8_t *ip = f + ETH_HDR_BYTES, tmp[4];

	memcpy(tmp, ip + 12, 4);
	memcpy(ip + 12, ip + 16, 4);
	memcpy(ip + 16, tmp, 4);
	ip[8] = 64;
	ip[9] = proto;
	be16_write(ip + 2, (uint16_t)(IPV4_HDR_MIN + l4_len));
	memcpy(ip + IPV4_HDR_MIN, l4, l4_len);
	return ETH_HDR_BYTES + IPV4_HDR_MIN + l4_len;
}
