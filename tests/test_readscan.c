// SPDX-License-Identifier: MIT
/*
 * Tests for core/readscan.c: two shards of one scan merge into one report,
 * a result in both is reported once, an unanswered probe another part saw
 * answered is dropped, TCP and UDP results of one port number stay apart, --show defaults to what
 * the scans reported, files of different scans are refused unless --merge-anyway, and damaged files
 * are read with a warning.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <unistd.h>

#include "binformat.h"
#include "output_fixture.h"
#include "readscan.h"

static char dir[] = "/tmp/hayate-test-readscan.XXXXXX";

/* Writes results [first, last) of the fixture, then nextra of extra, as shard index of 2, scan
 * id id. */
static void write_part(const char *name, size_t first, size_t last, uint32_t index, uint64_t id,
		       const struct result *extra, size_t nextra)
{
	struct output_info info = fixture_info;
	struct output o;
	struct errmsg err;
	char path[256];

	info.shard_index = index;
	info.shard_count = 2;
	info.scan_id = id;
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	assert_int_equal(output_open_file(&o, OUTPUT_BINARY, path, 0, false, &err), 0);
	assert_int_equal(output_open(&o, &info), 0);
	for (size_t i = first; i < last; i++)
		assert_int_equal(output_write(&o, &fixture_results[i]), 0);
	for (size_t i = 0; i < nextra; i++)
		assert_int_equal(output_write(&o, &extra[i]), 0);
	assert_int_equal(output_close(&o, &info), 0);
}

/* Runs --readscan over names with -oL into a file; returns its text. */
static char *run(const char **names, unsigned n, bool merge_anyway, unsigned show, int *rc,
		 struct errmsg *err)
{
	static char paths[4][256];
	const char *files[4];
	char out[300];
	struct output_spec spec = {OUTPUT_LIST, out};
	struct scan_config cfg = {.readscan_files = files,
				  .readscan_count = n,
				  .merge_anyway = merge_anyway,
				  .outputs = &spec,
				  .output_count = 1,
				  .show = show,
				  .has_show = show != 0};
	FILE *warn = fopen("/dev/null", "w");
	char *text = NULL;
	size_t len = 0;
	FILE *fp;
	int c;

	for (unsigned i = 0; i < n; i++) {
		snprintf(paths[i], sizeof(paths[i]), "%s/%s", dir, names[i]);
		files[i] = paths[i];
	}
	snprintf(out, sizeof(out), "%s/out.list", dir);
	*rc = readscan_run(&cfg, warn, err);
	fclose(warn);
	fp = fopen(out, "r");
	if (!fp)
		return NULL;
	FILE *mem = open_memstream(&text, &len);
	while ((c = fgetc(fp)) != EOF)
		fputc(c, mem);
	fclose(mem);
	fclose(fp);
	unlink(out);
	return text;
}

static void test_merge_shards(void **state)
{
	/* Shard 1 repeats result 0 and claims 198.18.0.1:22 went unanswered too. */
	const struct result silent = {FIXTURE_T0 + 3000000000ULL, 0xc6120001, 22, 6, 3, 4, 0, 0};
	const char *names[] = {"a.bin", "b.bin"};
	struct errmsg err;
	int rc;
	char *text;

	(void)state;
	write_part("a.bin", 0, 6, 0, 7, NULL, 0);
	write_part("b.bin", 0, FIXTURE_COUNT, 1, 7, &silent, 1);
	text = run(names, 2, false, 0, &rc, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(fixture_lines(text, "open tcp 22 198.18.0.1 "), 1);
	assert_int_equal(fixture_lines(text, "filtered tcp 22 198.18.0.1 "), 0);
	assert_int_equal(fixture_lines(text, "open "), 2);
	assert_int_equal(fixture_lines(text, "closed "), 3);
	assert_int_equal(fixture_lines(text, "filtered "), 7);
	/* The unanswered come after every reply. */
	assert_true(strstr(text, "filtered tcp 443 198.18.0.3 ") <
		    strstr(text, "filtered tcp 22 198.18.0.0 "));
	free(text);
	text = run(names, 2, false, 1u << 1, &rc, &err);
	assert_int_equal(fixture_lines(text, "open "), 2);
	assert_int_equal(fixture_lines(text, "closed "), 0);
	free(text);
}

/* TCP 22 and UDP 22 of one address are two ports: neither hides the other. */
static void test_protocols_apart(void **state)
{
	const struct result udp[] = {
		{FIXTURE_T0 + 200000000, 0xc6120001, 22, PROTO_UDP, PORT_OPEN, REASON_UDP_RESPONSE,
		 64, 0},
		{FIXTURE_T0 + 2500000000ULL, 0xc6120001, 80, PROTO_UDP, PORT_OPEN_FILTERED,
		 REASON_NO_RESPONSE, 0, 0},
	};
	const char *names[] = {"u.bin"};
	struct errmsg err;
	int rc;
	char *text;

	(void)state;
	write_part("u.bin", 0, FIXTURE_COUNT, 0, 7, udp, 2);
	text = run(names, 1, false, 1u << PORT_CLOSED | 1u << PORT_OPEN | 1u << PORT_OPEN_FILTERED,
		   &rc, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(fixture_lines(text, "open tcp 22 198.18.0.1 "), 1);
	assert_int_equal(fixture_lines(text, "open udp 22 198.18.0.1 "), 1);
	assert_int_equal(fixture_lines(text, "closed tcp 80 198.18.0.1 "), 1);
	assert_int_equal(fixture_lines(text, "open|filtered udp 80 198.18.0.1 "), 1);
	free(text);
}

static void test_refuse_other_scans(void **state)
{
	const char *names[] = {"a.bin", "c.bin"};
	struct errmsg err;
	int rc;
	char *text;

	(void)state;
	write_part("a.bin", 0, 6, 0, 7, NULL, 0);
	write_part("c.bin", 0, 6, 1, 8, NULL, 0);
	text = run(names, 2, false, 0, &rc, &err);
	assert_int_equal(rc, -EINVAL);
	assert_non_null(strstr(err.text, "come from different scans"));
	free(text);
	text = run(names, 2, true, 0, &rc, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(fixture_lines(text, "open "), 2);
	free(text);
}

static void test_damaged(void **state)
{
	const char *names[] = {"a.bin"}, *missing[] = {"none.bin"};
	char path[256];
	struct errmsg err;
	int rc;
	char *text;

	(void)state;
	write_part("a.bin", 0, 6, 0, 7, NULL, 0);
	snprintf(path, sizeof(path), "%s/a.bin", dir);
	/* 3 records and part of a fourth */
	assert_int_equal(truncate(path, (off_t)binformat_header_bytes(&fixture_info) + 20 * 3 + 11),
			 0);
	text = run(names, 1, false, 0, &rc, &err);
	assert_int_equal(rc, 0);
	assert_int_equal(fixture_lines(text, "open ") + fixture_lines(text, "closed "), 3);
	free(text);
	text = run(missing, 1, false, 0, &rc, &err);
	assert_int_equal(rc, -ENOENT);
	assert_non_null(strstr(err.text, "none.bin"));
	free(text);
}

static int setup(void **state)
{
	(void)state;
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	return system(cmd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_merge_shards),
		cmocka_unit_test(test_protocols_apart),
		cmocka_unit_test(test_refuse_other_scans),
		cmocka_unit_test(test_damaged),
	};

	return cmocka_run_group_tests_name("readscan", tests, setup, teardown);
}
