// SPDX-License-Identifier: MIT
/*
 * Fingerprints of SYN scanners, as seen in captures made in the testbed
 * (tcpdump on the target side of the veth, Debian 12 packages):
 *
 *   masscan 1.3.2  IP ID = (dst addr ^ dst port ^ seq) & 0xffff, window 1024,
 *                  no TCP options, TTL 255, DF clear, one source port.
 *   zmap 2.1.1     IP ID 54321, window 65535, no TCP options, TTL 255,
 *                  DF clear, random source ports.
 *   nmap 7.93 -sS  window 1024, the only option MSS 1460, DF clear, random
 *                  TTL (37-59 seen), one source port and one sequence number
 *                  for every probe of a scan.
 *   hayate         window 64240, the only option MSS, DF set, TTL 64, source
 *                  ports 61000-61255 by default; the IP ID is keyed, so
 *                  nothing to match there.
 *
 * A Linux connect() sends window 64240 too, but with 20 bytes of options
 * (MSS, SACK permitted, timestamps, window scale), so the option layout is
 * what tells hayate from an ordinary client. masscan's IP ID equation holds
 * for a random packet with probability 2^-16, which makes it the strongest
 * of these; TTLs are not used because each router on the way lowers them.
 * nmap is often described as choosing among windows 1024, 2048, 3072 and
 * 4096; all four are accepted, though only 1024 was seen in our captures.
 */
#include "fingerprint.h"

#include <stdbool.h>

#include "packet.h"

#define SLL_HDR_BYTES	16
#define VLAN_TAG_BYTES	4
#define VLAN_TAGS_MAX	2
#define IP_FLAG_DF	0x40 /* in the byte at offset 6 */
#define TCP_OPT_MSS	2
#define TCP_OPT_MSS_LEN 4
#define ZMAP_IP_ID	54321
#define NMAP_MSS	1460

/* Where the IPv4 header starts, as parse_frame() found it; -1 if it cannot be found. */
static int64_t fingerprint_ip_offset(enum link_type link, const uint8_t *frame, uint32_t len)
{
	uint32_t off = ETH_HDR_BYTES;
	uint16_t type;

	switch (link) {
	case LINK_RAW:
		return 0;
	case LINK_LINUX_SLL:
		return SLL_HDR_BYTES;
	case LINK_ETHERNET:
		if (len < ETH_HDR_BYTES)
			return -1;
		type = be16_read(frame + 12);
		for (int tags = 0; type == ETH_TYPE_VLAN || type == ETH_TYPE_QINQ; tags++) {
			if (tags == VLAN_TAGS_MAX || len - off < VLAN_TAG_BYTES)
				return -1;
			type = be16_read(frame + off + 2);
			off += VLAN_TAG_BYTES;
		}
		return off;
	}
	return -1;
}

/* The value of an MSS option if it is the only TCP option (NOP/EOL padding aside), else 0. */
static uint16_t fingerprint_sole_mss(const uint8_t *opt, uint32_t len)
{
	uint16_t mss = 0;
	uint32_t i = 0;

	while (i < len) {
		if (opt[i] == 0)
			break;
		if (opt[i] == 1) {
			i++;
			continue;
		}
		if (opt[i] != TCP_OPT_MSS || mss || len - i < TCP_OPT_MSS_LEN ||
		    opt[i + 1] != TCP_OPT_MSS_LEN)
			return 0;
		mss = be16_read(opt + i + 2);
		i += TCP_OPT_MSS_LEN;
	}
	return mss;
}

enum tool_hint fingerprint_syn(enum link_type link, const uint8_t *frame, uint32_t len,
			       const struct frame_info *fi)
{
	int64_t ip_off = fingerprint_ip_offset(link, frame, len);
	const uint8_t *ip, *tcp;
	uint32_t ihl_bytes, tcp_bytes, left;
	uint16_t ip_id, mss;
	bool df;

	if (ip_off < 0 || len - ip_off < IPV4_HDR_MIN)
		return TOOL_NONE;
	ip = frame + ip_off;
	left = len - (uint32_t)ip_off;
	ihl_bytes = (uint32_t)(ip[0] & 0x0f) * 4;
	if (ihl_bytes < IPV4_HDR_MIN || left - IPV4_HDR_MIN < ihl_bytes - IPV4_HDR_MIN ||
	    left - ihl_bytes < TCP_HDR_MIN)
		return TOOL_NONE;
	tcp = ip + ihl_bytes;
	tcp_bytes = (uint32_t)(tcp[12] >> 4) * 4;
	if (tcp_bytes < TCP_HDR_MIN || tcp_bytes > left - ihl_bytes)
		return TOOL_NONE;
	ip_id = be16_read(ip + 4);
	df = ip[6] & IP_FLAG_DF;

	if (fi->window == 1024 && tcp_bytes == TCP_HDR_MIN &&
	    ip_id == (uint16_t)(fi->dst_ip ^ fi->dst_port ^ fi->seq))
		return TOOL_MASSCAN;
	if (ip_id == ZMAP_IP_ID && fi->window == 65535)
		return TOOL_ZMAP;
	mss = fingerprint_sole_mss(tcp + TCP_HDR_MIN, tcp_bytes - TCP_HDR_MIN);
	if (!df && mss == NMAP_MSS &&
	    (fi->window == 1024 || fi->window == 2048 || fi->window == 3072 || fi->window == 4096))
		return TOOL_NMAP;
	if (df && mss && fi->window == 64240)
		return TOOL_HAYATE;
	return TOOL_NONE;
}

const char *fingerprint_name(enum tool_hint hint)
{
	static const char *const names[TOOL_HINTS] = {
		[TOOL_MASSCAN] = "masscan",
		[TOOL_ZMAP] = "zmap",
		[TOOL_NMAP] = "nmap",
		[TOOL_HAYATE] = "hayate",
	};

	return (unsigned)hint < TOOL_HINTS ? names[hint] : NULL;
}
