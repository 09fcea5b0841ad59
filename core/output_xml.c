// SPDX-License-Identifier: MIT
/*
 * nmap's XML format (-oX), valid against nmap.dtd, so that nmap's own tools
 * read it: ndiff compares two hayate scans, nmap.xsl renders it as HTML. The
 * DTD admits only scanner="nmap"; hayate names itself in the comment, in
 * args and in version. Elements come in the order the DTD fixes: scaninfo
 * (one per protocol), verbose, debugging, one host per host that answered
 * (status, address, hostnames, ports: extraports for the states --show leaves
 * out, then each shown port), then runstats. Written at close: grouping needs
 * the whole scan.
 */
#include "output.h"

#include <string.h>

#include "addr.h"
#include "output_grouped.h"
#include "version.h"

#define XML_STYLESHEET "file:///usr/share/nmap/nmap.xsl"

/* Writes s with XML's five special characters escaped; "--" too, so it may sit in a comment. */
static void xml_escaped(FILE *fp, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '&':
			fputs("&amp;", fp);
			break;
		case '<':
			fputs("&lt;", fp);
			break;
		case '>':
			fputs("&gt;", fp);
			break;
		case '"':
			fputs("&quot;", fp);
			break;
		case '\'':
			fputs("&apos;", fp);
			break;
		case '-':
			fputs(s[1] == '-' ? "-&#45;" : "-", fp);
			s += s[1] == '-';
			break;
		default:
			/* Control characters are not allowed in XML 1.0 at all. */
			fputc((unsigned char)*s < 0x20 ? ' ' : *s, fp);
		}
	}
}

/*
 * One <scaninfo> per protocol scanned, as nmap writes them; none for a ping
 * scan (-sn), which scans no ports.
 */
static void xml_scaninfo(FILE *fp, const char *type, const char *proto, uint32_t count,
			 const char *ports)
{
	fprintf(fp, "<scaninfo type=\"%s\" protocol=\"%s\" numservices=\"%u\" services=\"", type,
		proto, count);
	xml_escaped(fp, ports);
	fputs("\"/>\n", fp);
}

static int xml_open(struct output *o, const struct output_info *info)
{
	FILE *fp = o->fp;
	char date[64];
	int rc = grouped_open(o, info);

	if (rc)
		return rc;
	output_timestr(info->start_ns, date);
	fputs("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<!DOCTYPE nmaprun>\n", fp);
	fputs("<?xml-stylesheet href=\"" XML_STYLESHEET "\" type=\"text/xsl\"?>\n", fp);
	fprintf(fp, "<!-- hayate %s scan initiated %s as: ", HAYATE_VERSION, date);
	xml_escaped(fp, info->args);
	fputs(" -->\n<nmaprun scanner=\"nmap\" args=\"", fp);
	xml_escaped(fp, info->args);
	fprintf(fp, "\" start=\"%llu\" startstr=\"%s\" version=\"%s\" xmloutputversion=\"1.05\">\n",
		(unsigned long long)(info->start_ns / 1000000000ULL), date, HAYATE_VERSION);
	if (info->ports_total)
		xml_scaninfo(fp, info->connect_scan ? "connect" : "syn", "tcp", info->ports_total,
			     info->ports);
	if (info->udp_ports_total)
		xml_scaninfo(fp, "udp", "udp", info->udp_ports_total, info->udp_ports);
	fputs("<verbose level=\"0\"/>\n<debugging level=\"0\"/>\n", fp);
	return grouped_status(fp);
}

/* One <extraports> per state not shown, with one <extrareasons> per reason. */
static void xml_extraports(FILE *fp, const struct host *host)
{
	for (unsigned s = 0; s < HOSTS_STATES; s++) {
		uint64_t n = hosts_hidden_count(host, s);

		if (!n)
			continue;
		fprintf(fp, "<extraports state=\"%s\" count=\"%llu\">\n", result_state_name(s),
			(unsigned long long)n);
		for (unsigned p = 0; p < HOSTS_PROTOS; p++)
			for (unsigned r = 0; r < HOSTS_REASONS; r++)
				if (host->hidden[p][s][r])
					fprintf(fp,
						"<extrareasons reason=\"%s\" count=\"%u\" "
						"proto=\"%s\"/>\n",
						result_reason_name(r), host->hidden[p][s][r],
						result_proto_name(hosts_proto_at(p)));
		fputs("</extraports>\n", fp);
	}
}

static void xml_host(FILE *fp, const struct grouped *g, const struct host *host)
{
	/* NULL when every result was hidden: no offset on a null pointer. */
	const struct result *res = g->hosts.results ? g->hosts.results + host->first : NULL;
	char addr[ADDR_STR_MAX];

	addr_format(host->addr, addr);
	fprintf(fp, "<host starttime=\"%llu\" endtime=\"%llu\">",
		(unsigned long long)(host->first_ns / 1000000000ULL),
		(unsigned long long)(host->last_ns / 1000000000ULL));
	fprintf(fp, "<status state=\"up\" reason=\"%s\" reason_ttl=\"%u\"/>\n",
		result_reason_name(host->reason), host->ttl);
	fprintf(fp, "<address addr=\"%s\" addrtype=\"ipv4\"/>\n<hostnames>\n</hostnames>\n<ports>",
		addr);
	xml_extraports(fp, host);
	for (size_t i = 0; i < host->count; i++)
		fprintf(fp,
			"<port protocol=\"%s\" portid=\"%u\"><state state=\"%s\" reason=\"%s\" "
			"reason_ttl=\"%u\"/><service name=\"%s\" method=\"table\" "
			"conf=\"3\"/></port>\n",
			result_proto_name(res[i].proto), res[i].port,
			result_state_name(res[i].state), result_reason_name(res[i].reason),
			res[i].ttl, services_name(&g->services, res[i].port));
	fputs("</ports>\n</host>\n", fp);
}

/* The runstats and the end of the document: a grouped_end_fn. */
static void xml_end(FILE *fp, const struct grouped_out *w, void *ctx)
{
	const struct grouped_end *e = ctx;
	const struct output_info *info = e->info;
	size_t up = e->hosts_up;
	char date[64], summary[160];

	output_timestr(info->end_ns, date);
	grouped_summary(info, up, summary);
	fprintf(fp,
		"<runstats><finished time=\"%llu\" timestr=\"%s\" summary=\"hayate %s at %s; %s\" "
		"elapsed=\"%.2f\" exit=\"%s\"",
		(unsigned long long)(info->end_ns / 1000000000ULL), date,
		w->error	  ? "report cut short"
		: info->completed ? "done"
				  : "interrupted",
		date, summary, grouped_elapsed_s(info), w->error ? "error" : "success");
	if (w->error)
		fprintf(fp, " errormsg=\"report cut short: %s\"", strerror(-w->error));
	fprintf(fp, "/><hosts up=\"%zu\" down=\"%llu\" total=\"%llu\"/>\n</runstats>\n</nmaprun>\n",
		up, (unsigned long long)(info->targets_total > up ? info->targets_total - up : 0),
		(unsigned long long)(info->targets_total > up ? info->targets_total : up));
}

static int xml_close(struct output *o, const struct output_info *info)
{
	return grouped_report(o, info, xml_host, xml_end);
}

const struct output_ops output_xml_ops = {
	.name = "xml",
	.open = xml_open,
	.write = grouped_write,
	.hidden = grouped_hidden,
	.flush = grouped_flush,
	.close = xml_close,
};
