// SPDX-License-Identifier: MIT
#include "output_grouped.h"

#include <errno.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "version.h"

int grouped_open(struct output *o, const struct output_info *info)
{
	struct grouped *g = calloc(1, sizeof(*g));

	if (!g)
		return -ENOMEM;
	hosts_init(&g->hosts);
	if (services_load(&g->services, NULL)) {
		free(g);
		return -ENOMEM;
	}
	g->info = *info;
	o->priv = g;
	return 0;
}

int grouped_write(struct output *o, const struct result *r)
{
	struct grouped *g = o->priv;

	return hosts_add(&g->hosts, r, true);
}

int grouped_hidden(struct output *o, const struct result *r)
{
	struct grouped *g = o->priv;

	return hosts_add(&g->hosts, r, false);
}

int grouped_flush(struct output *o)
{
	return fflush(o->fp) ? -errno : 0;
}

int grouped_status(FILE *fp)
{
	/* ferror() only says that a write failed; writing what is still buffered says why. */
	if (fflush(fp))
		return -errno;
	return ferror(fp) ? -EIO : 0;
}

/* Where the file ends whole: after the opening lines or after a whole host. */
static long long grouped_out_whole(const struct grouped_out *w)
{
	return w->nmarks ? w->marks[(w->nmarks - 1) % GROUPED_OUT_MARKS] : 0;
}

/* Drops what did not reach the file and cuts it back to where it was whole. */
static void grouped_out_cut(struct grouped_out *w)
{
	int fd = fileno(w->fp);
	off_t whole = (off_t)grouped_out_whole(w);

	__fpurge(w->fp);
	clearerr(w->fp);
	/* A pipe or a memory stream cannot be cut: what went is gone. */
	if (fd >= 0 && ftruncate(fd, whole) == 0)
		(void)fseeko(w->fp, whole, SEEK_SET);
}

/* Flushes; on success what is written is whole, else the file is cut back. */
static bool grouped_out_commit(struct grouped_out *w)
{
	off_t at;

	errno = 0;
	if (fflush(w->fp) == 0 && !ferror(w->fp)) {
		at = ftello(w->fp);
		w->marks[w->nmarks++ % GROUPED_OUT_MARKS] = at >= 0 ? at : 0;
		return true;
	}
	if (!w->error)
		w->error = errno ? -errno : -EIO;
	grouped_out_cut(w);
	return false;
}

static void grouped_out_start(struct grouped_out *w, FILE *fp)
{
	*w = (struct grouped_out){.fp = fp};
	grouped_out_commit(w);
}

static int grouped_out_finish(struct grouped_out *w, grouped_end_fn *end, void *ctx)
{
	long long first = grouped_out_whole(w);

	if (!w->nmarks) /* the lines written at open did not fit */
		return w->error;
	for (unsigned popped = 0;; popped++) {
		end(w->fp, w, ctx);
		if (grouped_out_commit(w))
			break;
		/* Closing lines that do not fit replace the last hosts, a few KiB at most. */
		if (w->nmarks <= 1 || popped + 2 == GROUPED_OUT_MARKS ||
		    first - w->marks[(w->nmarks - 2) % GROUPED_OUT_MARKS] > GROUPED_OUT_ROOM)
			break;
		w->nmarks--;
		grouped_out_cut(w);
	}
	return w->error;
}

/* Sorts what was collected (at close, once). */
static struct grouped *grouped_finish(struct output *o)
{
	struct grouped *g = o->priv;

	hosts_finish(&g->hosts);
	return g;
}

/* Frees o->priv. */
static void grouped_free(struct output *o)
{
	struct grouped *g = o->priv;

	if (!g)
		return;
	hosts_free(&g->hosts);
	services_free(&g->services);
	free(g);
	o->priv = NULL;
}

int grouped_report(struct output *o, const struct output_info *info, grouped_host_fn *host,
		   grouped_end_fn *end)
{
	struct grouped *g = grouped_finish(o);
	struct grouped_end e = {info, g->hosts.nhosts};
	struct grouped_out w;
	int rc;

	grouped_out_start(&w, o->fp);
	for (size_t i = 0; i < g->hosts.nhosts && !w.error; i++) {
		host(o->fp, g, &g->hosts.list[i]);
		grouped_out_commit(&w);
	}
	rc = grouped_out_finish(&w, end, &e);
	grouped_free(o);
	return rc;
}

unsigned grouped_hidden_list(const struct host *host, struct grouped_hidden *out)
{
	unsigned n = 0;

	for (unsigned p = 0; p < HOSTS_PROTOS; p++)
		for (unsigned s = 0; s < HOSTS_STATES; s++)
			for (unsigned r = 0; r < HOSTS_REASONS; r++)
				if (host->hidden[p][s][r])
					out[n++] = (struct grouped_hidden){hosts_proto_at(p), s, r,
									   host->hidden[p][s][r]};
	/* Insertion sort, largest count first: at most 20 entries. */
	for (unsigned i = 1; i < n; i++)
		for (unsigned j = i; j > 0 && out[j].count > out[j - 1].count; j--) {
			struct grouped_hidden t = out[j];

			out[j] = out[j - 1];
			out[j - 1] = t;
		}
	return n;
}

uint64_t grouped_hidden_total(const struct host *host)
{
	uint64_t n = 0;

	for (unsigned s = 0; s < HOSTS_STATES; s++)
		n += hosts_hidden_count(host, s);
	return n;
}

double grouped_elapsed_s(const struct output_info *info)
{
	return info->end_ns > info->start_ns ? (double)(info->end_ns - info->start_ns) / 1e9 : 0;
}

int grouped_comment_start(FILE *fp, const struct output_info *info)
{
	char date[64];

	if (fprintf(fp, "# hayate %s scan initiated %s as: %s\n", HAYATE_VERSION,
		    output_timestr(info->start_ns, date), info->args ? info->args : "hayate") < 0)
		return -errno;
	return 0;
}

const char *grouped_summary(const struct output_info *info, size_t hosts_up, char buf[160])
{
	snprintf(buf, 160, "%llu IP address%s (%zu host%s up) scanned in %.2f seconds",
		 (unsigned long long)info->targets_total, info->targets_total == 1 ? "" : "es",
		 hosts_up, hosts_up == 1 ? "" : "s", grouped_elapsed_s(info));
	return buf;
}

void grouped_comment_end(FILE *fp, const struct grouped_out *w, void *ctx)
{
	const struct grouped_end *e = ctx;
	const struct output_info *info = e->info;
	char date[64], summary[160];

	output_timestr(info->end_ns, date);
	grouped_summary(info, e->hosts_up, summary);
	if (w->error)
		fprintf(fp, "# hayate report cut short at %s (%s) -- %s\n", date,
			strerror(-w->error), summary);
	else
		fprintf(fp, "# hayate %s at %s -- %s\n", info->completed ? "done" : "interrupted",
			date, summary);
}
