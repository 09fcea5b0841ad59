/* SPDX-License-Identifier: MIT */
/*
 * What the host-grouped formats (normal, XML, grepable) share: they collect
 * every result into struct hosts while the scan runs and write the report at
 * close, with service names for the SERVICE column. Private to core/.
 */
#pragma once

#include "hosts.h"
#include "output.h"
#include "services.h"

struct grouped {
	struct hosts hosts;
	struct services services;
	struct output_info info; /* as given to open; args and ports point to the caller's */
};

#define GROUPED_HIDDEN_MAX (HOSTS_PROTOS * HOSTS_STATES * HOSTS_REASONS)

/* One line of "Not shown": count ports of one protocol and state, all with one reason. */
struct grouped_hidden {
	unsigned proto, state, reason;
	uint64_t count;
};

/* Allocates o->priv and remembers info. Returns 0 or -ENOMEM. */
int grouped_open(struct output *o, const struct output_info *info);
/* output_ops.write and .hidden for grouped formats: collect. Return 0 or -ENOMEM. */
int grouped_write(struct output *o, const struct result *r);
int grouped_hidden(struct output *o, const struct result *r);
/* Writes nothing: grouped formats write at close. Flushes the file. */
int grouped_flush(struct output *o);
/*
 * What became of the writes to fp: 0, or the -errno of a failed one
 * (ENOSPC for a full disk, not just -EIO). Flushes fp.
 */
int grouped_status(FILE *fp);

/*
 * The report, written at close host by host, so that a full disk cuts it at
 * a host: a host's lines are kept only if all of them reach the file; after
 * a failed write the file is cut back to the last whole host and no more
 * hosts are written. The closing lines then say the report was cut short
 * (w->error is set); if they do not fit, they take the place of as many of
 * the last hosts as they need (within GROUPED_OUT_ROOM bytes), so that a cut
 * report says so and an XML one is still a document. If the lines written at
 * open did not fit, nothing more is written.
 */
#define GROUPED_OUT_MARKS 64
#define GROUPED_OUT_ROOM  8192 /* two pages: more than any closing lines need */

struct grouped_out {
	FILE *fp;
	long long marks[GROUPED_OUT_MARKS]; /* where the file was whole, the latest last */
	unsigned nmarks; /* 0: not even the lines written at open are whole */
	int error;	 /* the first failed write, -errno */
};

/* What the closing lines say of the scan. */
struct grouped_end {
	const struct output_info *info;
	size_t hosts_up;
};

typedef void grouped_host_fn(FILE *fp, const struct grouped *g, const struct host *host);
/* The closing lines; ctx is a struct grouped_end. */
typedef void grouped_end_fn(FILE *fp, const struct grouped_out *w, void *ctx);

/*
 * Sorts what was collected, writes each host with host() and the closing
 * lines with end(), and frees o->priv. Returns 0 or the first failed write's
 * -errno (-ENOSPC for a full disk).
 */
int grouped_report(struct output *o, const struct output_info *info, grouped_host_fn *host,
		   grouped_end_fn *end);


/*
 * Fills out (room for GROUPED_HIDDEN_MAX) with host's hidden counts,
 * largest first. Returns how many.
 */
unsigned grouped_hidden_list(const struct host *host, struct grouped_hidden *out);
/* The number of hidden results of host. */
uint64_t grouped_hidden_total(const struct host *host);
/* The elapsed seconds of the scan, for footers. */
double grouped_elapsed_s(const struct output_info *info);

/* "# hayate 0.1.0 scan initiated <date> as: <args>", nmap's first line. Returns 0 or -errno. */
int grouped_comment_start(FILE *fp, const struct output_info *info);
/*
 * grouped_end_fn of -oN and -oG (ctx: struct grouped_end): nmap's last line,
 * "# hayate done at <date> -- 4096 IP addresses (4096 hosts up) scanned in
 * 2.51 seconds" ("interrupted" for a scan cut short; "report cut short at
 * <date> (No space left on device)" after a failed write).
 */
void grouped_comment_end(FILE *fp, const struct grouped_out *w, void *ctx);
/* The summary sentence after "done at <date>": "-- ... scanned in X seconds", into buf. */
const char *grouped_summary(const struct output_info *info, size_t hosts_up, char buf[160]);
