// SPDX-License-Identifier: MIT
/*
 * Dotted-quad parsing is deliberately strict. inet_aton() also accepts "1.2.3"
 * (two-part forms), "0x7f.1" (hex) and "010.0.0.1" (octal, which is 8.0.0.1),
 * and a scanner that reads a user's "010" as 8 probes someone else's host.
 * So hayate takes exactly four plain decimal octets, 0-255, and rejects a
 * leading zero ("010") instead of guessing what it means.
 */
#include "addr.h"

#include <string.h>

/* Parses one octet from s[*pos] up to (not including) a '.' or the end. */
static bool addr_parse_octet(const char *s, unsigned len, unsigned *pos, uint32_t *octet)
{
	unsigned start = *pos, value = 0;

	while (*pos < len && s[*pos] >= '0' && s[*pos] <= '9') {
		if (*pos - start == 3)
			return false;
		value = value * 10 + (unsigned)(s[*pos] - '0');
		(*pos)++;
	}
	if (*pos == start || value > 255)
		return false;
	if (s[start] == '0' && *pos - start > 1)
		return false;
	*octet = value;
	return true;
}

bool addr_parse_n(const char *s, unsigned len, uint32_t *out)
{
	uint32_t addr = 0, octet;
	unsigned pos = 0;

	for (int i = 0; i < 4; i++) {
		if (i > 0) {
			if (pos >= len || s[pos] != '.')
				return false;
			pos++;
		}
		if (!addr_parse_octet(s, len, &pos, &octet))
			return false;
		addr = addr << 8 | octet;
	}
	if (pos != len)
		return false;
	*out = addr;
	return true;
}

bool addr_parse(const char *s, uint32_t *out)
{
	size_t len = strlen(s);

	/* The longest valid form is 15 bytes; anything longer cannot parse. */
	if (len >= ADDR_STR_MAX)
		return false;
	return addr_parse_n(s, (unsigned)len, out);
}

char *addr_format(uint32_t addr, char buf[ADDR_STR_MAX])
{
	char *p = buf;

	for (int shift = 24; shift >= 0; shift -= 8) {
		unsigned octet = (addr >> shift) & 0xff;

		if (octet >= 100)
			*p++ = (char)('0' + octet / 100);
		if (octet >= 10)
			*p++ = (char)('0' + octet / 10 % 10);
		*p++ = (char)('0' + octet % 10);
		*p++ = shift ? '.' : '\0';
	}
	return buf;
}
