/* SPDX-License-Identifier: MIT */
/*
 * One run of the scanner, as core/main.c drives it: the scan context, the
 * transmit threads with their backends, the capture and the outputs. The
 * setup that opens the network side (route, backends, connect scan) is in
 * core/run_setup.c. Private to core/.
 */
#pragma once

#include <pthread.h>
#include <stdatomic.h>

#include "connect.h"
#include "dedup.h"
#include "output.h"
#include "report.h"
#include "resume.h"
#include "rx.h"
#include "scan.h"
#include "tx.h"

struct run;

/* One transmit thread: its own backend instance and its slice of the positions. */
struct sender_thread {
	struct run *r;
	unsigned index;
	pthread_t thread;
	struct tx tx;
	int rc;
	struct errmsg err;
};

struct run {
	struct scan scan;
	struct sender_thread senders[SCAN_TX_THREADS_MAX];
	unsigned nsenders;
	atomic_uint senders_running;
	struct rx rx;
	struct dedup dedup;
	struct output out; /* the front of report's outputs */
	struct report report;
	int argc; /* the arguments parsed (with --resume: the saved ones), for the resume file */
	char **argv;
	uint64_t silent;	     /* probes never answered */
	const struct resume *resume; /* --resume: the saved state, else NULL */
	struct result *held;	     /* --resume: the first run's silent probes, for grouping */
	size_t nheld;
	unsigned batch;
	int rx_rc;
	struct errmsg rx_err;
	bool has_rx;
	struct connect_shared connect; /* -sT */
};

/* Fills net from the routing table, then applies the user's overrides. Returns 0 or -errno. */
int run_detect_net(const struct scan_config *cfg, const struct scan *s, struct scan_net *net,
		   struct errmsg *err);
/* Opens sender queue's backend into tx: the user's choice, rawip on loopback, else the fastest. */
int run_open_tx(struct run *r, const struct scan_config *cfg, struct tx *tx, unsigned queue,
		struct errmsg *err);
/* Opens the capture with the filter for our replies, and the dedup table. Returns 0 or -errno. */
int run_open_rx(struct run *r, struct errmsg *err);
/*
 * Picks the connect scan when asked (-sT) or when raw packets are not allowed
 * (with a notice), and sizes it to the open-file limit. Returns 0 or -errno.
 */
int run_connect_setup(struct run *r, struct scan_config *cfg, struct scan_net *net,
		      struct errmsg *err);
