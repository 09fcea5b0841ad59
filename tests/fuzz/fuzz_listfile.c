// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the -iL reader: the input becomes the contents of a
 * memory file (memfd), listfile_read() reads it through /proc/self/fd/N as it
 * reads any path, and each spec goes to targets_add_spec() as in a scan. A
 * failure must name the file; a success must finish into a usable set.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "listfile.h"
#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int fuzz_add(void *ctx, const char *spec, struct errmsg *err)
{
	assert(spec[0] != '\0');
	return targets_add_spec(ctx, spec, err);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	struct target_set t;
	struct errmsg err;

	if (fd < 0) {
		fd = memfd_create("fuzz-list", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	targets_init(&t);
	err.text[0] = '\0';
	if (listfile_read(path, fuzz_add, &t, &err))
		assert(strstr(err.text, "fuzz-list") || strstr(err.text, path));
	else if (targets_finish(&t) == 0 && t.total)
		assert(targets_contains(&t, targets_at(&t, t.total - 1)));
	targets_free(&t);
	return 0;
}
