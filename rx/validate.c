// SPDX-License-Identifier: MIT
/*
 * Reply validation. We keep no record of the probes we sent: the sequence
 * number of each SYN is its cookie, a keyed hash of the probe's 4-tuple, so
 * a reply proves itself by carrying that number back. A SYN-ACK or RST
 * acknowledges seq + 1; an ICMP error quotes our SYN header, seq included.
 *
 * The cookie is always computed over the probe's tuple as we sent it (our
 * address and port first). A TCP reply travels the other way, so its source
 * is the target and its destination is us, and the fields are swapped back
 * before hashing. An ICMP error comes from some router, but the quote is our
 * own SYN, so the quoted tuple is used as it stands and the result is about
 * the quoted destination. The outer ICMP addresses are not checked: the
 * cookie in the quote is the proof, and a router may answer from any address.
 */
#include "reply.h"

#include "packet.h"
#include "validate_kinds.h"

/* Codes that mean "this port cannot be reached", as nmap counts them for filtered. */
static bool validate_unreach_code(uint8_t code)
{
	switch (code) {
	case 0:	 /* network unreachable */
	case 1:	 /* host unreachable */
	case 2:	 /* protocol unreachable */
	case 3:	 /* port unreachable */
	case 9:	 /* network administratively prohibited */
	case 10: /* host administratively prohibited */
	case 13: /* communication administratively prohibited */
		return true;
	}
	return false;
}

static bool validate_our_port(const struct validate_config *cfg, uint16_t port)
{
	return port >= cfg->src_port_first && port <= cfg->src_port_last;
}

static bool validate_tcp(const struct validate_config *cfg, const struct frame_info *fi,
			 struct reply *out)
{
	uint8_t flags = fi->tcp_flags;
	bool is_rst = flags & TCP_FLAG_RST;
	bool is_syn_ack = (flags & (TCP_FLAG_SYN | TCP_FLAG_ACK)) == (TCP_FLAG_SYN | TCP_FLAG_ACK);

	if (fi->dst_ip != cfg->src_ip || !validate_our_port(cfg, fi->dst_port))
		return false;
	/* RST wins over SYN: a segment with both is a reset, never an open port. */
	if (!is_rst && !is_syn_ack)
		return false;
	if (!cookie_check_ack(cfg->key, fi->dst_ip, fi->src_ip, fi->dst_port, fi->src_port,
			      fi->ack))
		return false;
	out->addr = fi->src_ip;
	out->port = fi->src_port;
	out->src_port = fi->dst_port;
	out->state = is_rst ? PORT_CLOSED : PORT_OPEN;
	out->reason = is_rst ? REASON_RST : REASON_SYN_ACK;
	out->ttl = fi->ttl;
	out->window = fi->window;
	out->icmp_type = 0;
	out->icmp_code = 0;
	return true;
}

static bool validate_icmp(const struct validate_config *cfg, const struct frame_info *fi,
			  struct reply *out)
{
	uint64_t hash;

	if (fi->icmp_type != ICMP_UNREACH || !validate_unreach_code(fi->icmp_code))
		return false;
	if (!fi->has_quote || fi->q_proto != IPPROTO_TCP_NUM)
		return false;
	if (fi->q_src_ip != cfg->src_ip || !validate_our_port(cfg, fi->q_src_port))
		return false;
	hash = cookie_hash(cfg->key, fi->q_src_ip, fi->q_dst_ip, fi->q_src_port, fi->q_dst_port);
	if (fi->q_seq != cookie_seq(hash))
		return false;
	out->addr = fi->q_dst_ip;
	out->port = fi->q_dst_port;
	out->src_port = fi->q_src_port;
	out->state = PORT_FILTERED;
	out->reason = REASON_ICMP_UNREACH;
	out->ttl = fi->ttl;
	out->window = 0;
	out->icmp_type = fi->icmp_type;
	out->icmp_code = fi->icmp_code;
	return true;
}

bool validate_reply(const struct validate_config *cfg, const struct frame_info *fi,
		    struct reply *out)
{
	out->proto = IPPROTO_TCP_NUM; /* the UDP and echo validators set their own */
	if (fi->kind == FRAME_TCP)
		return validate_tcp(cfg, fi, out);
	if (fi->kind == FRAME_UDP)
		return validate_udp(cfg, fi, out);
	if (fi->kind != FRAME_ICMP)
		return false;
	if (fi->has_quote && fi->q_proto != IPPROTO_TCP_NUM)
		return validate_udp_unreach(cfg, fi, out);
	if (!fi->has_quote)
		return validate_icmp_echo(cfg, fi, out);
	return validate_icmp(cfg, fi, out);
}
