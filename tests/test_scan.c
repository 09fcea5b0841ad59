// SPDX-License-Identifier: MIT
/*
 * The scan context end to end without a network: target and port sets with
 * the safety rules, every probe sent exactly once per pass across shards, the
 * sender's frames into the in-memory backend, and the receiver turning
 * replies to those frames into results.
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

#include "addr.h"
#include "receiver.h"
#include "sender.h"

static struct scan s; /* large: the port set */

static void config(struct scan_config *cfg, const char **targets, unsigned ntargets,
		   const char **excludes, unsigned nexcludes, const char *ports)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->target_specs = targets;
	cfg->target_count = ntargets;
	cfg->exclude_specs = excludes;
	cfg->exclude_count = nexcludes;
	cfg->ports_spec = ports;
	cfg->rate_pps = 1e9;
	cfg->shard_count = 1;
	cfg->show = SHOW_OPEN | SHOW_CLOSED;
}

static void test_sets_and_excludes(void **state)
{
	const char *t[] = {"198.18.0.0/28"}, *x[] = {"198.18.0.4,198.18.0.8-198.18.0.9"};
	struct scan_config cfg;
	struct errmsg err;

	(void)state;
	config(&cfg, t, 1, x, 1, "80,443");
	memset(&s, 0, sizeof(s));
	assert_int_equal(scan_build_sets(&s, &cfg, &err), 0);
	assert_int_equal(s.targets.total, 13);
	assert_false(targets_contains(&s.targets, 0xc6120004));
	assert_false(targets_contains(&s.targets, 0xc6120009));
	assert_int_equal(scan_prepare(&s, 7, &err), 0);
	assert_int_equal(s.probes, 26);
	assert_int_equal(s.total_sends, 26);
	scan_free(&s);
}

/* Builds the sets for one target spec and returns scan_build_sets()'s code. */
static int build_one(const char *spec, bool reserved, bool empty_excludefile, struct errmsg *err)
{
	static const char *t[1], *files[] = {"/dev/null"};
	static struct scan_config cfg;

	t[0] = spec;
	config(&cfg, t, 1, NULL, 0, "80");
	cfg.include_reserved = reserved;
	if (empty_excludefile) {
		cfg.exclude_files = files;
		cfg.exclude_file_count = 1;
	}
	scan_free(&s);
	memset(&s, 0, sizeof(s));
	return scan_build_sets(&s, &cfg, err);
}

static void test_safety_rules(void **state)
{
	struct errmsg err;

	(void)state;
	/* A /16 that overlaps loopback is the user's explicit wish: nothing excluded. */
	assert_int_equal(build_one("127.0.0.0/16", false, false, &err), 0);
	assert_int_equal(s.targets.total, 65536);
	/* Larger than a /16: the special-purpose part (127/8) is dropped... */
	assert_int_equal(build_one("126.255.0.0-127.0.255.255", false, false, &err), 0);
	assert_int_equal(s.targets.total, 65536);
	assert_false(targets_contains(&s.targets, 0x7f000001));
	/* ...unless asked to keep it. */
	assert_int_equal(build_one("126.255.0.0-127.0.255.255", true, false, &err), 0);
	assert_int_equal(s.targets.total, 131072);
	/* More than a /8 with no exclude list is refused, with the reason. */
	assert_int_equal(build_one("12.0.0.0/7", false, false, &err), -EINVAL);
	assert_non_null(strstr(err.text, "more than a /8"));
	assert_non_null(strstr(err.text, "--excludefile"));
	/* An explicit, even empty, exclude list is a deliberate choice. */
	assert_int_equal(build_one("12.0.0.0/7", false, true, &err), 0);
	assert_int_equal(s.targets.total, 1u << 25);
	/* Nothing left is an error, not an empty scan. */
	assert_int_equal(build_one("224.0.0.0/3", false, true, &err), -EINVAL);
	assert_non_null(strstr(err.text, "no targets left"));
	scan_free(&s);
}

static void test_missing_parts(void **state)
{
	const char *t[] = {"198.18.0.1"};
	struct scan_config cfg;
	struct errmsg err;

	(void)state;
	config(&cfg, t, 1, NULL, 0, NULL);
	memset(&s, 0, sizeof(s));
	assert_int_equal(scan_build_sets(&s, &cfg, &err), -EINVAL);
	assert_non_null(strstr(err.text, "no ports given"));
	config(&cfg, NULL, 0, NULL, 0, "80");
	assert_int_equal(scan_build_sets(&s, &cfg, &err), -EINVAL);
	assert_non_null(strstr(err.text, "no targets given"));
	scan_free(&s);
}

static const struct scan_net test_net = {
	.ifname = "mem",
	.src_ip = 0xc6130001, /* 198.19.0.1 */
	.src_mac = {2, 0, 0, 0, 0, 1},
	.dst_mac = {2, 0, 0, 0, 0, 2},
	.src_port_first = 61000,
	.src_port_last = 61003,
};

/* Every (address, port) is probed exactly retries + 1 times over all shards. */
static void test_shards_cover_once(void **state)
{
	const char *t[] = {"198.18.0.0/26", "198.18.1.7"}, *x[] = {"198.18.0.10"};
	static struct scan_config cfg;
	unsigned counts[65][3];

	(void)state;
	for (uint64_t nshards = 1; nshards <= 5; nshards += 2) {
		memset(counts, 0, sizeof(counts));
		for (uint64_t i = 0; i < nshards; i++) {
			struct errmsg err;

			config(&cfg, t, 2, x, 1, "22,80,443");
			cfg.retries = 1;
			cfg.shard_index = i;
			cfg.shard_count = nshards;
			memset(&s, 0, sizeof(s));
			assert_int_equal(scan_build_sets(&s, &cfg, &err), 0);
			assert_int_equal(scan_prepare(&s, 1234, &err), 0);
			scan_set_net(&s, &test_net);
			for (uint64_t pos = 0; pos < s.total_sends; pos++) {
				struct probe p = scan_probe_at(&s, pos);
				unsigned a = p.dst_ip == 0xc6120107 ? 64 : p.dst_ip - 0xc6120000;
				unsigned port = p.dst_port == 22 ? 0 : p.dst_port == 80 ? 1 : 2;

				assert_true(a < 65 && a != 10);
				assert_in_range(p.src_port, 61000, 61003);
				counts[a][port]++;
			}
			scan_free(&s);
		}
		for (unsigned a = 0; a < 65; a++)
			for (unsigned port = 0; port < 3; port++)
				assert_int_equal(counts[a][port], a == 10 ? 0 : 2);
	}
}

/* Starts a scan of 198.18.0.0/28 x {80, 443} with the in-memory backend and sends it all. */
static void send_all(struct scan_config *cfg, struct tx *tx)
{
	static const char *t[] = {"198.18.0.0/28"};
	struct tx_config tc = {.batch = 8};
	struct errmsg err;

	config(cfg, t, 1, NULL, 0, "80,443");
	memset(&s, 0, sizeof(s));
	assert_int_equal(scan_build_sets(&s, cfg, &err), 0);
	assert_int_equal(scan_prepare(&s, 99, &err), 0);
	scan_set_net(&s, &test_net);
	tc.prefill = s.tpl.frame;
	tc.prefill_len = SYN_FRAME_BYTES;
	tx->ops = &tx_mem_ops;
	assert_int_equal(tx->ops->open(tx, &tc, &err), 0);
	assert_int_equal(sender_run(&s, tx, 8, 0, 1, &err), 0);
}

static void test_sender_frames_carry_cookies(void **state)
{
	struct scan_config cfg;
	struct tx tx;
	struct tx_mem_view v;
	unsigned seen[16][2] = {{0}};

	(void)state;
	send_all(&cfg, &tx);
	tx_mem_view(&tx, &v);
	assert_int_equal(v.count, 32);
	assert_int_equal(atomic_load(&s.counters.sent), 32);
	for (uint64_t i = 0; i < v.count; i++) {
		const uint8_t *f = v.frames + i * TX_FRAME_MAX;
		struct frame_info fi;
		uint64_t h;

		assert_int_equal(v.lens[i], SYN_FRAME_BYTES);
		assert_int_equal(parse_frame(LINK_ETHERNET, f, v.lens[i], &fi), 0);
		assert_int_equal(fi.kind, FRAME_TCP);
		assert_int_equal(fi.tcp_flags, TCP_FLAG_SYN);
		assert_int_equal(fi.src_ip, test_net.src_ip);
		assert_int_equal(fi.dst_ip >> 4, 0xc6120000 >> 4);
		h = cookie_hash(&s.key, fi.src_ip, fi.dst_ip, fi.src_port, fi.dst_port);
		assert_int_equal(fi.seq, cookie_seq(h));
		seen[fi.dst_ip & 15][fi.dst_port == 443]++;
	}
	for (unsigned a = 0; a < 16; a++)
		assert_true(seen[a][0] == 1 && seen[a][1] == 1);
	tx.ops->close(&tx);
	scan_free(&s);
}

/* Writes the target's answer to the SYN in probe: SYN-ACK or RST, with ack = seq + ack_delta. */
static void make_reply(const uint8_t *probe, uint8_t *reply, uint8_t flags, uint32_t ack_delta)
{
	memcpy(reply, probe, SYN_FRAME_BYTES);
	memcpy(reply, probe + 6, 6);
	memcpy(reply + 6, probe, 6);
	memcpy(reply + 26, probe + 30, 4); /* IP addresses swap */
	memcpy(reply + 30, probe + 26, 4);
	reply[22] = 57;			   /* TTL */
	memcpy(reply + 34, probe + 36, 2); /* ports swap */
	memcpy(reply + 36, probe + 34, 2);
	be32_write(reply + 42, be32_read(probe + 38) + ack_delta);
	be32_write(reply + 38, 0x1000);
	reply[47] = flags;
	be16_write(reply + 48, 29200);
}

static void test_receiver_reports_each_reply_once(void **state)
{
	struct scan_config cfg;
	struct tx tx;
	struct tx_mem_view v;
	struct rx rx = {.link_type = LINK_ETHERNET};
	struct dedup dd;
	char *text = NULL;
	size_t text_len = 0;
	FILE *mem = open_memstream(&text, &text_len);
	struct output out = {.ops = &output_text_ops, .fp = mem};
	struct receiver r = {.rx = &rx, .dd = &dd, .out = &out};
	uint8_t reply[SYN_FRAME_BYTES];
	unsigned lines = 0;

	(void)state;
	send_all(&cfg, &tx);
	tx_mem_view(&tx, &v);
	r.s = &s;
	assert_int_equal(dedup_init(&dd, 1024), 0);
	for (uint64_t i = 0; i < v.count; i++) {
		const uint8_t *f = v.frames + i * TX_FRAME_MAX;
		bool https = be16_read(f + 36) == 443;

		make_reply(f, reply,
			   https ? TCP_FLAG_RST | TCP_FLAG_ACK : TCP_FLAG_SYN | TCP_FLAG_ACK, 1);
		receiver_frame(&r, reply, sizeof(reply), 0);
		receiver_frame(&r, reply, sizeof(reply), 0);	      /* a retransmission */
		make_reply(f, reply, TCP_FLAG_SYN | TCP_FLAG_ACK, 2); /* wrong ack: not ours */
		receiver_frame(&r, reply, sizeof(reply), 0);
		receiver_frame(&r, reply, 13, 0); /* truncated */
	}
	fclose(mem);
	assert_int_equal(atomic_load(&s.counters.found[PORT_OPEN]), 16);
	assert_int_equal(atomic_load(&s.counters.found[PORT_CLOSED]), 16);
	assert_int_equal(atomic_load(&s.counters.rx_duplicates), 32);
	assert_int_equal(atomic_load(&s.counters.rx_unmatched), 32);
	assert_int_equal(atomic_load(&s.counters.rx_malformed), 32);
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n"), lines++) {
		char state_name[16], addr[32];
		unsigned port, ttl, win;

		assert_int_equal(sscanf(line, "%15s tcp %u %31s ttl=%u win=%u", state_name, &port,
					addr, &ttl, &win),
				 5);
		assert_string_equal(state_name, port == 80 ? "open" : "closed");
		assert_int_equal(ttl, 57);
		assert_int_equal(win, 29200);
		assert_int_equal(strncmp(addr, "198.18.0.", 9), 0);
	}
	assert_int_equal(lines, 32);
	free(text);
	dedup_free(&dd);
	tx.ops->close(&tx);
	scan_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sets_and_excludes),
		cmocka_unit_test(test_safety_rules),
		cmocka_unit_test(test_missing_parts),
		cmocka_unit_test(test_shards_cover_once),
		cmocka_unit_test(test_sender_frames_carry_cookies),
		cmocka_unit_test(test_receiver_reports_each_reply_once),
	};

	return cmocka_run_group_tests_name("scan", tests, NULL, NULL);
}
