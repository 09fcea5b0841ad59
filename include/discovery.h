/* SPDX-License-Identifier: MIT */
/*
 * Host discovery before a port scan (--ping with -p). The scan runs twice:
 * first one ICMP echo per target (the ping phase), then the port probes to
 * the hosts that answered only. Between the two, the scan remembers one bit
 * per target, in the answered-probe bitmap the receiver already keeps: this
 * is the one place where hayate holds state per target, the price of not
 * sending port probes to hosts that are down (a /8 costs 2 MiB; 2^32
 * targets 512 MiB). A host that drops echo requests but has open ports is
 * missed, as with nmap's default discovery.
 */
#pragma once

#include <stdint.h>
#include "errmsg.h"
#include "scan.h"

/*
 * Before the ping phase of a scan with ports: makes sure the bitmap holds one
 * bit per target. Returns 0, or -ENOMEM / -E2BIG with err set.
 */
int discovery_begin(struct scan *s, struct errmsg *err);

/*
 * After the ping phase: makes the targets that answered the scan's target
 * set, leaves the ping phase, prepares the port scan (same seed and key) and,
 * if track_silent, a fresh bitmap for its probes. Returns the number of hosts
 * up (0: nothing left to scan, the scan is unchanged), or -errno with err set.
 */
int64_t discovery_restrict(struct scan *s, bool track_silent, struct errmsg *err);
