// SPDX-License-Identifier: MIT
#include "resume.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "binread.h"
#include "report.h"
#include "version.h"

#define RESUME_LINE_MAX (1u << 16)

/* The -o options, as typed or long; each takes one value. */
static bool resume_is_output_opt(const char *arg)
{
	static const char *const opts[] = {"-oN", "-oX", "-oG", "-oB", "-oJ", "-oL", "-oA"};

	for (unsigned i = 0; i < sizeof(opts) / sizeof(opts[0]); i++)
		if (!strcmp(arg, opts[i]))
			return true;
	return !strncmp(arg, "--output-", 9);
}

/* How many arguments from argv[i] an option named name takes up (0 if it is not name). */
static int resume_match(char **argv, int argc, int i, const char *name)
{
	size_t n = strlen(name);

	if (strncmp(argv[i], name, n))
		return 0;
	if (argv[i][n] == '=')
		return 1;
	if (argv[i][n])
		return 0;
	return i + 1 < argc ? 2 : 1;
}

/* Undoes resume_save()'s escapes (\\ and \n) in place. */
static void resume_unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (*s == '\\' && (s[1] == 'n' || s[1] == '\\')) {
			*out++ = s[1] == 'n' ? '\n' : '\\';
			s++;
		} else {
			*out++ = *s;
		}
	}
	*out = 0;
}

/* Reads "key = value" lines; saved arguments go to args (pointers into text). */
static int resume_parse(struct resume *r, const char *path, char **args, int *nargs,
			struct errmsg *err)
{
	char *save = NULL;
	unsigned lineno = 0;
	bool has_seed = false, has_total = false;

	for (char *line = strtok_r(r->text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strstr(line, " = "), *key = line, *val;
		unsigned long long a, b;

		lineno++;
		if (line[0] == '#' || !line[0])
			continue;
		if (!eq)
			return errmsg_set(err, -EINVAL, "%s:%u: not 'key = value'", path, lineno);
		*eq = 0;
		val = eq + 3;
		if (!strcmp(key, "arg")) {
			resume_unescape(val);
			args[(*nargs)++] = val;
		} else if (!strcmp(key, "seed") && sscanf(val, "%llu", &a) == 1) {
			r->seed = a;
			has_seed = true;
		} else if (!strcmp(key, "shard") && sscanf(val, "%llu/%llu", &a, &b) == 2 &&
			   a >= 1 && a <= b) {
			r->shard_index = a - 1;
			r->shard_count = b;
		} else if (!strcmp(key, "total") && sscanf(val, "%llu", &a) == 1) {
			r->total_sends = a;
			has_total = true;
		} else if (!strcmp(key, "next") && sscanf(val, "%llu", &a) == 1 &&
			   r->slices < SCAN_TX_THREADS_MAX) {
			r->next[r->slices++] = a;
		} else if (strcmp(key, "version")) {
			return errmsg_set(err, -EINVAL, "%s:%u: bad '%s' line", path, lineno, key);
		}
	}
	if (!has_seed || !has_total || !r->slices || !r->shard_count)
		return errmsg_set(err, -EINVAL,
				  "%s: not a hayate resume file (seed, total, shard "
				  "or next missing)",
				  path);
	return 0;
}

/* Reads the whole file into *text (NUL-terminated). Returns 0 or -errno. */
static int resume_read_file(const char *path, char **text, struct errmsg *err)
{
	FILE *fp = fopen(path, "r");
	size_t len = 0;
	FILE *mem;
	int c;

	*text = NULL;
	if (!fp) {
		int rc = -errno;

		return errmsg_set(err, rc, "cannot read %s: %s", path, strerror(-rc));
	}
	mem = open_memstream(text, &len);
	while (mem && (c = fgetc(fp)) != EOF)
		fputc(c, mem);
	if (mem)
		fclose(mem);
	fclose(fp);
	return *text ? 0 : errmsg_set(err, -ENOMEM, "out of memory");
}

int resume_load(struct resume *r, const char *path, int argc, char **argv, struct errmsg *err)
{
	char **saved;
	int nsaved = 0, n = 0, rc;
	bool new_outputs = false;

	memset(r, 0, sizeof(*r));
	rc = resume_read_file(path, &r->text, err);
	if (rc)
		return rc;
	/* No line is shorter than 2 bytes, so the file holds fewer arguments than bytes. */
	saved = calloc(strlen(r->text) + 1, sizeof(*saved));
	r->argv = calloc(strlen(r->text) + (size_t)argc + 4, sizeof(*r->argv));
	if (!saved || !r->argv) {
		free(saved);
		return errmsg_set(err, -ENOMEM, "out of memory");
	}
	rc = resume_parse(r, path, saved, &nsaved, err);
	if (rc) {
		free(saved);
		return rc;
	}
	for (int i = 1; i < argc; i++)
		new_outputs |= resume_is_output_opt(argv[i]);
	r->keeps_outputs = !new_outputs;
	r->argv[n++] = argv[0];
	for (int i = 0, skip; i < nsaved; i += skip ? skip : 1) {
		skip = resume_match(saved, nsaved, i, "--seed");
		if (!skip && new_outputs && resume_is_output_opt(saved[i]))
			skip = strchr(saved[i], '=') ? 1 : 2;
		if (!skip)
			r->argv[n++] = saved[i];
	}
	free(saved);
	snprintf(r->seed_arg, sizeof(r->seed_arg), "--seed=%llu", (unsigned long long)r->seed);
	r->argv[n++] = r->seed_arg;
	for (int i = 1, skip; i < argc; i += skip ? skip : 1) {
		skip = resume_match(argv, argc, i, "--resume");
		if (!skip)
			r->argv[n++] = argv[i];
	}
	r->argc = n;
	return 0;
}

int resume_apply(const struct resume *r, struct scan *s, unsigned slices, struct errmsg *err)
{
	if (s->seed != r->seed || s->cfg->shard_index != r->shard_index ||
	    s->cfg->shard_count != r->shard_count)
		return errmsg_set(err, -EINVAL,
				  "--resume: the seed or shard differs from the saved scan");
	if (s->total_sends != r->total_sends)
		return errmsg_set(
			err, -EINVAL,
			"--resume: the scan now has %llu probes, the saved one %llu (did a "
			"target file change?)",
			(unsigned long long)s->total_sends, (unsigned long long)r->total_sends);
	if (slices != r->slices)
		return errmsg_set(err, -EINVAL,
				  "--resume: the scan was saved with %u transmit threads, not %u",
				  r->slices, slices);
	for (unsigned i = 0; i < slices; i++) {
		if (r->next[i] % slices != i)
			return errmsg_set(err, -EINVAL,
					  "--resume: position %llu is not in slice %u",
					  (unsigned long long)r->next[i], i);
		s->tx_first[i] = r->next[i];
	}
	return 0;
}

/* Writes one "arg = ..." line, escaping backslashes and newlines. */
static void resume_put_arg(FILE *fp, const char *arg)
{
	fputs("arg = ", fp);
	for (; *arg; arg++)
		if (*arg == '\n')
			fputs("\\n", fp);
		else if (*arg == '\\')
			fputs("\\\\", fp);
		else
			fputc(*arg, fp);
	fputc('\n', fp);
}

int resume_save(const char *path, const struct scan *s, int argc, char **argv, struct errmsg *err)
{
	char tmp[4096];
	uint64_t sent = 0;
	unsigned slices = s->slices ? s->slices : 1;
	FILE *fp;
	int rc = 0;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fp = fopen(tmp, "w");
	if (!fp) {
		rc = -errno;
		return errmsg_set(err, rc, "cannot write %s: %s", tmp, strerror(-rc));
	}
	for (unsigned i = 0; i < slices; i++)
		sent += (atomic_load(&s->tx_next[i]) - i + slices - 1) / slices;
	fprintf(fp, "# hayate resume file: continue with  hayate --resume %s\n", path);
	fprintf(fp, "# stopped after about %llu of %llu probes\n", (unsigned long long)sent,
		(unsigned long long)s->total_sends);
	fprintf(fp, "version = %s\nseed = %llu\nshard = %llu/%llu\ntotal = %llu\n", HAYATE_VERSION,
		(unsigned long long)s->seed, (unsigned long long)s->cfg->shard_index + 1,
		(unsigned long long)s->cfg->shard_count, (unsigned long long)s->total_sends);
	for (unsigned i = 0; i < slices; i++)
		fprintf(fp, "next = %llu\n", (unsigned long long)atomic_load(&s->tx_next[i]));
	for (int i = 1, skip; i < argc; i += skip ? skip : 1) {
		skip = resume_match(argv, argc, i, "--resume");
		if (!skip)
			resume_put_arg(fp, argv[i]);
	}
	if (ferror(fp))
		rc = -EIO;
	if (fclose(fp) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc) {
		remove(tmp);
		return errmsg_set(err, rc, "cannot write %s: %s", path, strerror(-rc));
	}
	return 0;
}

void resume_free(struct resume *r)
{
	free(r->argv);
	free(r->text);
	memset(r, 0, sizeof(*r));
}

/* The first binary output of cfg, or NULL. */
static const char *resume_binary_path(const struct scan_config *cfg)
{
	for (unsigned i = 0; i < cfg->output_count; i++)
		if (cfg->outputs[i].format == OUTPUT_BINARY && strcmp(cfg->outputs[i].path, "-"))
			return cfg->outputs[i].path;
	return NULL;
}

int resume_prepare_outputs(const struct scan_config *cfg, uint64_t scan_id, struct errmsg *err)
{
	for (unsigned i = 0; i < cfg->output_count; i++) {
		const char *path = cfg->outputs[i].path;
		struct binread br;
		uint64_t keep;
		int rc;

		if (cfg->outputs[i].format != OUTPUT_BINARY || !strcmp(path, "-") ||
		    access(path, F_OK))
			continue; /* nothing to continue: written afresh */
		rc = binread_open(&br, path, err);
		if (rc)
			return rc;
		keep = br.header.header_bytes + br.records * BIN_RECORD_BYTES;
		rc = br.header.scan_id != scan_id;
		binread_close(&br);
		if (rc)
			return errmsg_set(err, -EINVAL, "--resume: %s holds another scan's results",
					  path);
		if (truncate(path, (off_t)keep)) {
			rc = -errno;
			return errmsg_set(err, rc, "cannot truncate %s: %s", path, strerror(-rc));
		}
	}
	return 0;
}

/* Writes r to the host-grouped outputs only: the others keep what they wrote the first time. */
static void resume_grouped_write(struct report *rp, const struct result *r)
{
	for (unsigned k = 0; k < rp->set.count; k++)
		if (rp->set.outs[k].ops->hidden)
			output_write(&rp->set.outs[k], r);
}

int resume_preload(const struct scan_config *cfg, struct report *rp, struct result **held,
		   size_t *nheld, struct errmsg *err)
{
	const char *path = resume_binary_path(cfg);
	struct binread br;
	int rc;

	*held = NULL;
	*nheld = 0;
	if (!path || access(path, F_OK))
		return 0;
	rc = binread_open(&br, path, err);
	if (rc)
		return rc;
	*held = malloc((br.records ? br.records : 1) * sizeof(**held));
	if (!*held) {
		binread_close(&br);
		return errmsg_set(err, -ENOMEM, "out of memory reading %s", path);
	}
	for (uint64_t i = 0; i < br.records; i++) {
		struct result r;

		if (!binread_result(&br, i, &r))
			continue;
		if (r.reason == REASON_NO_RESPONSE)
			(*held)[(*nheld)++] = r;
		else
			resume_grouped_write(rp, &r);
	}
	binread_close(&br);
	return 0;
}

void resume_feed(struct report *rp, struct result *held, size_t nheld)
{
	for (size_t i = 0; i < nheld; i++)
		resume_grouped_write(rp, &held[i]);
	free(held);
}
