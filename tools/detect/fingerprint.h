/* SPDX-License-Identifier: MIT */
/*
 * Tool hints: which scanner a SYN looks as if it came from, read from fields
 * that a scanner fixes in its packet template and an operating system does
 * not (IP ID, window, TCP option layout, DF). Each rule was derived from
 * captures of the tool made in the namespace testbed; README.md lists them.
 * A hint, never proof: anyone can forge any of these fields. Pure.
 */
#pragma once

#include <stdint.h>

#include "reply.h"

enum tool_hint {
	TOOL_NONE = 0,
	TOOL_MASSCAN,
	TOOL_ZMAP,
	TOOL_NMAP,
	TOOL_HAYATE,
	TOOL_HINTS,
};

/*
 * Reads the TCP SYN that parse_frame() turned into fi from the len bytes of
 * frame (link type link) and returns the tool whose fingerprint it carries,
 * or TOOL_NONE. Reads the IP ID, DF and TCP options, which struct frame_info
 * does not hold, from the bytes; never reads past len.
 */
enum tool_hint fingerprint_syn(enum link_type link, const uint8_t *frame, uint32_t len,
			       const struct frame_info *fi);

/* "masscan", "zmap", "nmap" or "hayate"; NULL for TOOL_NONE or an unknown value. */
const char *fingerprint_name(enum tool_hint hint);
