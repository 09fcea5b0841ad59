// SPDX-License-Identifier: MIT
/* The command line as a user types it: good options land in the config, bad ones name themselves.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <string.h>

#include "cli.h"
#include "cli_value.h"
#include "output.h"

/* Parses a NULL-terminated argument list (argv[0] included). */
static int parse(struct scan_config *cfg, struct errmsg *err, ...)
{
	char *argv[64];
	int argc = 0;
	va_list ap;

	va_start(ap, err);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	memset(err, 0, sizeof(*err));
	return cli_parse(argc, argv, cfg, err);
}

static void test_defaults_and_positionals(void **state)
{
	struct scan_config cfg;
	struct errmsg err;

	(void)state;
	assert_int_equal(
		parse(&cfg, &err, "hayate", "198.18.0.0/16", "-p", "22,80", "198.18.5.1", NULL),
		CLI_RUN);
	assert_int_equal(cfg.target_count, 2);
	assert_string_equal(cfg.target_specs[0], "198.18.0.0/16");
	assert_string_equal(cfg.target_specs[1], "198.18.5.1");
	assert_string_equal(cfg.ports_spec, "22,80");
	assert_true(cfg.rate_pps == SCAN_DEFAULT_RATE_PPS);
	assert_true(cfg.wait_s == SCAN_DEFAULT_WAIT_S);
	assert_int_equal(cfg.retries, 0);
	assert_int_equal(cfg.shard_count, 1);
	assert_int_equal(cfg.shard_index, 0);
	assert_int_equal(cfg.show, SHOW_OPEN);
	assert_false(cfg.has_seed);
	cli_free(&cfg);
}

static void test_every_option(void **state)
{
	struct scan_config cfg;
	struct errmsg err;
	const uint8_t mac[6] = {0x02, 0xab, 0xcd, 0xef, 0x01, 0x99};

	(void)state;
	assert_int_equal(parse(&cfg, &err, "hayate", "-iL", "t.txt", "--exclude", "198.18.0.1",
			       "--excludefile", "x.txt", "-p-", "--rate", "250k", "--retries", "2",
			       "--wait", "0.5", "--seed", "42", "--shard", "2/4", "-e", "veth0",
			       "-S", "198.19.0.1", "--source-port", "40000-40100", "--router-mac",
			       "02:ab:cd:ef:01:99", "--show", "open,closed", "-q", "--batch", "32",
			       "--include-reserved", "--send-backend", "txring",
			       "--capture-backend", "ring", NULL),
			 CLI_RUN);
	assert_int_equal(cfg.include_file_count, 1);
	assert_string_equal(cfg.include_files[0], "t.txt");
	assert_int_equal(cfg.exclude_count, 1);
	assert_int_equal(cfg.exclude_file_count, 1);
	assert_string_equal(cfg.ports_spec, "-");
	assert_true(cfg.rate_pps == 250000.0);
	assert_int_equal(cfg.retries, 2);
	assert_true(cfg.wait_s == 0.5);
	assert_true(cfg.has_seed);
	assert_int_equal(cfg.seed, 42);
	assert_int_equal(cfg.shard_index, 1);
	assert_int_equal(cfg.shard_count, 4);
	assert_string_equal(cfg.ifname, "veth0");
	assert_true(cfg.has_src_ip);
	assert_int_equal(cfg.src_ip, 0xc6130001);
	assert_int_equal(cfg.src_port_first, 40000);
	assert_int_equal(cfg.src_port_last, 40100);
	assert_memory_equal(cfg.router_mac, mac, 6);
	assert_int_equal(cfg.show, SHOW_OPEN | SHOW_CLOSED);
	assert_true(cfg.quiet);
	assert_int_equal(cfg.batch, 32);
	assert_true(cfg.include_reserved);
	assert_string_equal(cfg.send_backend, "txring");
	assert_string_equal(cfg.capture_backend, "ring");
	assert_int_equal(cfg.target_count, 0);
	cli_free(&cfg);
}

static void test_help_and_version(void **state)
{
	struct scan_config cfg;
	struct errmsg err;

	(void)state;
	assert_int_equal(parse(&cfg, &err, "hayate", "--help", NULL), CLI_HELP);
	cli_free(&cfg);
	assert_int_equal(parse(&cfg, &err, "hayate", "-V", NULL), CLI_VERSION);
	cli_free(&cfg);
}

/* Each bad command line fails with -EINVAL and a message containing the given words. */
static void expect_bad(const char *needle, ...)
{
	char *argv[16] = {"hayate"};
	struct scan_config cfg;
	struct errmsg err = {{0}};
	int argc = 1;
	va_list ap;

	va_start(ap, needle);
	while ((argv[argc] = va_arg(ap, char *)) != NULL)
		argc++;
	va_end(ap);
	assert_int_equal(cli_parse(argc, argv, &cfg, &err), -EINVAL);
	if (!strstr(err.text, needle))
		fail_msg("expected '%s' in error, got '%s'", needle, err.text);
	assert_null(strchr(err.text, '\n'));
	cli_free(&cfg);
}

static void test_bad_options(void **state)
{
	(void)state;
	expect_bad("unknown option '--bogus'", "--bogus", NULL);
	expect_bad("unknown option '-Z'", "-Z", NULL);
	expect_bad("'--rate' needs a value", "--rate", NULL);
	expect_bad("--rate: 'fast' is not a number", "--rate", "fast", NULL);
	expect_bad("--rate: unknown suffix 'x'", "--rate", "10x", NULL);
	expect_bad("--rate: 0 is outside", "--rate", "0", NULL);
	expect_bad("--retries: 1000 is outside 0-100", "--retries", "1000", NULL);
	expect_bad("--retries: '-1' is not a whole number", "--retries", "-1", NULL);
	expect_bad("--wait: 'soon' is not a number of seconds", "--wait", "soon", NULL);
	expect_bad("--shard: '3' is not of the form I/N", "--shard", "3", NULL);
	expect_bad("--shard: shard 5 of 4 does not exist", "--shard", "5/4", NULL);
	expect_bad("--shard: '0/4' is not of the form I/N", "--shard", "0/4", NULL);
	expect_bad("--source-ip: '198.19.0.300' is not an IPv4 address", "-S", "198.19.0.300",
		   NULL);
	expect_bad("--source-port: range '500-400' is reversed", "--source-port", "500-400", NULL);
	expect_bad("--source-port: 70000 is outside 1-65535", "--source-port", "70000", NULL);
	expect_bad("--router-mac: 'zz:00:00:00:00:00' is not a MAC", "--router-mac",
		   "zz:00:00:00:00:00", NULL);
	expect_bad("--show: unknown state 'opne'", "--show", "opne", NULL);
	expect_bad("--send-backend: no send backend called 'carrier-pigeon'", "--send-backend",
		   "carrier-pigeon", NULL);
	expect_bad("--capture-backend: no capture backend called 'mem'", "--capture-backend", "mem",
		   NULL);
	expect_bad("--batch: 0 is outside 1-256", "--batch", "0", NULL);
}

static void test_values(void **state)
{
	struct errmsg err;
	double rate;
	unsigned mask;

	(void)state;
	assert_int_equal(cli_value_rate("--rate", "1.5M", &rate, &err), 0);
	assert_true(rate == 1.5e6);
	assert_int_equal(cli_value_rate("--rate", "100", &rate, &err), 0);
	assert_true(rate == 100);
	assert_int_equal(cli_value_states("--show", "all", &mask, &err), 0);
	assert_int_equal(mask,
			 SHOW_OPEN | SHOW_CLOSED | SHOW_FILTERED | SHOW_OPEN_FILTERED | SHOW_UP);
	assert_int_equal(cli_value_states("--show", "", &mask, &err), -EINVAL);
	assert_int_equal(cli_value_states("--show", "open,", &mask, &err), 0);
	assert_int_equal(mask, SHOW_OPEN);
}

/* nmap's -oX style options, -oA's six files, and --readscan taking the positionals as files. */
static void test_outputs(void **state)
{
	struct scan_config cfg;
	struct errmsg err;

	(void)state;
	assert_int_equal(parse(&cfg, &err, "hayate", "198.18.0.1", "-p", "80", "-oX", "-", "-oB",
			       "a.bin", "--output-json", "a.json", "-oA", "base", NULL),
			 CLI_RUN);
	assert_int_equal(cfg.output_count, 9);
	assert_int_equal(cfg.outputs[0].format, OUTPUT_XML);
	assert_string_equal(cfg.outputs[0].path, "-");
	assert_int_equal(cfg.outputs[1].format, OUTPUT_BINARY);
	assert_int_equal(cfg.outputs[2].format, OUTPUT_JSON);
	assert_string_equal(cfg.outputs[3].path, "base.nmap");
	assert_string_equal(cfg.outputs[4].path, "base.xml");
	assert_string_equal(cfg.outputs[5].path, "base.gnmap");
	assert_string_equal(cfg.outputs[6].path, "base.bin");
	assert_string_equal(cfg.outputs[7].path, "base.json");
	assert_int_equal(cfg.outputs[8].format, OUTPUT_LIST);
	assert_string_equal(cfg.outputs[8].path, "base.list");
	assert_string_equal(cfg.pause_file, SCAN_DEFAULT_PAUSE_FILE);
	cli_free(&cfg);
	assert_int_equal(parse(&cfg, &err, "hayate", "--readscan", "1.bin", "2.bin", "-oL", "-",
			       "3.bin", "--merge-anyway", NULL),
			 CLI_RUN);
	assert_int_equal(cfg.readscan_count, 3);
	assert_string_equal(cfg.readscan_files[2], "3.bin");
	assert_int_equal(cfg.target_count, 0);
	assert_true(cfg.merge_anyway);
	cli_free(&cfg);
	assert_int_equal(
		parse(&cfg, &err, "hayate", "--resume", "p.conf", "--pause-file", "q.conf", NULL),
		CLI_RUN);
	assert_string_equal(cfg.resume_file, "p.conf");
	assert_string_equal(cfg.pause_file, "q.conf");
	cli_free(&cfg);
	assert_int_equal(parse(&cfg, &err, "hayate", "198.18.0.1", "-oX", NULL), -EINVAL);
	assert_non_null(strstr(err.text, "needs a value"));
	cli_free(&cfg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults_and_positionals),
		cmocka_unit_test(test_every_option),
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test(test_bad_options),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_outputs),
	};

	return cmocka_run_group_tests_name("cli", tests, NULL, NULL);
}
