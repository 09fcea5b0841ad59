// SPDX-License-Identifier: MIT
/*
 * One conformance suite run over every registered send backend, as liburing's
 * FOR_ALL_TEST_CONFIGS does, then each backend's own tests. Every backend that
 * sends for real does so on loopback when privileged (and skips otherwise),
 * checked byte for byte with a capture socket. afpacket's error paths run
 * without privilege by linking with --wrap for socket, bind and sendmmsg,
 * which pass through to libc unless a test scripts them.
 * Every frame is a UDP datagram from 127.0.0.1 to a socket of ours on 127.0.0.1.
 */
#include "tx.h"
#include "packet.h"

#include <errno.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#define FRAME_BYTES 60
#define MAGIC_OFF   (ETH_HDR_BYTES + IPV4_HDR_MIN + 8)
#define TAG_OFF	    (MAGIC_OFF + 12)
#define MAGIC	    "hayateTX"
#define NOT_ROOT_MSG                                                                               \
	"opening a packet socket needs root or CAP_NET_RAW (try sudo, or setcap cap_net_raw+ep "   \
	"bin/hayate)"

int __real_socket(int domain, int type, int protocol);
int __wrap_socket(int domain, int type, int protocol);
int __real_bind(int fd, const struct sockaddr *addr, socklen_t len);
int __wrap_bind(int fd, const struct sockaddr *addr, socklen_t len);
int __real_sendmmsg(int fd, struct mmsghdr *msgs, unsigned n, int flags);
int __wrap_sendmmsg(int fd, struct mmsghdr *msgs, unsigned n, int flags);

/* What the wrappers do: pass through, or follow the test's will_return() script. */
static struct {
	bool on;
	unsigned sent_n;		  /* messages in the last scripted sendmmsg */
	uint32_t sent_tags[TX_BATCH_MAX]; /* and the tag of each, in order */
} script;

static uint16_t sink_port; /* our UDP socket on 127.0.0.1 that the frames go to */

/* A scripted socket() returns a plain UDP socket, on which the interface ioctl still works. */
int __wrap_socket(int domain, int type, int protocol)
{
	int rc;

	if (!script.on)
		return __real_socket(domain, type, protocol);
	rc = mock_type(int);
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	return __real_socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
}

int __wrap_bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	return script.on ? 0 : __real_bind(fd, addr, len);
}

int __wrap_sendmmsg(int fd, struct mmsghdr *msgs, unsigned n, int flags)
{
	int rc;

	if (!script.on)
		return __real_sendmmsg(fd, msgs, n, flags);
	script.sent_n = n;
	for (unsigned i = 0; i < n; i++)
		script.sent_tags[i] =
			be32_read((uint8_t *)msgs[i].msg_hdr.msg_iov->iov_base + TAG_OFF);
	rc = mock_type(int);
	if (rc < 0) {
		errno = -rc;
		return -1;
	}
	return rc;
}

/* Writes a 60-byte Ethernet/IPv4/UDP frame, 127.0.0.1 to sink_port, carrying tag. */
static void frame_build(uint8_t *f, uint32_t tag)
{
	memset(f, 0, FRAME_BYTES);
	be16_write(f + 12, ETH_TYPE_IPV4);
	f[14] = 0x45;
	be16_write(f + 16, FRAME_BYTES - ETH_HDR_BYTES);
	be16_write(f + 18, (uint16_t)(tag + 1)); /* never 0, which rawip would fill in */
	f[22] = 64;
	f[23] = 17;
	be32_write(f + 26, INADDR_LOOPBACK);
	be32_write(f + 30, INADDR_LOOPBACK);
	be16_write(f + 24, csum_fold(csum_add_bytes(0, f + 14, IPV4_HDR_MIN)));
	be16_write(f + 34, sink_port);
	be16_write(f + 36, sink_port);
	be16_write(f + 38, FRAME_BYTES - ETH_HDR_BYTES - IPV4_HDR_MIN);
	memcpy(f + MAGIC_OFF, MAGIC, 8);
	be32_write(f + MAGIC_OFF + 8, (uint32_t)getpid());
	be32_write(f + TAG_OFF, tag);
}

static uint32_t frame_tag(const uint8_t *f)
{
	return be32_read(f + TAG_OFF);
}

/*
 * Opens ops on "lo"; skips the test if the backend needs privileges we lack,
 * or cannot work on this kernel or interface (-EOPNOTSUPP, e.g. no AF_XDP).
 */
static void backend_open(const struct tx_ops *ops, struct tx *tx, unsigned batch,
			 const uint8_t *prefill, uint16_t prefill_len)
{
	struct tx_config cfg = {.ifname = "lo",
				.ifindex = (int)if_nametoindex("lo"),
				.batch = batch,
				.prefill = prefill,
				.prefill_len = prefill_len};
	struct errmsg err = {""};
	int rc;

	tx->ops = ops;
	rc = ops->open(tx, &cfg, &err);
	if (rc == -EPERM && (ops->flags & TX_NEEDS_RAW)) {
		assert_string_equal(err.text, NOT_ROOT_MSG);
		skip();
	}
	if (rc == -EOPNOTSUPP) {
		print_message("%s cannot work here: %s\n", ops->name, err.text);
		skip();
	}
	if (rc)
		print_error("%s: %s\n", ops->name, err.text);
	assert_int_equal(rc, 0);
}

static void stats_check(const struct tx *tx, uint64_t frames, uint64_t calls)
{
	struct tx_stats st;

	tx->ops->stats(tx, &st);
	assert_int_equal(st.frames_sent, frames);
	assert_int_equal(st.send_calls, calls);
	assert_int_equal(st.errors, 0);
}

/*
 * Submits the n slots until all are accepted and returns the submit calls it
 * took. Whenever a backend takes only part, the next reserve() must give the
 * rest back first, in order, bytes and lengths intact.
 */
static unsigned submit_all(struct tx *tx, struct tx_frame *slots, unsigned n)
{
	uint32_t tags[TX_BATCH_MAX];
	uint16_t lens[TX_BATCH_MAX];
	unsigned calls = 0, left;
	int rc;

	for (unsigned tries = 0; tries < 100000; tries++) {
		rc = tx->ops->submit(tx, n);
		calls++;
		assert_in_range(rc, 0, n);
		left = n - (unsigned)rc;
		if (!left)
			return calls;
		for (unsigned i = 0; i < left; i++) {
			tags[i] = frame_tag(slots[rc + i].data);
			lens[i] = slots[rc + i].len;
		}
		assert_int_equal(tx->ops->reserve(tx, slots, left), left);
		for (unsigned i = 0; i < left; i++) {
			assert_int_equal(frame_tag(slots[i].data), tags[i]);
			assert_int_equal(slots[i].len, lens[i]);
		}
		n = left;
		if (!rc)
			usleep(100);
	}
	fail_msg("%s never accepted the batch", tx->ops->name);
	return calls;
}

static void test_open_close(void **state)
{
	struct tx tx;

	backend_open(*state, &tx, 8, NULL, 0);
	stats_check(&tx, 0, 0);
	assert_int_equal(tx.ops->flush(&tx, 0), 0);
	tx.ops->close(&tx);
}

static void test_bad_config(void **state)
{
	const struct tx_ops *ops = *state;
	uint8_t big[TX_FRAME_MAX + 1] = {0};
	struct tx_config cfg = {.ifname = "lo", .batch = 0};
	struct errmsg err = {""};
	struct tx tx = {.ops = ops};

	assert_int_equal(ops->open(&tx, &cfg, &err), -EINVAL);
	assert_string_equal(err.text, "batch size 0 is outside 1-256");
	cfg.batch = TX_BATCH_MAX + 1;
	assert_int_equal(ops->open(&tx, &cfg, &err), -EINVAL);
	cfg.batch = 4;
	cfg.prefill = big;
	cfg.prefill_len = sizeof(big);
	assert_int_equal(ops->open(&tx, &cfg, &err), -EINVAL);
	assert_string_equal(err.text, "template of 2049 bytes exceeds 2048");
}

static void test_reserve_bounds(void **state)
{
	struct tx_frame slots[TX_BATCH_MAX];
	struct tx tx;
	unsigned n;

	backend_open(*state, &tx, 8, NULL, 0);
	assert_int_equal(tx.ops->reserve(&tx, slots, 0), 0);
	for (unsigned want = 1; want <= 8; want++) {
		n = tx.ops->reserve(&tx, slots, want);
		assert_in_range(n, 1, want);
		/* Slots are whole frames that do not overlap. */
		for (unsigned i = 0; i < n; i++)
			for (unsigned j = 0; j < i; j++)
				assert_false(slots[i].data < slots[j].data + TX_FRAME_MAX &&
					     slots[j].data < slots[i].data + TX_FRAME_MAX);
		/* Under ASan this proves every slot really holds TX_FRAME_MAX bytes. */
		for (unsigned i = 0; i < n; i++)
			memset(slots[i].data, 0xa5, TX_FRAME_MAX);
	}
	tx.ops->close(&tx);
}

static void test_submit_counts(void **state)
{
	struct tx_frame slots[TX_BATCH_MAX];
	unsigned n, calls = 0, total = 0;
	struct tx tx;

	backend_open(*state, &tx, 16, NULL, 0);
	for (unsigned round = 0; round < 10; round++) {
		n = tx.ops->reserve(&tx, slots, round % 2 ? 16 : 5);
		assert_in_range(n, 1, 16);
		for (unsigned i = 0; i < n; i++) {
			frame_build(slots[i].data, total + i);
			slots[i].len = FRAME_BYTES;
		}
		calls += submit_all(&tx, slots, n);
		total += n;
	}
	stats_check(&tx, total, calls);
	tx.ops->close(&tx);
}

/* The tag last written at each slot address seen, for test_prefill. */
#define SLOT_MAP_SIZE 16384
static struct {
	const uint8_t *data[SLOT_MAP_SIZE];
	uint32_t tag[SLOT_MAP_SIZE];
} slot_map;

/* The map entry of slot address data; *is_new says whether it was just added. */
static unsigned slot_map_find(const uint8_t *data, bool *is_new)
{
	unsigned i = (unsigned)(((uintptr_t)data >> 6) * 2654435761u) % SLOT_MAP_SIZE;

	while (slot_map.data[i] && slot_map.data[i] != data)
		i = (i + 1) % SLOT_MAP_SIZE;
	*is_new = !slot_map.data[i];
	slot_map.data[i] = data;
	return i;
}

/*
 * Slots start as the template; with TX_KEEPS_CONTENTS a slot handed out again
 * holds what was last written to it. Ring backends hand their frames out in
 * turn, so this goes round until slots come back (or 20,000 frames have gone).
 */
static void test_prefill(void **state)
{
	struct tx_frame slots[TX_BATCH_MAX];
	uint8_t tmpl[FRAME_BYTES];
	unsigned n, reused = 0, sent = 0;
	uint32_t tag = 1000;
	struct tx tx;
	bool is_new, keeps;

	memset(&slot_map, 0, sizeof(slot_map));
	frame_build(tmpl, 0);
	backend_open(*state, &tx, 8, tmpl, sizeof(tmpl));
	keeps = tx.ops->flags & TX_KEEPS_CONTENTS;
	for (unsigned tries = 0; reused < 8 && sent < 20000 && tries < 100000; tries++) {
		n = tx.ops->reserve(&tx, slots, 8);
		if (!n) {
			usleep(100); /* a ring whose frames are all in flight */
			continue;
		}
		for (unsigned i = 0; i < n; i++) {
			unsigned e = slot_map_find(slots[i].data, &is_new);

			assert_int_equal(slots[i].len, FRAME_BYTES);
			assert_memory_equal(slots[i].data, tmpl, TAG_OFF);
			if (is_new) {
				assert_memory_equal(slots[i].data, tmpl, FRAME_BYTES);
			} else if (keeps) {
				assert_int_equal(frame_tag(slots[i].data), slot_map.tag[e]);
				reused++;
			}
			slot_map.tag[e] = tag;
			be32_write(slots[i].data + TAG_OFF, tag++);
		}
		submit_all(&tx, slots, n);
		sent += n;
		if (!keeps)
			break;
	}
	if (keeps)
		assert_true(reused >= 8);
	tx.ops->close(&tx);
}

static void test_registry(void **state UNUSED)
{
	const struct tx_ops *ops;
	unsigned i;

	for (i = 0; (ops = tx_backend_at(i)) != NULL; i++) {
		assert_ptr_equal(tx_backend_find(ops->name), ops);
		assert_non_null(ops->open);
		assert_non_null(ops->close);
	}
	assert_true(i >= 3);
	assert_ptr_equal(tx_backend_find("afpacket"), &tx_afpacket_ops);
	assert_null(tx_backend_find("no-such-backend"));
}

/*
 * The automatic choice opens a real backend on "lo" (or says why not, the
 * same way afpacket would), and stops at a failure every backend would share.
 */
static void test_auto(void **state UNUSED)
{
	struct tx_config cfg = {.ifname = "lo", .batch = 8};
	struct errmsg err = {""};
	struct tx tx = {0};
	int rc;

	rc = tx_backend_open_auto(&tx, &cfg, &err);
	if (rc == -EPERM) {
		assert_string_equal(err.text, NOT_ROOT_MSG);
		skip();
	}
	assert_int_equal(rc, 0);
	assert_true(tx.ops->flags & TX_NEEDS_RAW);
	assert_ptr_not_equal(tx.ops, &tx_rawip_ops);
	print_message("auto picked %s on lo\n", tx.ops->name);
	tx.ops->close(&tx);
	cfg.ifname = "hayate-none0";
	assert_int_equal(tx_backend_open_auto(&tx, &cfg, &err), -ENODEV);
	assert_string_equal(err.text, "interface 'hayate-none0' does not exist");
}

static void test_mem_keeps_bytes(void **state UNUSED)
{
	struct tx_frame slots[TX_BATCH_MAX];
	struct tx_mem_view view;
	struct tx tx;
	unsigned n, total = 0;

	backend_open(&tx_mem_ops, &tx, 32, NULL, 0);
	for (unsigned round = 0; round < 9; round++) {
		n = tx.ops->reserve(&tx, slots, round + 24);
		for (unsigned i = 0; i < n; i++) {
			frame_build(slots[i].data, total + i);
			slots[i].len = (uint16_t)(FRAME_BYTES - (total + i) % 3);
		}
		assert_int_equal(tx.ops->submit(&tx, n), n);
		total += n;
	}
	tx_mem_view(&tx, &view);
	assert_int_equal(view.count, total);
	for (unsigned i = 0; i < total; i++) {
		uint8_t want[FRAME_BYTES];

		frame_build(want, i);
		assert_int_equal(view.lens[i], FRAME_BYTES - i % 3);
		assert_memory_equal(view.frames + (size_t)i * TX_FRAME_MAX, want, FRAME_BYTES);
	}
	tx.ops->close(&tx);
}

/* Opens afpacket on a scripted socket, so no privilege is needed. */
static void scripted_open(struct tx *tx, unsigned batch)
{
	script.on = true;
	will_return(__wrap_socket, 0);
	backend_open(&tx_afpacket_ops, tx, batch, NULL, 0);
}

static int script_off(void **state UNUSED)
{
	script.on = false;
	return 0;
}

static unsigned reserve_tagged(struct tx *tx, struct tx_frame *slots, unsigned want,
			       uint32_t first_tag)
{
	unsigned n = tx->ops->reserve(tx, slots, want);

	for (unsigned i = 0; i < n; i++) {
		frame_build(slots[i].data, first_tag + i);
		slots[i].len = FRAME_BYTES;
	}
	return n;
}

static void tags_check(const struct tx_frame *slots, unsigned n, uint32_t first_tag)
{
	for (unsigned i = 0; i < n; i++)
		assert_int_equal(frame_tag(slots[i].data), first_tag + i);
}

static void test_afpacket_partial(void **state UNUSED)
{
	struct tx_frame slots[TX_BATCH_MAX];
	struct tx_stats st;
	struct tx tx;

	scripted_open(&tx, 8);
	assert_int_equal(reserve_tagged(&tx, slots, 8, 0), 8);
	will_return(__wrap_sendmmsg, 3);
	assert_int_equal(tx.ops->submit(&tx, 8), 3);
	tx.ops->stats(&tx, &st);
	assert_int_equal(st.frames_sent, 3);
	assert_int_equal(st.would_block, 1);

	/* The five left over lead, bytes intact; then come free slots. */
	assert_int_equal(tx.ops->reserve(&tx, slots, 8), 8);
	tags_check(slots, 5, 3);
	for (unsigned i = 5; i < 8; i++) {
		frame_build(slots[i].data, 100 + i);
		slots[i].len = FRAME_BYTES;
	}
	/* Submitting fewer than are left over keeps the rest in front. */
	will_return(__wrap_sendmmsg, 2);
	assert_int_equal(tx.ops->submit(&tx, 2), 2);
	assert_int_equal(tx.ops->reserve(&tx, slots, 8), 8);
	tags_check(slots, 3, 5);
	for (unsigned i = 3; i < 8; i++) {
		frame_build(slots[i].data, 200 + i);
		slots[i].len = FRAME_BYTES;
	}
	will_return(__wrap_sendmmsg, 8);
	assert_int_equal(tx.ops->submit(&tx, 8), 8);
	assert_int_equal(script.sent_n, 8);
	for (unsigned i = 0; i < 8; i++)
		assert_int_equal(script.sent_tags[i], i < 3 ? 5 + i : 200 + i);
	stats_check(&tx, 13, 3);
	tx.ops->close(&tx);
}

static void test_afpacket_would_block(void **state UNUSED)
{
	static const int codes[] = {-EAGAIN, -ENOBUFS};
	struct tx_frame slots[TX_BATCH_MAX];
	struct tx_stats st;
	struct tx tx;

	scripted_open(&tx, 4);
	assert_int_equal(reserve_tagged(&tx, slots, 4, 7), 4);
	for (unsigned i = 0; i < ARRAY_SIZE(codes); i++) {
		will_return(__wrap_sendmmsg, codes[i]);
		assert_int_equal(tx.ops->submit(&tx, 4), 0);
		assert_int_equal(tx.ops->reserve(&tx, slots, 4), 4);
		tags_check(slots, 4, 7);
	}
	tx.ops->stats(&tx, &st);
	assert_int_equal(st.would_block, 2);
	assert_int_equal(st.errors, 0);
	assert_int_equal(st.frames_sent, 0);

	/* A hard error is returned, counted, and the frames stay queued. */
	will_return(__wrap_sendmmsg, -ENETDOWN);
	assert_int_equal(tx.ops->submit(&tx, 4), -ENETDOWN);
	tx.ops->stats(&tx, &st);
	assert_int_equal(st.errors, 1);
	assert_int_equal(tx.ops->reserve(&tx, slots, 4), 4);
	tags_check(slots, 4, 7);
	tx.ops->close(&tx);
}

static void test_afpacket_no_privilege(void **state UNUSED)
{
	static const int codes[] = {-EPERM, -EACCES};
	struct tx_config cfg = {.ifname = "lo", .batch = 8};
	struct errmsg err = {""};
	struct tx tx = {.ops = &tx_afpacket_ops};

	script.on = true;
	for (unsigned i = 0; i < ARRAY_SIZE(codes); i++) {
		will_return(__wrap_socket, codes[i]);
		assert_int_equal(tx_afpacket_ops.open(&tx, &cfg, &err), codes[i]);
		assert_string_equal(err.text, NOT_ROOT_MSG);
	}
}

static void test_afpacket_no_such_interface(void **state UNUSED)
{
	struct tx_config cfg = {.ifname = "hayate-none0", .batch = 8};
	struct errmsg err = {""};
	struct tx tx = {.ops = &tx_afpacket_ops};

	assert_int_equal(tx_afpacket_ops.open(&tx, &cfg, &err), -ENODEV);
	assert_string_equal(err.text, "interface 'hayate-none0' does not exist");
}

/* A new network namespace has only "lo", and it is down: open it there, in a child. */
static void test_afpacket_down(void **state UNUSED)
{
	struct tx_config cfg = {.ifname = "lo", .batch = 8};
	struct {
		int rc;
		struct errmsg err;
	} res = {0};
	struct tx tx = {.ops = &tx_afpacket_ops};
	int fds[2], status;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		res.rc = 1;
		if (unshare(CLONE_NEWNET) == 0 || unshare(CLONE_NEWUSER | CLONE_NEWNET) == 0)
			res.rc = tx_afpacket_ops.open(&tx, &cfg, &res.err);
		if (write(fds[1], &res, sizeof(res)) != sizeof(res))
			_exit(1);
		_exit(0);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], &res, sizeof(res)), sizeof(res));
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (res.rc == 1)
		skip(); /* no way to make a namespace here */
	assert_int_equal(res.rc, -ENETDOWN);
	assert_string_equal(res.err.text, "interface 'lo' is down");
}

/* An AF_PACKET socket that sees what arrives on "lo". */
static int capture_open_lo(void)
{
	struct sockaddr_ll sll = {.sll_family = AF_PACKET,
				  .sll_protocol = htons(ETH_P_ALL),
				  .sll_ifindex = (int)if_nametoindex("lo")};
	int fd, size = 8 << 20;

	fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sll, sizeof(sll)), 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size));
	return fd;
}

/* Reads frames from fd for up to 2 s; marks each of ours, checking it byte for byte. */
static unsigned capture_ours(int fd, bool *seen, unsigned count)
{
	struct pollfd pfd = {.fd = fd, .events = POLLIN};
	uint8_t buf[TX_FRAME_MAX], want[FRAME_BYTES];
	struct sockaddr_ll from;
	unsigned got = 0;
	socklen_t fromlen;
	ssize_t len;

	for (int waits = 0; got < count && waits < 20;) {
		fromlen = sizeof(from);
		len = recvfrom(fd, buf, sizeof(buf), 0, (struct sockaddr *)&from, &fromlen);
		if (len < 0) {
			waits += poll(&pfd, 1, 100) == 0;
			continue;
		}
		/* Loopback shows each frame twice; count the copy that arrived. */
		if (from.sll_pkttype == PACKET_OUTGOING || len != FRAME_BYTES ||
		    memcmp(buf + MAGIC_OFF, MAGIC, 8) != 0 ||
		    be32_read(buf + MAGIC_OFF + 8) != (uint32_t)getpid())
			continue;
		assert_in_range(frame_tag(buf), 0, count - 1);
		assert_false(seen[frame_tag(buf)]);
		frame_build(want, frame_tag(buf));
		assert_memory_equal(buf, want, FRAME_BYTES);
		seen[frame_tag(buf)] = true;
		got++;
	}
	return got;
}

/* Every frame a real backend accepts arrives on "lo", byte for byte, exactly once. */
static void test_loopback_bytes(void **state)
{
	enum { COUNT = 200, BATCH = 32 };
	struct tx_frame slots[TX_BATCH_MAX];
	bool seen[COUNT] = {false};
	unsigned n, sent = 0, calls = 0;
	struct tx tx;
	int fd;

	if (!(((const struct tx_ops *)*state)->flags & TX_NEEDS_RAW))
		skip(); /* sends nothing anywhere */
	backend_open(*state, &tx, BATCH, NULL, 0);
	fd = capture_open_lo();
	while (sent < COUNT) {
		n = reserve_tagged(&tx, slots, COUNT - sent < BATCH ? COUNT - sent : BATCH, sent);
		calls += submit_all(&tx, slots, n);
		sent += n;
	}
	assert_int_equal(tx.ops->flush(&tx, 1000), 0);
	stats_check(&tx, COUNT, calls);
	assert_int_equal(capture_ours(fd, seen, COUNT), COUNT);
	close(fd);
	tx.ops->close(&tx);
}

/* Frames go to a UDP socket of ours, so the kernel delivers them instead of answering ICMP. */
static void sink_open(void)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0 || bind(fd, (struct sockaddr *)&sin, sizeof(sin)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sin, &len) < 0) {
		perror("sink socket");
		return;
	}
	sink_port = ntohs(sin.sin_port);
}

int main(void)
{
	const struct CMUnitTest own[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_auto),
		cmocka_unit_test(test_mem_keeps_bytes),
		cmocka_unit_test_teardown(test_afpacket_partial, script_off),
		cmocka_unit_test_teardown(test_afpacket_would_block, script_off),
		cmocka_unit_test_teardown(test_afpacket_no_privilege, script_off),
		cmocka_unit_test(test_afpacket_no_such_interface),
		cmocka_unit_test(test_afpacket_down),
	};
	const struct tx_ops *ops;
	char name[64];
	int failed = 0;

	sink_open();
	for (unsigned i = 0; (ops = tx_backend_at(i)) != NULL; i++) {
		void *backend = (void *)ops;
		const struct CMUnitTest conformance[] = {
			cmocka_unit_test_prestate(test_open_close, backend),
			cmocka_unit_test_prestate(test_bad_config, backend),
			cmocka_unit_test_prestate(test_reserve_bounds, backend),
			cmocka_unit_test_prestate(test_submit_counts, backend),
			cmocka_unit_test_prestate(test_prefill, backend),
			cmocka_unit_test_prestate(test_loopback_bytes, backend),
		};

		snprintf(name, sizeof(name), "tx_backend %s", ops->name);
		failed += cmocka_run_group_tests_name(name, conformance, NULL, NULL);
	}
	failed += cmocka_run_group_tests_name("tx_backends", own, NULL, NULL);
	return failed ? 1 : 0;
}
