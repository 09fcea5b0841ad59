// SPDX-License-Identifier: MIT
/*
 * Tests for the binary format: core/output_binary.c writes, core/binformat.c
 * and core/binread.c read back. A round trip keeps every field and the
 * header, the UDP port set included; a version 1 file still reads; a file cut at every possible
 * length reads back up to its last whole record and reports the torn tail; corrupted records are
 * counted and skipped; random bytes never crash the reader; a real file reads through
 * binread_open().
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <unistd.h>

#include "binread.h"
#include "output_fixture.h"

static uint8_t *write_fixture(size_t *len)
{
	return (uint8_t *)fixture_run(&output_binary_ops, 0, len);
}

static void test_round_trip(void **state)
{
	size_t len;
	uint8_t *buf = write_fixture(&len);
	struct binread br;
	struct output_info info;
	struct errmsg err;
	uint64_t n = 0;

	(void)state;
	assert_int_equal(len, binformat_header_bytes(&fixture_info) +
				      (FIXTURE_COUNT + 1) * BIN_RECORD_BYTES);
	assert_int_equal(binread_parse(&br, buf, len, &err), 0);
	assert_int_equal(br.records, FIXTURE_COUNT + 1);
	assert_int_equal(br.results, FIXTURE_COUNT);
	assert_int_equal(br.bad, 0);
	assert_int_equal(br.tail_bytes, 0);
	assert_true(br.has_end);
	for (uint64_t i = 0; i < br.records; i++) {
		struct result r;

		if (!binread_result(&br, i, &r))
			continue;
		assert_memory_equal(&r, &fixture_results[n], sizeof(r));
		n++;
	}
	assert_int_equal(n, FIXTURE_COUNT);
	binread_info(&br, &info);
	assert_string_equal(info.args, fixture_info.args);
	assert_string_equal(info.ports, fixture_info.ports);
	assert_int_equal(info.seed, 42);
	assert_int_equal(info.scan_id, 0x1234);
	assert_int_equal(info.targets_total, 4);
	assert_int_equal(info.ports_total, 3);
	assert_int_equal(info.shard_count, 1);
	assert_int_equal(info.rate_pps, 1000);
	assert_int_equal(info.show, 0xe);
	assert_int_equal(info.start_ns, fixture_info.start_ns);
	assert_int_equal(info.end_ns, fixture_info.end_ns);
	assert_true(info.completed && info.has_filtered);
	binread_close(&br);
	free(buf);
}

/* A version 2 header keeps the UDP port set and the connect-scan flag. */
static void test_udp_ports(void **state)
{
	struct output_info in = fixture_info, info;
	size_t len;
	uint8_t *buf;
	struct binread br;
	struct errmsg err;

	(void)state;
	in.udp_ports = "53,161-162";
	in.udp_ports_total = 3;
	in.connect_scan = true;
	buf = (uint8_t *)fixture_run_info(&output_binary_ops, &in, 0, &len);
	assert_int_equal(binread_parse(&br, buf, len, &err), 0);
	assert_int_equal(br.header.version, 2);
	assert_int_equal(br.results, FIXTURE_COUNT);
	binread_info(&br, &info);
	assert_string_equal(info.ports, "22,80,443");
	assert_int_equal(info.ports_total, 3);
	assert_string_equal(info.udp_ports, "53,161-162");
	assert_int_equal(info.udp_ports_total, 3);
	assert_true(info.connect_scan);
	binread_close(&br);
	free(buf);
}

/*
 * The header hayate 0.1.0 wrote in format version 1, byte for byte, for
 * "./hayate 127.0.0.1 -p U:53,T:22 --offline --seed 7 -q --wait 0 -oB
 * /tmp/v1.bin": no UDP fields, the strings right after byte 104.
 */
static const char v1_header[] =
	"\x89HYT\r\n\x1a\n"
	"\x01\x00"	   /* version 1 */
	"\x14\x00"	   /* record size 20 */
	"\xb8\x00\x00\x00" /* header size 184 */
	"0.1.0\0\0\0\0\0\0\0\0\0\0\0"
	"\x07\0\0\0\0\0\0\0"		   /* seed */
	"\xbe\x9d\xb5\xaf\x7b\xe0\x70\x49" /* scan id */
	"\x32\x69\xb6\x2f\x89\xd8\xeb\x18" /* start */
	"\x01\0\0\0\0\0\0\0"		   /* targets */
	"\x01\0\0\0"			   /* ports (TCP only) */
	"\0\0\0\0"			   /* shard index */
	"\x01\0\0\0"			   /* shard count */
	"\0\0\0\0"			   /* retries */
	"\x10\x27\0\0\0\0\0\0"		   /* rate 10000 */
	"\x02\0\0\0"			   /* show: open */
	"\0\0\0\0"			   /* flags */
	"\x4e\0\0\0"			   /* args length 78 */
	"\x02\0\0\0"			   /* ports length 2 */
	"./hayate 127.0.0.1 -p U:53,T:22 --offline --seed 7 -q --wait 0 -oB "
	"/tmp/v1.bin"
	"22";

/* Files of format version 1 still read: header, records and end record. */
static void test_version1(void **state)
{
	size_t header = sizeof(v1_header) - 1;
	uint8_t buf[sizeof(v1_header) - 1 + 3 * BIN_RECORD_BYTES];
	struct result r;
	struct binread br;
	struct output_info info;
	struct errmsg err;

	(void)state;
	memcpy(buf, v1_header, header);
	binformat_encode_record(buf + header, &fixture_results[0]);
	binformat_encode_record(buf + header + BIN_RECORD_BYTES,
				&(struct result){FIXTURE_T0, 0x7f000001, 53, PROTO_UDP, PORT_OPEN,
						 REASON_UDP_RESPONSE, 64, 0});
	binformat_encode_end(buf + header + 2 * BIN_RECORD_BYTES, FIXTURE_T0, BIN_END_COMPLETED);
	assert_int_equal(binread_parse(&br, buf, sizeof(buf), &err), 0);
	assert_int_equal(br.header.version, 1);
	assert_int_equal(br.header.header_bytes, 184);
	assert_int_equal(br.results, 2);
	assert_int_equal(br.bad, 0);
	assert_true(br.has_end);
	assert_true(binread_result(&br, 1, &r));
	assert_int_equal(r.proto, PROTO_UDP);
	binread_info(&br, &info);
	assert_string_equal(info.args, "./hayate 127.0.0.1 -p U:53,T:22 --offline --seed 7 -q "
				       "--wait 0 -oB /tmp/v1.bin");
	assert_string_equal(info.ports, "22");
	assert_int_equal(info.ports_total, 1);
	assert_string_equal(info.udp_ports, "");
	assert_int_equal(info.udp_ports_total, 0);
	assert_false(info.connect_scan);
	assert_int_equal(info.seed, 7);
	assert_true(info.completed);
	binread_close(&br);
	/* Cut anywhere in its header, it is refused, never overread. */
	for (size_t cut = 0; cut < header; cut++)
		assert_int_equal(binread_parse(&br, buf, cut, &err), -EINVAL);
}

/* Every prefix of a file: the header's prefixes are errors, the rest read whole records. */
static void test_truncated(void **state)
{
	size_t len;
	uint8_t *buf = write_fixture(&len);
	size_t header = binformat_header_bytes(&fixture_info);

	(void)state;
	for (size_t cut = 0; cut <= len; cut++) {
		uint8_t *copy =
			malloc(cut + 1); /* exactly cut bytes readable: ASan catches overreads */
		struct binread br;
		struct errmsg err;
		int rc;

		memcpy(copy, buf, cut);
		rc = binread_parse(&br, copy, cut, &err);
		if (cut < header) {
			assert_int_equal(rc, -EINVAL);
		} else {
			assert_int_equal(rc, 0);
			assert_int_equal(br.records, (cut - header) / BIN_RECORD_BYTES);
			assert_int_equal(br.tail_bytes, (cut - header) % BIN_RECORD_BYTES);
			assert_int_equal(br.results,
					 br.records > FIXTURE_COUNT ? FIXTURE_COUNT : br.records);
			assert_int_equal(br.has_end, cut == len);
			assert_int_equal(br.bad, 0);
			binread_close(&br);
		}
		free(copy);
	}
	free(buf);
}

static void test_bad_headers(void **state)
{
	size_t len;
	uint8_t *buf = write_fixture(&len);
	struct binread br;
	struct errmsg err;

	(void)state;
	buf[0] ^= 1;
	assert_int_equal(binread_parse(&br, buf, len, &err), -EINVAL);
	assert_non_null(strstr(err.text, "not a hayate binary file"));
	buf[0] ^= 1;
	buf[8] = 9; /* format version */
	assert_int_equal(binread_parse(&br, buf, len, &err), -EINVAL);
	assert_non_null(strstr(err.text, "format version 9"));
	buf[8] = BIN_VERSION;
	buf[99] = 0x7f; /* args length near 2^31 */
	assert_int_equal(binread_parse(&br, buf, len, &err), -EINVAL);
	assert_non_null(strstr(err.text, "inconsistent"));
	buf[99] = 0;
	assert_int_equal(binread_parse(&br, buf, 0, &err), -EINVAL);
	assert_non_null(strstr(err.text, "empty"));
	free(buf);
}

/* A damaged record is counted and skipped; its neighbours still read. */
static void test_corrupted_records(void **state)
{
	size_t len;
	uint8_t *buf = write_fixture(&len);
	size_t header = binformat_header_bytes(&fixture_info);
	struct binread br;
	struct errmsg err;
	struct result r;

	(void)state;
	buf[header + 2 * BIN_RECORD_BYTES + 14] = 47; /* record 2: protocol GRE */
	buf[header + 5 * BIN_RECORD_BYTES + 15] = 9;  /* record 5: no such state */
	buf[header + 6 * BIN_RECORD_BYTES + 16] = 1;  /* record 6: filtered by syn-ack */
	assert_int_equal(binread_parse(&br, buf, len, &err), 0);
	assert_int_equal(br.bad, 3);
	assert_int_equal(br.results, FIXTURE_COUNT - 3);
	assert_false(binread_result(&br, 2, &r));
	assert_true(binread_result(&br, 3, &r));
	assert_memory_equal(&r, &fixture_results[3], sizeof(r));
	assert_false(binread_result(&br, br.records, &r)); /* out of range */
	binread_close(&br);
	free(buf);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rng_next(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Random damage anywhere, many times: the reader answers, never crashes. */
static void test_random_damage(void **state)
{
	size_t len;
	uint8_t *buf = write_fixture(&len);

	(void)state;
	for (unsigned round = 0; round < 20000; round++) {
		uint8_t *copy = malloc(len);
		size_t cut = (size_t)(rng_next() % (len + 1));
		struct binread br;
		struct errmsg err;
		struct result r;

		memcpy(copy, buf, len);
		for (unsigned k = rng_next() % 8; k > 0; k--)
			copy[rng_next() % len] = (uint8_t)rng_next();
		if (binread_parse(&br, copy, cut, &err) == 0) {
			assert_true(br.results + br.bad <= br.records);
			for (uint64_t i = 0; i < br.records; i++)
				binread_result(&br, i, &r);
			binread_close(&br);
		}
		free(copy);
	}
	free(buf);
}

static void test_file(void **state)
{
	char path[] = "/tmp/hayate-test-bin.XXXXXX";
	size_t len;
	uint8_t *buf = write_fixture(&len);
	int fd = mkstemp(path);
	struct binread br;
	struct errmsg err;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, buf, len - 7), (ssize_t)(len - 7)); /* torn end record */
	close(fd);
	assert_int_equal(binread_open(&br, path, &err), 0);
	assert_int_equal(br.results, FIXTURE_COUNT);
	assert_int_equal(br.tail_bytes, BIN_RECORD_BYTES - 7);
	assert_false(br.has_end);
	binread_close(&br);
	unlink(path);
	assert_int_equal(binread_open(&br, path, &err), -ENOENT);
	assert_non_null(strstr(err.text, path));
	free(buf);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),    cmocka_unit_test(test_udp_ports),
		cmocka_unit_test(test_version1),      cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bad_headers),   cmocka_unit_test(test_corrupted_records),
		cmocka_unit_test(test_random_damage), cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests_name("binread", tests, NULL, NULL);
}
