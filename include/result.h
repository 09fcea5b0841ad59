/* SPDX-License-Identifier: MIT */
/*
 * One result: what the scan learned about one port of one address. The
 * receiver makes these from validated replies and hands them to the outputs;
 * the results issue's formats all serialise this one record.
 */
#pragma once

#include <stdint.h>
#include "reply.h"

#define PROTO_ICMP 1 /* an ICMP echo: host discovery, port 0 */
#define PROTO_TCP  6
#define PROTO_UDP  17

struct result {
	uint64_t time_ns; /* wall clock, ns since the Unix epoch */
	uint32_t addr;	  /* host order */
	uint16_t port;
	uint8_t proto;	/* PROTO_TCP, PROTO_UDP or PROTO_ICMP */
	uint8_t state;	/* enum port_state */
	uint8_t reason; /* enum reply_reason */
	uint8_t ttl;
	uint16_t window;
};

/*
 * "open", "closed", "filtered", "open|filtered" or "up" (as nmap prints them);
 * "unknown" for any other value.
 */
const char *result_state_name(unsigned state);
/* "tcp", "udp" or "icmp"; "unknown" for any other value. */
const char *result_proto_name(unsigned proto);
/*
 * "syn-ack", "reset", "unreach", "no-response", "udp-response", "port-unreach"
 * or "echo-reply", as nmap names reasons; "unknown" for any other value. The
 * ICMP code is not kept, hence "unreach" for all of them.
 */
const char *result_reason_name(unsigned reason);
