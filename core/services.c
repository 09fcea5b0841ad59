// SPDX-License-Identifier: MIT
#include "services.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compiler.h"

/* Common ports, named as nmap-services names them, for machines without nmap. */
static const struct {
	uint16_t port;
	const char *name;
} services_common[] = {
	{7, "echo"},	       {20, "ftp-data"},
	{21, "ftp"},	       {22, "ssh"},
	{23, "telnet"},	       {25, "smtp"},
	{53, "domain"},	       {67, "dhcps"},
	{69, "tftp"},	       {80, "http"},
	{88, "kerberos-sec"},  {110, "pop3"},
	{111, "rpcbind"},      {119, "nntp"},
	{123, "ntp"},	       {135, "msrpc"},
	{139, "netbios-ssn"},  {143, "imap"},
	{161, "snmp"},	       {179, "bgp"},
	{389, "ldap"},	       {443, "https"},
	{445, "microsoft-ds"}, {465, "smtps"},
	{514, "shell"},	       {515, "printer"},
	{548, "afp"},	       {554, "rtsp"},
	{587, "submission"},   {631, "ipp"},
	{636, "ldapssl"},      {873, "rsync"},
	{993, "imaps"},	       {995, "pop3s"},
	{1080, "socks"},       {1433, "ms-sql-s"},
	{1521, "oracle"},      {1723, "pptp"},
	{1883, "mqtt"},	       {2049, "nfs"},
	{2375, "docker"},      {3000, "ppp"},
	{3306, "mysql"},       {3389, "ms-wbt-server"},
	{5060, "sip"},	       {5432, "postgresql"},
	{5900, "vnc"},	       {5985, "wsman"},
	{6379, "redis"},       {6443, "sun-sr-https"},
	{8000, "http-alt"},    {8008, "http"},
	{8080, "http-proxy"},  {8081, "blackice-icecap"},
	{8443, "https-alt"},   {8888, "sun-answerbook"},
	{9000, "cslistener"},  {9090, "zeus-admin"},
	{9200, "wap-wsp"},     {11211, "memcache"},
	{27017, "mongod"},
};

static int services_alloc(struct services *sv)
{
	memset(sv, 0, sizeof(*sv));
	sv->names = calloc(65536, sizeof(*sv->names));
	return sv->names ? 0 : -ENOMEM;
}

int services_builtin(struct services *sv)
{
	if (services_alloc(sv))
		return -ENOMEM;
	for (size_t i = 0; i < ARRAY_SIZE(services_common); i++)
		sv->names[services_common[i].port] = services_common[i].name;
	return 0;
}

/* Reads "name port/tcp ..." from one line (NUL-terminated in place); ignores anything else. */
static void services_line(struct services *sv, char *line)
{
	char *name = strtok(line, " \t"), *spec = strtok(NULL, " \t"), *end;
	unsigned long port;

	if (!name || !spec || name[0] == '#')
		return;
	port = strtoul(spec, &end, 10);
	if (end == spec || strcmp(end, "/tcp") || port > 65535 || sv->names[port])
		return;
	sv->names[port] = name;
}

int services_parse(struct services *sv, char *text, size_t len)
{
	char *line = text, *end = text + len;

	if (services_alloc(sv)) {
		free(text);
		return -ENOMEM;
	}
	sv->text = text;
	while (line < end) {
		char *nl = memchr(line, '\n', (size_t)(end - line));

		if (nl)
			*nl = 0;
		services_line(sv, line);
		line = nl ? nl + 1 : end;
	}
	return 0;
}

int services_load(struct services *sv, const char *path)
{
	FILE *fp = fopen(path ? path : SERVICES_PATH, "r");
	char *text = NULL;
	size_t len = 0;
	FILE *mem;

	if (!fp)
		return services_builtin(sv);
	mem = open_memstream(&text, &len);
	if (mem) {
		char buf[8192];
		size_t n;

		while ((n = fread(buf, 1, sizeof(buf), fp)) > 0)
			fwrite(buf, 1, n, mem);
		fclose(mem);
	}
	fclose(fp);
	if (!text)
		return services_builtin(sv);
	return services_parse(sv, text, len);
}

const char *services_name(const struct services *sv, uint16_t port)
{
	const char *name = sv->names ? sv->names[port] : NULL;

	return name ? name : "unknown";
}

void services_free(struct services *sv)
{
	free(sv->names);
	free(sv->text);
	memset(sv, 0, sizeof(*sv));
}
