// SPDX-License-Identifier: MIT
/*
 * Frame offsets (Ethernet 0, IPv4 14, UDP 34, payload 42):
 *   UDP: 34 source port  36 destination port  38 length  40 checksum
 * A UDP checksum that computes to zero is sent as 0xffff (RFC 768): zero
 * would mean "no checksum".
 */
#include "template_udp.h"

#include <string.h>

#define OFF_IP	ETH_HDR_BYTES
#define OFF_UDP (OFF_IP + IPV4_HDR_MIN)

void template_udp_init(struct template_udp *t, const struct template_params *params)
{
	memset(t->frame, 0, sizeof(t->frame));
	/* The total length depends on each port's payload: template_udp_write sets it. */
	template_eth_ipv4(t->frame, params, IPPROTO_UDP_NUM, 0);
}

uint16_t template_udp_write(const struct template_udp *t, uint8_t *frame, uint32_t dst_ip,
			    uint16_t dst_port, uint64_t cookie, uint16_t sport_first,
			    uint16_t sport_last)
{
	uint8_t *ip = frame + OFF_IP, *udp = frame + OFF_UDP;
	size_t plen = payload_build(dst_port, cookie, udp + UDP_HDR_BYTES);
	uint16_t udp_len = (uint16_t)(UDP_HDR_BYTES + plen);
	uint32_t sum;
	uint16_t csum;

	memcpy(frame, t->frame, UDP_HDRS_BYTES);
	be16_write(ip + 2, (uint16_t)(IPV4_HDR_MIN + udp_len));
	be16_write(ip + 4, cookie_ip_id(cookie));
	be32_write(ip + 16, dst_ip);
	be16_write(ip + 10, csum_fold(csum_add_bytes(0, ip, IPV4_HDR_MIN)));
	be16_write(udp, payload_src_port(cookie, sport_first, sport_last));
	be16_write(udp + 2, dst_port);
	be16_write(udp + 4, udp_len);
	/* Pseudo-header: both addresses, zero + protocol, UDP length. */
	sum = csum_add_bytes(0, ip + 12, 8) + IPPROTO_UDP_NUM + udp_len;
	csum = csum_fold(csum_add_bytes(sum, udp, udp_len));
	be16_write(udp + 6, csum ? csum : 0xffff);
	return (uint16_t)(UDP_HDRS_BYTES + plen);
}
