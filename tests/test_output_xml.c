// SPDX-License-Identifier: MIT
/*
 * Tests for core/output_xml.c: the elements nmap's tools look for, escaping
 * (args with "--", quotes and ampersands), one scaninfo per protocol, and,
 * when xmllint and nmap.dtd are installed, validity against nmap's DTD for
 * every --show mask and every mix of protocols.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <unistd.h>

#include "output_fixture.h"

#define DTD "/usr/share/nmap/nmap.dtd"

static void test_elements(void **state)
{
	char *text = fixture_run(&output_xml_ops, 1u << 1, NULL);

	(void)state;
	assert_non_null(strstr(text, "<nmaprun scanner=\"nmap\" args=\"hayate 198.18.0.0/30 -p "
				     "22,80,443 -&#45;rate 1000\" start=\"1700000000\""));
	assert_non_null(strstr(text, "<scaninfo type=\"syn\" protocol=\"tcp\" numservices=\"3\" "
				     "services=\"22,80,443\"/>"));
	assert_non_null(strstr(text, "<port protocol=\"tcp\" portid=\"22\"><state state=\"open\" "
				     "reason=\"syn-ack\" reason_ttl=\"64\"/><service name=\"ssh\" "
				     "method=\"table\" conf=\"3\"/></port>"));
	assert_non_null(strstr(text, "<extraports state=\"closed\" count=\"2\">\n<extrareasons "
				     "reason=\"reset\" count=\"2\" proto=\"tcp\"/>"));
	assert_non_null(strstr(text, "<hosts up=\"3\" down=\"1\" total=\"4\"/>"));
	assert_string_equal(text + strlen(text) - 11, "</nmaprun>\n");
	free(text);
}

static void test_escaping(void **state)
{
	struct output_info info = fixture_info;
	char *text = NULL;
	size_t n = 0;
	FILE *fp = open_memstream(&text, &n);
	struct output o = {.ops = &output_xml_ops, .fp = fp};

	(void)state;
	info.args = "hayate -iL \"a&b<c>\" --x";
	assert_int_equal(output_open(&o, &info), 0);
	assert_int_equal(output_close(&o, &info), 0);
	fclose(fp);
	assert_non_null(strstr(text, "args=\"hayate -iL &quot;a&amp;b&lt;c&gt;&quot; -&#45;x\""));
	assert_null(strstr(text, "--x"));
	free(text);
}

static bool have_dtd(void)
{
	return !access(DTD, R_OK) && !system("xmllint --version >/dev/null 2>&1");
}

static void assert_dtd_valid(const char *text, size_t n)
{
	char path[] = "/tmp/hayate-test-xml.XXXXXX", cmd[256];
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, n), (ssize_t)n);
	close(fd);
	snprintf(cmd, sizeof(cmd), "xmllint --noout --dtdvalid " DTD " %s", path);
	assert_int_equal(system(cmd), 0);
	unlink(path);
}

static void test_dtd_valid(void **state)
{
	unsigned masks[] = {0, 1u << 1, 0x6, 1u << 3};

	(void)state;
	if (!have_dtd())
		skip();
	for (unsigned i = 0; i < sizeof(masks) / sizeof(masks[0]); i++) {
		size_t n;
		char *text = fixture_run(&output_xml_ops, masks[i], &n);

		assert_dtd_valid(text, n);
		free(text);
	}
}

/* Runs the fixture described by info; checks the scaninfo elements are exactly want. */
static void check_scaninfo(const struct output_info *info, const char *want)
{
	size_t n;
	char *text = fixture_run_info(&output_xml_ops, info, 0, &n);
	char *first = strstr(text, "<scaninfo "), *verbose = strstr(text, "<verbose ");

	assert_non_null(verbose);
	if (!first)
		first = verbose;
	*verbose = 0;
	assert_string_equal(first, want);
	*verbose = '<';
	if (have_dtd())
		assert_dtd_valid(text, n);
	free(text);
}

/* One scaninfo per protocol scanned, as nmap writes them. */
static void test_scaninfo(void **state)
{
	struct output_info info = fixture_info;

	(void)state;
	info.udp_ports = "53,161";
	info.udp_ports_total = 2;
	check_scaninfo(&info, "<scaninfo type=\"syn\" protocol=\"tcp\" numservices=\"3\" "
			      "services=\"22,80,443\"/>\n"
			      "<scaninfo type=\"udp\" protocol=\"udp\" numservices=\"2\" "
			      "services=\"53,161\"/>\n");
	info.ports = "";
	info.ports_total = 0; /* -sU */
	check_scaninfo(&info, "<scaninfo type=\"udp\" protocol=\"udp\" numservices=\"2\" "
			      "services=\"53,161\"/>\n");
	info = fixture_info;
	info.connect_scan = true; /* -sT */
	check_scaninfo(&info, "<scaninfo type=\"connect\" protocol=\"tcp\" numservices=\"3\" "
			      "services=\"22,80,443\"/>\n");
	info.ports = "";
	info.ports_total = 0; /* -sn: no ports, so no scaninfo */
	check_scaninfo(&info, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_elements),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_dtd_valid),
		cmocka_unit_test(test_scaninfo),
	};

	return cmocka_run_group_tests_name("output_xml", tests, NULL, NULL);
}
