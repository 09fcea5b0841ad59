// SPDX-License-Identifier: MIT
/*
 * Echo replies. The request's identifier and sequence number are 32 bits of
 * a keyed hash of (our address, target) (include/template_icmp.h), and a reply
 * returns both unchanged, so a reply from the target to our address with
 * those values proves the host is up. A reply from another address (a
 * broadcast answered by a neighbour) does not match its own cookie, and is
 * dropped. Unreachables quoting an echo say only that the host is down, which
 * silence says as well, so they are not matched.
 */
#include "validate_kinds.h"

#include "packet.h"
#include "template_icmp.h"

bool validate_icmp_echo(const struct validate_config *cfg, const struct frame_info *fi,
			struct reply *out)
{
	uint64_t cookie;

	if (fi->icmp_type != ICMP_ECHO_REPLY || fi->icmp_code != 0 || fi->dst_ip != cfg->src_ip)
		return false;
	cookie = template_icmp_cookie(cfg->key, cfg->src_ip, fi->src_ip);
	if (fi->icmp_id != template_icmp_id(cookie) || fi->icmp_seq != template_icmp_seq(cookie))
		return false;
	*out = (struct reply){.addr = fi->src_ip,
			      .state = PORT_UP,
			      .reason = REASON_ECHO_REPLY,
			      .ttl = fi->ttl,
			      .proto = IPPROTO_ICMP_NUM};
	return true;
}
