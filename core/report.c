// SPDX-License-Identifier: MIT
#include "report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "siphash.h"

/* True if s reads back the same from a shell without quotes. */
static bool report_plain(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
			    "-_./:,=+@%",
			    *s))
			return false;
	return true;
}

char *report_join_args(int argc, char **argv)
{
	char *line = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&line, &len);

	if (!fp)
		return NULL;
	for (int i = 0; i < argc; i++) {
		if (i)
			fputc(' ', fp);
		if (report_plain(argv[i])) {
			fputs(argv[i], fp);
			continue;
		}
		fputc('\'', fp);
		for (const char *c = argv[i]; *c; c++)
			fputs(*c == '\'' ? "'\\''" : (char[]){*c, 0}, fp);
		fputc('\'', fp);
	}
	return fclose(fp) ? NULL : line;
}

char *report_ports_string(const struct port_set *ps)
{
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	if (!fp)
		return NULL;
	for (unsigned i = 0; i < ps->count; i++) {
		const struct port_range *r = &ps->ranges[i];

		if (r->first == r->last)
			fprintf(fp, "%s%u", i ? "," : "", r->first);
		else
			fprintf(fp, "%s%u-%u", i ? "," : "", r->first, r->last);
	}
	return fclose(fp) ? NULL : text;
}

uint64_t report_scan_id(const struct scan *s)
{
	/* A fixed key: the id names a scan, it is not a secret. "hayatesc" "anid!!!!". */
	static const struct siphash_key key = {0x6373657461796168ULL, 0x2121212164696e61ULL};
	uint64_t h = siphash24_2u64(&key, s->seed, s->targets.total);

	for (unsigned i = 0; i < s->targets.count; i++)
		h = siphash24_2u64(&key, h,
				   (uint64_t)s->targets.ranges[i].first << 32 |
					   s->targets.ranges[i].last);
	for (unsigned i = 0; i < s->ports.count; i++)
		h = siphash24_2u64(&key, h,
				   1ULL << 63 | (uint64_t)s->ports.ranges[i].first << 16 |
					   s->ports.ranges[i].last);
	/* Tagged apart from TCP's; a TCP-only scan keeps the id older files hold. */
	for (unsigned i = 0; i < s->udp_ports.count; i++)
		h = siphash24_2u64(&key, h,
				   1ULL << 62 | (uint64_t)s->udp_ports.ranges[i].first << 16 |
					   s->udp_ports.ranges[i].last);
	return h;
}

int report_init(struct report *rp, const struct scan *s, int argc, char **argv,
		uint64_t start_wall_ns)
{
	const struct scan_config *cfg = s->cfg;

	memset(rp, 0, sizeof(*rp));
	rp->args = report_join_args(argc, argv);
	rp->ports = report_ports_string(&s->ports);
	rp->udp_ports = report_ports_string(&s->udp_ports);
	if (!rp->args || !rp->ports || !rp->udp_ports) {
		report_free(rp);
		return -ENOMEM;
	}
	rp->info = (struct output_info){
		.args = rp->args,
		.ports = rp->ports,
		.ports_total = s->ports.total,
		.udp_ports = rp->udp_ports,
		.udp_ports_total = s->udp_ports.total,
		.connect_scan = cfg->connect_scan,
		.targets_total = s->targets.total,
		.seed = s->seed,
		.scan_id = report_scan_id(s),
		.shard_index = (uint32_t)cfg->shard_index,
		.shard_count = (uint32_t)cfg->shard_count,
		.retries = cfg->retries,
		.rate_pps = (uint64_t)(cfg->rate_pps + 0.5),
		.show = cfg->show,
		.start_ns = start_wall_ns,
	};
	return 0;
}

int report_open(struct report *rp, const struct scan_config *cfg, bool append, struct errmsg *err)
{
	static const struct output_spec text = {OUTPUT_TEXT, "-"}, normal = {OUTPUT_NORMAL, "-"};
	const struct output_spec *specs = cfg->output_count	    ? cfg->outputs
					  : cfg->stdout_is_terminal ? &normal
								    : &text;
	unsigned n = cfg->output_count ? cfg->output_count : 1;
	int rc;

	output_set_bind(&rp->front, &rp->set);
	if (n > OUTPUT_SET_MAX)
		return errmsg_set(err, -EINVAL, "at most %d outputs", OUTPUT_SET_MAX);
	for (unsigned i = 0; i < n; i++) {
		enum output_format f = (enum output_format)specs[i].format;
		/* A grouped format is one document: it cannot be continued, only rewritten. */
		bool grouped = output_format_ops(f)->hidden != NULL;

		rc = output_open_file(&rp->set.outs[i], f, specs[i].path, cfg->show,
				      append && !grouped, err);
		if (rc)
			return rc;
		rp->set.count++;
	}
	rc = output_open(&rp->front, &rp->info);
	if (rc)
		return output_failure(&rp->front, 0, err);
	return 0;
}

struct report_silent_ctx {
	struct report *rp;
	uint64_t now_ns;
};

/* A silent TCP port is filtered, a silent UDP one open|filtered; a silent host is just down. */
static void report_silent_one(void *ctx, uint32_t addr, uint16_t port, uint8_t proto)
{
	struct report_silent_ctx *c = ctx;
	struct result r = {.time_ns = c->now_ns,
			   .addr = addr,
			   .port = port,
			   .proto = proto,
			   .state = proto == PROTO_UDP ? PORT_OPEN_FILTERED : PORT_FILTERED,
			   .reason = REASON_NO_RESPONSE};

	if (proto == PROTO_ICMP)
		return;
	output_write(&c->rp->front, &r);
}

uint64_t report_silent(struct report *rp, const struct scan *s, uint64_t now_wall_ns)
{
	struct report_silent_ctx ctx = {rp, now_wall_ns};

	return answered_each_silent(&s->answered, s, report_silent_one, &ctx);
}

int report_close(struct report *rp, uint64_t end_wall_ns, bool completed, bool has_filtered)
{
	rp->info.end_ns = end_wall_ns;
	rp->info.completed = completed;
	rp->info.has_filtered = has_filtered;
	return output_close(&rp->front, &rp->info);
}

void report_free(struct report *rp)
{
	free(rp->args);
	free(rp->ports);
	free(rp->udp_ports);
	rp->args = rp->ports = rp->udp_ports = NULL;
}
