// SPDX-License-Identifier: MIT
/*
 * The reports written at the end (-oN, -oX, -oG) when the file cannot grow
 * (RLIMIT_FSIZE stands in for a full disk): at every limit the file is the
 * whole report's start up to a host boundary, then closing lines that say the
 * report was cut short (for XML, a finished element with exit="error" that
 * closes the document), with as few hosts dropped for them as the limit
 * asks; the error is the kernel's (EFBIG here, ENOSPC on a full disk).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "output_fixture.h"

#define HOSTS 60

/* The whole file at path, NUL-terminated; *len its length. */
static char *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(fp);
	assert_int_equal(fseek(fp, 0, SEEK_END), 0);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	buf[n] = '\0';
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

/*
 * A report of HOSTS hosts (22 open, 80 closed, every third 443 filtered) as
 * format f into path, which may grow to at most limit bytes. Returns the
 * first error met.
 */
static int write_limited(enum output_format f, const char *path, rlim_t limit)
{
	struct rlimit old, lim;
	struct output o;
	struct errmsg err;
	int first, rc;

	setenv("TZ", "UTC", 1);
	assert_int_equal(getrlimit(RLIMIT_FSIZE, &old), 0);
	assert_int_equal(output_open_file(&o, f, path, 0, false, &err), 0);
	lim = (struct rlimit){limit, old.rlim_max};
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &lim), 0);
	first = output_open(&o, &fixture_info);
	for (uint32_t h = 0; h < HOSTS; h++) {
		struct result r = {FIXTURE_T0 + h, 0xc6120001u + h, 22, 6, 1, 1, 64, 65535};

		rc = output_write(&o, &r);
		first = first ? first : rc;
		r.port = 80, r.state = 2, r.reason = 2;
		rc = output_write(&o, &r);
		first = first ? first : rc;
		if (h % 3 == 0) {
			r.port = 443, r.state = 3, r.reason = 4, r.ttl = 0;
			rc = output_write(&o, &r);
			first = first ? first : rc;
		}
	}
	rc = output_close(&o, &fixture_info);
	first = first ? first : rc;
	assert_int_equal(setrlimit(RLIMIT_FSIZE, &old), 0);
	return first;
}

/* What a format's report looks like, to find where it may be cut. */
struct shape {
	enum output_format format;
	const char *host_mark; /* on the first line of each host */
	const char *end_mark;  /* starts the closing lines */
	const char *cut_mark;  /* starts them in a report cut short */
	const char *cut_says;  /* and they say */
	const char *cut_ends;  /* and end with */
};

/*
 * At every limit below the whole report's size: nothing if the opening
 * lines do not fit; else the report up to the last host boundary after which
 * the closing lines of a cut report fit, and those lines (or, if they fit
 * nowhere, the opening lines alone).
 */
static void check_cut(const struct shape *s)
{
	char path[] = "/tmp/hayate-test-grouped.XXXXXX";
	int fd = mkstemp(path);
	size_t full_len, bounds[HOSTS + 1], nb = 0, cut_len, len;
	char *full, *cut, *text, *p;

	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(write_limited(s->format, path, RLIM_INFINITY), 0);
	full = slurp(path, &full_len);
	/* Where the file may end whole: before each host, and before the closing lines. */
	for (p = strstr(full, s->host_mark); p; p = strstr(p + 1, s->host_mark)) {
		char *line = p;

		while (line > full && line[-1] != '\n')
			line--;
		bounds[nb++] = (size_t)(line - full);
	}
	assert_int_equal(nb, HOSTS);
	assert_non_null(strstr(full, s->end_mark));
	bounds[nb++] = (size_t)(strstr(full, s->end_mark) - full);
	/* The closing lines of a cut report, from one where every host fit but they did not. */
	assert_int_equal(write_limited(s->format, path, bounds[HOSTS]), -EFBIG);
	cut = slurp(path, &len);
	p = strstr(cut, s->cut_mark);
	assert_non_null(p);
	cut_len = len - (size_t)(p - cut);
	assert_non_null(strstr(p, s->cut_says));
	assert_true(cut_len >= strlen(s->cut_ends));
	assert_string_equal(p + cut_len - strlen(s->cut_ends), s->cut_ends);
	memmove(cut, p, cut_len + 1);
	for (rlim_t limit = 0; limit < full_len; limit += limit < 400 ? 1 : 29) {
		size_t keep = bounds[0], with_end = 0;

		assert_int_equal(write_limited(s->format, path, limit), -EFBIG);
		text = slurp(path, &len);
		for (size_t i = 0; i < nb; i++)
			if (bounds[i] + cut_len <= limit)
				keep = bounds[i], with_end = 1;
		if (limit < bounds[0]) /* not even the opening lines */
			keep = 0;
		if (len != keep + (with_end ? cut_len : 0) || memcmp(text, full, keep) ||
		    (with_end && memcmp(text + keep, cut, cut_len)))
			fail_msg("limit %lu: %zu bytes, want the report's first %zu%s",
				 (unsigned long)limit, len, keep,
				 with_end ? " and the cut end" : "");
		free(text);
	}
	free(cut);
	free(full);
	unlink(path);
}

static void test_normal_cut_at_hosts(void **state)
{
	(void)state;
	static const struct shape normal = {
		OUTPUT_NORMAL,
		"hayate scan report for ",
		"# hayate done at ",
		"# hayate report cut short at ",
		"(File too large) -- 4 IP addresses (60 hosts up)",
		" seconds\n",
	};

	check_cut(&normal);
}

static void test_grepable_cut_at_hosts(void **state)
{
	(void)state;
	static const struct shape grepable = {
		OUTPUT_GREPABLE,
		"\tStatus: Up",
		"# hayate done at ",
		"# hayate report cut short at ",
		"(File too large) -- 4 IP addresses (60 hosts up)",
		" seconds\n",
	};

	check_cut(&grepable);
}

static void test_xml_cut_at_hosts(void **state)
{
	(void)state;
	static const struct shape xml = {
		OUTPUT_XML,
		"<host ",
		"<runstats>",
		"<runstats><finished ",
		"exit=\"error\" errormsg=\"report cut short: File too large\"",
		"</runstats>\n</nmaprun>\n",
	};

	check_cut(&xml);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_normal_cut_at_hosts),
		cmocka_unit_test(test_grepable_cut_at_hosts),
		cmocka_unit_test(test_xml_cut_at_hosts),
	};

	return cmocka_run_group_tests_name("output_grouped_cut", tests, fixture_ignore_sigxfsz,
					   NULL);
}
