// SPDX-License-Identifier: MIT
#include "options.h"

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cli_value.h"
#include "compiler.h"

#define NS_PER_S 1e9

enum option_id {
	OPT_PORT_THRESHOLD = 256,
	OPT_HOST_THRESHOLD,
	OPT_WINDOW,
	OPT_TIMEOUT,
	OPT_SUPPRESS,
	OPT_TRW_THETA0,
	OPT_TRW_THETA1,
	OPT_TRW_ALPHA,
	OPT_TRW_BETA,
	OPT_NO_TRW,
	OPT_MAX_SOURCES,
	OPT_MAX_PAIRS,
	OPT_MAX_CONTACTS,
	OPT_MAX_ATTEMPTS,
};

struct option_spec {
	const char *name;
	int id; /* the short letter, or an enum option_id */
	const char *arg;
	const char *help;
};

static const struct option_spec option_specs[] = {
	{"read", 'r', "FILE", "read a pcap or pcapng file ('-': stdin)"},
	{"interface", 'i', "IFACE", "capture live on IFACE until Ctrl-C"},
	{"output", 'o', "FILE", "write JSON Lines alerts to FILE (default stdout)"},
	{"filter", 'f', "EXPR", "BPF filter (default: none for files, 'tcp or icmp' live)"},
	{"quiet", 'q', NULL, "no alert lines on stderr (the summary stays)"},
	{"port-threshold", OPT_PORT_THRESHOLD, "N",
	 "port scan: failed ports on one host within the window (15)"},
	{"host-threshold", OPT_HOST_THRESHOLD, "N",
	 "address sweep: failed hosts on one port within the window (25)"},
	{"window", OPT_WINDOW, "SECONDS", "the sliding window of both thresholds (300)"},
	{"timeout", OPT_TIMEOUT, "SECONDS", "a SYN with no answer fails after this (5)"},
	{"suppress", OPT_SUPPRESS, "SECONDS", "one alert per source and kind per this (3600)"},
	{"trw-theta0", OPT_TRW_THETA0, "P", "random walk: a benign source's success rate (0.8)"},
	{"trw-theta1", OPT_TRW_THETA1, "P", "random walk: a scanner's success rate (0.2)"},
	{"trw-alpha", OPT_TRW_ALPHA, "P", "random walk: false positive bound (0.01)"},
	{"trw-beta", OPT_TRW_BETA, "P", "random walk: detection probability (0.99)"},
	{"no-trw", OPT_NO_TRW, NULL, "thresholds only, no random walk"},
	{"max-sources", OPT_MAX_SOURCES, "N", "sources tracked (65536)"},
	{"max-pairs", OPT_MAX_PAIRS, "N", "(source, host) and (source, port) sets, each (65536)"},
	{"max-contacts", OPT_MAX_CONTACTS, "N", "(source, host) first contacts kept (262144)"},
	{"max-attempts", OPT_MAX_ATTEMPTS, "N", "SYNs awaiting an answer (262144)"},
	{"help", 'h', NULL, "this text"},
};

void options_print_help(FILE *fp, const struct detect_config *cfg)
{
	fprintf(fp,
		"Usage: hayate-detect (-r FILE | -i IFACE) [options]\n"
		"Finds TCP port scans and address sweeps in traffic that shows both directions.\n"
		"Alerts: JSON Lines on stdout (or -o), one line each on stderr.\n\n");
	for (unsigned i = 0; i < ARRAY_SIZE(option_specs); i++) {
		const struct option_spec *o = &option_specs[i];
		char lhs[48];

		if (o->id < 256)
			snprintf(lhs, sizeof(lhs), "-%c, --%s %s", o->id, o->name,
				 o->arg ? o->arg : "");
		else
			snprintf(lhs, sizeof(lhs), "    --%s %s", o->name, o->arg ? o->arg : "");
		fprintf(fp, "  %-30s %s\n", lhs, o->help);
	}
	fprintf(fp,
		"\nState is fixed at start: %.1f MiB with these settings.\n"
		"Exit status: 0 done, 1 setup failure, 2 bad input (options, unreadable or "
		"corrupt capture).\n",
		(double)tracker_bytes(cfg) / (1 << 20));
}

static void options_build_getopt(struct option *longs, char *shorts)
{
	char *sp = shorts;

	*sp++ = ':';
	for (unsigned i = 0; i < ARRAY_SIZE(option_specs); i++) {
		const struct option_spec *o = &option_specs[i];

		longs[i] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL,
					   o->id};
		if (o->id < 256) {
			*sp++ = (char)o->id;
			if (o->arg)
				*sp++ = ':';
		}
	}
	longs[ARRAY_SIZE(option_specs)] = (struct option){0};
	*sp = 0;
}

static const char *options_name(int id)
{
	for (unsigned i = 0; i < ARRAY_SIZE(option_specs); i++)
		if (option_specs[i].id == id)
			return option_specs[i].name;
	return "?";
}

/* A probability strictly between 0 and 1. */
static int options_probability(const char *opt, const char *s, double *out, struct errmsg *err)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (end == s || *end || errno || !(v > 0 && v < 1))
		return errmsg_set(err, -EINVAL, "%s: '%s' is not a probability between 0 and 1",
				  opt, s);
	*out = v;
	return 0;
}

/* Seconds (decimals allowed, at most a day) as nanoseconds, at least 1 ms. */
static int options_ns(const char *opt, const char *s, uint64_t *out, struct errmsg *err)
{
	double v;
	int rc = cli_value_seconds(opt, s, &v, err);

	if (rc)
		return rc;
	if (v < 0.001)
		return errmsg_set(err, -EINVAL, "%s: '%s' is shorter than a millisecond", opt, s);
	*out = (uint64_t)(v * NS_PER_S);
	return 0;
}

static int options_apply(struct detect_options *o, int id, const char *val, struct errmsg *err)
{
	struct detect_config *cfg = &o->cfg;
	char opt[40];
	uint64_t v;
	int rc = 0;

	snprintf(opt, sizeof(opt), "--%s", options_name(id));
	switch (id) {
	case 'r':
		o->read_path = val;
		break;
	case 'i':
		o->iface = val;
		break;
	case 'o':
		o->out_path = val;
		break;
	case 'f':
		o->filter = val;
		break;
	case 'q':
		o->quiet = true;
		break;
	case OPT_PORT_THRESHOLD:
	case OPT_HOST_THRESHOLD:
		rc = cli_value_u64(opt, val, 1, 1024, &v, err);
		*(id == OPT_PORT_THRESHOLD ? &cfg->port_threshold : &cfg->host_threshold) =
			(uint32_t)v;
		break;
	case OPT_WINDOW:
		rc = options_ns(opt, val, &cfg->window_ns, err);
		break;
	case OPT_TIMEOUT:
		rc = options_ns(opt, val, &cfg->timeout_ns, err);
		break;
	case OPT_SUPPRESS:
		rc = options_ns(opt, val, &cfg->suppress_ns, err);
		break;
	case OPT_TRW_THETA0:
		rc = options_probability(opt, val, &cfg->trw_theta0, err);
		break;
	case OPT_TRW_THETA1:
		rc = options_probability(opt, val, &cfg->trw_theta1, err);
		break;
	case OPT_TRW_ALPHA:
		rc = options_probability(opt, val, &cfg->trw_alpha, err);
		break;
	case OPT_TRW_BETA:
		rc = options_probability(opt, val, &cfg->trw_beta, err);
		break;
	case OPT_NO_TRW:
		cfg->trw_enabled = false;
		break;
	case OPT_MAX_SOURCES:
		rc = cli_value_u64(opt, val, 1, 1u << 31, &cfg->max_sources, err);
		break;
	case OPT_MAX_PAIRS:
		rc = cli_value_u64(opt, val, 1, 1u << 31, &cfg->max_pairs, err);
		break;
	case OPT_MAX_CONTACTS:
		rc = cli_value_u64(opt, val, 1, 1u << 31, &cfg->max_contacts, err);
		break;
	case OPT_MAX_ATTEMPTS:
		rc = cli_value_u64(opt, val, 1, 1u << 31, &cfg->max_attempts, err);
		break;
	}
	return rc;
}

int options_parse(int argc, char **argv, struct detect_options *opts, struct errmsg *err)
{
	struct option longs[ARRAY_SIZE(option_specs) + 1];
	char shorts[2 * ARRAY_SIZE(option_specs) + 2];
	int id, rc;

	memset(opts, 0, sizeof(*opts));
	tracker_config_default(&opts->cfg);
	options_build_getopt(longs, shorts);
	optind = 1;
	opterr = 0;
	while ((id = getopt_long(argc, argv, shorts, longs, NULL)) != -1) {
		if (id == 'h')
			return OPTIONS_HELP;
		if (id == '?')
			return errmsg_set(err, -EINVAL, "unknown option '%s'", argv[optind - 1]);
		if (id == ':')
			return errmsg_set(err, -EINVAL, "option '%s' needs a value",
					  argv[optind - 1]);
		rc = options_apply(opts, id, optarg, err);
		if (rc)
			return rc;
	}
	if (optind < argc)
		return errmsg_set(err, -EINVAL, "unexpected argument '%s'", argv[optind]);
	if (!opts->read_path == !opts->iface)
		return errmsg_set(err, -EINVAL, "give one of -r FILE or -i IFACE");
	return OPTIONS_RUN;
}
