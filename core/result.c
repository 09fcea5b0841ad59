// SPDX-License-Identifier: MIT
/*
 * Names for result states and reasons, spelled as nmap prints them, so that
 * output can be compared with nmap's line by line and read by the same eyes.
 * A result keeps only the reason, not the ICMP code, so every ICMP
 * unreachable is "unreach" rather than nmap's finer "host-unreach" and
 * "admin-prohibited".
 */
#include "result.h"

const char *result_state_name(unsigned state)
{
	switch (state) {
	case PORT_OPEN:
		return "open";
	case PORT_CLOSED:
		return "closed";
	case PORT_FILTERED:
		return "filtered";
	case PORT_OPEN_FILTERED:
		return "open|filtered";
	case PORT_UP:
		return "up";
	}
	return "unknown";
}

const char *result_proto_name(unsigned proto)
{
	switch (proto) {
	case PROTO_TCP:
		return "tcp";
	case PROTO_UDP:
		return "udp";
	case PROTO_ICMP:
		return "icmp";
	}
	return "unknown";
}

const char *result_reason_name(unsigned reason)
{
	switch (reason) {
	case REASON_SYN_ACK:
		return "syn-ack";
	case REASON_RST:
		return "reset";
	case REASON_ICMP_UNREACH:
		return "unreach";
	case REASON_NO_RESPONSE:
		return "no-response";
	case REASON_UDP_RESPONSE:
		return "udp-response";
	case REASON_PORT_UNREACH:
		return "port-unreach";
	case REASON_ECHO_REPLY:
		return "echo-reply";
	}
	return "unknown";
}
