// SPDX-License-Identifier: MIT
/*
 * Tests for hayate-detect's edges: fingerprints on real SYNs captured from
 * each tool (tests/fixtures/detect/, made by capture.sh there) and on cut-off
 * frames; the JSON and text alert lines; the command line; and the reader on
 * pcap and pcapng files written here, including truncated, garbage and
 * unsupported ones, which must fail with one clear message.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <unistd.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include "../tools/detect/fingerprint.h"
#include "../tools/detect/options.h"
#include "../tools/detect/reader.h"
#include "../tools/detect/report.h"
#include "../tools/detect/tracker.h"
#include "detect_fixture.h"
#include "packet.h"

#define FIXTURES "tests/fixtures/detect/"
#define SCANNER	 0xc6130001u /* 198.19.0.1 */
#define TARGET	 0xc6120001u /* 198.18.0.1 */

/* --- fingerprints --------------------------------------------------------------- */

/* Reads every SYN of a fixture and returns how many carry want (and how many SYNs there were). */
static unsigned fixture_hints(const char *name, enum tool_hint want, unsigned *syns)
{
	char errbuf[PCAP_ERRBUF_SIZE], path[256];
	struct pcap_pkthdr *h;
	const u_char *data;
	unsigned match = 0;
	pcap_t *p;

	snprintf(path, sizeof(path), FIXTURES "%s.pcap", name);
	p = pcap_open_offline(path, errbuf);
	if (!p)
		fail_msg("%s (run the tests from the repository root)", errbuf);
	assert_int_equal(pcap_datalink(p), DLT_EN10MB);
	*syns = 0;
	while (pcap_next_ex(p, &h, &data) == 1) {
		struct frame_info fi;

		assert_int_equal(parse_frame(LINK_ETHERNET, data, h->caplen, &fi), 0);
		assert_int_equal(fi.tcp_flags, TCP_FLAG_SYN);
		(*syns)++;
		match += fingerprint_syn(&fi) == want;
	}
	pcap_close(p);
	return match;
}

static void test_fingerprints_of_real_captures(void **state)
{
	(void)state;
	static const struct {
		const char *name;
		enum tool_hint hint;
	} cases[] = {
		{"masscan", TOOL_MASSCAN}, {"zmap", TOOL_ZMAP},	 {"nmap", TOOL_NMAP},
		{"hayate", TOOL_HAYATE},   {"linux", TOOL_NONE},
	};

	for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		unsigned syns, match = fixture_hints(cases[i].name, cases[i].hint, &syns);

		assert_int_equal(syns, 8);
		if (match != syns)
			fail_msg("%s: %u of %u SYNs look like %s", cases[i].name, match, syns,
				 fingerprint_name(cases[i].hint) ? fingerprint_name(cases[i].hint)
								 : "nothing");
	}
	assert_string_equal(fingerprint_name(TOOL_MASSCAN), "masscan");
	assert_null(fingerprint_name(TOOL_NONE));
	assert_null(fingerprint_name(TOOL_HINTS));
}

/* An Ethernet SYN with the given IP ID, DF, window and options (NOPs padding to 4 bytes). */
static uint32_t build_syn(uint8_t *f, uint16_t ip_id, bool df, uint16_t window, const uint8_t *opt,
			  uint32_t opt_len, uint32_t seq, uint16_t dport)
{
	uint32_t tcp_len = TCP_HDR_MIN + ((opt_len + 3) & ~3u);
	uint8_t *ip = f + ETH_HDR_BYTES, *tcp = ip + IPV4_HDR_MIN;

	memset(f, 0, ETH_HDR_BYTES + IPV4_HDR_MIN + tcp_len);
	be16_write(f + 12, ETH_TYPE_IPV4);
	ip[0] = 0x45;
	be16_write(ip + 2, (uint16_t)(IPV4_HDR_MIN + tcp_len));
	be16_write(ip + 4, ip_id);
	ip[6] = df ? 0x40 : 0;
	ip[8] = 64;
	ip[9] = IPPROTO_TCP_NUM;
	be32_write(ip + 12, SCANNER);
	be32_write(ip + 16, TARGET);
	be16_write(tcp, 61000);
	be16_write(tcp + 2, dport);
	be32_write(tcp + 4, seq);
	tcp[12] = (uint8_t)(tcp_len / 4) << 4;
	tcp[13] = TCP_FLAG_SYN;
	be16_write(tcp + 14, window);
	memset(tcp + TCP_HDR_MIN, 1, tcp_len - TCP_HDR_MIN);
	if (opt_len) /* memcpy() from NULL is undefined even for 0 bytes (UBSan) */
		memcpy(tcp + TCP_HDR_MIN, opt, opt_len);
	return ETH_HDR_BYTES + IPV4_HDR_MIN + tcp_len;
}

/* Fingerprints frame cut to len bytes, in a buffer of exactly that size (for ASan). */
static enum tool_hint hint_of(const uint8_t *frame, uint32_t len)
{
	struct frame_info fi;
	enum tool_hint hint = TOOL_NONE;
	uint8_t *copy = malloc(len ? len : 1);

	memcpy(copy, frame, len);
	if (parse_frame(LINK_ETHERNET, copy, len, &fi) == 0)
		hint = fingerprint_syn(&fi);
	free(copy);
	return hint;
}

static void test_fingerprint_rules(void **state)
{
	(void)state;
	static const uint8_t mss1460[] = {2, 4, 0x05, 0xb4};
	static const uint8_t linux_opts[] = {2, 4, 5, 0xb4, 4, 2, 8, 10, 1, 2,
					     3, 4, 0, 0,    0, 0, 1, 3,	 3, 7};
	uint8_t f[128];
	uint32_t seq = 0x12345678, len;
	uint16_t masscan_id = (uint16_t)(TARGET ^ 443 ^ seq);

	len = build_syn(f, masscan_id, false, 1024, NULL, 0, seq, 443);
	assert_int_equal(hint_of(f, len), TOOL_MASSCAN);
	/* One bit off in the IP ID, or an option added, and it is not masscan. */
	len = build_syn(f, masscan_id ^ 1, false, 1024, NULL, 0, seq, 443);
	assert_int_equal(hint_of(f, len), TOOL_NONE);
	len = build_syn(f, masscan_id, false, 1024, mss1460, 4, seq, 443);
	assert_int_equal(hint_of(f, len), TOOL_NMAP);
	len = build_syn(f, 54321, false, 65535, NULL, 0, seq, 80);
	assert_int_equal(hint_of(f, len), TOOL_ZMAP);
	len = build_syn(f, 54320, false, 65535, NULL, 0, seq, 80);
	assert_int_equal(hint_of(f, len), TOOL_NONE);
	for (uint16_t w = 1024; w <= 4096; w += 1024) {
		len = build_syn(f, 777, false, w, mss1460, 4, seq, 22);
		assert_int_equal(hint_of(f, len), TOOL_NMAP);
	}
	len = build_syn(f, 777, true, 1024, mss1460, 4, seq, 22); /* DF: not nmap */
	assert_int_equal(hint_of(f, len), TOOL_NONE);
	len = build_syn(f, 777, true, 64240, mss1460, 4, seq, 22);
	assert_int_equal(hint_of(f, len), TOOL_HAYATE);
	/* Linux connect(): the same window, but five options. */
	len = build_syn(f, 777, true, 64240, linux_opts, sizeof(linux_opts), seq, 22);
	assert_int_equal(hint_of(f, len), TOOL_NONE);
	/* Every truncation parses or not, and never reads past the end. */
	len = build_syn(f, 777, true, 64240, linux_opts, sizeof(linux_opts), seq, 22);
	for (uint32_t cut = 0; cut < len; cut++)
		assert_int_equal(hint_of(f, cut), TOOL_NONE);
}

static void test_fingerprint_other_links(void **state)
{
	(void)state;
	static const uint8_t mss1460[] = {2, 4, 0x05, 0xb4};
	uint8_t eth[128], f[160];
	uint32_t len = build_syn(eth, 777, true, 64240, mss1460, 4, 1, 22);
	struct frame_info fi;

	/* Raw IP: the same frame without its Ethernet header. */
	assert_int_equal(parse_frame(LINK_RAW, eth + ETH_HDR_BYTES, len - ETH_HDR_BYTES, &fi), 0);
	assert_int_equal(fingerprint_syn(&fi), TOOL_HAYATE);
	/* Two VLAN tags. */
	memcpy(f, eth, 12);
	be16_write(f + 12, ETH_TYPE_QINQ);
	be16_write(f + 16, ETH_TYPE_VLAN);
	be16_write(f + 20, ETH_TYPE_IPV4);
	memcpy(f + 22, eth + ETH_HDR_BYTES, len - ETH_HDR_BYTES);
	assert_int_equal(parse_frame(LINK_ETHERNET, f, len + 8, &fi), 0);
	assert_int_equal(fingerprint_syn(&fi), TOOL_HAYATE);
	/* Linux cooked. */
	memset(f, 0, 16);
	be16_write(f + 14, ETH_TYPE_IPV4);
	memcpy(f + 16, eth + ETH_HDR_BYTES, len - ETH_HDR_BYTES);
	assert_int_equal(parse_frame(LINK_LINUX_SLL, f, len + 2, &fi), 0);
	assert_int_equal(fingerprint_syn(&fi), TOOL_HAYATE);
}

/* --- report --------------------------------------------------------------------- */

static void test_report_lines(void **state)
{
	(void)state;
	struct alert a = {
		.kind = ALERT_PORT_SCAN,
		.src = SCANNER,
		.host = TARGET,
		.count = 15,
		.first_ns = 1700000000123456789ull,
		.last_ns = 1700000002000000000ull,
		.probes = 20,
		.failed = 18,
		.hint = TOOL_NMAP,
	};
	char buf[REPORT_LINE_MAX];

	report_json(&a, buf, sizeof(buf));
	assert_string_equal(
		buf, "{\"src\":\"198.19.0.1\",\"kind\":\"port_scan\",\"host\":\"198.18.0.1\","
		     "\"ports\":15,\"probes\":20,\"failed\":18,"
		     "\"first\":1700000000.123456789,\"last\":1700000002.000000000,"
		     "\"tool\":\"nmap\"}\n");
	report_text(&a, buf, sizeof(buf));
	assert_string_equal(buf, "ALERT port_scan from 198.19.0.1: 15 ports of 198.18.0.1 failed; "
				 "20 probes in 1.877 s, looks like nmap\n");
	a.kind = ALERT_ADDRESS_SWEEP;
	a.port = 443;
	a.count = 25;
	a.hint = TOOL_NONE;
	report_json(&a, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"kind\":\"address_sweep\",\"port\":443,\"hosts\":25,"));
	assert_non_null(strstr(buf, "\"tool\":null}\n"));
	report_text(&a, buf, sizeof(buf));
	assert_non_null(strstr(buf, "port 443 failed on 25 hosts; 20 probes in 1.877 s\n"));
	a.kind = ALERT_TRW;
	a.trw_failures = 4;
	a.trw_successes = 1;
	report_json(&a, buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"kind\":\"trw\",\"failures\":4,\"successes\":1,"));
	/* The longest possible line fits. */
	a = (struct alert){.kind = ALERT_TRW,
			   .src = UINT32_MAX,
			   .trw_failures = UINT32_MAX,
			   .trw_successes = UINT32_MAX,
			   .first_ns = UINT64_MAX,
			   .last_ns = UINT64_MAX,
			   .probes = UINT64_MAX,
			   .failed = UINT64_MAX,
			   .hint = TOOL_MASSCAN};
	assert_true(report_json(&a, buf, sizeof(buf)) < REPORT_LINE_MAX);
	assert_true(report_text(&a, buf, sizeof(buf)) < REPORT_LINE_MAX);
}

/* --- options -------------------------------------------------------------------- */

static int parse(struct detect_options *o, struct errmsg *err, ...)
{
	char *argv[32] = {"hayate-detect"};
	int argc = 1;
	va_list ap;

	va_start(ap, err);
	for (char *a; (a = va_arg(ap, char *));)
		argv[argc++] = a;
	va_end(ap);
	return options_parse(argc, argv, o, err);
}

static void test_options(void **state)
{
	(void)state;
	struct detect_options o;
	struct errmsg err;

	assert_int_equal(parse(&o, &err, "-r", "x.pcap", NULL), OPTIONS_RUN);
	assert_string_equal(o.read_path, "x.pcap");
	assert_int_equal(o.cfg.port_threshold, 15);
	assert_int_equal(o.cfg.host_threshold, 25);
	assert_int_equal(o.cfg.window_ns, 300000000000ull);
	assert_true(o.cfg.trw_enabled);
	assert_int_equal(parse(&o, &err, "-i", "eth0", "--window", "0.5", "--port-threshold", "4",
			       "--host-threshold", "7", "--timeout", "2", "--no-trw", "-q",
			       "--trw-alpha", "0.001", "--max-sources", "1000", "-o", "a.json",
			       NULL),
			 OPTIONS_RUN);
	assert_int_equal(o.cfg.window_ns, 500000000ull);
	assert_int_equal(o.cfg.port_threshold, 4);
	assert_int_equal(o.cfg.host_threshold, 7);
	assert_int_equal(o.cfg.timeout_ns, 2000000000ull);
	assert_false(o.cfg.trw_enabled);
	assert_true(o.quiet);
	assert_true(o.cfg.trw_alpha == 0.001);
	assert_int_equal(o.cfg.max_sources, 1000);
	assert_string_equal(o.out_path, "a.json");
	assert_int_equal(parse(&o, &err, "-h", NULL), OPTIONS_HELP);

	assert_int_equal(parse(&o, &err, NULL), -EINVAL);
	assert_non_null(strstr(err.text, "-r FILE or -i IFACE"));
	assert_int_equal(parse(&o, &err, "-r", "a", "-i", "b", NULL), -EINVAL);
	assert_int_equal(parse(&o, &err, "-r", "a", "--window", "soon", NULL), -EINVAL);
	assert_non_null(strstr(err.text, "--window"));
	assert_int_equal(parse(&o, &err, "-r", "a", "--window", "0", NULL), -EINVAL);
	assert_int_equal(parse(&o, &err, "-r", "a", "--port-threshold", "0", NULL), -EINVAL);
	assert_int_equal(parse(&o, &err, "-r", "a", "--port-threshold", "2000", NULL), -EINVAL);
	assert_int_equal(parse(&o, &err, "-r", "a", "--trw-beta", "1", NULL), -EINVAL);
	assert_non_null(strstr(err.text, "--trw-beta"));
	assert_int_equal(parse(&o, &err, "-r", "a", "--bogus", NULL), -EINVAL);
	assert_non_null(strstr(err.text, "--bogus"));
	assert_int_equal(parse(&o, &err, "-r", NULL), -EINVAL);
	assert_non_null(strstr(err.text, "needs a value"));
	assert_int_equal(parse(&o, &err, "-r", "a", "extra", NULL), -EINVAL);
}

/* --- reader --------------------------------------------------------------------- */

struct sink {
	struct alert alerts[16];
	unsigned n;
};

static void sink_alert(void *ctx, const struct alert *a)
{
	struct sink *s = ctx;

	if (s->n < 16)
		s->alerts[s->n] = *a;
	s->n++;
}

static void tmp_path(char *out, size_t size, const char *name)
{
	snprintf(out, size, "%s/%s", fix_tmpdir, name);
}

/* Writes a pcap (link type dlt) of a scan of 20 closed ports, SYN and RST each; returns its size.
 */
static long write_scan_pcap(const char *path, int dlt)
{
	pcap_t *p = pcap_open_dead_with_tstamp_precision(dlt, 65535, PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *d = pcap_dump_open(p, path);
	uint8_t f[64];
	long size;

	assert_non_null(d);
	for (uint16_t port = 1; port <= 20; port++) {
		struct pcap_pkthdr h = {.ts = {.tv_sec = 1700000000, .tv_usec = port * 1000},
					.caplen = 60,
					.len = 60};

		build_tcp(f, SCANNER, 40000, TARGET, port, TCP_FLAG_SYN);
		pcap_dump((u_char *)d, &h, f);
		h.ts.tv_usec += 10;
		build_tcp(f, TARGET, port, SCANNER, 40000, TCP_FLAG_RST | TCP_FLAG_ACK);
		pcap_dump((u_char *)d, &h, f);
	}
	pcap_dump_flush(d);
	size = pcap_dump_ftell(d);
	pcap_dump_close(d);
	pcap_close(p);
	return size;
}

/* Runs the reader and a default tracker over path; returns reader_run()'s result. */
static int run_file(const char *path, struct sink *sink, struct reader_stats *rs,
		    struct errmsg *err)
{
	static const atomic_bool no_stop = false;
	struct detect_config cfg;
	struct tracker t;
	struct reader r;
	int rc;

	tracker_config_default(&cfg);
	cfg.max_sources = cfg.max_pairs = cfg.max_contacts = cfg.max_attempts = 1024;
	memset(sink, 0, sizeof(*sink));
	assert_int_equal(tracker_init(&t, &cfg, sink_alert, sink, err), 0);
	rc = reader_open_file(&r, path, NULL, err);
	if (rc) {
		tracker_free(&t);
		return rc;
	}
	rc = reader_run(&r, &t, &no_stop, err);
	tracker_finish(&t);
	reader_get_stats(&r, rs);
	reader_close(&r);
	tracker_free(&t);
	return rc;
}

static void test_reader_pcap(void **state)
{
	(void)state;
	char path[256];
	struct sink sink;
	struct reader_stats rs;
	struct errmsg err;

	tmp_path(path, sizeof(path), "scan.pcap");
	write_scan_pcap(path, DLT_EN10MB);
	assert_int_equal(run_file(path, &sink, &rs, &err), 0);
	assert_int_equal(rs.frames, 40);
	assert_int_equal(rs.parsed, 40);
	assert_int_equal(sink.n, 1);
	assert_int_equal(sink.alerts[0].kind, ALERT_PORT_SCAN);
	assert_int_equal(sink.alerts[0].src, SCANNER);
	/* Nanosecond timestamps survive: the first SYN came 1000 ns past the second. */
	assert_int_equal(sink.alerts[0].first_ns, 1700000000000001000ull);
}

static void test_reader_truncated(void **state)
{
	(void)state;
	char path[256];
	struct sink sink;
	struct reader_stats rs;
	struct errmsg err;
	long size;

	tmp_path(path, sizeof(path), "cut.pcap");
	size = write_scan_pcap(path, DLT_EN10MB);
	/* Cut inside the last record's data, then inside its header. */
	assert_int_equal(truncate(path, size - 7), 0);
	assert_int_equal(run_file(path, &sink, &rs, &err), -EINVAL);
	assert_non_null(strstr(err.text, "truncated"));
	assert_int_equal(rs.frames, 39);
	assert_int_equal(truncate(path, size - 60 - 10), 0);
	assert_int_equal(run_file(path, &sink, &rs, &err), -EINVAL);
	assert_non_null(strstr(err.text, "truncated"));
	/* A header and no records is a valid, empty capture. */
	assert_int_equal(truncate(path, 24), 0);
	assert_int_equal(run_file(path, &sink, &rs, &err), 0);
	assert_int_equal(rs.frames, 0);
	/* Only part of the file header. */
	assert_int_equal(truncate(path, 10), 0);
	assert_int_equal(run_file(path, &sink, &rs, &err), -EINVAL);
}

static void test_reader_bad_files(void **state)
{
	(void)state;
	char path[256];
	struct sink sink;
	struct reader_stats rs;
	struct errmsg err;
	FILE *fp;

	tmp_path(path, sizeof(path), "garbage");
	fp = fopen(path, "w");
	for (int i = 0; i < 4096; i++)
		fputc((i * 7919) & 0xff, fp);
	fclose(fp);
	assert_int_equal(run_file(path, &sink, &rs, &err), -EINVAL);
	assert_non_null(strstr(err.text, path));
	tmp_path(path, sizeof(path), "empty");
	fclose(fopen(path, "w"));
	assert_int_equal(run_file(path, &sink, &rs, &err), -EINVAL);
	assert_int_equal(run_file("/nonexistent/x.pcap", &sink, &rs, &err), -EINVAL);
	assert_non_null(strstr(err.text, "/nonexistent/x.pcap"));
	/* A link type the parser does not read (BSD loopback). */
	tmp_path(path, sizeof(path), "null.pcap");
	write_scan_pcap(path, DLT_NULL);
	assert_int_equal(run_file(path, &sink, &rs, &err), -EINVAL);
	assert_non_null(strstr(err.text, "link type"));
}

/* A pcapng file, written by hand: section header, one Ethernet interface, enhanced packets. */
static void test_reader_pcapng(void **state)
{
	(void)state;
	char path[256];
	struct sink sink;
	struct reader_stats rs;
	struct errmsg err;
	uint8_t f[64];
	FILE *fp;

	tmp_path(path, sizeof(path), "scan.pcapng");
	fp = fopen(path, "w");
	put_pcapng_section(fp);
	put32le(fp, 1); /* interface description block: Ethernet, default microseconds */
	put32le(fp, 20);
	put16le(fp, DLT_EN10MB);
	put16le(fp, 0);
	put32le(fp, 0);
	put32le(fp, 20);
	for (uint16_t port = 1; port <= 30; port++) {
		uint64_t us = 1700000000000000ull + port * 1000ull;

		build_tcp(f, SCANNER, 40000, TARGET + port, 445, TCP_FLAG_SYN);
		put32le(fp, 6); /* enhanced packet block */
		put32le(fp, 32 + 60);
		put32le(fp, 0);
		put32le(fp, (uint32_t)(us >> 32));
		put32le(fp, (uint32_t)us);
		put32le(fp, 60);
		put32le(fp, 60);
		fwrite(f, 1, 60, fp);
		put32le(fp, 32 + 60);
	}
	fclose(fp);
	/* 30 hosts on port 445, none answering: an address sweep once they time out. */
	assert_int_equal(run_file(path, &sink, &rs, &err), 0);
	assert_int_equal(rs.frames, 30);
	assert_true(sink.n >= 1);
	assert_int_equal(sink.alerts[sink.n - 1].kind, ALERT_ADDRESS_SWEEP);
	assert_int_equal(sink.alerts[sink.n - 1].port, 445);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fingerprints_of_real_captures),
		cmocka_unit_test(test_fingerprint_rules),
		cmocka_unit_test(test_fingerprint_other_links),
		cmocka_unit_test(test_report_lines),
		cmocka_unit_test(test_options),
		cmocka_unit_test(test_reader_pcap),
		cmocka_unit_test(test_reader_truncated),
		cmocka_unit_test(test_reader_bad_files),
		cmocka_unit_test(test_reader_pcapng),
	};

	return cmocka_run_group_tests_name("detect_input", tests, fix_tmpdir_setup,
					   fix_tmpdir_teardown);
}
