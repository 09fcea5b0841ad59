/* SPDX-License-Identifier: MIT */
/*
 * The validators for the other probe kinds, called by validate_reply()
 * (rx/validate.c) by frame kind: UDP replies and ICMP errors quoting UDP
 * probes (validate_udp.c), ICMP echo replies (validate_icmp.c). Each has
 * validate_reply()'s contract: true and *out filled for a reply to one of our
 * probes, proven by its cookie. Pure.
 */
#pragma once

#include "reply.h"

bool validate_udp(const struct validate_config *cfg, const struct frame_info *fi,
		  struct reply *out);
bool validate_udp_unreach(const struct validate_config *cfg, const struct frame_info *fi,
			  struct reply *out);
bool validate_icmp_echo(const struct validate_config *cfg, const struct frame_info *fi,
			struct reply *out);
