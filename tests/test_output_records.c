// SPDX-License-Identifier: MIT
/*
 * Tests for core/output_records.c through the three formats that use it:
 * when the file cannot grow (RLIMIT_FSIZE stands in for a full disk, no
 * root needed), the binary, JSON Lines and list files end on a whole record at
 * every limit, nothing more is written after the failure, and the error is
 * the one the kernel gave (EFBIG here, ENOSPC on a full disk).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "binformat.h"
#include "output_fixture.h"

#define ROUNDS 100 /* the fixture this many times: 1200 results, 156 KB of JSON */

/*
 * Writes ROUNDS x the fixture to path as format f while the file may grow
 * to at most limit bytes, with one flush halfway (as the receiver does once
 * a second) after the buffer has filled once. Returns the first error met.
 */
static int write_limited(enum output_format f, const char *path, rlim_t limit)
{
	struct rlimit old, lim;
	struct output o;
	struct errmsg err;
	int first, crc;

	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	assert_int_equal(output_open_file(&o, f, path, 0, false, &err), 0);
	lim = (struct rlimit){limit, old.rlim_max};
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	first = output_open(&o, &fixture_info);
	for (unsigned round = 0; round < ROUNDS; round++) {
		for (size_t i = 0; i < FIXTURE_COUNT; i++) {
			int rc = output_write(&o, &fixture_results[i]);

			first = first ? first : rc;
		}
		if (round == ROUNDS / 2)
			first = first ? first : output_flush(&o);
	}
	crc = output_close(&o, &fixture_info);
	first = first ? first : crc;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	return first;
}

static off_t file_size(const char *path)
{
	struct stat st;

	assert_int_equal(stat(path, &st), 0);
	return st.st_size;
}

/*
 * write_limited() at limit (0: none), and what any format owes: with no
 * limit, no error; below the whole file's size full, EFBIG and no byte past
 * the limit; from it on, no error and the whole file. Returns the size.
 */
static off_t write_checked(enum output_format f, const char *path, rlim_t limit, off_t full)
{
	int rc = write_limited(f, path, limit ? limit : RLIM_INFINITY);
	off_t size = file_size(path);

	if (!limit) {
		assert_int_equal(rc, 0);
	} else if ((off_t)limit < full) {
		assert_int_equal(rc, -EFBIG);
		assert_true(size <= (off_t)limit);
	} else {
		assert_int_equal(rc, 0);
		assert_int_equal(size, full);
	}
	return size;
}

/* Every limit from none to past the whole file: whole lines only, each one an object. */
static void test_json_whole_lines(void **state)
{
	char path[] = "/tmp/hayate-test-records.XXXXXX";
	int fd = mkstemp(path);
	off_t full = 0;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	for (rlim_t limit = 0; limit < 160000; limit += limit < 400 ? 1 : 997) {
		off_t size = write_checked(OUTPUT_JSON, path, limit, full), seen = 0;
		FILE *fp = fopen(path, "r");
		char line[512];

		if (!limit) { /* the unlimited run first: the whole file */
			full = size;
			assert_true(full > 2 * 65536); /* the buffer fills in each half */
		}
		while (fgets(line, sizeof(line), fp)) {
			size_t n = strlen(line);

			seen += (off_t)n;
			assert_true(n > 2 && line[0] == '{' && !strcmp(line + n - 2, "}\n"));
		}
		assert_int_equal(seen, size);
		fclose(fp);
	}
	unlink(path);
}

/* masscan's list: "#masscan", then whole result lines, "# end" only if all fit. */
static void test_list_whole_lines(void **state)
{
	char path[] = "/tmp/hayate-test-records.XXXXXX";
	int fd = mkstemp(path);
	off_t full = 0;

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	for (rlim_t limit = 0; limit < 50000; limit += limit < 400 ? 1 : 499) {
		off_t size = write_checked(OUTPUT_LIST, path, limit, full), seen = 0;
		FILE *fp = fopen(path, "r");
		char line[512], state_word[16], proto[8], addr[64];
		unsigned port, lines = 0;
		unsigned long long when;
		bool ended = false;

		if (!limit)
			full = size;
		while (fgets(line, sizeof(line), fp)) {
			size_t n = strlen(line);

			seen += (off_t)n;
			assert_true(n > 1 && line[n - 1] == '\n');
			assert_false(ended); /* nothing after the end line */
			if (lines++ == 0) {
				assert_string_equal(line, "#masscan\n");
			} else if (!strcmp(line, "# end\n")) {
				ended = true;
			} else {
				assert_int_equal(sscanf(line, "%15s %7s %u %63s %llu", state_word,
							proto, &port, addr, &when),
						 5);
			}
		}
		assert_int_equal(seen, size);
		assert_int_equal(ended, size == full);
		fclose(fp);
	}
	unlink(path);
}

/* The binary file: the header, then whole 20-byte records, at every limit. */
static void test_binary_whole_records(void **state)
{
	char path[] = "/tmp/hayate-test-records.XXXXXX";
	int fd = mkstemp(path);
	off_t header = (off_t)binformat_header_bytes(&fixture_info);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	for (rlim_t limit = (rlim_t)header; limit < (rlim_t)header + 40 * BIN_RECORD_BYTES;
	     limit++) {
		off_t size;

		assert_int_equal(write_limited(OUTPUT_BINARY, path, limit), -EFBIG);
		size = file_size(path);
		assert_true(size >= header && size <= (off_t)limit);
		assert_int_equal((size - header) % BIN_RECORD_BYTES, 0);
	}
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_whole_lines),
		cmocka_unit_test(test_list_whole_lines),
		cmocka_unit_test(test_binary_whole_records),
	};

	return cmocka_run_group_tests_name("output_records", tests, fixture_ignore_sigxfsz, NULL);
}
