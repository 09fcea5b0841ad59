// SPDX-License-Identifier: MIT
#include "scan.h"

#include <errno.h>
#include <string.h>

#include "listfile.h"
#include "portspec.h"
#include "reserved.h"

static int scan_add_spec(void *ctx, const char *spec, struct errmsg *err)
{
	return targets_add_spec(ctx, spec, err);
}

static int scan_exclude_spec(void *ctx, const char *spec, struct errmsg *err)
{
	return targets_exclude_spec(ctx, spec, err);
}

/* Adds every target the user named, from the command line and from -iL files. */
static int scan_add_includes(struct target_set *t, const struct scan_config *cfg,
			     struct errmsg *err)
{
	int rc = 0;

	for (unsigned i = 0; i < cfg->target_count && !rc; i++)
		rc = targets_add_list(t, cfg->target_specs[i], err);
	for (unsigned i = 0; i < cfg->include_file_count && !rc; i++)
		rc = listfile_read(cfg->include_files[i], scan_add_spec, t, err);
	return rc;
}

static int scan_add_excludes(struct target_set *t, const struct scan_config *cfg,
			     struct errmsg *err)
{
	int rc = 0;

	for (unsigned i = 0; i < cfg->exclude_count && !rc; i++)
		rc = targets_exclude_list(t, cfg->exclude_specs[i], err);
	for (unsigned i = 0; i < cfg->exclude_file_count && !rc; i++)
		rc = listfile_read(cfg->exclude_files[i], scan_exclude_spec, t, err);
	return rc;
}

/*
 * How many addresses the user asked for before any exclude: the safety rules
 * look at the scan's ambition, not at what is left after excluding.
 */
static int scan_count_includes(const struct scan_config *cfg, uint64_t *total, struct errmsg *err)
{
	struct target_set probe;
	int rc;

	targets_init(&probe);
	rc = scan_add_includes(&probe, cfg, err);
	if (!rc)
		rc = targets_finish(&probe);
	if (!rc)
		*total = probe.total;
	targets_free(&probe);
	return rc;
}

int scan_build_sets(struct scan *s, const struct scan_config *cfg, struct errmsg *err)
{
	bool has_excludes = cfg->exclude_count || cfg->exclude_file_count;
	uint64_t asked = 0;
	int rc;

	s->cfg = cfg;
	targets_init(&s->targets);
	if (!cfg->target_count && !cfg->include_file_count)
		return errmsg_set(err, -EINVAL,
				  "no targets given (e.g. 198.18.0.0/16, or -iL FILE)");
	s->ping_phase = cfg->ping;
	if (!cfg->ports_spec && !cfg->ping)
		return errmsg_set(err, -EINVAL,
				  "no ports given (use -p, e.g. -p 80,443 or -p- for all)");
	if (!cfg->ports_spec) /* a ping sweep alone */
		rc = 0;
	else if (cfg->udp_scan || strchr(cfg->ports_spec, ':'))
		rc = portspec_parse(cfg->ports_spec, cfg->udp_scan, &s->ports, &s->udp_ports, err);
	else
		rc = ports_parse(&s->ports, cfg->ports_spec, err);
	if (rc)
		return rc;
	rc = scan_count_includes(cfg, &asked, err);
	if (rc)
		return rc;
	if (asked == 0) /* only -iL files, and they hold no address */
		return errmsg_set(err, -EINVAL,
				  "no targets in the -iL file%s (empty, or only comments)",
				  cfg->include_file_count > 1 ? "s" : "");
	if (asked > SCAN_REFUSE_ABOVE && !has_excludes)
		return errmsg_set(
			err, -EINVAL,
			"refusing to scan %llu addresses (more than a /8) without an exclude "
			"list; give --exclude or --excludefile (--excludefile /dev/null to "
			"exclude nothing on purpose)",
			(unsigned long long)asked);
	rc = scan_add_includes(&s->targets, cfg, err);
	if (!rc)
		rc = scan_add_excludes(&s->targets, cfg, err);
	if (!rc && asked > SCAN_RESERVED_ABOVE && !cfg->include_reserved)
		rc = reserved_exclude_all(&s->targets);
	if (!rc)
		rc = targets_finish(&s->targets);
	if (rc == -ENOMEM)
		return errmsg_set(err, rc, "out of memory building the target set");
	if (rc)
		return rc;
	if (!s->targets.total)
		return errmsg_set(err, -EINVAL, "no targets left after excludes");
	return 0;
}

/* splitmix64: spreads one seed into independent-looking key words. */
static uint64_t scan_mix(uint64_t *state)
{
	uint64_t z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

int scan_prepare(struct scan *s, uint64_t seed, struct errmsg *err)
{
	const struct scan_config *cfg = s->cfg;
	uint64_t state = seed ^ 0x6861796174652121ULL; /* "hayate!!": keeps key apart from order */

	if (!cfg->shard_count || cfg->shard_index >= cfg->shard_count)
		return errmsg_set(err, -EINVAL, "shard %llu/%llu is out of range",
				  (unsigned long long)cfg->shard_index + 1,
				  (unsigned long long)cfg->shard_count);
	s->seed = seed;
	s->probes = s->targets.total * scan_ports_per_target(s);
	permute_init(&s->order, s->probes, seed);
	s->key.sk.k0 = scan_mix(&state);
	s->key.sk.k1 = scan_mix(&state);
	s->shard_probes = permute_shard_size(s->probes, cfg->shard_index, cfg->shard_count);
	s->total_sends = s->shard_probes * (cfg->retries + 1ULL);
	return 0;
}

void scan_set_net(struct scan *s, const struct scan_net *net)
{
	struct template_params tp = {.src_ip = net->src_ip};

	s->net = *net;
	memcpy(tp.src_mac, net->src_mac, 6);
	memcpy(tp.dst_mac, net->dst_mac, 6);
	template_init(&s->tpl, &tp);
	template_icmp_init(&s->icmp_tpl, &tp);
	template_udp_init(&s->udp_tpl, &tp);
	s->vcfg.key = &s->key;
	s->vcfg.src_ip = net->src_ip;
	s->vcfg.src_port_first = net->src_port_first;
	s->vcfg.src_port_last = net->src_port_last;
}

uint64_t scan_index_of(const struct scan *s, uint32_t addr, uint16_t port, uint8_t proto)
{
	uint64_t ai = targets_rank(&s->targets, addr);
	uint64_t pi;

	if (ai == TARGETS_NONE)
		return UINT64_MAX;
	if (s->ping_phase)
		return proto == IPPROTO_ICMP_NUM ? ai : UINT64_MAX;
	if (proto == IPPROTO_TCP_NUM)
		pi = ports_rank(&s->ports, port);
	else if (proto == IPPROTO_UDP_NUM)
		pi = ports_rank(&s->udp_ports, port);
	else
		return UINT64_MAX;
	if (pi == PORTS_NONE)
		return UINT64_MAX;
	if (proto == IPPROTO_UDP_NUM)
		pi += s->ports.total;
	return ai + pi * s->targets.total;
}

void scan_free(struct scan *s)
{
	targets_free(&s->targets);
}
