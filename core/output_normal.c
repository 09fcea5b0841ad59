// SPDX-License-Identifier: MIT
/*
 * The normal report (-oN), laid out as nmap prints it, one block per host
 * that answered, in address order:
 *
 *   hayate scan report for 198.18.0.1
 *   Host is up, received syn-ack ttl 64.
 *   Not shown: 997 closed tcp ports (reset)
 *   PORT    STATE SERVICE
 *   22/tcp  open  ssh
 *
 * The columns are as wide as their widest cell plus one space, like nmap's.
 * Everything is written at close: grouping needs the whole scan.
 */
#include "output.h"

#include <string.h>

#include "addr.h"
#include "output_grouped.h"

#define NORMAL_CELL 32

static int normal_open(struct output *o, const struct output_info *info)
{
	int rc = grouped_open(o, info);

	return rc ? rc : grouped_comment_start(o->fp, info);
}

/* "Not shown: 99 closed tcp ports (reset), 2 filtered tcp ports (no-response)". */
static void normal_not_shown(FILE *fp, const struct host *host)
{
	struct grouped_hidden hidden[GROUPED_HIDDEN_MAX];
	unsigned n = grouped_hidden_list(host, hidden);

	if (!n)
		return;
	fputs("Not shown: ", fp);
	for (unsigned i = 0; i < n; i++)
		fprintf(fp, "%s%llu %s %s port%s (%s)", i ? ", " : "",
			(unsigned long long)hidden[i].count, result_state_name(hidden[i].state),
			result_proto_name(hidden[i].proto), hidden[i].count == 1 ? "" : "s",
			result_reason_name(hidden[i].reason));
	fputc('\n', fp);
}

static void normal_host(FILE *fp, const struct grouped *g, const struct host *host)
{
	/* NULL when every result was hidden: no offset on a null pointer. */
	const struct result *res = g->hosts.results ? g->hosts.results + host->first : NULL;
	size_t port_w = strlen("PORT"), state_w = strlen("STATE");
	char addr[ADDR_STR_MAX], cell[NORMAL_CELL];

	addr_format(host->addr, addr);
	fprintf(fp, "hayate scan report for %s\n", addr);
	fprintf(fp, "Host is up, received %s", result_reason_name(host->reason));
	if (host->reason != REASON_NO_RESPONSE)
		fprintf(fp, " ttl %u", host->ttl);
	fputs(".\n", fp);
	if (!host->count)
		fprintf(fp, "All %llu scanned ports on %s are in ignored states.\n",
			(unsigned long long)grouped_hidden_total(host), addr);
	normal_not_shown(fp, host);
	if (host->count) {
		for (size_t i = 0; i < host->count; i++) {
			size_t w = (size_t)snprintf(cell, sizeof(cell), "%u/%s", res[i].port,
						    result_proto_name(res[i].proto));
			size_t sw = strlen(result_state_name(res[i].state));

			port_w = w > port_w ? w : port_w;
			state_w = sw > state_w ? sw : state_w;
		}
		fprintf(fp, "%-*s %-*s SERVICE\n", (int)port_w, "PORT", (int)state_w, "STATE");
		for (size_t i = 0; i < host->count; i++) {
			snprintf(cell, sizeof(cell), "%u/%s", res[i].port,
				 result_proto_name(res[i].proto));
			fprintf(fp, "%-*s %-*s %s\n", (int)port_w, cell, (int)state_w,
				result_state_name(res[i].state),
				services_name(&g->services, res[i].port));
		}
	}
	fputc('\n', fp);
}

static int normal_close(struct output *o, const struct output_info *info)
{
	return grouped_report(o, info, normal_host, grouped_comment_end);
}

const struct output_ops output_normal_ops = {
	.name = "normal",
	.open = normal_open,
	.write = grouped_write,
	.hidden = grouped_hidden,
	.flush = grouped_flush,
	.close = normal_close,
};
