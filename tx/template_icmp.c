// SPDX-License-Identifier: MIT
/*
 * The echo request is 42 bytes and is written whole for each probe: the two
 * checksums are summed over 20 and 8 bytes, cheap next to the send itself.
 * Frame offsets (Ethernet 0, IPv4 14, ICMP 34):
 *   ICMP: 34 type  35 code  36 checksum  38 identifier  40 sequence
 */
#include "template_icmp.h"

#include <string.h>

#define OFF_IP	 ETH_HDR_BYTES
#define OFF_ICMP (OFF_IP + IPV4_HDR_MIN)

void template_icmp_init(struct template_icmp *t, const struct template_params *params)
{
	uint8_t *f = t->frame;

	memset(f, 0, sizeof(t->frame));
	template_eth_ipv4(f, params, IPPROTO_ICMP_NUM, IPV4_HDR_MIN + ICMP_HDR_BYTES);
	f[OFF_ICMP] = ICMP_ECHO_REQUEST;
}

uint16_t template_icmp_write(const struct template_icmp *t, uint8_t *frame, uint32_t dst_ip,
			     uint64_t cookie)
{
	uint8_t *ip = frame + OFF_IP, *icmp = frame + OFF_ICMP;

	memcpy(frame, t->frame, ICMP_ECHO_FRAME_BYTES);
	be16_write(ip + 4, cookie_ip_id(cookie));
	be32_write(ip + 16, dst_ip);
	be16_write(ip + 10, csum_fold(csum_add_bytes(0, ip, IPV4_HDR_MIN)));
	be16_write(icmp + 4, template_icmp_id(cookie));
	be16_write(icmp + 6, template_icmp_seq(cookie));
	be16_write(icmp + 2, csum_fold(csum_add_bytes(0, icmp, ICMP_HDR_BYTES)));
	return ICMP_ECHO_FRAME_BYTES;
}
