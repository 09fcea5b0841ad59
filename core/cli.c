// SPDX-License-Identifier: MIT
#include "cli.h"

#include <assert.h>
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"
#include "cli_value.h"
#include "compiler.h"
#include "output.h"
#include "rx.h"
#include "tx.h"
#include "version.h"

enum opt_id {
	OPT_INPUT_LIST = 256,
	OPT_EXCLUDE,
	OPT_EXCLUDE_FILE,
	OPT_INCLUDE_RESERVED,
	OPT_RATE,
	OPT_RETRIES,
	OPT_WAIT,
	OPT_SEED,
	OPT_SHARD,
	OPT_BATCH,
	OPT_TX_THREADS,
	OPT_MAX_INFLIGHT,
	OPT_CONNECT_TIMEOUT,
	OPT_PING,
	OPT_SOURCE_PORT,
	OPT_ROUTER_MAC,
	OPT_SEND_BACKEND,
	OPT_CAPTURE_BACKEND,
	OPT_OFFLINE,
	OPT_SHOW,
	OPT_OUTPUT_NORMAL, /* the -o options, in enum output_format's order */
	OPT_OUTPUT_XML,
	OPT_OUTPUT_GREPABLE,
	OPT_OUTPUT_BINARY,
	OPT_OUTPUT_JSON,
	OPT_OUTPUT_LIST,
	OPT_OUTPUT_ALL,
	OPT_READSCAN,
	OPT_MERGE_ANYWAY,
	OPT_RESUME,
	OPT_PAUSE_FILE,
	OPT_USER,
	OPT_NO_DROP_PRIVILEGES,
};

static_assert(OPT_OUTPUT_LIST - OPT_OUTPUT_NORMAL == OUTPUT_LIST, "-o options follow the formats");

struct cli_option {
	const char *name;
	int id;		 /* the short letter, or an enum opt_id */
	const char *arg; /* NULL for a flag */
	const char *group;
	const char *help;
};

static const struct cli_option cli_options[] = {
	{"input-list", OPT_INPUT_LIST, "FILE", "Targets",
	 "read targets from FILE, one or more a line, # comments (also -iL)"},
	{"exclude", OPT_EXCLUDE, "SPEC,...", "Targets", "never send to these addresses"},
	{"excludefile", OPT_EXCLUDE_FILE, "FILE", "Targets", "never send to the addresses in FILE"},
	{"include-reserved", OPT_INCLUDE_RESERVED, NULL, "Targets",
	 "do not exclude IANA special-purpose ranges from scans larger than a /16"},
	{"ports", 'p', "LIST", "Ports", "ports and ranges: 22,80,8000-8100; -p- for 1-65535"},
	{"rate", OPT_RATE, "PPS", "Timing",
	 "probes per second (default 10000; k and M suffixes: 250k, 1.5M)"},
	{"retries", OPT_RETRIES, "N", "Timing", "send each probe N more times (default 0)"},
	{"wait", OPT_WAIT, "SECONDS", "Timing",
	 "keep listening this long after the last probe (default 3)"},
	{"seed", OPT_SEED, "N", "Timing",
	 "fixes the probe order and cookies; shards of one scan need the same seed"},
	{"shard", OPT_SHARD, "I/N", "Timing", "scan only part I of N (1-based), e.g. 2/4"},
	{"batch", OPT_BATCH, "N", "Timing",
	 "probes handed to the kernel per call (default: from the rate, at most 256)"},
	{"tx-threads", OPT_TX_THREADS, "N", "Timing",
	 "transmit threads, each with its own socket and share of the rate (default 1)"},
	{"scan-type", 's', "KIND", "Scan",
	 "-sS SYN (default), -sT connect (no privileges needed), -sU UDP, -sn ping sweep"},
	{"ping", OPT_PING, NULL, "Scan",
	 "ICMP echo first, then scan only the hosts that answered (-sn without -p: only ping)"},
	{"max-inflight", OPT_MAX_INFLIGHT, "N", "Scan",
	 "-sT: connects in flight at once (default 1024; raises the open-file limit)"},
	{"connect-timeout", OPT_CONNECT_TIMEOUT, "MS", "Scan",
	 "-sT: how long a connect may take before it counts as filtered (default 1000)"},
	{"interface", 'e', "IFACE", "Network", "send and capture on IFACE (default: from routes)"},
	{"source-ip", 'S', "ADDR", "Network", "source address (default: the interface's)"},
	{"source-port", OPT_SOURCE_PORT, "A[-B]", "Network",
	 "source port or range (default 61000-61255)"},
	{"router-mac", OPT_ROUTER_MAC, "MAC", "Network",
	 "next hop's MAC (default: neighbour table, then ARP)"},
	{"send-backend", OPT_SEND_BACKEND, "NAME", "Network",
	 "xdp, txring, afpacket, uring, pcap, rawip or null (default: the fastest that works; "
	 "rawip on loopback)"},
	{"capture-backend", OPT_CAPTURE_BACKEND, "NAME", "Network",
	 "ring or pcap (default: ring, pcap where the ring cannot capture)"},
	{"offline", OPT_OFFLINE, NULL, "Network",
	 "generate every probe but send none (measures the generator)"},
	{"show", OPT_SHOW, "STATES", "Output",
	 "states to print: open, closed, filtered, open|filtered, up or all (default open)"},
	{"output-normal", OPT_OUTPUT_NORMAL, "FILE", "Output",
	 "nmap's normal report, grouped by host (also -oN; - is stdout)"},
	{"output-xml", OPT_OUTPUT_XML, "FILE", "Output",
	 "nmap's XML, valid for nmap's tools (-oX)"},
	{"output-grepable", OPT_OUTPUT_GREPABLE, "FILE", "Output", "nmap's grepable format (-oG)"},
	{"output-binary", OPT_OUTPUT_BINARY, "FILE", "Output",
	 "hayate's compact binary format, for --readscan (-oB)"},
	{"output-json", OPT_OUTPUT_JSON, "FILE", "Output", "JSON Lines, one object a result (-oJ)"},
	{"output-list", OPT_OUTPUT_LIST, "FILE", "Output", "masscan's list format (-oL)"},
	{"output-all", OPT_OUTPUT_ALL, "BASENAME", "Output",
	 "all six: BASENAME.nmap .xml .gnmap .bin .json .list (-oA)"},
	{"readscan", OPT_READSCAN, "FILE...", "Output",
	 "convert or merge -oB files (one scan's shards) instead of scanning"},
	{"merge-anyway", OPT_MERGE_ANYWAY, NULL, "Output",
	 "--readscan: merge files even if they come from different scans"},
	{"resume", OPT_RESUME, "FILE", "Output", "continue the interrupted scan saved in FILE"},
	{"pause-file", OPT_PAUSE_FILE, "FILE", "Output",
	 "where an interrupted scan saves its state (default paused.conf)"},
	{"quiet", 'q', NULL, "Output", "no status line on stderr"},
	{"user", OPT_USER, "NAME", "Other",
	 "run as NAME once sockets and files are open (default nobody); root keeps uid 0"},
	{"no-drop-privileges", OPT_NO_DROP_PRIVILEGES, NULL, "Other",
	 "keep root and capabilities, no seccomp filter (for debugging)"},
	{"help", 'h', NULL, "Other", "this text"},
	{"version", 'V', NULL, "Other", "print the version"},
};

static const char *const cli_groups[] = {"Targets", "Ports",  "Scan", "Timing",
					 "Network", "Output", "Other"};

/* nmap's multi-letter single-dash options, mapped to our long names. */
static const char *cli_nmap_alias(const char *arg)
{
	static const char *const alias[][2] = {
		{"-iL", "--input-list"},      {"-oN", "--output-normal"}, {"-oX", "--output-xml"},
		{"-oG", "--output-grepable"}, {"-oB", "--output-binary"}, {"-oJ", "--output-json"},
		{"-oL", "--output-list"},     {"-oA", "--output-all"},
	};

	for (unsigned i = 0; i < ARRAY_SIZE(alias); i++)
		if (!strcmp(arg, alias[i][0]))
			return alias[i][1];
	return arg;
}

void cli_print_help(FILE *fp)
{
	fprintf(fp, "Usage: hayate [options] TARGET... -p PORTS\n"
		    "Fast stateless TCP SYN port scanner. Scan only ranges you are authorized "
		    "to scan.\n"
		    "TARGET: 198.18.0.1, 198.18.0.0/16 or 198.18.0.1-198.18.3.255.\n"
		    "Example: hayate 198.18.0.0/16 -p 22,80,443 --rate 100k\n");
	for (unsigned g = 0; g < ARRAY_SIZE(cli_groups); g++) {
		fprintf(fp, "\n%s:\n", cli_groups[g]);
		for (unsigned i = 0; i < ARRAY_SIZE(cli_options); i++) {
			const struct cli_option *o = &cli_options[i];
			char lhs[48];

			if (strcmp(o->group, cli_groups[g]))
				continue;
			if (o->id < 256)
				snprintf(lhs, sizeof(lhs), "-%c, --%s %s", o->id, o->name,
					 o->arg ? o->arg : "");
			else
				snprintf(lhs, sizeof(lhs), "    --%s %s", o->name,
					 o->arg ? o->arg : "");
			fprintf(fp, "  %-30s %s\n", lhs, o->help);
		}
	}
	fprintf(fp,
		"\nExit status: 0 done, 1 setup or send failure, 2 bad input, 130 interrupted.\n");
}

/* Builds getopt_long's tables from cli_options[]. */
static void cli_build_getopt(struct option *longs, char *shorts)
{
	char *sp = shorts;

	*sp++ = ':'; /* report a missing value as ':' so we can name the option */
	for (unsigned i = 0; i < ARRAY_SIZE(cli_options); i++) {
		const struct cli_option *o = &cli_options[i];

		longs[i] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL,
					   o->id};
		if (o->id < 256) {
			*sp++ = (char)o->id;
			if (o->arg)
				*sp++ = ':';
		}
	}
	longs[ARRAY_SIZE(cli_options)] = (struct option){0};
	*sp = 0;
}

static const char *cli_option_name(int id)
{
	for (unsigned i = 0; i < ARRAY_SIZE(cli_options); i++)
		if (cli_options[i].id == id)
			return cli_options[i].name;
	return "?";
}

static void cli_defaults(struct scan_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->rate_pps = SCAN_DEFAULT_RATE_PPS;
	cfg->wait_s = SCAN_DEFAULT_WAIT_S;
	cfg->shard_count = 1;
	cfg->show = SHOW_OPEN;
	cfg->pause_file = SCAN_DEFAULT_PAUSE_FILE;
}

/* Adds an -o output, or all six for -oA (BASENAME.nmap ...). Returns 0 or -ENOMEM. */
static int cli_add_output(struct scan_config *cfg, int id, const char *val, struct errmsg *err)
{
	unsigned first = id == OPT_OUTPUT_ALL ? 0 : (unsigned)(id - OPT_OUTPUT_NORMAL);
	unsigned last = id == OPT_OUTPUT_ALL ? OUTPUT_LIST : first;

	for (unsigned f = first; f <= last; f++) {
		struct output_spec *o = &cfg->outputs[cfg->output_count];

		o->format = f;
		if (id == OPT_OUTPUT_ALL) {
			if (asprintf(&o->path, "%s.%s", val, output_format_ext(f)) < 0)
				o->path = NULL;
		} else {
			o->path = strdup(val);
		}
		if (!o->path)
			return errmsg_set(err, -ENOMEM, "out of memory");
		cfg->output_count++;
	}
	return 0;
}

/* -sS, -sT, -sU, -sn: nmap's scan kinds, read as -s with a value. Returns 0 or -EINVAL. */
static int cli_scan_kind(struct scan_config *cfg, const char *val, struct errmsg *err)
{
	if (!strcmp(val, "S"))
		cfg->connect_scan = false;
	else if (!strcmp(val, "T"))
		cfg->connect_scan = true;
	else if (!strcmp(val, "U"))
		cfg->udp_scan = true;
	else if (!strcmp(val, "n"))
		cfg->ping = true;
	else
		return errmsg_set(err, -EINVAL, "unknown scan kind '-s%s' (-sS, -sT, -sU or -sn)",
				  val);
	return 0;
}

/* Applies one option's value to cfg. Returns 0 or -EINVAL. */
static int cli_apply(struct scan_config *cfg, int id, const char *val, struct errmsg *err)
{
	char opt[40];
	uint64_t v;
	int rc = 0;

	snprintf(opt, sizeof(opt), "--%s", cli_option_name(id));
	switch (id) {
	case OPT_INPUT_LIST:
		cfg->include_files[cfg->include_file_count++] = val;
		break;
	case OPT_EXCLUDE:
		cfg->exclude_specs[cfg->exclude_count++] = val;
		break;
	case OPT_EXCLUDE_FILE:
		cfg->exclude_files[cfg->exclude_file_count++] = val;
		break;
	case OPT_INCLUDE_RESERVED:
		cfg->include_reserved = true;
		break;
	case 'p':
		cfg->ports_spec = val;
		break;
	case OPT_RATE:
		rc = cli_value_rate(opt, val, &cfg->rate_pps, err);
		break;
	case OPT_RETRIES:
		rc = cli_value_u64(opt, val, 0, 100, &v, err);
		cfg->retries = (unsigned)v;
		break;
	case OPT_WAIT:
		rc = cli_value_seconds(opt, val, &cfg->wait_s, err);
		break;
	case OPT_SEED:
		rc = cli_value_u64(opt, val, 0, UINT64_MAX, &cfg->seed, err);
		cfg->has_seed = true;
		break;
	case OPT_SHARD:
		rc = cli_value_shard(opt, val, &cfg->shard_index, &cfg->shard_count, err);
		break;
	case OPT_TX_THREADS:
		rc = cli_value_u64(opt, val, 1, SCAN_TX_THREADS_MAX, &v, err);
		cfg->tx_threads = (unsigned)v;
		break;
	case OPT_BATCH:
		rc = cli_value_u64(opt, val, 1, TX_BATCH_MAX, &v, err);
		cfg->batch = (unsigned)v;
		break;
	case 's':
		rc = cli_scan_kind(cfg, val, err);
		break;
	case OPT_MAX_INFLIGHT:
		rc = cli_value_u64(opt, val, 1, 1u << 20, &v, err);
		cfg->max_inflight = (unsigned)v;
		break;
	case OPT_CONNECT_TIMEOUT:
		rc = cli_value_u64(opt, val, 1, 3600000, &v, err);
		cfg->connect_timeout_ms = (unsigned)v;
		break;
	case OPT_PING:
		cfg->ping = true;
		break;
	case 'e':
		if (strlen(val) >= 16)
			return errmsg_set(err, -EINVAL,
					  "%s: '%s' is too long for an interface name", opt, val);
		cfg->ifname = val;
		break;
	case 'S':
		if (!addr_parse(val, &cfg->src_ip))
			return errmsg_set(err, -EINVAL, "%s: '%s' is not an IPv4 address", opt,
					  val);
		cfg->has_src_ip = true;
		break;
	case OPT_SOURCE_PORT:
		rc = cli_value_port_range(opt, val, &cfg->src_port_first, &cfg->src_port_last, err);
		cfg->has_src_ports = true;
		break;
	case OPT_ROUTER_MAC:
		rc = cli_value_mac(opt, val, cfg->router_mac, err);
		cfg->has_router_mac = true;
		break;
	case OPT_SEND_BACKEND:
		if (!tx_backend_find(val))
			return errmsg_set(err, -EINVAL, "%s: no send backend called '%s'", opt,
					  val);
		cfg->send_backend = val;
		break;
	case OPT_CAPTURE_BACKEND:
		if (!rx_backend_find(val) || !strcmp(val, "mem"))
			return errmsg_set(err, -EINVAL, "%s: no capture backend called '%s'", opt,
					  val);
		cfg->capture_backend = val;
		break;
	case OPT_OFFLINE:
		cfg->offline = true;
		break;
	case OPT_SHOW:
		rc = cli_value_states(opt, val, &cfg->show, err);
		cfg->has_show = true;
		break;
	case 'q':
		cfg->quiet = true;
		break;
	case OPT_OUTPUT_NORMAL:
	case OPT_OUTPUT_XML:
	case OPT_OUTPUT_GREPABLE:
	case OPT_OUTPUT_BINARY:
	case OPT_OUTPUT_JSON:
	case OPT_OUTPUT_LIST:
	case OPT_OUTPUT_ALL:
		rc = cli_add_output(cfg, id, val, err);
		break;
	case OPT_READSCAN:
		cfg->readscan_files[cfg->readscan_count++] = val;
		break;
	case OPT_MERGE_ANYWAY:
		cfg->merge_anyway = true;
		break;
	case OPT_RESUME:
		cfg->resume_file = val;
		break;
	case OPT_PAUSE_FILE:
		cfg->pause_file = val;
		break;
	case OPT_USER:
		cfg->user = val;
		break;
	case OPT_NO_DROP_PRIVILEGES:
		cfg->keep_privileges = true;
		break;
	}
	return rc;
}

/* Reports getopt's complaint about argv[optind - 1] as one line. */
static int cli_getopt_error(int c, char **argv, struct errmsg *err)
{
	const char *arg = optind > 0 ? argv[optind - 1] : "?";

	if (c == ':')
		return errmsg_set(err, -EINVAL, "option '%s' needs a value", arg);
	if (optopt && optopt < 256)
		return errmsg_set(err, -EINVAL, "unknown option '-%c' (see --help)", optopt);
	return errmsg_set(err, -EINVAL, "unknown option '%s' (see --help)", arg);
}

int cli_parse(int argc, char **argv, struct scan_config *cfg, struct errmsg *err)
{
	struct option longs[ARRAY_SIZE(cli_options) + 1];
	char shorts[2 * ARRAY_SIZE(cli_options) + 2];
	char **args = calloc((size_t)argc + 1, sizeof(*args));
	const char **lists = calloc(5 * ((size_t)argc + 1), sizeof(*lists));
	int c, rc = CLI_RUN;

	cli_defaults(cfg);
	/* -oA adds six outputs from two arguments: 3 per argument is room enough. */
	cfg->outputs = calloc(3 * ((size_t)argc + 1), sizeof(*cfg->outputs));
	if (!args || !lists || !cfg->outputs) {
		free(args);
		free(lists);
		free(cfg->outputs);
		cfg->outputs = NULL;
		return errmsg_set(err, -ENOMEM, "out of memory");
	}
	/* Every list holds at most argc entries, so one allocation serves all five. */
	cfg->target_specs = lists;
	cfg->exclude_specs = lists + (argc + 1);
	cfg->include_files = lists + 2 * (argc + 1);
	cfg->exclude_files = lists + 3 * (argc + 1);
	cfg->readscan_files = lists + 4 * (argc + 1);
	for (int i = 0; i < argc; i++)
		args[i] = (char *)cli_nmap_alias(argv[i]);
	cli_build_getopt(longs, shorts);
	optind = 0; /* 0, not 1: resets glibc's state so tests may parse twice */
	opterr = 0;
	while (rc == CLI_RUN && (c = getopt_long(argc, args, shorts, longs, NULL)) != -1) {
		if (c == 'h')
			rc = CLI_HELP;
		else if (c == 'V')
			rc = CLI_VERSION;
		else if (c == '?' || c == ':')
			rc = cli_getopt_error(c, args, err);
		else
			rc = cli_apply(cfg, c, optarg, err);
	}
	/* With --readscan, the positional arguments are more files to read. */
	for (int i = optind; rc == CLI_RUN && i < argc; i++)
		if (cfg->readscan_count)
			cfg->readscan_files[cfg->readscan_count++] = args[i];
		else
			cfg->target_specs[cfg->target_count++] = args[i];
	free(args);
	return rc;
}

void cli_free(struct scan_config *cfg)
{
	free(cfg->target_specs);
	cfg->target_specs = NULL;
	for (unsigned i = 0; cfg->outputs && i < cfg->output_count; i++)
		free(cfg->outputs[i].path);
	free(cfg->outputs);
	cfg->outputs = NULL;
	cfg->output_count = 0;
}
