// SPDX-License-Identifier: MIT
/*
 * UDP replies. A UDP probe's cookie is a keyed hash of (our address, target,
 * target port); the source port is derived from it (include/payload.h), and
 * protocols that echo an ID carry it there too. A reply from target:port to
 * our address must arrive at exactly that source port and, for such
 * protocols, echo the ID; then the port is open, whatever the reply says.
 *
 * An ICMP port unreachable quoting our probe means closed (the host's stack
 * had no socket there); any other unreachable code means filtered. The quote
 * proves itself the same way, by its source port, and by the UDP length our
 * payload for that port has. nmap's rule for silence (open|filtered) needs
 * the answered-probe bitmap and is applied after the wait, not here.
 */
#include "validate_kinds.h"

#include "packet.h"
#include "payload.h"

#define ICMP_PORT_UNREACH 3
#define UDP_HDR_BYTES	  8
#define PROTO_UDP_NUM	  17

bool validate_udp(const struct validate_config *cfg, const struct frame_info *fi, struct reply *out)
{
	uint64_t cookie;

	if (fi->dst_ip != cfg->src_ip)
		return false;
	cookie = payload_cookie(cfg->key, cfg->src_ip, fi->src_ip, fi->src_port);
	if (fi->dst_port != payload_src_port(cookie, cfg->src_port_first, cfg->src_port_last))
		return false;
	if (!payload_reply_matches(fi->src_port, cookie, fi->payload, fi->payload_len))
		return false;
	*out = (struct reply){.addr = fi->src_ip,
			      .port = fi->src_port,
			      .src_port = fi->dst_port,
			      .state = PORT_OPEN,
			      .reason = REASON_UDP_RESPONSE,
			      .ttl = fi->ttl,
			      .proto = PROTO_UDP_NUM};
	return true;
}

bool validate_udp_unreach(const struct validate_config *cfg, const struct frame_info *fi,
			  struct reply *out)
{
	uint64_t cookie;
	bool is_port;

	if (fi->icmp_type != ICMP_UNREACH || !fi->has_quote || fi->q_proto != PROTO_UDP_NUM)
		return false;
	if (fi->q_src_ip != cfg->src_ip)
		return false;
	cookie = payload_cookie(cfg->key, fi->q_src_ip, fi->q_dst_ip, fi->q_dst_port);
	if (fi->q_src_port != payload_src_port(cookie, cfg->src_port_first, cfg->src_port_last))
		return false;
	/* The quoted UDP length (q_seq's upper half) is our header plus this port's payload. */
	if (fi->q_seq >> 16 != UDP_HDR_BYTES + payload_len(fi->q_dst_port))
		return false;
	is_port = fi->icmp_code == ICMP_PORT_UNREACH;
	*out = (struct reply){.addr = fi->q_dst_ip,
			      .port = fi->q_dst_port,
			      .src_port = fi->q_src_port,
			      .state = is_port ? PORT_CLOSED : PORT_FILTERED,
			      .reason = is_port ? REASON_PORT_UNREACH : REASON_ICMP_UNREACH,
			      .ttl = fi->ttl,
			      .icmp_type = fi->icmp_type,
			      .icmp_code = fi->icmp_code,
			      .proto = PROTO_UDP_NUM};
	return true;
}
