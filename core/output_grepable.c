// SPDX-License-Identifier: MIT
/*
 * nmap's grepable format (-oG), two lines per host that answered (<TAB> is a
 * tab character):
 *
 *   Host: 198.18.0.1 ()<TAB>Status: Up
 *   Host: 198.18.0.1 ()<TAB>Ports: 22/open/tcp//ssh///<TAB>Ignored State: closed (3)
 *
 * Fields are tab-separated; each port is port/state/protocol/owner/service/
 * rpc/version/, with the empty fields nmap leaves empty in a SYN scan. As in
 * nmap, "Ignored State" names the most common state not shown.
 */
#include "output.h"

#include "addr.h"
#include "output_grouped.h"

static int grepable_open(struct output *o, const struct output_info *info)
{
	int rc = grouped_open(o, info);

	return rc ? rc : grouped_comment_start(o->fp, info);
}

static void grepable_host(FILE *fp, const struct grouped *g, const struct host *host)
{
	/* NULL when every result was hidden: no offset on a null pointer. */
	const struct result *res = g->hosts.results ? g->hosts.results + host->first : NULL;
	uint64_t ignored = 0;
	unsigned ignored_state = 0;
	char addr[ADDR_STR_MAX];

	addr_format(host->addr, addr);
	fprintf(fp, "Host: %s ()\tStatus: Up\n", addr);
	fprintf(fp, "Host: %s ()\tPorts: ", addr);
	for (size_t i = 0; i < host->count; i++)
		fprintf(fp, "%s%u/%s/%s//%s///", i ? ", " : "", res[i].port,
			result_state_name(res[i].state), result_proto_name(res[i].proto),
			services_name(&g->services, res[i].port));
	for (unsigned s = 0; s < HOSTS_STATES; s++) {
		uint64_t n = 0;

		n = hosts_hidden_count(host, s);
		if (n > ignored) {
			ignored = n;
			ignored_state = s;
		}
	}
	if (ignored)
		fprintf(fp, "\tIgnored State: %s (%llu)", result_state_name(ignored_state),
			(unsigned long long)ignored);
	fputc('\n', fp);
}

static int grepable_close(struct output *o, const struct output_info *info)
{
	return grouped_report(o, info, grepable_host, grouped_comment_end);
}

const struct output_ops output_grepable_ops = {
	.name = "grepable",
	.open = grepable_open,
	.write = grouped_write,
	.hidden = grouped_hidden,
	.flush = grouped_flush,
	.close = grepable_close,
};
