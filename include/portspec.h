/* SPDX-License-Identifier: MIT */
/*
 * nmap's protocol-qualified port lists: "U:53,161,T:21-25,80" gives UDP
 * 53,161 and TCP 21-25,80; a T: or U: prefix holds until the next one, and
 * ports before any prefix take the scan's default protocol (UDP under -sU).
 * Each protocol's part is then an ordinary port list (include/ports.h). Pure.
 */
#pragma once

#include <stdbool.h>
#include "errmsg.h"
#include "ports.h"

/*
 * Parses spec into tcp and udp (both cleared first; either may end up
 * empty, not both). Returns 0, or -EINVAL with err naming the bad part, as
 * ports_parse() does, or "'S:' ports (SCTP) are not supported".
 */
int portspec_parse(const char *spec, bool udp_default, struct port_set *tcp, struct port_set *udp,
		   struct errmsg *err);
