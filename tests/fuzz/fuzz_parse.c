// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the reply path: parse_frame() on every link type, then
 * validate_reply() (TCP, ICMP and UDP replies). The first input byte picks the link type and
 * whether the parsed ack (or quoted sequence number) is replaced by the right cookie, so the fuzzer
 * reaches the "this answers our probe" branches that a random ack never would. The frame is copied
 * into a buffer of exactly its length, so AddressSanitizer faults on any read past the end.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cookie.h"
#include "reply.h"

#define OUR_IP		0xc6130001u /* 198.19.0.1 */
#define SPORT_FIRST	61000
#define SPORT_LAST	61255
#define FLAG_FIX_COOKIE 0x80

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const enum link_type fuzz_links[] = {LINK_ETHERNET, LINK_RAW, LINK_LINUX_SLL};

/* Replaces the ack (TCP) or quoted seq (ICMP) with the value our cookie would have. */
static void fuzz_fix_cookie(const struct cookie_key *key, struct frame_info *fi)
{
	if (fi->kind == FRAME_TCP)
		fi->ack = cookie_seq(cookie_hash(key, fi->dst_ip, fi->src_ip, fi->dst_port,
						 fi->src_port)) +
			  1u;
	else if (fi->kind == FRAME_ICMP && fi->has_quote)
		fi->q_seq = cookie_seq(cookie_hash(key, fi->q_src_ip, fi->q_dst_ip, fi->q_src_port,
						   fi->q_dst_port));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct cookie_key key = {
		.sk = {.k0 = 0x0706050403020100ULL, .k1 = 0x0f0e0d0c0b0a0908ULL}};
	const struct validate_config cfg = {.key = &key,
					    .src_ip = OUR_IP,
					    .src_port_first = SPORT_FIRST,
					    .src_port_last = SPORT_LAST};
	struct frame_info fi;
	struct reply rep;
	uint8_t *frame;
	uint32_t len;
	int rc;

	if (size < 1 || size > 65536)
		return 0;
	len = (uint32_t)(size - 1);
	frame = malloc(len ? len : 1);
	if (!frame)
		return 0;
	memcpy(frame, data + 1, len);
	rc = parse_frame(fuzz_links[(data[0] & 0x7f) % 3], frame, len, &fi);
	assert(rc == 0 || rc < 0);
	if (rc == 0) {
		assert(fi.kind == FRAME_TCP || fi.kind == FRAME_ICMP || fi.kind == FRAME_UDP);
		/* A UDP payload is a window into the frame, never past its end. */
		if (fi.kind == FRAME_UDP)
			assert(fi.payload_len == 0 ||
			       (fi.payload >= frame && fi.payload + fi.payload_len <= frame + len));
		if (data[0] & FLAG_FIX_COOKIE)
			fuzz_fix_cookie(&key, &fi);
		if (validate_reply(&cfg, &fi, &rep)) {
			assert(rep.state >= PORT_OPEN && rep.state <= PORT_UP);
			if (fi.kind == FRAME_TCP)
				assert(rep.src_port >= SPORT_FIRST && rep.src_port <= SPORT_LAST);
		}
	} else {
		assert(fi.kind == FRAME_OTHER);
	}
	free(frame);
	return 0;
}
