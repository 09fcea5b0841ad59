// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for --readscan: the input becomes a binary result file
 * (a memfd read through /proc/self/fd/N) and readscan_run() reads it, merges
 * it, and writes it as a list and as XML to /dev/null. A damaged file must be
 * read up to its damage or refused with a message, never a crash.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "output.h"
#include "readscan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	static FILE *warn;
	char null_list[] = "/dev/null", null_xml[] = "/dev/null";
	struct output_spec specs[] = {{OUTPUT_LIST, null_list}, {OUTPUT_XML, null_xml}};
	const char *files[] = {path, path};
	struct scan_config cfg = {.readscan_files = files,
				  .readscan_count =
					  1 + (size & 1), /* sometimes merge it with itself */
				  .outputs = specs,
				  .output_count = 2};
	struct errmsg err;

	if (size > 1 << 20)
		return 0;
	if (fd < 0) {
		fd = memfd_create("fuzz-readscan", MFD_CLOEXEC);
		warn = fopen("/dev/null", "w");
		if (fd < 0 || !warn)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	err.text[0] = '\0';
	if (readscan_run(&cfg, warn, &err))
		assert(err.text[0]);
	return 0;
}
