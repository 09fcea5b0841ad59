// SPDX-License-Identifier: MIT
/*
 * The pieces every format shares: the format table, opening files ("-" is
 * stdout), the --show filter in front of each output, and the output set that
 * fans one stream of results out to several formats. A failing member does
 * not stop the others: it stops writing and keeps its error, for the message
 * that names it; the set returns the first error and goes on.
 */
#include "output.h"

#include <errno.h>
#include <string.h>
#include <time.h>

#include "compiler.h"

static const struct {
	const struct output_ops *ops;
	const char *ext;
} output_formats[OUTPUT_FORMATS] = {
	[OUTPUT_NORMAL] = {&output_normal_ops, "nmap"},
	[OUTPUT_XML] = {&output_xml_ops, "xml"},
	[OUTPUT_GREPABLE] = {&output_grepable_ops, "gnmap"},
	[OUTPUT_BINARY] = {&output_binary_ops, "bin"},
	[OUTPUT_JSON] = {&output_json_ops, "json"},
	[OUTPUT_LIST] = {&output_list_ops, "list"},
	[OUTPUT_TEXT] = {&output_text_ops, "txt"},
};

const struct output_ops *output_format_ops(enum output_format f)
{
	return output_formats[f].ops;
}

const char *output_format_ext(enum output_format f)
{
	return output_formats[f].ext;
}

int output_open_file(struct output *o, enum output_format f, const char *path, unsigned show,
		     bool append, struct errmsg *err)
{
	memset(o, 0, sizeof(*o));
	o->ops = output_formats[f].ops;
	o->show = show;
	if (!strcmp(path, "-")) {
		o->fp = stdout;
		o->path = "stdout";
		return 0;
	}
	o->path = path;
	o->fp = fopen(path, f == OUTPUT_BINARY ? (append ? "ab" : "wb") : (append ? "a" : "w"));
	if (!o->fp) {
		int rc = -errno;

		return errmsg_set(err, rc, "cannot write %s: %s", path, strerror(-rc));
	}
	o->owns_fp = true;
	if (append)
		fseek(o->fp, 0, SEEK_END); /* so ftell() tells a format whether the file is new */
	return 0;
}

static bool output_is_set(const struct output *o)
{
	return o->ops == &output_set_ops;
}

/* Keeps o's first failure; a set's are its members'. Returns rc. */
static int output_failed(struct output *o, int rc)
{
	if (rc && !o->error && !output_is_set(o))
		o->error = rc;
	return rc;
}

int output_open(struct output *o, const struct output_info *info)
{
	if (o->error)
		return o->error;
	return output_failed(o, o->ops->open ? o->ops->open(o, info) : 0);
}

int output_write(struct output *o, const struct result *r)
{
	if (o->error)
		return o->error;
	if (!o->show || (o->show & (1u << r->state)))
		return output_failed(o, o->ops->write(o, r));
	return output_failed(o, o->ops->hidden ? o->ops->hidden(o, r) : 0);
}

int output_flush(struct output *o)
{
	if (o->error)
		return o->error;
	return output_failed(o, o->ops->flush(o));
}

int output_close(struct output *o, const struct output_info *info)
{
	/* Always close the format: it frees its state, and a grouped one writes its report. */
	int rc = output_failed(o, o->ops->close ? o->ops->close(o, info) : 0);

	if (!rc)
		rc = output_flush(o);
	if (o->owns_fp && fclose(o->fp) && !rc)
		rc = output_failed(o, -errno);
	o->fp = NULL;
	o->owns_fp = false;
	return o->error ? o->error : rc;
}

static int output_describe(const struct output *o, struct errmsg *err)
{
	return errmsg_set(err, o->error, "%s: %s", o->path ? o->path : o->ops->name,
			  strerror(-o->error));
}

int output_failure(const struct output *o, unsigned i, struct errmsg *err)
{
	const struct output_set *set = o->priv;

	if (!output_is_set(o))
		return !i && o->error ? output_describe(o, err) : 0;
	for (unsigned k = 0; k < set->count; k++)
		if (set->outs[k].error && !i--)
			return output_describe(&set->outs[k], err);
	return 0;
}

/* Runs one call over every member; returns the first error, after trying them all. */
#define SET_EACH(o, call)                                                                          \
	do {                                                                                       \
		struct output_set *set_ = (o)->priv;                                               \
		int first_ = 0;                                                                    \
		for (unsigned i_ = 0; i_ < set_->count; i_++) {                                    \
			struct output *m = &set_->outs[i_];                                        \
			int rc_ = (call);                                                          \
			if (rc_ && !first_)                                                        \
				first_ = rc_;                                                      \
		}                                                                                  \
		return first_;                                                                     \
	} while (0)

static int set_open(struct output *o, const struct output_info *info)
{
	SET_EACH(o, output_open(m, info));
}

static int set_write(struct output *o, const struct result *r)
{
	SET_EACH(o, output_write(m, r));
}

static int set_flush(struct output *o)
{
	SET_EACH(o, m->fp ? output_flush(m) : 0); /* closed members have no file */
}

static int set_close(struct output *o, const struct output_info *info)
{
	SET_EACH(o, output_close(m, info));
}

const struct output_ops output_set_ops = {
	.name = "set",
	.open = set_open,
	.write = set_write,
	.flush = set_flush,
	.close = set_close,
};

void output_set_bind(struct output *o, struct output_set *set)
{
	memset(o, 0, sizeof(*o));
	o->ops = &output_set_ops;
	o->priv = set;
}

const char *output_timestr(uint64_t wall_ns, char buf[64])
{
	time_t t = (time_t)(wall_ns / 1000000000ULL);
	struct tm tm;

	if (!localtime_r(&t, &tm) || !strftime(buf, 64, "%a %b %d %H:%M:%S %Y", &tm))
		snprintf(buf, 64, "%lld", (long long)t);
	return buf;
}
