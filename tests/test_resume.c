// SPDX-License-Identifier: MIT
/*
 * Tests for core/resume.c: a saved state reads back (seed, shard, totals,
 * every slice's position, every argument, newlines included); the arguments
 * for the resumed run put the saved ones first, the seed fixed, and the new
 * ones after, dropping --resume and, when new -o options are given, the old
 * ones; resume_apply refuses a scan that differs; bad files name themselves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "resume.h"

static struct scan s;
static struct scan_config cfg;
static char path[] = "/tmp/hayate-test-resume.XXXXXX";

static void build(unsigned slices)
{
	static const char *t[] = {"198.18.0.0/24"};
	struct errmsg err;

	memset(&cfg, 0, sizeof(cfg));
	cfg.target_specs = t;
	cfg.target_count = 1;
	cfg.ports_spec = "22,80";
	cfg.shard_index = 1;
	cfg.shard_count = 3;
	memset(&s, 0, sizeof(s));
	assert_int_equal(scan_build_sets(&s, &cfg, &err), 0);
	assert_int_equal(scan_prepare(&s, 99, &err), 0);
	s.slices = slices;
	for (unsigned i = 0; i < slices; i++)
		atomic_store(&s.tx_next[i], 40 + i);
}

static void test_round_trip(void **state)
{
	char *saved[] = {"hayate", "198.18.0.0/24", "-p",	"22,80",   "--seed",	   "5",
			 "-oX",	   "a.xml",	    "--shard",	"2/3",	   "--tx-threads", "2",
			 "-iL",	   "odd\nname",	    "--resume", "old.conf"};
	char *now[] = {"hayate", "--resume", "p.conf", "--rate", "500"};
	struct resume r;
	struct errmsg err;
	int fd = mkstemp(path);

	(void)state;
	assert_true(fd >= 0);
	close(fd);
	build(2);
	assert_int_equal(resume_save(path, &s, 16, saved, &err), 0);
	assert_int_equal(resume_load(&r, path, 5, now, &err), 0);
	assert_int_equal(r.seed, 99);
	assert_int_equal(r.shard_index, 1);
	assert_int_equal(r.shard_count, 3);
	assert_int_equal(r.total_sends, s.total_sends);
	assert_int_equal(r.slices, 2);
	assert_int_equal(r.next[0], 40);
	assert_int_equal(r.next[1], 41);
	assert_true(r.keeps_outputs);
	/* hayate, 11 saved (no --seed 5, no --resume old.conf), --seed=99, --rate 500 */
	assert_int_equal(r.argc, 15);
	assert_string_equal(r.argv[0], "hayate");
	assert_string_equal(r.argv[1], "198.18.0.0/24");
	assert_string_equal(r.argv[4], "-oX");
	assert_string_equal(r.argv[11], "odd\nname");
	assert_string_equal(r.argv[12], "--seed=99");
	assert_string_equal(r.argv[13], "--rate");
	assert_string_equal(r.argv[14], "500");
	resume_free(&r);
	scan_free(&s);
}

static void test_new_outputs_replace_old(void **state)
{
	char *saved[] = {"hayate", "198.18.0.0/24",	   "-oX", "a.xml", "-p",
			 "22,80",  "--output-json=a.json", "-oA", "base"};
	char *now[] = {"hayate", "--resume=p.conf", "-oB", "b.bin"};
	struct resume r;
	struct errmsg err;

	(void)state;
	build(1);
	assert_int_equal(resume_save(path, &s, 9, saved, &err), 0);
	assert_int_equal(resume_load(&r, path, 4, now, &err), 0);
	assert_false(r.keeps_outputs);
	assert_int_equal(r.argc, 7);
	assert_string_equal(r.argv[1], "198.18.0.0/24");
	assert_string_equal(r.argv[2], "-p");
	assert_string_equal(r.argv[4], "--seed=99");
	assert_string_equal(r.argv[5], "-oB");
	resume_free(&r);
	scan_free(&s);
}

static void test_apply(void **state)
{
	char *saved[] = {"hayate"};
	struct resume r;
	struct errmsg err;

	(void)state;
	build(2);
	assert_int_equal(resume_save(path, &s, 1, saved, &err), 0);
	assert_int_equal(resume_load(&r, path, 1, saved, &err), 0);
	assert_int_equal(resume_apply(&r, &s, 2, &err), 0);
	assert_int_equal(s.tx_first[0], 40);
	assert_int_equal(s.tx_first[1], 41);
	assert_int_equal(resume_apply(&r, &s, 1, &err), -EINVAL);
	assert_non_null(strstr(err.text, "2 transmit threads"));
	r.total_sends++;
	assert_int_equal(resume_apply(&r, &s, 2, &err), -EINVAL);
	assert_non_null(strstr(err.text, "did a target file change"));
	r.total_sends--;
	r.seed++;
	assert_int_equal(resume_apply(&r, &s, 2, &err), -EINVAL);
	resume_free(&r);
	scan_free(&s);
}

static void test_bad_files(void **state)
{
	char *argv[] = {"hayate"};
	struct resume r;
	struct errmsg err;
	FILE *fp;

	(void)state;
	assert_int_equal(resume_load(&r, "/nonexistent/paused.conf", 1, argv, &err), -ENOENT);
	assert_non_null(strstr(err.text, "/nonexistent/paused.conf"));
	resume_free(&r);
	fp = fopen(path, "w");
	fputs("seed = 1\nwhat is this\n", fp);
	fclose(fp);
	assert_int_equal(resume_load(&r, path, 1, argv, &err), -EINVAL);
	assert_non_null(strstr(err.text, ":2: not 'key = value'"));
	resume_free(&r);
	fp = fopen(path, "w");
	fputs("seed = 1\narg = x\n", fp);
	fclose(fp);
	assert_int_equal(resume_load(&r, path, 1, argv, &err), -EINVAL);
	assert_non_null(strstr(err.text, "not a hayate resume file"));
	resume_free(&r);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_new_outputs_replace_old),
		cmocka_unit_test(test_apply),
		cmocka_unit_test(test_bad_files),
	};

	return cmocka_run_group_tests_name("resume", tests, NULL, NULL);
}
