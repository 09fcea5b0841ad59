/* SPDX-License-Identifier: MIT */
/*
 * The output-format interface. The receiver hands each new result to an
 * output; a format only serialises struct result. Formats that stream
 * (text, binary, JSON, list) write each result as it comes; formats that
 * group by host (normal, XML, grepable) collect and write at close. Several
 * outputs run at once through an output set, itself an output, which gives
 * each member the results its --show mask selects. Outputs are written from
 * one thread at a time (the receive thread, then main), so they need no locks.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "errmsg.h"
#include "result.h"

struct output;

/*
 * What headers and footers say about the scan. main fills it from the scan
 * (or --readscan from a binary file's header) and sets end_ns before closing.
 */
struct output_info {
	const char *args;  /* the command line, for "as: ..." and the XML args */
	const char *ports; /* the TCP port set as ranges, "22,80,8000-8100" */
	uint32_t ports_total;
	const char *udp_ports; /* the UDP port set likewise (may be NULL when empty) */
	uint32_t udp_ports_total;
	bool connect_scan; /* the TCP ports were scanned with connect() (-sT), not SYNs */
	uint64_t targets_total;
	uint64_t seed;
	uint64_t scan_id; /* same for every shard of one scan: seed, targets and ports */
	uint32_t shard_index, shard_count; /* 0-based index */
	uint32_t retries;
	uint64_t rate_pps;
	uint32_t show;		   /* enum show_mask bits the scan was asked for */
	uint64_t start_ns, end_ns; /* wall clock, ns since the Unix epoch */
	bool completed;		   /* every probe was sent (not interrupted) */
	bool has_filtered;	   /* silent probes were reported as filtered */
};

struct output_ops {
	const char *name;
	/* Writes the header (may be NULL). Returns 0 or -errno. */
	int (*open)(struct output *o, const struct output_info *info);
	/* Writes one result. Returns 0 or -errno (a full disk, a closed pipe). */
	int (*write)(struct output *o, const struct result *r);
	/*
	 * Sees a result that --show leaves out (may be NULL): host-grouped
	 * formats count them for "Not shown: N closed tcp ports". Returns 0 or -errno.
	 */
	int (*hidden)(struct output *o, const struct result *r);
	/* Pushes buffered results to the file. Returns 0 or -errno. */
	int (*flush)(struct output *o);
	/* Writes what was collected and the footer, frees priv (may be NULL). Returns 0 or -errno.
	 */
	int (*close)(struct output *o, const struct output_info *info);
};

struct output {
	const struct output_ops *ops;
	FILE *fp; /* owned only if owns_fp */
	bool owns_fp;
	unsigned show;	  /* 1 << enum port_state bits this output writes; 0 = all */
	const char *path; /* what messages call it: the file name, or "stdout" */
	/*
	 * The first failure (-errno) of a call through output_open, _write,
	 * _flush or _close; after it nothing more is written, so the file
	 * holds what came before it. A set keeps none: its members do.
	 */
	int error;
	void *priv; /* the format's own state */
};

/* One line a result: "open tcp 80 198.18.1.7 ttl=64 win=65483". */
extern const struct output_ops output_text_ops;
/* The native binary format (docs/binary-format.md): a header, then 20-byte records. */
extern const struct output_ops output_binary_ops;
/* JSON Lines: one object a result. */
extern const struct output_ops output_json_ops;
/* masscan's -oL list: "open tcp 80 198.18.1.7 1700000000" between "#masscan" and "# end". */
extern const struct output_ops output_list_ops;
/* nmap's -oG grepable format, one "Host:" line per host. */
extern const struct output_ops output_grepable_ops;
/* nmap's -oX XML, valid against nmap.dtd. */
extern const struct output_ops output_xml_ops;
/* nmap's -oN normal report: per host, PORT STATE SERVICE rows. */
extern const struct output_ops output_normal_ops;

/* The formats -o selects, in the order -oA writes them. */
enum output_format {
	OUTPUT_NORMAL,
	OUTPUT_XML,
	OUTPUT_GREPABLE,
	OUTPUT_BINARY,
	OUTPUT_JSON,
	OUTPUT_LIST,
	OUTPUT_TEXT,
	OUTPUT_FORMATS
};

/* The ops of a format. */
const struct output_ops *output_format_ops(enum output_format f);
/* The file name extension -oA gives a format: "nmap", "xml", "gnmap", "bin", "json", "list". */
const char *output_format_ext(enum output_format f);

/*
 * Opens path for format f ("-" is stdout, never closed) and fills o: the ops,
 * the file, show, the path (which must outlive o). append keeps what the
 * file holds (binary: after checking nothing; the caller decides). Does not
 * write the header: see output_open(). Returns 0 or -errno with err naming
 * the file.
 */
int output_open_file(struct output *o, enum output_format f, const char *path, unsigned show,
		     bool append, struct errmsg *err);

/* Calls o->ops->open if any. Returns 0 or -errno. */
int output_open(struct output *o, const struct output_info *info);
/* Writes r if o->show selects it, else hands it to o->ops->hidden. Returns 0 or -errno. */
int output_write(struct output *o, const struct result *r);
/* Pushes what o buffered to its file. Returns 0 or -errno. */
int output_flush(struct output *o);
/*
 * Closes the format (footer), flushes and closes an owned file. Returns 0 or
 * the first -errno o met, during the scan or now.
 */
int output_close(struct output *o, const struct output_info *info);

/*
 * The i-th output that failed, in -o order (of a set, its members; else o
 * itself): fills err with "PATH: error", e.g. "out.json: No space left on
 * device", and returns its -errno; 0 when fewer than i + 1 failed.
 */
int output_failure(const struct output *o, unsigned i, struct errmsg *err);

/*
 * An output set: several outputs behind one. Its output is driven through
 * output_set_ops with priv pointing at the struct output_set.
 */
#define OUTPUT_SET_MAX 16

struct output_set {
	struct output outs[OUTPUT_SET_MAX];
	unsigned count;
};

extern const struct output_ops output_set_ops;

/* Makes o the front of set (which must outlive it). */
void output_set_bind(struct output *o, struct output_set *set);

/* Formats wall-clock ns as nmap does, "Fri Nov 27 06:00:05 2026" (local time), into buf. */
const char *output_timestr(uint64_t wall_ns, char buf[64]);
