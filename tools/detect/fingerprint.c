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

#define TCP_OPT_MSS	2
#define TCP_OPT_MSS_LEN 4
#define ZMAP_IP_ID	54321
#define NMAP_MSS	1460

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

enum tool_hint fingerprint_syn(const struct frame_info *fi)
{
	uint16_t ip_id = fi->ip_id, mss;
	bool df = fi->ip_df;

	if (fi->window == 1024 && fi->tcp_options_len == 0 &&
	    ip_id == (uint16_t)(fi->dst_ip ^ fi->dst_port ^ fi->seq))
		return TOOL_MASSCAN;
	if (ip_id == ZMAP_IP_ID && fi->window == 65535)
		return TOOL_ZMAP;
	mss = fingerprint_sole_mss(fi->tcp_options, fi->tcp_options_len);
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
