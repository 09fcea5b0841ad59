/* SPDX-License-Identifier: MIT */
/*
 * UDP probes: Ethernet, IPv4 and UDP headers prebuilt, then per probe the
 * destination, the source port (which carries the cookie), the port's
 * payload (include/payload.h) and both checksums. Payloads differ per port,
 * so every probe is written whole. Pure: no I/O.
 */
#pragma once

#include <stdint.h>

#include "payload.h"
#include "template.h"

#define UDP_HDR_BYTES	    8
#define UDP_HDRS_BYTES	    (ETH_HDR_BYTES + IPV4_HDR_MIN + UDP_HDR_BYTES)
#define UDP_FRAME_MAX_BYTES (UDP_HDRS_BYTES + PAYLOAD_MAX_BYTES)
#define IPPROTO_UDP_NUM	    17

struct template_udp {
	uint8_t frame[UDP_HDRS_BYTES]; /* per-probe fields, lengths and checksums zero */
};

/* Builds the template from params (MACs, source address, TTL). */
void template_udp_init(struct template_udp *t, const struct template_params *params);

/*
 * Writes the UDP probe to dst_ip:dst_port (host order) with this cookie into
 * frame (UDP_FRAME_MAX_BYTES bytes): source port from the cookie within
 * [sport_first, sport_last], the port's payload, both checksums. Returns the
 * frame length.
 */
uint16_t template_udp_write(const struct template_udp *t, uint8_t *frame, uint32_t dst_ip,
			    uint16_t dst_port, uint64_t cookie, uint16_t sport_first,
			    uint16_t sport_last);
