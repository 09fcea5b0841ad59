/* SPDX-License-Identifier: MIT */
/*
 * What comes back. rx/parse.c turns raw frames into struct frame_info without
 * trusting any length field; rx/validate.c decides, with the cookie, whether a
 * parsed frame answers one of our probes and what it says about the port.
 * Both are pure.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include "cookie.h"

enum port_state {
	PORT_OPEN = 1,		/* SYN-ACK */
	PORT_CLOSED = 2,	/* RST */
	PORT_FILTERED = 3,	/* ICMP unreachable (or no answer, decided later) */
	PORT_OPEN_FILTERED = 4, /* UDP: no answer, which proves nothing either way */
	PORT_UP = 5,		/* a host answered an ICMP echo (--ping, -sn); port 0 */
};

enum reply_reason {
	REASON_SYN_ACK = 1,
	REASON_RST = 2,
	REASON_ICMP_UNREACH = 3,
	REASON_NO_RESPONSE = 4,
	REASON_UDP_RESPONSE = 5, /* a UDP datagram came back: open */
	REASON_PORT_UNREACH = 6, /* ICMP port unreachable to a UDP probe: closed */
	REASON_ECHO_REPLY = 7,	 /* ICMP echo reply: the host is up */
};

/* Link types the parser understands (values equal libpcap's DLT_* numbers). */
enum link_type {
	LINK_ETHERNET = 1,   /* DLT_EN10MB, VLAN/QinQ tags skipped */
	LINK_RAW = 12,	     /* DLT_RAW: starts at the IP header */
	LINK_LINUX_SLL = 113 /* DLT_LINUX_SLL, "any" device */
};

enum frame_kind {
	FRAME_OTHER = 0, /* not IPv4 TCP/ICMP, or too short to tell */
	FRAME_TCP,
	FRAME_ICMP,
	FRAME_UDP,
};

/* A parsed frame; all numbers host order. */
struct frame_info {
	enum frame_kind kind;
	uint32_t src_ip, dst_ip; /* outer IPv4 header */
	uint8_t ttl;
	bool ip_df;	/* don't fragment */
	uint16_t ip_id; /* scanners' fingerprints (tools/detect) */
	/* FRAME_TCP and FRAME_UDP */
	uint16_t src_port, dst_port;
	uint8_t tcp_options_len;
	/* Inside the frame, valid as long as it is. */
	union {
		const uint8_t *payload;	    /* FRAME_UDP: payload_len bytes */
		const uint8_t *tcp_options; /* FRAME_TCP: tcp_options_len bytes */
	};
	uint32_t payload_len;
	uint32_t seq, ack;
	uint8_t tcp_flags;
	uint16_t window;
	/* FRAME_ICMP: type/code and, for errors, the quoted IPv4 + first 8 bytes of TCP */
	uint8_t icmp_type, icmp_code;
	uint16_t icmp_id, icmp_seq; /* echo request and reply only */
	bool has_quote;
	uint32_t q_src_ip, q_dst_ip;
	uint16_t q_src_port, q_dst_port;
	uint32_t q_seq;
	uint8_t q_proto;
};

/*
 * Parses len bytes of frame as link type link. Returns 0 with *out filled, or
 * a negative errno-style code for frames that are truncated, malformed or not
 * of interest (-EINVAL malformed, -EPROTONOSUPPORT not IPv4 TCP/UDP/ICMP); such
 * frames are counted by the caller and otherwise ignored. Never reads past len.
 * Non-first fragments are -EINVAL; an ICMP error whose quote is cut short or
 * malformed still parses, with has_quote false. Thread-safe (no state).
 */
int parse_frame(enum link_type link, const uint8_t *frame, uint32_t len, struct frame_info *out);

/* A reply that answers one of our probes. */
struct reply {
	uint32_t addr;	   /* the target that answered (host order) */
	uint16_t port;	   /* the target port */
	uint16_t src_port; /* our source port the probe used */
	enum port_state state;
	enum reply_reason reason;
	uint8_t ttl;
	uint16_t window;
	uint8_t icmp_type, icmp_code; /* REASON_ICMP_UNREACH only */
	uint8_t proto;		      /* IP protocol of the probe: 6 TCP, 17 UDP, 1 ICMP echo */
};

/* What the validator needs to know about our probes. */
struct validate_config {
	const struct cookie_key *key;
	uint32_t src_ip;			/* our source address */
	uint16_t src_port_first, src_port_last; /* our source port range, inclusive */
};

/*
 * Decides whether fi answers one of our probes. A TCP frame must come to our
 * address and source-port range with ack - 1 equal to the cookie: SYN+ACK is
 * open, RST (with or without ACK) is closed. An ICMP destination unreachable
 * (type 3, codes 0-3, 9, 10, 13) quoting one of our SYNs (quoted seq equal to
 * the cookie) is filtered, for the quoted destination. UDP replies and ICMP
 * errors quoting UDP probes are checked by rx/validate_udp.c, echo replies by
 * rx/validate_icmp.c. Returns true and fills *out for a match; ttl is the
 * reply's outer TTL, window 0 for anything but TCP.
 */
bool validate_reply(const struct validate_config *cfg, const struct frame_info *fi,
		    struct reply *out);
