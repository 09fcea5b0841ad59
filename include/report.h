/* SPDX-License-Identifier: MIT */
/*
 * The results side of a run: the scan's description for output headers
 * (command line, port ranges, scan id), the outputs the command line asks
 * for (text on stdout when none) behind one output set, and, after the
 * wait, every probe that was never answered reported as filtered. main and
 * --readscan both drive it.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include "errmsg.h"
#include "output.h"
#include "scan.h"

struct report {
	struct output front; /* the receiver writes here */
	struct output_set set;
	struct output_info info;
	char *args, *ports, *udp_ports; /* owned strings info points to */
};

/* argv as one line, each argument shell-quoted where needed. Returns NULL on -ENOMEM. */
char *report_join_args(int argc, char **argv);
/* The port set as ranges, "22,80,8000-8100". Returns NULL on -ENOMEM. */
char *report_ports_string(const struct port_set *ps);
/* A hash of seed, target set and both port sets: the same for every shard of one scan. */
uint64_t report_scan_id(const struct scan *s);

/* Fills rp->info from s and the command line (start_wall_ns: the scan's start). Returns 0 or
 * -ENOMEM. */
int report_init(struct report *rp, const struct scan *s, int argc, char **argv,
		uint64_t start_wall_ns);

/*
 * Opens cfg's outputs (text on stdout when there are none), each with
 * cfg->show, and writes their headers with rp->info. append continues files
 * a paused scan wrote (see resume.h). Returns 0, or -errno with err naming
 * the file.
 */
int report_open(struct report *rp, const struct scan_config *cfg, bool append, struct errmsg *err);

/*
 * Writes one filtered (no-response) result, time now_wall_ns, for every
 * probe s sent and never heard back about. Returns how many.
 */
uint64_t report_silent(struct report *rp, const struct scan *s, uint64_t now_wall_ns);

/*
 * Writes every footer and closes the outputs. Returns 0, or the first -errno
 * an output met during the run or now; output_failure(&rp->front, ...) then
 * names each output that failed.
 */
int report_close(struct report *rp, uint64_t end_wall_ns, bool completed, bool has_filtered);

/* Frees what report_init() allocated. */
void report_free(struct report *rp);
