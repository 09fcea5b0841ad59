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
 * The tool whose fingerprint the TCP SYN that parse_frame() turned into fi
 * carries (its IP ID, DF, window and TCP options), or TOOL_NONE. fi's
 * options point into the frame, which must still be there.
 */
enum tool_hint fingerprint_syn(const struct frame_info *fi);

/* "masscan", "zmap", "nmap" or "hayate"; NULL for TOOL_NONE or an unknown value. */
const char *fingerprint_name(enum tool_hint hint);
