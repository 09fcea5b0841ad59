// SPDX-License-Identifier: MIT
/*
 * What the responder's XDP program (responder.bpf.c) and its loader
 * (responder.c) share: the configuration the loader writes into the one-entry
 * `config` map before attaching, and the per-CPU counters it reads back.
 *
 * The port table is a plain byte per port so that the per-packet decision is
 * one array load; at 64 KiB it is one map value, written in one syscall.
 */
#pragma once

#include <linux/types.h>

enum responder_port_state {
	RESPONDER_CLOSED = 0,	/* answer RST+ACK (the default for unlisted ports) */
	RESPONDER_OPEN = 1,	/* answer SYN-ACK */
	RESPONDER_FILTERED = 2, /* answer nothing: XDP_DROP */
};

struct responder_config {
	__u32 net_h;  /* the range answered for, host order, masked */
	__u32 mask_h; /* its netmask, host order */
	__u32 key;    /* mixed into the SYN-ACK's sequence number */
	__u32 pad;
	__u8 port_state[65536]; /* enum responder_port_state, indexed by host-order port */
};

/* Counters, one set per CPU; the loader sums them. Times are bpf_ktime_get_ns()
 * (CLOCK_MONOTONIC) of the first and the last SYN this CPU saw in the range. */
struct responder_stats {
	__u64 syn;    /* SYNs to an address in the range */
	__u64 synack; /* answered SYN-ACK */
	__u64 rst;    /* answered RST+ACK */
	__u64 drop;   /* dropped: filtered port */
	__u64 pass;   /* any other frame, handed to the kernel */
	__u64 first_ns;
	__u64 last_ns;
};
