// SPDX-License-Identifier: MIT
#include "cli_value.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "reply.h"

int cli_value_u64(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out,
		  struct errmsg *err)
{
	char *end;
	unsigned long long v;

	if (*s < '0' || *s > '9')
		return errmsg_set(err, -EINVAL, "%s: '%s' is not a whole number", opt, s);
	errno = 0;
	v = strtoull(s, &end, 10);
	if (*end)
		return errmsg_set(err, -EINVAL, "%s: '%s' is not a whole number", opt, s);
	if (errno == ERANGE || v < min || v > max)
		return errmsg_set(err, -EINVAL, "%s: %s is outside %llu-%llu", opt, s,
				  (unsigned long long)min, (unsigned long long)max);
	*out = v;
	return 0;
}

/* A finite decimal with nothing after it but an optional one-letter suffix. */
static int cli_value_decimal(const char *s, double *out, char *suffix)
{
	char *end;
	double v;

	if (!((*s >= '0' && *s <= '9') || *s == '.'))
		return -EINVAL;
	v = strtod(s, &end);
	*suffix = *end;
	if (*end && end[1])
		return -EINVAL;
	if (!isfinite(v) || v < 0)
		return -EINVAL;
	*out = v;
	return 0;
}

int cli_value_rate(const char *opt, const char *s, double *out, struct errmsg *err)
{
	double v;
	char suffix;

	if (cli_value_decimal(s, &v, &suffix))
		return errmsg_set(err, -EINVAL, "%s: '%s' is not a number (e.g. 10000, 250k, 1.5M)",
				  opt, s);
	if (suffix == 'k' || suffix == 'K')
		v *= 1e3;
	else if (suffix == 'M' || suffix == 'm')
		v *= 1e6;
	else if (suffix == 'G' || suffix == 'g')
		v *= 1e9;
	else if (suffix)
		return errmsg_set(err, -EINVAL, "%s: unknown suffix '%c' in '%s' (use k, M or G)",
				  opt, suffix, s);
	if (v < 1 || v > 1e9)
		return errmsg_set(err, -EINVAL, "%s: %s is outside 1 to 1G packets per second", opt,
				  s);
	*out = v;
	return 0;
}

int cli_value_seconds(const char *opt, const char *s, double *out, struct errmsg *err)
{
	double v;
	char suffix;

	if (cli_value_decimal(s, &v, &suffix) || suffix)
		return errmsg_set(err, -EINVAL, "%s: '%s' is not a number of seconds", opt, s);
	if (v > 86400)
		return errmsg_set(err, -EINVAL, "%s: %s seconds is more than a day", opt, s);
	*out = v;
	return 0;
}

int cli_value_shard(const char *opt, const char *s, uint64_t *index, uint64_t *count,
		    struct errmsg *err)
{
	const char *slash = strchr(s, '/');
	char part[32];
	uint64_t i, n;
	size_t len;

	if (!slash || (len = (size_t)(slash - s)) >= sizeof(part))
		return errmsg_set(err, -EINVAL, "%s: '%s' is not of the form I/N (e.g. 1/4)", opt,
				  s);
	memcpy(part, s, len);
	part[len] = 0;
	if (cli_value_u64(opt, part, 1, UINT32_MAX, &i, err) ||
	    cli_value_u64(opt, slash + 1, 1, UINT32_MAX, &n, err))
		return errmsg_set(err, -EINVAL, "%s: '%s' is not of the form I/N (e.g. 1/4)", opt,
				  s);
	if (i > n)
		return errmsg_set(err, -EINVAL, "%s: shard %llu of %llu does not exist", opt,
				  (unsigned long long)i, (unsigned long long)n);
	*index = i - 1;
	*count = n;
	return 0;
}

int cli_value_port_range(const char *opt, const char *s, uint16_t *first, uint16_t *last,
			 struct errmsg *err)
{
	const char *dash = strchr(s, '-');
	char part[16];
	uint64_t a, b;

	if (!dash)
		dash = s + strlen(s);
	if ((size_t)(dash - s) >= sizeof(part))
		return errmsg_set(err, -EINVAL, "%s: '%s' is not a port or range", opt, s);
	memcpy(part, s, (size_t)(dash - s));
	part[dash - s] = 0;
	if (cli_value_u64(opt, part, 1, 65535, &a, err))
		return -EINVAL;
	b = a;
	if (*dash && cli_value_u64(opt, dash + 1, 1, 65535, &b, err))
		return -EINVAL;
	if (b < a)
		return errmsg_set(err, -EINVAL, "%s: range '%s' is reversed", opt, s);
	*first = (uint16_t)a;
	*last = (uint16_t)b;
	return 0;
}

static int cli_value_hex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int cli_value_mac(const char *opt, const char *s, uint8_t mac[6], struct errmsg *err)
{
	uint8_t out[6];

	if (strlen(s) != 17)
		goto bad;
	for (int i = 0; i < 6; i++) {
		int hi = cli_value_hex(s[3 * i]), lo = cli_value_hex(s[3 * i + 1]);
		char sep = s[3 * i + 2];

		if (hi < 0 || lo < 0 || (i < 5 && sep != ':' && sep != '-'))
			goto bad;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	memcpy(mac, out, 6);
	return 0;
bad:
	return errmsg_set(err, -EINVAL, "%s: '%s' is not a MAC address (aa:bb:cc:dd:ee:ff)", opt,
			  s);
}

int cli_value_states(const char *opt, const char *s, unsigned *mask, struct errmsg *err)
{
	static const struct {
		const char *name;
		unsigned bits;
	} names[] = {
		{"open", 1u << PORT_OPEN},
		{"closed", 1u << PORT_CLOSED},
		{"filtered", 1u << PORT_FILTERED},
		{"open|filtered", 1u << PORT_OPEN_FILTERED},
		{"up", 1u << PORT_UP},
		{"all", (1u << PORT_OPEN) | (1u << PORT_CLOSED) | (1u << PORT_FILTERED) |
				(1u << PORT_OPEN_FILTERED) | (1u << PORT_UP)},
	};
	unsigned out = 0;

	while (*s) {
		size_t len = strcspn(s, ",");
		unsigned i;

		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			if (strlen(names[i].name) == len && !strncmp(s, names[i].name, len))
				break;
		if (i == sizeof(names) / sizeof(names[0]))
			return errmsg_set(err, -EINVAL,
					  "%s: unknown state '%.*s' (open, closed, filtered, "
					  "open|filtered, up, all)",
					  opt, (int)len, s);
		out |= names[i].bits;
		s += len + (s[len] == ',');
	}
	if (!out)
		return errmsg_set(err, -EINVAL, "%s: empty state list", opt);
	*mask = out;
	return 0;
}
