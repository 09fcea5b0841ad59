// SPDX-License-Identifier: MIT
#include "portspec.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Appends the token [tok, tok + len) to the comma list in buf (of size cap). */
static void portspec_append(char *buf, size_t cap, const char *tok, size_t len)
{
	size_t used = strlen(buf);

	if (used)
		buf[used++] = ',';
	memcpy(buf + used, tok, len < cap - used - 1 ? len : cap - used - 1);
	buf[used + len] = '\0';
}

int portspec_parse(const char *spec, bool udp_default, struct port_set *tcp, struct port_set *udp,
		   struct errmsg *err)
{
	size_t cap = strlen(spec) + 2;
	char *lists[2] = {calloc(1, cap), calloc(1, cap)}; /* 0 TCP, 1 UDP */
	unsigned cur = udp_default;
	const char *p = spec;
	int rc = 0;

	tcp->count = tcp->total = 0;
	udp->count = udp->total = 0;
	if (!lists[0] || !lists[1]) {
		rc = errmsg_set(err, -ENOMEM, "out of memory");
		goto out;
	}
	while (*p) {
		size_t len = strcspn(p, ",");

		if (len >= 2 && p[1] == ':' && strchr("TtUuSs", p[0])) {
			if (p[0] == 'S' || p[0] == 's') {
				rc = errmsg_set(err, -EINVAL,
						"'S:' ports (SCTP) are not supported");
				goto out;
			}
			cur = p[0] == 'U' || p[0] == 'u';
			p += 2;
			len -= 2;
		}
		if (len)
			portspec_append(lists[cur], cap, p, len);
		p += len + (p[len] == ',');
	}
	if (!lists[0][0] && !lists[1][0]) {
		rc = errmsg_set(err, -EINVAL, "empty port list");
		goto out;
	}
	if (lists[0][0])
		rc = ports_parse(tcp, lists[0], err);
	if (!rc && lists[1][0])
		rc = ports_parse(udp, lists[1], err);
out:
	free(lists[0]);
	free(lists[1]);
	return rc;
}
