// SPDX-License-Identifier: MIT
/*
 * The SYN template. Every probe is the same 58-byte frame except for five
 * fields: destination address, IP ID, source port, destination port and
 * sequence number. template_init() builds the frame once and sums every
 * other 16-bit word of both checksums; per probe we add the sixteen bytes
 * that change and fold, which costs a handful of adds instead of a pass
 * over 44 bytes.
 *
 * The one's-complement sum is associative and commutative, and a 32-bit
 * accumulator cannot overflow here (fewer than 40 words of at most 0xffff
 * each), so the incremental sum is the same integer a full recomputation
 * over the finished header would produce, and folds to the same checksum.
 *
 * Frame offsets (Ethernet 0, IPv4 14, TCP 34):
 *   IPv4: 14 ver/ihl  15 tos  16 total length  18 id  20 flags/fragment
 *         22 ttl  23 proto  24 checksum  26 src  30 dst
 *   TCP:  34 sport  36 dport  38 seq  42 ack  46 offset/flags  48 window
 *         50 checksum  52 urgent  54 MSS option (kind 2, len 4, value)
 */
#include "template.h"

#include <string.h>

#define OFF_IP	      ETH_HDR_BYTES
#define OFF_TCP	      (OFF_IP + IPV4_HDR_MIN)
#define TCP_LEN_BYTES (TCP_HDR_MIN + 4)
#define IP_LEN_BYTES  (IPV4_HDR_MIN + TCP_LEN_BYTES)

#define IP_ID	  (OFF_IP + 4)
#define IP_CSUM	  (OFF_IP + 10)
#define IP_DST	  (OFF_IP + 16)
#define TCP_SPORT (OFF_TCP + 0)
#define TCP_DPORT (OFF_TCP + 2)
#define TCP_SEQ	  (OFF_TCP + 4)
#define TCP_CSUM  (OFF_TCP + 16)

#define IP_FLAG_DF 0x4000

void template_eth_ipv4(uint8_t *frame, const struct template_params *params, uint8_t proto,
		       uint16_t ip_len)
{
	uint8_t *ip = frame + ETH_HDR_BYTES;

	memcpy(frame, params->dst_mac, 6);
	memcpy(frame + 6, params->src_mac, 6);
	be16_write(frame + 12, ETH_TYPE_IPV4);
	ip[0] = 0x45; /* version 4, IHL 5: no options */
	be16_write(ip + 2, ip_len);
	ip[8] = params->ttl ? params->ttl : TEMPLATE_TTL;
	ip[9] = proto;
	be32_write(ip + 12, params->src_ip);
}

static void template_build_frame(uint8_t *f, const struct template_params *params, uint16_t window,
				 uint16_t mss)
{
	uint8_t *tcp = f + OFF_TCP;

	memset(f, 0, SYN_FRAME_BYTES);
	template_eth_ipv4(f, params, IPPROTO_TCP_NUM, IP_LEN_BYTES);
	/* Linux sets DF on SYNs; so do we, to look ordinary. */
	be16_write(f + OFF_IP + 6, IP_FLAG_DF);

	tcp[12] = (TCP_LEN_BYTES / 4) << 4; /* data offset 6: one option word */
	tcp[13] = TCP_FLAG_SYN;
	be16_write(tcp + 14, window);
	tcp[20] = 2; /* MSS option: kind 2, length 4 */
	tcp[21] = 4;
	be16_write(tcp + 22, mss);
}

void template_init(struct template *t, const struct template_params *params)
{
	uint16_t window = params->window ? params->window : TEMPLATE_WINDOW;
	uint16_t mss = params->mss ? params->mss : TEMPLATE_MSS;
	uint32_t src = params->src_ip;
	uint32_t sum;

	template_build_frame(t->frame, params, window, mss);

	/*
	 * The variable fields and checksums are still zero in the frame, so
	 * summing the whole header yields exactly the sum of the fixed fields.
	 */
	t->ip_sum = csum_add_bytes(0, t->frame + OFF_IP, IPV4_HDR_MIN);

	/* Pseudo-header: source address, zero + protocol, TCP length. */
	sum = (src >> 16) + (src & 0xffff) + IPPROTO_TCP_NUM + TCP_LEN_BYTES;
	t->tcp_sum = csum_add_bytes(sum, t->frame + OFF_TCP, TCP_LEN_BYTES);
}

void template_patch(const struct template *t, uint8_t *frame, uint32_t dst_ip, uint16_t src_port,
		    uint16_t dst_port, uint32_t seq, uint16_t ip_id)
{
	uint32_t dst_words = (dst_ip >> 16) + (dst_ip & 0xffff);
	uint32_t ip_sum = t->ip_sum + dst_words + ip_id;
	/* The destination address is in both sums: the pseudo-header carries it too. */
	uint32_t tcp_sum =
		t->tcp_sum + dst_words + src_port + dst_port + (seq >> 16) + (seq & 0xffff);

	be16_write(frame + IP_ID, ip_id);
	be32_write(frame + IP_DST, dst_ip);
	be16_write(frame + IP_CSUM, csum_fold(ip_sum));
	be16_write(frame + TCP_SPORT, src_port);
	be16_write(frame + TCP_DPORT, dst_port);
	be32_write(frame + TCP_SEQ, seq);
	be16_write(frame + TCP_CSUM, csum_fold(tcp_sum));
}

void template_write(const struct template *t, uint8_t *frame, uint32_t dst_ip, uint16_t src_port,
		    uint16_t dst_port, uint32_t seq, uint16_t ip_id)
{
	memcpy(frame, t->frame, SYN_FRAME_BYTES);
	template_patch(t, frame, dst_ip, src_port, dst_port, seq, ip_id);
}
