/* SPDX-License-Identifier: MIT */
/*
 * The SYN template: one Ethernet/IPv4/TCP frame built at setup with every
 * field that never changes (MACs, source address, TTL, window, MSS option),
 * plus the partial checksums over those fields. Per probe only the
 * destination address, ports, sequence number and IP ID change, and the two
 * checksums are finished by adding just those fields. Pure: no I/O.
 */
#pragma once

#include <stdint.h>
#include "packet.h"

#define TEMPLATE_TTL	64
#define TEMPLATE_WINDOW 64240
#define TEMPLATE_MSS	1460

struct template_params {
	uint8_t src_mac[6], dst_mac[6];
	uint32_t src_ip; /* host order */
	uint8_t ttl;	 /* 0 means TEMPLATE_TTL */
	uint16_t window; /* 0 means TEMPLATE_WINDOW */
	uint16_t mss;	 /* 0 means TEMPLATE_MSS */
};

struct template
{
	uint8_t frame[SYN_FRAME_BYTES]; /* variable fields and checksums zero */
	uint32_t ip_sum;		/* unfolded sum of the IP header's fixed fields */
	uint32_t tcp_sum;		/* unfolded sum of pseudo-header + TCP fixed fields */
};

/*
 * Writes the Ethernet header and an IPv4 header without options (source from
 * params, protocol proto, total length ip_len, TTL params->ttl or the default;
 * ID, flags, destination and checksum left as they are): the start every probe
 * template shares.
 */
void template_eth_ipv4(uint8_t *frame, const struct template_params *params, uint8_t proto,
		       uint16_t ip_len);

/* Builds the template from params. */
void template_init(struct template *t, const struct template_params *params);

/*
 * Writes a complete probe into frame (SYN_FRAME_BYTES bytes): the template
 * copied, then the per-probe fields and both checksums.
 */
void template_write(const struct template *t, uint8_t *frame, uint32_t dst_ip, uint16_t src_port,
		    uint16_t dst_port, uint32_t seq, uint16_t ip_id);

/*
 * Same result as template_write() for a frame that already holds an earlier
 * output of template_write() from the same template: only the per-probe fields
 * and checksums are rewritten (for send backends whose slots keep contents).
 */
void template_patch(const struct template *t, uint8_t *frame, uint32_t dst_ip, uint16_t src_port,
		    uint16_t dst_port, uint32_t seq, uint16_t ip_id);
