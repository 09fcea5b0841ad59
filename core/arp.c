// SPDX-License-Identifier: MIT
/*
 * The ARP payload for IPv4 over Ethernet is 28 bytes after the Ethernet
 * header: hardware type 1, protocol type 0x0800, lengths 6 and 4, an opcode
 * (1 request, 2 reply), then sender MAC, sender IP, target MAC, target IP.
 * A reply is accepted only if every one of those fixed fields is right and its
 * sender IP is the address we asked for; what it is addressed to does not
 * matter, since some hosts answer by broadcast.
 */
#include "arp.h"

#include <string.h>
#include "packet.h"

#define ARP_HTYPE_ETHER 1
#define ARP_OP_REQUEST	1
#define ARP_OP_REPLY	2

/* Offsets into the frame. */
#define ARP_OFF_HTYPE (ETH_HDR_BYTES + 0)
#define ARP_OFF_PTYPE (ETH_HDR_BYTES + 2)
#define ARP_OFF_HLEN  (ETH_HDR_BYTES + 4)
#define ARP_OFF_PLEN  (ETH_HDR_BYTES + 5)
#define ARP_OFF_OP    (ETH_HDR_BYTES + 6)
#define ARP_OFF_SHA   (ETH_HDR_BYTES + 8)
#define ARP_OFF_SPA   (ETH_HDR_BYTES + 14)
#define ARP_OFF_THA   (ETH_HDR_BYTES + 18)
#define ARP_OFF_TPA   (ETH_HDR_BYTES + 24)

static const uint8_t zero_mac[6];

unsigned arp_build_request(uint8_t *frame, const uint8_t src_mac[6], uint32_t src_ip,
			   uint32_t target_ip)
{
	memset(frame, 0xff, 6); /* Ethernet broadcast */
	memcpy(frame + 6, src_mac, 6);
	be16_write(frame + 12, ETH_TYPE_ARP);
	be16_write(frame + ARP_OFF_HTYPE, ARP_HTYPE_ETHER);
	be16_write(frame + ARP_OFF_PTYPE, ETH_TYPE_IPV4);
	frame[ARP_OFF_HLEN] = 6;
	frame[ARP_OFF_PLEN] = 4;
	be16_write(frame + ARP_OFF_OP, ARP_OP_REQUEST);
	memcpy(frame + ARP_OFF_SHA, src_mac, 6);
	be32_write(frame + ARP_OFF_SPA, src_ip);
	memset(frame + ARP_OFF_THA, 0, 6); /* unknown: that is the question */
	be32_write(frame + ARP_OFF_TPA, target_ip);
	return ARP_FRAME_BYTES;
}

bool arp_parse_reply(const uint8_t *frame, unsigned len, uint32_t sender_ip, uint8_t mac[6])
{
	if (len < ARP_FRAME_BYTES)
		return false;
	if (be16_read(frame + 12) != ETH_TYPE_ARP ||
	    be16_read(frame + ARP_OFF_HTYPE) != ARP_HTYPE_ETHER ||
	    be16_read(frame + ARP_OFF_PTYPE) != ETH_TYPE_IPV4 || frame[ARP_OFF_HLEN] != 6 ||
	    frame[ARP_OFF_PLEN] != 4 || be16_read(frame + ARP_OFF_OP) != ARP_OP_REPLY)
		return false;
	if (be32_read(frame + ARP_OFF_SPA) != sender_ip)
		return false;
	/* A sender MAC that is multicast, broadcast or all zeros cannot be a next hop. */
	if ((frame[ARP_OFF_SHA] & 1) || !memcmp(frame + ARP_OFF_SHA, zero_mac, 6))
		return false;
	memcpy(mac, frame + ARP_OFF_SHA, 6);
	return true;
}
