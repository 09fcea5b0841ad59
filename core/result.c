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
	}
	return "unknown";
}
