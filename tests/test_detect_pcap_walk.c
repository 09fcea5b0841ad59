// SPDX-License-Identifier: MIT
/*
 * The mapped reading of pcap files (tools/detect/pcap_walk.c, reader_map.c)
 * against libpcap's own: the same records, timestamps and errors for random
 * files of either byte order and timestamp unit, cut at every byte; and the
 * same statistics and alerts from the whole reader, mapped or through a pipe
 * (which libpcap reads), with and without a filter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>
#include <pcap/pcap.h>

#include "../tools/detect/pcap_walk.h"
#include "../tools/detect/reader.h"
#include "../tools/detect/tracker.h"
#include "detect_fixture.h"

#define FILE_MAX (64 << 10)

static uint64_t rng_state = 0x9e3779b97f4a7c15ull;

static uint32_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return (uint32_t)(rng_state >> 16);
}

static size_t put32(uint8_t *p, uint32_t v, bool swapped)
{
	if (swapped)
		v = __builtin_bswap32(v);
	memcpy(p, &v, 4);
	return 4;
}

static size_t put16(uint8_t *p, uint16_t v, bool swapped)
{
	if (swapped)
		v = __builtin_bswap16(v);
	memcpy(p, &v, 2);
	return 2;
}

struct file_spec {
	bool swapped, nsec;
	uint32_t snaplen;
	unsigned records;
	uint32_t caplen_max; /* caplens are drawn from [0, caplen_max] */
};

/* Writes a pcap file of random records by spec into buf; returns its length. */
static size_t make_file(uint8_t *buf, const struct file_spec *spec)
{
	size_t n = 0;

	n += put32(buf + n, spec->nsec ? 0xa1b23c4du : 0xa1b2c3d4u, spec->swapped);
	n += put16(buf + n, 2, spec->swapped);
	n += put16(buf + n, 4, spec->swapped);
	n += put32(buf + n, 0, spec->swapped);
	n += put32(buf + n, 0, spec->swapped);
	n += put32(buf + n, spec->snaplen, spec->swapped);
	n += put32(buf + n, DLT_EN10MB, spec->swapped);
	for (unsigned i = 0; i < spec->records; i++) {
		uint32_t caplen = rnd() % (spec->caplen_max + 1);

		assert_true(n + PCAP_WALK_RECORD_HDR + caplen <= FILE_MAX);
		/* Any seconds, high bit too; fractions mostly in range, sometimes not. */
		n += put32(buf + n, rnd() << 1 ^ rnd(), spec->swapped);
		n += put32(buf + n, rnd() % 8 ? rnd() % 1000000 : rnd(), spec->swapped);
		n += put32(buf + n, caplen, spec->swapped);
		n += put32(buf + n, caplen + rnd() % 3, spec->swapped);
		for (uint32_t b = 0; b < caplen; b++)
			buf[n++] = (uint8_t)rnd();
	}
	return n;
}

/*
 * Reads buf[0..len) with libpcap and with the walk side by side and fails at
 * the first difference; returns how many records both read.
 */
static unsigned compare_readers(const uint8_t *buf, size_t len)
{
	char errbuf[PCAP_ERRBUF_SIZE];
	FILE *fp = fmemopen((void *)buf, len, "rb");
	pcap_t *p =
		pcap_fopen_offline_with_tstamp_precision(fp, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	struct pcap_walk w;
	struct errmsg err = {""};
	unsigned records = 0;
	long tick_ns;

	if (!p)
		fail_msg("libpcap refused a %zu-byte file: %s", len, errbuf);
	assert_int_equal(pcap_walk_init(&w, buf, len, (uint32_t)pcap_snapshot(p)), 0);
	tick_ns = w.ns_per_tick;
	for (;;) {
		struct pcap_pkthdr *h;
		const u_char *data;
		struct pcap_record rec;
		int lib = pcap_next_ex(p, &h, &data), ours = pcap_walk_next(&w, &rec, &err);

		if (lib == PCAP_ERROR_BREAK) {
			assert_int_equal(ours, 0);
			break;
		}
		if (lib == PCAP_ERROR) {
			assert_int_equal(ours, -EINVAL);
			assert_true(strstr(err.text, "truncated") || strstr(err.text, "bigger"));
			break;
		}
		assert_int_equal(lib, 1);
		assert_int_equal(ours, 1);
		assert_int_equal(rec.caplen, h->caplen);
		assert_int_equal(rec.len, h->len);
		/*
		 * libpcap reads the seconds and fraction signed, or unsigned in a
		 * swapped file; the format says unsigned.
		 */
		assert_int_equal(rec.ts_ns,
				 (uint64_t)(uint32_t)h->ts.tv_sec * 1000000000ull +
					 (uint64_t)(uint32_t)(h->ts.tv_usec / tick_ns) * tick_ns);
		assert_memory_equal(rec.data, data, rec.caplen);
		records++;
	}
	pcap_close(p);
	return records;
}

static void test_walk_matches_libpcap(void **state)
{
	(void)state;
	static const struct file_spec specs[] = {
		{.swapped = false,
		 .nsec = false,
		 .snaplen = 65535,
		 .records = 40,
		 .caplen_max = 120},
		{.swapped = true,
		 .nsec = false,
		 .snaplen = 65535,
		 .records = 40,
		 .caplen_max = 120},
		{.swapped = false,
		 .nsec = true,
		 .snaplen = 262144,
		 .records = 40,
		 .caplen_max = 120},
		{.swapped = true, .nsec = true, .snaplen = 0, .records = 40, .caplen_max = 120},
		/* Records longer than the snap length are cut to it. */
		{.swapped = false, .nsec = true, .snaplen = 64, .records = 40, .caplen_max = 120},
		{.swapped = true, .nsec = false, .snaplen = 64, .records = 40, .caplen_max = 120},
	};
	static uint8_t buf[FILE_MAX];

	for (unsigned i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		size_t len = make_file(buf, &specs[i]);

		assert_int_equal(compare_readers(buf, len), specs[i].records);
		/* Cut anywhere after the file header: the same records, then the same end. */
		for (size_t cut = PCAP_WALK_FILE_HDR; cut < len; cut++)
			assert_true(compare_readers(buf, cut) < specs[i].records);
	}
}

static void test_walk_errors(void **state)
{
	(void)state;
	static uint8_t buf[FILE_MAX];
	struct file_spec spec = {.snaplen = 65535, .records = 3, .caplen_max = 40};
	size_t len = make_file(buf, &spec);
	struct pcap_walk w;
	struct pcap_record rec;
	struct errmsg err = {""};

	/* A record claiming more than any snap length allows. */
	put32(buf + PCAP_WALK_FILE_HDR + 8, PCAP_WALK_MAX_CAPLEN + 1, false);
	assert_int_equal(pcap_walk_init(&w, buf, len, 65535), 0);
	assert_int_equal(pcap_walk_next(&w, &rec, &err), -EINVAL);
	assert_non_null(strstr(err.text, "invalid packet capture length 262145"));
	assert_int_equal(compare_readers(buf, len), 0);
	/* Cut inside a record header. */
	assert_int_equal(pcap_walk_init(&w, buf, PCAP_WALK_FILE_HDR + 5, 65535), 0);
	assert_int_equal(pcap_walk_next(&w, &rec, &err), -EINVAL);
	assert_string_equal(err.text,
			    "truncated dump file; tried to read 16 header bytes, only got 5");
	/* A walk that failed is over. */
	assert_int_equal(pcap_walk_next(&w, &rec, &err), 0);
}

static void test_walk_leaves_other_formats_to_libpcap(void **state)
{
	(void)state;
	static const uint8_t pcapng[] = {0x0a, 0x0d, 0x0d, 0x0a, 28,   0,
					 0,    0,    0x4d, 0x3c, 0x2b, 0x1a};
	static uint8_t buf[FILE_MAX];
	struct file_spec spec = {.snaplen = 65535, .records = 1, .caplen_max = 40};
	size_t len = make_file(buf, &spec);
	struct pcap_walk w;

	assert_int_equal(pcap_walk_init(&w, buf, len, 65535), 0);
	assert_int_equal(pcap_walk_init(&w, buf, PCAP_WALK_FILE_HDR - 1, 65535), -EPROTONOSUPPORT);
	memcpy(buf + 0, pcapng, sizeof(pcapng));
	assert_int_equal(pcap_walk_init(&w, buf, len, 65535), -EPROTONOSUPPORT);
	/* Kuznetzov's patched records are longer: libpcap knows them. */
	len = make_file(buf, &spec);
	put32(buf, 0xa1b2cd34u, false);
	assert_int_equal(pcap_walk_init(&w, buf, len, 65535), -EPROTONOSUPPORT);
	/* Version 2.3 may have caplen and len the other way round. */
	len = make_file(buf, &spec);
	put16(buf + 6, 3, false);
	assert_int_equal(pcap_walk_init(&w, buf, len, 65535), -EPROTONOSUPPORT);
}

/* --- the whole reader, mapped or through a pipe ---------------------------------- */

struct outcome {
	struct reader_stats rs;
	struct tracker_stats ts;
	unsigned alerts;
	uint64_t alert_src_sum, alert_first_sum;
	bool mapped, ng;
};

static void count_alert(void *ctx, const struct alert *a)
{
	struct outcome *o = ctx;

	o->alerts++;
	o->alert_src_sum += a->src;
	o->alert_first_sum += a->first_ns;
}

/*
 * 6000 frames among scanners x targets x ports tuples: SYNs, their targets'
 * SYN-ACKs and RSTs, the originators' ACKs, and some UDP, at random; the
 * fewer the tuples, the more of them make whole handshakes.
 */
static void write_traffic(const char *path, uint32_t scanners, uint32_t targets, uint32_t ports)
{
	pcap_t *p =
		pcap_open_dead_with_tstamp_precision(DLT_EN10MB, 65535, PCAP_TSTAMP_PRECISION_NANO);
	pcap_dumper_t *d = pcap_dump_open(p, path);
	static const uint8_t flags[] = {TCP_FLAG_SYN, TCP_FLAG_SYN | TCP_FLAG_ACK,
					TCP_FLAG_RST | TCP_FLAG_ACK, TCP_FLAG_ACK};
	uint8_t f[FIX_FRAME_BYTES];

	assert_non_null(d);
	for (unsigned i = 0; i < 6000; i++) {
		struct pcap_pkthdr h = {
			.ts = {.tv_sec = 1700000000 + i / 1000, .tv_usec = (i % 1000) * 1000},
			.caplen = FIX_FRAME_BYTES,
			.len = FIX_FRAME_BYTES};
		uint32_t scanner = 0xc6130000u + rnd() % scanners;
		uint32_t target = 0xc6120000u + rnd() % targets;
		uint16_t port = (uint16_t)(1 + rnd() % ports);
		uint8_t fl = flags[rnd() % 4];

		if (fl == TCP_FLAG_SYN || fl == TCP_FLAG_ACK)
			build_tcp(f, scanner, 40000, target, port, fl);
		else
			build_tcp(f, target, port, scanner, 40000, fl);
		if (rnd() % 16 == 0)
			f[ETH_HDR_BYTES + 9] = 17; /* UDP */
		pcap_dump((u_char *)d, &h, f);
	}
	pcap_dump_close(d);
	pcap_close(p);
}

/*
 * Runs the reader over path into o; returns reader_run()'s result. A mapped
 * file is mapped in windows of one page, so that the walk maps in and unmaps
 * as it would in a file of gigabytes. cut, if not 0, truncates the file to
 * that many bytes after it was opened.
 */
static int run_reader_cut(const char *path, const char *filter, long cut, struct outcome *o,
			  struct errmsg *err)
{
	static const atomic_bool no_stop = false;
	struct detect_config cfg;
	struct tracker t;
	struct reader r;
	int rc;

	memset(o, 0, sizeof(*o));
	tracker_config_default(&cfg);
	cfg.port_threshold = 5;
	cfg.host_threshold = 5;
	cfg.max_sources = cfg.max_pairs = cfg.max_contacts = cfg.max_attempts = 4096;
	assert_int_equal(tracker_init(&t, &cfg, count_alert, o, err), 0);
	if (reader_open_file(&r, path, filter, err))
		fail_msg("%s", err->text);
	o->mapped = r.map.base != NULL;
	o->ng = r.map.ng;
	if (o->mapped)
		r.map.window = (uint64_t)sysconf(_SC_PAGESIZE);
	if (cut)
		assert_int_equal(truncate(path, cut), 0);
	rc = reader_run(&r, &t, &no_stop, err);
	tracker_finish(&t);
	reader_get_stats(&r, &o->rs);
	tracker_get_stats(&t, &o->ts);
	reader_close(&r);
	tracker_free(&t);
	return rc;
}

static void run_reader(const char *path, const char *filter, struct outcome *o)
{
	struct errmsg err;

	if (run_reader_cut(path, filter, 0, o, &err))
		fail_msg("%s", err.text);
}

/* Runs the reader over path again through a FIFO that a child fills with the file. */
static void run_reader_piped(const char *path, const char *filter, struct outcome *o)
{
	char fifo[300], cmd[700];
	pid_t pid;
	int status;

	snprintf(fifo, sizeof(fifo), "%s/fifo", fix_tmpdir);
	unlink(fifo);
	assert_int_equal(mkfifo(fifo, 0600), 0);
	snprintf(cmd, sizeof(cmd), "cat '%s' > '%s'", path, fifo);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(system(cmd) == 0 ? 0 : 1);
	run_reader(fifo, filter, o);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/*
 * The frames of the pcap file at from as a pcapng file at to: a section of
 * 12 interfaces (more than the reader's first room for them), nanosecond
 * timestamps, each frame on one of them in turn.
 */
static void pcap_to_pcapng(const char *from, const char *to)
{
	enum { IFACES = 12 };
	char errbuf[PCAP_ERRBUF_SIZE];
	pcap_t *p =
		pcap_open_offline_with_tstamp_precision(from, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	FILE *fp = fopen(to, "w");
	struct pcap_pkthdr *h;
	const u_char *data;

	assert_non_null(p);
	assert_non_null(fp);
	put_pcapng_section(fp);
	for (unsigned i = 0; i < IFACES; i++) {
		put32le(fp, 1);
		put32le(fp, 28);
		put16le(fp, DLT_EN10MB);
		put16le(fp, 0);
		put32le(fp, 65535);
		put16le(fp, 9); /* if_tsresol: 10^-9 */
		put16le(fp, 1);
		put32le(fp, 9);
		put32le(fp, 28);
	}
	for (unsigned i = 0; pcap_next_ex(p, &h, &data) == 1; i++) {
		uint64_t ns = (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec;
		uint32_t padded = (h->caplen + 3) / 4 * 4;

		put32le(fp, 6);
		put32le(fp, 32 + padded);
		put32le(fp, i % IFACES);
		put32le(fp, (uint32_t)(ns >> 32));
		put32le(fp, (uint32_t)ns);
		put32le(fp, h->caplen);
		put32le(fp, h->len);
		fwrite(data, 1, h->caplen, fp);
		for (uint32_t pad = h->caplen; pad < padded; pad++)
			fputc(0, fp);
		put32le(fp, 32 + padded);
	}
	assert_int_equal(fclose(fp), 0);
	pcap_close(p);
}

static void test_reader_mapped_equals_libpcap(void **state)
{
	(void)state;
	static const char *const filters[] = {NULL,
					      "tcp port 7 or tcp port 42 or src host 198.19.0.3"};
	char path[300];

	snprintf(path, sizeof(path), "%s/traffic.pcap", fix_tmpdir);
	write_traffic(path, 8, 64, 100);
	for (unsigned i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
		struct outcome mapped, piped;

		run_reader(path, filters[i], &mapped);
		run_reader_piped(path, filters[i], &piped);
		assert_true(mapped.mapped);
		assert_false(piped.mapped);
		assert_int_equal(mapped.rs.frames, piped.rs.frames);
		assert_int_equal(mapped.rs.parsed, piped.rs.parsed);
		assert_int_equal(mapped.rs.other, piped.rs.other);
		assert_int_equal(mapped.rs.malformed, piped.rs.malformed);
		assert_memory_equal(&mapped.ts, &piped.ts, sizeof(mapped.ts));
		assert_int_equal(mapped.alerts, piped.alerts);
		assert_int_equal(mapped.alert_src_sum, piped.alert_src_sum);
		assert_int_equal(mapped.alert_first_sum, piped.alert_first_sum);
		/* Something to compare: the traffic alerts, and the filter drops frames. */
		assert_true(mapped.alerts > 0);
		if (filters[i])
			assert_true(mapped.rs.frames > 0 && mapped.rs.frames < 6000);
		else
			assert_int_equal(mapped.rs.frames, 6000);
	}
}

/* The same for the frames in a pcapng file: mapped, through a FIFO, and as they were in pcap. */
static void test_reader_pcapng_mapped_equals_libpcap(void **state)
{
	(void)state;
	char path[300], ng[300];
	struct outcome as_pcap, mapped, piped;

	snprintf(path, sizeof(path), "%s/traffic.pcap", fix_tmpdir);
	snprintf(ng, sizeof(ng), "%s/traffic.pcapng", fix_tmpdir);
	write_traffic(path, 8, 64, 100);
	pcap_to_pcapng(path, ng);
	run_reader(path, NULL, &as_pcap);
	run_reader(ng, NULL, &mapped);
	run_reader_piped(ng, NULL, &piped);
	assert_true(mapped.mapped && mapped.ng);
	assert_false(piped.mapped);
	assert_int_equal(mapped.rs.frames, 6000);
	assert_memory_equal(&mapped.rs, &piped.rs, sizeof(mapped.rs));
	assert_memory_equal(&mapped.rs, &as_pcap.rs, sizeof(mapped.rs));
	assert_memory_equal(&mapped.ts, &piped.ts, sizeof(mapped.ts));
	assert_memory_equal(&mapped.ts, &as_pcap.ts, sizeof(mapped.ts));
	assert_int_equal(mapped.alerts, piped.alerts);
	assert_int_equal(mapped.alert_first_sum, piped.alert_first_sum);
	assert_int_equal(mapped.alert_first_sum, as_pcap.alert_first_sum);
	assert_true(mapped.alerts > 0);
}

/* A section of more than 2^20 interfaces ends the read instead of taking memory without bound. */
static void test_reader_pcapng_interfaces_bounded(void **state)
{
	(void)state;
	char path[300];
	struct outcome o;
	struct errmsg err;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/interfaces.pcapng", fix_tmpdir);
	fp = fopen(path, "w");
	assert_non_null(fp);
	put_pcapng_section(fp);
	for (unsigned i = 0; i <= 1u << 20; i++) {
		static const uint32_t idb[] = {1, 20, DLT_EN10MB, 65535, 20};

		assert_int_equal(fwrite(idb, sizeof(idb), 1, fp), 1); /* x86: little-endian */
	}
	assert_int_equal(fclose(fp), 0);
	assert_int_equal(run_reader_cut(path, NULL, 0, &o, &err), -EINVAL);
	assert_true(o.mapped && o.ng);
	assert_string_equal(err.text, "a section describes more than 1048576 interfaces");
}

/*
 * The reader (which drops frames the tracker need not see, deciding a bare
 * ACK one frame late, and feeds the rest through its prefetch stages) gives
 * the tracker's verdicts on every frame handed to it plainly.
 */
static void test_reader_equals_plain_tracker(void **state)
{
	(void)state;
	char path[300], errbuf[PCAP_ERRBUF_SIZE];
	struct outcome piped, plain = {0};
	struct detect_config cfg;
	struct pcap_pkthdr *h;
	const u_char *data;
	struct errmsg err;
	struct tracker t;
	pcap_t *p;

	snprintf(path, sizeof(path), "%s/handshakes.pcap", fix_tmpdir);
	write_traffic(path, 4, 8, 10);
	run_reader(path, NULL, &piped);
	tracker_config_default(&cfg);
	cfg.port_threshold = 5;
	cfg.host_threshold = 5;
	cfg.max_sources = cfg.max_pairs = cfg.max_contacts = cfg.max_attempts = 4096;
	assert_int_equal(tracker_init(&t, &cfg, count_alert, &plain, &err), 0);
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, errbuf);
	assert_non_null(p);
	while (pcap_next_ex(p, &h, &data) == 1) {
		struct frame_info fi;

		if (parse_frame(LINK_ETHERNET, data, h->caplen, &fi))
			continue;
		tracker_packet(&t, &fi,
			       fi.kind == FRAME_TCP && fi.tcp_flags == TCP_FLAG_SYN
				       ? fingerprint_syn(&fi)
				       : TOOL_NONE,
			       (uint64_t)h->ts.tv_sec * 1000000000ull + (uint64_t)h->ts.tv_usec);
	}
	pcap_close(p);
	tracker_finish(&t);
	tracker_get_stats(&t, &plain.ts);
	tracker_free(&t);
	assert_memory_equal(&piped.ts, &plain.ts, sizeof(plain.ts));
	assert_int_equal(piped.alerts, plain.alerts);
	assert_int_equal(piped.alert_src_sum, plain.alert_src_sum);
	assert_int_equal(piped.alert_first_sum, plain.alert_first_sum);
	/* Handshakes were completed, by ACKs the reader had to settle. */
	assert_true(plain.ts.established > 20);
	assert_true(piped.alerts > 0);
}

/* A file cut shorter while it is mapped ends the read with an error, not a SIGBUS. */
static void test_reader_file_shrinks(void **state)
{
	(void)state;
	char path[300];
	struct outcome o;
	struct errmsg err;
	long page = sysconf(_SC_PAGESIZE);

	snprintf(path, sizeof(path), "%s/shrinks.pcap", fix_tmpdir);
	write_traffic(path, 8, 64, 100);
	assert_int_equal(run_reader_cut(path, NULL, 20 * page + 100, &o, &err), -EINVAL);
	assert_true(o.mapped);
	assert_non_null(strstr(err.text, "shrank"));
	/* The frames of the first 20 pages were read (76 bytes each, record header included). */
	assert_true(o.rs.frames >= 20 * (uint64_t)page / 76);
	assert_true(o.rs.frames < 6000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_walk_matches_libpcap),
		cmocka_unit_test(test_walk_errors),
		cmocka_unit_test(test_walk_leaves_other_formats_to_libpcap),
		cmocka_unit_test(test_reader_mapped_equals_libpcap),
		cmocka_unit_test(test_reader_pcapng_mapped_equals_libpcap),
		cmocka_unit_test(test_reader_pcapng_interfaces_bounded),
		cmocka_unit_test(test_reader_equals_plain_tracker),
		cmocka_unit_test(test_reader_file_shrinks),
	};

	return cmocka_run_group_tests_name("detect_pcap_walk", tests, fix_tmpdir_setup,
					   fix_tmpdir_teardown);
}
