// SPDX-License-Identifier: MIT
#include "readscan.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "binread.h"
#include "report.h"

struct readscan {
	struct binread *files;
	unsigned nfiles;
	struct result *results;
	size_t count;
};

/* Opens every file and checks they belong together; warns about damage. */
static int readscan_open(struct readscan *rs, const struct scan_config *cfg, FILE *warn,
			 struct errmsg *err)
{
	for (unsigned i = 0; i < cfg->readscan_count; i++) {
		const char *path = cfg->readscan_files[i];
		struct binread *br = &rs->files[i];
		int rc = binread_open(br, path, err);

		if (rc)
			return rc;
		rs->nfiles++;
		if (br->tail_bytes)
			fprintf(warn,
				"hayate: %s: truncated: the last %zu bytes are part of a record "
				"and were ignored\n",
				path, br->tail_bytes);
		if (br->bad)
			fprintf(warn, "hayate: %s: %llu corrupted records skipped\n", path,
				(unsigned long long)br->bad);
		if (!br->has_end)
			fprintf(warn,
				"hayate: %s: no end record: the scan that wrote it was cut "
				"short\n",
				path);
		if (br->header.scan_id != rs->files[0].header.scan_id && !cfg->merge_anyway)
			return errmsg_set(err, -EINVAL,
					  "%s and %s come from different scans (seed, targets or "
					  "ports differ); --merge-anyway merges them regardless",
					  cfg->readscan_files[0], path);
	}
	return 0;
}

/*
 * Groups each probe, (address, protocol, port), together; within one, replies
 * before no-response. TCP 53 and UDP 53 are two probes.
 */
static int readscan_cmp_key(const void *a, const void *b)
{
	const struct result *x = a, *y = b;
	bool xs = x->reason == REASON_NO_RESPONSE, ys = y->reason == REASON_NO_RESPONSE;

	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->proto != y->proto)
		return x->proto < y->proto ? -1 : 1;
	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	if (xs != ys)
		return xs ? 1 : -1;
	if (x->state != y->state)
		return x->state < y->state ? -1 : 1;
	return x->time_ns < y->time_ns ? -1 : x->time_ns > y->time_ns;
}

/* The order results are written in: as they arrived, the unanswered after the replies. */
static int readscan_cmp_time(const void *a, const void *b)
{
	const struct result *x = a, *y = b;
	bool xs = x->reason == REASON_NO_RESPONSE, ys = y->reason == REASON_NO_RESPONSE;

	if (xs != ys)
		return xs ? 1 : -1;
	if (x->time_ns != y->time_ns)
		return x->time_ns < y->time_ns ? -1 : 1;
	return readscan_cmp_key(a, b);
}

/* Collects every result, then drops repeats and silences contradicted by a reply. */
static int readscan_collect(struct readscan *rs)
{
	size_t total = 0, kept = 0;

	for (unsigned i = 0; i < rs->nfiles; i++)
		total += rs->files[i].results;
	rs->results = malloc((total ? total : 1) * sizeof(*rs->results));
	if (!rs->results)
		return -ENOMEM;
	/* Decode into r: binread_result() fills it for end and bad records too. */
	for (unsigned i = 0; i < rs->nfiles; i++)
		for (uint64_t k = 0; k < rs->files[i].records; k++) {
			struct result r;

			if (binread_result(&rs->files[i], k, &r))
				rs->results[rs->count++] = r;
		}
	qsort(rs->results, rs->count, sizeof(*rs->results), readscan_cmp_key);
	for (size_t i = 0; i < rs->count; i++) {
		const struct result *r = &rs->results[i],
				    *prev = kept ? &rs->results[kept - 1] : NULL;
		bool same_probe = prev && prev->addr == r->addr && prev->proto == r->proto &&
				  prev->port == r->port;

		if (same_probe && (prev->state == r->state || r->reason == REASON_NO_RESPONSE))
			continue;
		rs->results[kept++] = *r;
	}
	rs->count = kept;
	qsort(rs->results, rs->count, sizeof(*rs->results), readscan_cmp_time);
	return 0;
}

/* The merged scan's description: the first file's, over the time all of them span. */
static void readscan_info(const struct readscan *rs, struct output_info *info, unsigned *show)
{
	bool shard_done[64] = {false}, more_shards = false;
	uint32_t count = rs->files[0].header.shard_count;

	binread_info(&rs->files[0], info);
	*show = 0;
	info->completed = true;
	for (unsigned i = 0; i < rs->nfiles; i++) {
		struct output_info fi;

		binread_info(&rs->files[i], &fi);
		*show |= fi.show;
		info->start_ns = fi.start_ns < info->start_ns ? fi.start_ns : info->start_ns;
		info->end_ns = fi.end_ns > info->end_ns ? fi.end_ns : info->end_ns;
		info->has_filtered &= fi.has_filtered;
		more_shards |= fi.shard_index != info->shard_index;
		if (fi.completed && fi.shard_index < 64)
			shard_done[fi.shard_index] = true;
	}
	/* Complete when every shard has a part that sent to the end. */
	for (uint32_t i = 0; i < count && info->completed; i++) /* at most 65 steps */
		info->completed = i < 64 && shard_done[i];
	if (more_shards && info->completed) {
		info->shard_index = 0;
		info->shard_count = 1;
	}
}

/*
 * Names every output that failed: the first in err, for the caller's one
 * line; any others on warn. Returns the first's -errno.
 */
static int readscan_failures(const struct report *rp, FILE *warn, struct errmsg *err)
{
	struct errmsg more;

	for (unsigned i = 1; output_failure(&rp->front, i, &more); i++)
		fprintf(warn, "hayate: %s\n", more.text);
	return output_failure(&rp->front, 0, err);
}

int readscan_run(const struct scan_config *cfg, FILE *warn, struct errmsg *err)
{
	struct readscan rs = {0};
	struct scan_config out_cfg = *cfg;
	struct report rp;
	unsigned show;
	int rc;

	memset(&rp, 0, sizeof(rp));
	rs.files = calloc(cfg->readscan_count, sizeof(*rs.files));
	if (!rs.files)
		return errmsg_set(err, -ENOMEM, "out of memory");
	rc = readscan_open(&rs, cfg, warn, err);
	if (!rc && readscan_collect(&rs))
		rc = errmsg_set(err, -ENOMEM, "out of memory for %zu results", rs.count);
	if (rc)
		goto out;
	readscan_info(&rs, &rp.info, &show);
	if (!cfg->has_show)
		out_cfg.show = show;
	rp.info.show = out_cfg.show;
	rc = report_open(&rp, &out_cfg, false, err);
	/* An output that fails stops and keeps its error; the others go on. */
	for (size_t i = 0; !rc && i < rs.count; i++)
		output_write(&rp.front, &rs.results[i]);
	if (report_close(&rp, rp.info.end_ns, rp.info.completed, rp.info.has_filtered) && !rc)
		rc = readscan_failures(&rp, warn, err);
out:
	for (unsigned i = 0; i < rs.nfiles; i++)
		binread_close(&rs.files[i]);
	free(rs.files);
	free(rs.results);
	return rc;
}
