// SPDX-License-Identifier: MIT
/*
 * List file tests on real temporary files (mkstemp): separators, comments,
 * blank lines, CRLF and a byte order mark; error messages that name the file
 * and line for a bad spec, a missing file, a directory, binary bytes and an
 * over-long line; and long files whose lines straddle the read buffer.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "listfile.h"
#include "targets.h"

#define MAX_SPECS 64

struct collected {
	char specs[MAX_SPECS][64];
	unsigned count;
	unsigned stop_at; /* fail with -ECANCELED on this spec number (1-based); 0: never */
};

static int collect(void *ctx, const char *spec, struct errmsg *err)
{
	struct collected *c = ctx;

	if (c->count == MAX_SPECS)
		return errmsg_set(err, -E2BIG, "too many specs for the test");
	snprintf(c->specs[c->count++], sizeof(c->specs[0]), "%s", spec);
	if (c->count == c->stop_at)
		return errmsg_set(err, -ECANCELED, "stopped at '%s'", spec);
	return 0;
}

static int add_target(void *ctx, const char *spec, struct errmsg *err)
{
	return targets_add_spec(ctx, spec, err);
}

/* Writes len bytes of data to a new temporary file; the caller unlinks path. */
static void write_temp(char path[64], const void *data, size_t len)
{
	FILE *f;
	int fd;

	strcpy(path, "/tmp/hayate_listfile_XXXXXX");
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(data, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

/* Reads text through collect() and checks the specs come back as want, in order. */
static void check_specs(const char *text, const char *const *want, unsigned n)
{
	struct collected c = {.count = 0};
	struct errmsg err = {{0}};
	char path[64];
	int rc;

	write_temp(path, text, strlen(text));
	rc = listfile_read(path, collect, &c, &err);
	unlink(path);
	if (rc)
		fail_msg("read failed (%d): %s", rc, err.text);
	assert_int_equal(c.count, n);
	for (unsigned i = 0; i < n; i++)
		assert_string_equal(c.specs[i], want[i]);
}

static void test_formats(void **state)
{
	static const char *const want[] = {
		"10.0.0.1",	"10.0.0.2",	     "10.0.0.3",
		"192.0.2.0/24", "10.0.0.4-10.0.0.9", "10.0.0.10",
	};

	(void)state;
	check_specs("10.0.0.1\n10.0.0.2 10.0.0.3\n192.0.2.0/24,10.0.0.4-10.0.0.9\n10.0.0.10\n",
		    want, 6);
	/* Comments, blank lines, tabs, CRLF, stray commas, and no final newline. */
	check_specs("# office networks\n"
		    "\n"
		    "   \t\n"
		    "10.0.0.1\t10.0.0.2 # two hosts\r\n"
		    ",10.0.0.3,,\r\n"
		    "#192.0.2.0/24 (commented out)\n"
		    "192.0.2.0/24\n"
		    "10.0.0.4-10.0.0.9  ,  10.0.0.10",
		    (const char *const[]){"10.0.0.1", "10.0.0.2", "10.0.0.3", "192.0.2.0/24",
					  "10.0.0.4-10.0.0.9", "10.0.0.10"},
		    6);
	/* A UTF-8 byte order mark and UTF-8 in comments are fine. */
	check_specs("\xef\xbb\xbf"
		    "10.0.0.1 # B\xc3\xbcro\n10.0.0.2\n",
		    want, 2);
	/* Nothing but comments is an empty list, not an error: the caller decides. */
	check_specs("", want, 0);
	check_specs("# nothing here\n\n\n", want, 0);
}

/* Reads text through add_target() and checks the code and exact message ("%s" is the path). */
static void check_error(const void *data, size_t len, int want_rc, const char *want_fmt)
{
	struct target_set t;
	struct errmsg err = {{0}};
	char path[64], want[512];

	write_temp(path, data, len);
	targets_init(&t);
	assert_int_equal(listfile_read(path, add_target, &t, &err), want_rc);
	snprintf(want, sizeof(want), want_fmt, path);
	assert_string_equal(err.text, want);
	targets_free(&t);
	unlink(path);
}

static void test_bad_lines(void **state)
{
	static const char twelve[] = "# line 1\n10.0.0.1\n\n10.0.0.2 10.0.0.3\n# 5\n"
				     "10.0.0.4\n10.0.0.5\n\n\n10.0.0.6\n   # 11\n"
				     "10.0.0.7, 10.0.0.300 # twelve\n10.0.0.8\n";
	static const char nul[] = "10.0.0.1\n10.0.0.2\nab\0cd\n";
	static const char nul_comment[] = "10.0.0.1 # a\0b\n";

	(void)state;
	check_error(twelve, strlen(twelve), -EINVAL,
		    "%s:12: '10.0.0.300' is not an IPv4 address, CIDR or range");
	check_error("10.0.0.1 10.0.0.0/33\n", 21, -EINVAL,
		    "%s:1: '10.0.0.0/33': prefix length must be 0-32");
	check_error(nul, sizeof(nul) - 1, -EINVAL,
		    "%s:3: NUL byte at column 3: this looks like a binary file, not a target list");
	check_error(
		nul_comment, sizeof(nul_comment) - 1, -EINVAL,
		"%s:1: NUL byte at column 13: this looks like a binary file, not a target list");
	check_error("10.0.0.1\n\x01\x02\n", 12, -EINVAL,
		    "%s:2: control byte 0x01 at column 1: this looks like a binary file, not a "
		    "target list");
	check_error("10.0.0.1\n10.0.0.\xc3\xa9\n", 20, -EINVAL,
		    "%s:2: non-ASCII byte 0xc3 at column 8: only comments may hold non-ASCII "
		    "text");
	check_error("10.0.0.1\n10.0.0.x", 17, -EINVAL,
		    "%s:2: '10.0.0.x' is not an IPv4 address, CIDR or range");
	check_error("\n\n\x7f\n", 4, -EINVAL,
		    "%s:3: control byte 0x7f at column 1: this looks like a binary file, not a "
		    "target list");
}

static void test_binary_garbage(void **state)
{
	uint64_t rng = 0x853c49e6748fea9bULL;

	(void)state;
	for (int round = 0; round < 50; round++) {
		unsigned char junk[8192];
		struct target_set t;
		struct errmsg err = {{0}};
		char path[64];

		for (size_t i = 0; i < sizeof(junk); i++) {
			rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
			junk[i] = (unsigned char)rng;
		}
		write_temp(path, junk, sizeof(junk));
		targets_init(&t);
		assert_int_equal(listfile_read(path, add_target, &t, &err), -EINVAL);
		/* The message starts with "path:line: ". */
		assert_int_equal(strncmp(err.text, path, strlen(path)), 0);
		assert_int_equal(err.text[strlen(path)], ':');
		targets_free(&t);
		unlink(path);
	}
}

static void test_long_lines(void **state)
{
	size_t size = LISTFILE_LINE_MAX + 64;
	char *text = malloc(size), path[64];
	struct collected c = {.count = 0};
	struct errmsg err = {{0}};

	(void)state;
	assert_non_null(text);
	/* A line of exactly LISTFILE_LINE_MAX bytes is accepted, with or without a newline. */
	memset(text, ' ', LISTFILE_LINE_MAX);
	memcpy(text, "10.0.0.1", 8);
	memcpy(text + LISTFILE_LINE_MAX - 8, "10.0.0.2", 8);
	memcpy(text + LISTFILE_LINE_MAX, "\n10.0.0.3\n", 10);
	write_temp(path, text, LISTFILE_LINE_MAX + 10);
	assert_int_equal(listfile_read(path, collect, &c, &err), 0);
	assert_int_equal(c.count, 3);
	assert_string_equal(c.specs[1], "10.0.0.2");
	unlink(path);
	c.count = 0;
	write_temp(path, text, LISTFILE_LINE_MAX);
	assert_int_equal(listfile_read(path, collect, &c, &err), 0);
	assert_int_equal(c.count, 2);
	assert_string_equal(c.specs[1], "10.0.0.2");
	unlink(path);

	/* One byte more is an error naming the line, not a silent cut. */
	memcpy(text, "10.0.0.1\n10.0.0.2\n", 18);
	memset(text + 18, 'x', LISTFILE_LINE_MAX + 1);
	memcpy(text + 18 + LISTFILE_LINE_MAX + 1, "\n10.0.0.3\n", 10);
	check_error(text, 18 + LISTFILE_LINE_MAX + 11, -EINVAL,
		    "%s:3: line is longer than 1048576 bytes; put one spec per line");
	check_error(text, 18 + LISTFILE_LINE_MAX + 1, -EINVAL,
		    "%s:3: line is longer than 1048576 bytes; put one spec per line");
	free(text);
}

static void test_open_errors(void **state)
{
	char long_path[128];
	struct collected c = {.count = 0};
	struct errmsg err = {{0}};

	(void)state;
	assert_int_equal(listfile_read("/nonexistent/hayate-targets.txt", collect, &c, &err),
			 -ENOENT);
	assert_string_equal(
		err.text, "cannot open /nonexistent/hayate-targets.txt: No such file or directory");
	assert_int_equal(listfile_read("/tmp", collect, &c, &err), -EISDIR);
	assert_string_equal(err.text, "cannot read /tmp: it is a directory");
	assert_int_equal(listfile_read("", collect, &c, &err), -ENOENT);
	assert_string_equal(err.text, "cannot open : No such file or directory");
	/* A long path keeps its tail, where the file name is. */
	memset(long_path, 'd', sizeof(long_path));
	memcpy(long_path, "/nonexistent/", 13);
	strcpy(long_path + sizeof(long_path) - 12, "targets.txt");
	assert_int_equal(listfile_read(long_path, collect, &c, &err), -ENOENT);
	assert_int_equal(strncmp(err.text, "cannot open ...ddd", 18), 0);
	assert_non_null(strstr(err.text, "dtargets.txt: No such file or directory"));
	assert_int_equal(c.count, 0);
}

static void test_callback_stops(void **state)
{
	static const char text[] = "10.0.0.1 10.0.0.2 10.0.0.3\n10.0.0.4\n";
	struct collected c = {.count = 0, .stop_at = 2};
	struct errmsg err = {{0}};
	char path[64], want[128];

	(void)state;
	write_temp(path, text, strlen(text));
	assert_int_equal(listfile_read(path, collect, &c, &err), -ECANCELED);
	snprintf(want, sizeof(want), "%s:1: stopped at '10.0.0.2'", path);
	assert_string_equal(err.text, want);
	assert_int_equal(c.count, 2);
	unlink(path);
}

/* Writes n_lines addresses 10.0.0.0, 10.0.0.1, ...; line bad_line (1-based) gets a bad one. */
static void write_many(char path[64], unsigned n_lines, unsigned bad_line)
{
	char *text = malloc((size_t)n_lines * 20), *p = text;

	assert_non_null(text);
	for (unsigned i = 0; i < n_lines; i++) {
		if (i + 1 == bad_line)
			p += sprintf(p, "10.0.0.256\n");
		else
			p += sprintf(p, "10.%u.%u.%u\n", i >> 16, (i >> 8) & 255, i & 255);
	}
	write_temp(path, text, (size_t)(p - text));
	free(text);
}

/* Several megabytes: lines straddle the read buffer, and the count must still be right. */
static void test_many_lines(void **state)
{
	struct target_set t;
	struct errmsg err = {{0}};
	char path[64], want[160];

	(void)state;
	write_many(path, 400000, 0);
	targets_init(&t);
	assert_int_equal(listfile_read(path, add_target, &t, &err), 0);
	assert_int_equal(targets_finish(&t), 0);
	assert_int_equal(t.count, 1);
	assert_true(t.total == 400000);
	targets_free(&t);
	unlink(path);

	write_many(path, 400000, 333333);
	targets_init(&t);
	assert_int_equal(listfile_read(path, add_target, &t, &err), -EINVAL);
	snprintf(want, sizeof(want),
		 "%s:333333: '10.0.0.256' is not an IPv4 address, CIDR or range", path);
	assert_string_equal(err.text, want);
	targets_free(&t);
	unlink(path);
}

/* Points standard input at path. */
static void redirect_stdin(const char *path)
{
	int fd = open(path, O_RDONLY);

	assert_true(fd >= 0);
	assert_int_equal(dup2(fd, STDIN_FILENO), STDIN_FILENO);
	close(fd);
}

static void test_stdin(void **state)
{
	static const char text[] = "10.0.0.1\n10.0.0.x\n";
	struct collected c = {.count = 0};
	struct target_set t;
	struct errmsg err = {{0}};
	char path[64];
	int saved = dup(STDIN_FILENO);

	(void)state;
	assert_true(saved >= 0);
	write_temp(path, text, strlen(text));
	redirect_stdin(path);
	assert_int_equal(listfile_read("-", collect, &c, &err), 0);
	assert_int_equal(c.count, 2);
	redirect_stdin(path);
	targets_init(&t);
	assert_int_equal(listfile_read("-", add_target, &t, &err), -EINVAL);
	assert_string_equal(err.text,
			    "<stdin>:2: '10.0.0.x' is not an IPv4 address, CIDR or range");
	targets_free(&t);
	assert_int_equal(dup2(saved, STDIN_FILENO), STDIN_FILENO);
	close(saved);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_formats),	       cmocka_unit_test(test_bad_lines),
		cmocka_unit_test(test_binary_garbage), cmocka_unit_test(test_long_lines),
		cmocka_unit_test(test_open_errors),    cmocka_unit_test(test_callback_stops),
		cmocka_unit_test(test_many_lines),     cmocka_unit_test(test_stdin),
	};

	return cmocka_run_group_tests_name("listfile", tests, NULL, NULL);
}
