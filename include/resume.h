/* SPDX-License-Identifier: MIT */
/*
 * Pause and resume. An interrupted scan writes a resume file (masscan's
 * paused.conf, in plain "key = value" lines): the seed, the shard, the
 * number of probes, each transmit slice's next unsent position, and every
 * argument of the command line. `hayate --resume FILE` parses those
 * arguments again, with the seed fixed and any options given alongside
 * --resume added, and each slice starts where it stopped, so the two runs
 * together send every probe exactly once. Without new -o options the resumed
 * run appends to the first run's files; the host-grouped formats, which
 * cannot be appended to, are rewritten from the binary output when there is one.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "errmsg.h"
#include "result.h"
#include "scan.h"

struct resume {
	uint64_t seed;
	uint64_t shard_index, shard_count; /* 0-based index */
	uint64_t total_sends;
	unsigned slices;
	uint64_t next[SCAN_TX_THREADS_MAX]; /* each slice's next position */
	bool keeps_outputs;		    /* no -o given with --resume: continue the old files */
	int argc;			    /* the arguments to parse for the resumed run */
	char **argv;
	char *text;	   /* the file, which argv points into */
	char seed_arg[32]; /* "--seed=N" */
};

/*
 * Reads the resume file path and builds r->argc/argv: argv[0], the saved
 * arguments (without their -o options if argv holds any, without --seed),
 * --seed N, then argv's own arguments minus --resume FILE. Returns 0, or
 * -errno/-EINVAL with err naming the file and line.
 */
int resume_load(struct resume *r, const char *path, int argc, char **argv, struct errmsg *err);

/*
 * Checks that s (built from r's arguments) is the saved scan, and sets each
 * slice's first position. slices: the transmit threads of this run.
 * Returns 0 or -EINVAL with err saying what differs.
 */
int resume_apply(const struct resume *r, struct scan *s, unsigned slices, struct errmsg *err);

/*
 * Writes s's state, with argv (argv[0] excluded; the arguments this run
 * parsed) to path, atomically (a temporary file renamed). Returns 0 or -errno.
 */
int resume_save(const char *path, const struct scan *s, int argc, char **argv, struct errmsg *err);

/* Frees what resume_load() allocated. */
void resume_free(struct resume *r);

struct report;

/*
 * Before a resumed run appends to cfg's binary outputs: checks each is from
 * the scan scan_id and cuts a torn last record off. Returns 0, or -EINVAL/
 * -errno with err naming the file.
 */
int resume_prepare_outputs(const struct scan_config *cfg, uint64_t scan_id, struct errmsg *err);

/*
 * Feeds the first run's results, read back from cfg's binary output, to the
 * host-grouped outputs (normal, XML, grepable), which are rewritten whole:
 * its replies now, its unanswered probes into *held (*nheld of them,
 * malloc'd) for resume_feed() once this run's replies are in, as grouping
 * needs. Reads files: call before privileges are dropped. Returns 0 or -errno.
 */
int resume_preload(const struct scan_config *cfg, struct report *rp, struct result **held,
		   size_t *nheld, struct errmsg *err);

/* Feeds held results to the host-grouped outputs of rp, and frees them. */
void resume_feed(struct report *rp, struct result *held, size_t nheld);
