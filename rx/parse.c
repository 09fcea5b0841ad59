// SPDX-License-Identifier: MIT
/*
 * Frame parsing: link header, then IPv4, then TCP, UDP or ICMP. Anything on the
 * wire may be hostile, so no length field is trusted on its own. Each step
 * checks the header it is about to read against the bytes actually captured
 * and hands the next step a pointer and a smaller remaining length, so no
 * read can pass the end of the frame however the fields lie.
 *
 * Length rules. The IPv4 header must have version 4, IHL >= 5 and IHL * 4
 * bytes captured. A total length smaller than IHL * 4 is malformed (-EINVAL);
 * a smaller total length than captured trims the frame, which drops
 * Ethernet padding; a larger one (snaplen cut the packet) is accepted, and we
 * go on with the captured bytes as long as the headers we need are all there.
 * TCP needs a data offset >= 5 with the whole header, options included,
 * inside the packet. Non-first fragments carry no transport header and are
 * rejected as -EINVAL; a first fragment (MF set, offset 0) is parsed.
 *
 * ICMP errors (destination unreachable, time exceeded) quote the IPv4 header
 * of the packet that caused them and at least the first 8 bytes of its
 * payload, which for TCP are the ports and the sequence number (for UDP the
 * ports, length and checksum; q_seq then holds the last two). The quote is
 * reported only if it is complete and well formed; otherwise the ICMP message
 * is still returned, with has_quote false. Checksums are not verified: the
 * cookie check in validate.c is far stronger than a 16-bit sum.
 */
#include "reply.h"

#include <errno.h>
#include <string.h>

#include "packet.h"

#define SLL_HDR_BYTES	   16
#define VLAN_TAG_BYTES	   4
#define VLAN_TAGS_MAX	   2 /* one 802.1Q tag, or a QinQ pair */
#define IP_FRAG_OFFSET	   0x1fff
#define IP_FLAG_DF	   0x40 /* in the byte at offset 6 */
#define ICMP_TIME_EXCEEDED 11
#define QUOTE_L4_BYTES	   8
#define UDP_HDR_BYTES	   8
#define ICMP_ECHO_REPLY	   0
#define ICMP_ECHO_REQUEST  8
#define IPPROTO_UDP_NUM	   17

/* Finds where the IPv4 header starts in a frame of the given link type. */
static int parse_link(enum link_type link, const uint8_t *frame, uint32_t len, uint32_t *off)
{
	uint16_t type;

	switch (link) {
	case LINK_ETHERNET:
		if (len < ETH_HDR_BYTES)
			return -EINVAL;
		type = be16_read(frame + 12);
		*off = ETH_HDR_BYTES;
		for (int tags = 0; type == ETH_TYPE_VLAN || type == ETH_TYPE_QINQ; tags++) {
			if (tags == VLAN_TAGS_MAX)
				return -EPROTONOSUPPORT;
			if (len - *off < VLAN_TAG_BYTES)
				return -EINVAL;
			/* A tag is 2 bytes of priority/VLAN ID, then the next type. */
			type = be16_read(frame + *off + 2);
			*off += VLAN_TAG_BYTES;
		}
		return type == ETH_TYPE_IPV4 ? 0 : -EPROTONOSUPPORT;
	case LINK_LINUX_SLL:
		/* Packet type, ARPHRD type, address length, 8 address bytes, protocol. */
		if (len < SLL_HDR_BYTES)
			return -EINVAL;
		*off = SLL_HDR_BYTES;
		return be16_read(frame + 14) == ETH_TYPE_IPV4 ? 0 : -EPROTONOSUPPORT;
	case LINK_RAW:
		/* No link header: the IP version nibble tells IPv4 from IPv6. */
		if (len < 1)
			return -EINVAL;
		*off = 0;
		return frame[0] >> 4 == 6 ? -EPROTONOSUPPORT : 0;
	}
	return -EPROTONOSUPPORT;
}

static int parse_tcp(const uint8_t *tcp, uint32_t len, struct frame_info *out)
{
	uint32_t hdr_bytes;

	if (len < TCP_HDR_MIN)
		return -EINVAL;
	hdr_bytes = (uint32_t)(tcp[12] >> 4) * 4;
	if (hdr_bytes < TCP_HDR_MIN || hdr_bytes > len)
		return -EINVAL;
	out->src_port = be16_read(tcp);
	out->dst_port = be16_read(tcp + 2);
	out->seq = be32_read(tcp + 4);
	out->ack = be32_read(tcp + 8);
	out->tcp_flags = tcp[13];
	out->window = be16_read(tcp + 14);
	out->tcp_options = tcp + TCP_HDR_MIN;
	out->tcp_options_len = (uint8_t)(hdr_bytes - TCP_HDR_MIN);
	out->kind = FRAME_TCP;
	return 0;
}

/* Reads the quoted IPv4 header and 8 transport bytes if all are there and sane. */
static void parse_quote(const uint8_t *q, uint32_t len, struct frame_info *out)
{
	uint32_t ihl_bytes;

	if (len < IPV4_HDR_MIN || q[0] >> 4 != 4)
		return;
	ihl_bytes = (uint32_t)(q[0] & 0x0f) * 4;
	if (ihl_bytes < IPV4_HDR_MIN || ihl_bytes + QUOTE_L4_BYTES > len)
		return;
	/* The quoted total length describes the original packet, not the quote: ignore it. */
	if (be16_read(q + 6) & IP_FRAG_OFFSET)
		return;
	out->q_proto = q[9];
	out->q_src_ip = be32_read(q + 12);
	out->q_dst_ip = be32_read(q + 16);
	out->q_src_port = be16_read(q + ihl_bytes);
	out->q_dst_port = be16_read(q + ihl_bytes + 2);
	out->q_seq = be32_read(q + ihl_bytes + 4);
	out->has_quote = true;
}

/* The UDP length field is not trusted: the payload is what the IP header says is there. */
static int parse_udp(const uint8_t *udp, uint32_t len, struct frame_info *out)
{
	if (len < UDP_HDR_BYTES)
		return -EINVAL;
	out->src_port = be16_read(udp);
	out->dst_port = be16_read(udp + 2);
	out->payload = udp + UDP_HDR_BYTES;
	out->payload_len = len - UDP_HDR_BYTES;
	out->kind = FRAME_UDP;
	return 0;
}

static int parse_icmp(const uint8_t *icmp, uint32_t len, struct frame_info *out)
{
	if (len < ICMP_HDR_BYTES)
		return -EINVAL;
	out->icmp_type = icmp[0];
	out->icmp_code = icmp[1];
	if (icmp[0] == ICMP_ECHO_REPLY || icmp[0] == ICMP_ECHO_REQUEST) {
		out->icmp_id = be16_read(icmp + 4);
		out->icmp_seq = be16_read(icmp + 6);
	}
	if (icmp[0] == ICMP_UNREACH || icmp[0] == ICMP_TIME_EXCEEDED)
		parse_quote(icmp + ICMP_HDR_BYTES, len - ICMP_HDR_BYTES, out);
	out->kind = FRAME_ICMP;
	return 0;
}

static int parse_ipv4(const uint8_t *ip, uint32_t len, struct frame_info *out)
{
	uint32_t ihl_bytes, total_bytes;
	uint8_t proto;

	if (len < IPV4_HDR_MIN || ip[0] >> 4 != 4)
		return -EINVAL;
	ihl_bytes = (uint32_t)(ip[0] & 0x0f) * 4;
	if (ihl_bytes < IPV4_HDR_MIN || ihl_bytes > len)
		return -EINVAL;
	total_bytes = be16_read(ip + 2);
	if (total_bytes < ihl_bytes)
		return -EINVAL;
	if (total_bytes < len)
		len = total_bytes;
	proto = ip[9];
	if (proto != IPPROTO_TCP_NUM && proto != IPPROTO_ICMP_NUM && proto != IPPROTO_UDP_NUM)
		return -EPROTONOSUPPORT;
	if (be16_read(ip + 6) & IP_FRAG_OFFSET)
		return -EINVAL;
	out->ttl = ip[8];
	out->ip_id = be16_read(ip + 4);
	out->ip_df = ip[6] & IP_FLAG_DF;
	out->src_ip = be32_read(ip + 12);
	out->dst_ip = be32_read(ip + 16);
	if (proto == IPPROTO_TCP_NUM)
		return parse_tcp(ip + ihl_bytes, len - ihl_bytes, out);
	if (proto == IPPROTO_UDP_NUM)
		return parse_udp(ip + ihl_bytes, len - ihl_bytes, out);
	return parse_icmp(ip + ihl_bytes, len - ihl_bytes, out);
}

int parse_frame(enum link_type link, const uint8_t *frame, uint32_t len, struct frame_info *out)
{
	uint32_t off = 0;
	int rc;

	memset(out, 0, sizeof(*out));
	rc = parse_link(link, frame, len, &off);
	if (rc)
		return rc;
	rc = parse_ipv4(frame + off, len - off, out);
	if (rc)
		out->kind = FRAME_OTHER;
	return rc;
}
