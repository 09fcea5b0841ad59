// SPDX-License-Identifier: MIT
/*
 * Tests for core/output.c: an output set gives each member the results its
 * --show mask selects and the rest to its hidden hook, opens and closes them
 * all, and keeps going past a failing member, which stops writing and is
 * named with its error; -oA's names; "-" is stdout.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>

#include "output_fixture.h"

struct counts {
	unsigned open, write, hidden, flush, close;
};

static int count_open(struct output *o, const struct output_info *info)
{
	(void)info;
	((struct counts *)o->priv)->open++;
	return 0;
}

static int count_write(struct output *o, const struct result *r)
{
	(void)r;
	((struct counts *)o->priv)->write++;
	return 0;
}

static int count_hidden(struct output *o, const struct result *r)
{
	(void)r;
	((struct counts *)o->priv)->hidden++;
	return 0;
}

static int count_flush(struct output *o)
{
	((struct counts *)o->priv)->flush++;
	return 0;
}

static int count_close(struct output *o, const struct output_info *info)
{
	(void)info;
	((struct counts *)o->priv)->close++;
	return 0;
}

static int fail_write(struct output *o, const struct result *r)
{
	(void)r;
	((struct counts *)o->priv)->write++;
	return -ENOSPC;
}

static const struct output_ops count_ops = {"count",	  count_open,  count_write,
					    count_hidden, count_flush, count_close};
static const struct output_ops fail_ops = {"fail", NULL, fail_write, NULL, count_flush, NULL};

static void test_fan_out(void **state)
{
	struct counts c[3] = {{0}};
	struct output_set set = {.count = 3};
	struct output front;
	struct errmsg err;

	(void)state;
	set.outs[0] =
		(struct output){.ops = &fail_ops, .fp = stdout, .path = "a.json", .priv = &c[0]};
	set.outs[1] =
		(struct output){.ops = &count_ops, .fp = stdout, .show = 1u << 1, .priv = &c[1]};
	set.outs[2] = (struct output){.ops = &count_ops, .fp = stdout, .priv = &c[2]};
	output_set_bind(&front, &set);
	assert_int_equal(output_open(&front, &fixture_info), 0);
	for (size_t i = 0; i < FIXTURE_COUNT; i++)
		assert_int_equal(output_write(&front, &fixture_results[i]), -ENOSPC);
	/* The failed member writes nothing more, and says so at every turn. */
	assert_int_equal(c[0].write, 1);
	assert_int_equal(front.ops->flush(&front), -ENOSPC);
	assert_int_equal(c[0].flush, 0);
	assert_int_equal(output_close(&front, &fixture_info), -ENOSPC);
	assert_int_equal(output_failure(&front, 0, &err), -ENOSPC);
	assert_string_equal(err.text, "a.json: No space left on device");
	assert_int_equal(output_failure(&front, 1, &err), 0);
	assert_int_equal(c[1].open, 1);
	assert_int_equal(c[1].write, 2); /* the two open ports */
	assert_int_equal(c[1].hidden, FIXTURE_COUNT - 2);
	assert_int_equal(c[2].write, FIXTURE_COUNT); /* show 0: everything */
	assert_int_equal(c[2].hidden, 0);
	assert_int_equal(c[1].close, 1);
	assert_int_equal(c[2].flush, 2); /* the explicit flush, and the one at close */
}

/* Every member that failed is named, in order; those that did not are not. */
static void test_failures_named(void **state)
{
	struct counts c[3] = {{0}};
	struct output_set set = {.count = 3};
	struct output front;
	struct errmsg err;

	(void)state;
	set.outs[0] =
		(struct output){.ops = &fail_ops, .fp = stdout, .path = "a.bin", .priv = &c[0]};
	set.outs[1] =
		(struct output){.ops = &count_ops, .fp = stdout, .path = "a.xml", .priv = &c[1]};
	set.outs[2] =
		(struct output){.ops = &fail_ops, .fp = stdout, .path = "stdout", .priv = &c[2]};
	output_set_bind(&front, &set);
	assert_int_equal(output_failure(&front, 0, &err), 0);
	assert_int_equal(output_write(&front, &fixture_results[0]), -ENOSPC);
	set.outs[2].error = -EPIPE;
	assert_int_equal(output_failure(&front, 0, &err), -ENOSPC);
	assert_string_equal(err.text, "a.bin: No space left on device");
	assert_int_equal(output_failure(&front, 1, &err), -EPIPE);
	assert_string_equal(err.text, "stdout: Broken pipe");
	assert_int_equal(output_failure(&front, 2, &err), 0);
	assert_int_equal(output_failure(&set.outs[1], 0, &err), 0);
	assert_int_equal(output_failure(&set.outs[0], 0, &err), -ENOSPC);
}

static void test_formats(void **state)
{
	struct output o;
	struct errmsg err;

	(void)state;
	assert_string_equal(output_format_ext(OUTPUT_XML), "xml");
	assert_string_equal(output_format_ext(OUTPUT_GREPABLE), "gnmap");
	assert_ptr_equal(output_format_ops(OUTPUT_BINARY), &output_binary_ops);
	assert_int_equal(output_open_file(&o, OUTPUT_JSON, "-", 2, false, &err), 0);
	assert_ptr_equal(o.fp, stdout);
	assert_string_equal(o.path, "stdout");
	assert_false(o.owns_fp);
	assert_int_equal(output_open_file(&o, OUTPUT_JSON, "/nonexistent/x.json", 2, false, &err),
			 -ENOENT);
	assert_non_null(strstr(err.text, "cannot write /nonexistent/x.json"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fan_out),
		cmocka_unit_test(test_failures_named),
		cmocka_unit_test(test_formats),
	};

	return cmocka_run_group_tests_name("output_set", tests, NULL, NULL);
}
