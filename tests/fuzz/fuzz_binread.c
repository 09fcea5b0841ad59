// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the binary results reader: binread_parse() on the
 * input as a whole file, then every record read back and the scan info taken,
 * as --readscan does. Counts must add up, whatever the bytes say.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "binread.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct output_info info;
	struct binread br;
	struct errmsg err;
	struct result r;
	uint64_t results = 0;
	uint8_t *buf;

	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);
	err.text[0] = '\0';
	if (binread_parse(&br, buf, size, &err)) {
		assert(err.text[0]);
		free(buf);
		return 0;
	}
	assert(br.header.header_bytes <= size);
	assert(br.header.header_bytes + br.records * BIN_RECORD_BYTES + br.tail_bytes == size);
	for (uint64_t i = 0; i < br.records; i++)
		results += binread_result(&br, i, &r);
	assert(results == br.results && br.results + br.bad <= br.records);
	assert(!binread_result(&br, br.records, &r));
	binread_info(&br, &info);
	assert(info.args && info.ports && strlen(info.args) <= br.header.args_len);
	binread_close(&br);
	free(buf);
	return 0;
}
