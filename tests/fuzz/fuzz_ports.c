// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the port-spec parser: ports_parse() on the input as a
 * string. A failure must leave an empty set and a message; a success must give
 * sorted, merged ranges whose prefix sums match, with ports_at() and
 * ports_contains() agreeing.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ports.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct port_set ps; /* 256 KiB: off the stack */
	struct errmsg err;
	uint32_t sum = 0;
	char *text;

	if (size > 16384)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	err.text[0] = '\0';
	if (ports_parse(&ps, text, &err)) {
		assert(ps.total == 0 && err.text[0]);
		free(text);
		return 0;
	}
	for (unsigned i = 0; i < ps.count; i++) {
		assert(ps.ranges[i].first <= ps.ranges[i].last);
		if (i)
			assert((uint32_t)ps.ranges[i - 1].last + 1 < ps.ranges[i].first);
		assert(ps.starts[i] == sum);
		sum += (uint32_t)ps.ranges[i].last - ps.ranges[i].first + 1;
	}
	assert(sum == ps.total && ps.total >= 1 && ps.total <= 65536);
	for (uint32_t i = 0; i < ps.total; i += 1 + ps.total / 8)
		assert(ports_contains(&ps, ports_at(&ps, i)));
	assert(ports_contains(&ps, ports_at(&ps, ps.total - 1)));
	free(text);
	return 0;
}
