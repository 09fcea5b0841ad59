// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the option-value parsers of core/cli_value.c. The
 * first byte picks the parser, the rest is the value as a C string. Whatever
 * is accepted must be in range; whatever is refused must say so in a message
 * that names the option.
 */
#include <assert.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "cli_value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define OPT "--opt"

static int fuzz_one(unsigned which, const char *s, struct errmsg *err)
{
	uint64_t u, index, count;
	uint16_t first, last;
	uint8_t mac[6];
	unsigned mask;
	double d;
	int rc;

	switch (which % 7) {
	case 0:
		rc = cli_value_u64(OPT, s, 3, 1000000, &u, err);
		assert(rc || (u >= 3 && u <= 1000000));
		return rc;
	case 1:
		rc = cli_value_rate(OPT, s, &d, err);
		assert(rc || (isfinite(d) && d >= 1 && d <= 1e9));
		return rc;
	case 2:
		rc = cli_value_seconds(OPT, s, &d, err);
		assert(rc || (isfinite(d) && d >= 0 && d <= 86400));
		return rc;
	case 3:
		rc = cli_value_shard(OPT, s, &index, &count, err);
		assert(rc || (count >= 1 && index < count));
		return rc;
	case 4:
		rc = cli_value_port_range(OPT, s, &first, &last, err);
		assert(rc || (first >= 1 && first <= last));
		return rc;
	case 5:
		return cli_value_mac(OPT, s, mac, err);
	default:
		rc = cli_value_states(OPT, s, &mask, err);
		assert(rc || (mask && !(mask & 1u)));
		return rc;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct errmsg err;
	char *text;

	if (size < 1 || size > 4096)
		return 0;
	text = malloc(size);
	if (!text)
		return 0;
	memcpy(text, data + 1, size - 1);
	text[size - 1] = '\0';
	err.text[0] = '\0';
	if (fuzz_one(data[0], text, &err))
		assert(!strncmp(err.text, OPT ": ", strlen(OPT) + 2));
	free(text);
	return 0;
}
