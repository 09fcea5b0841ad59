// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the resume-file reader: the input becomes a resume
 * file (a memfd read through /proc/self/fd/N), resume_load() turns it into a
 * command line as `hayate --resume FILE` does, and that command line goes
 * through cli_parse() like any other. Whatever the file says must end in a
 * parsed config or a one-line error, never a crash.
 */
#include <assert.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "cli.h"
#include "resume.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int fd = -1;
	static char path[64];
	char arg0[] = "hayate", arg1[] = "--resume";
	char *argv[] = {arg0, arg1, path, NULL};
	struct scan_config cfg;
	struct resume r;
	struct errmsg err;
	int rc;

	if (size > 65536)
		return 0;
	if (fd < 0) {
		fd = memfd_create("fuzz-resume", MFD_CLOEXEC);
		if (fd < 0)
			abort();
		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	}
	if (ftruncate(fd, 0) || pwrite(fd, data, size, 0) != (ssize_t)size)
		abort();
	err.text[0] = '\0';
	rc = resume_load(&r, path, 3, argv, &err);
	if (rc) {
		assert(err.text[0]);
		resume_free(&r);
		return 0;
	}
	assert(r.argc >= 2 && r.argv[0] == arg0 && r.slices >= 1 &&
	       r.slices <= SCAN_TX_THREADS_MAX && r.shard_count >= 1);
	for (int i = 0; i < r.argc; i++)
		assert(r.argv[i]);
	err.text[0] = '\0';
	rc = cli_parse(r.argc, r.argv, &cfg, &err);
	if (rc < 0)
		assert(err.text[0]);
	cli_free(&cfg); /* after a failure too: cfg's arrays are allocated either way */
	resume_free(&r);
	return 0;
}
