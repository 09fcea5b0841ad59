// SPDX-License-Identifier: MIT
/*
 * Capture backends. mem must replay its frames once, in order, lengths intact.
 * The live backends (pcap, ring) run one suite each: when privileged, they
 * must deliver from loopback exactly the datagrams their filter matches, and
 * account for every frame of a flood they cannot hold (delivered + dropped =
 * sent); their setup errors must name the problem, checked in child processes
 * that drop privilege or enter a fresh network namespace.
 */
#include "rx.h"
#include "packet.h"

#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <grp.h>
#include <time.h>
#include <unistd.h>
#include <cmocka.h>

#define NOT_ROOT_MSG                                                                               \
	"opening a packet socket needs root or CAP_NET_RAW (try sudo, or setcap cap_net_raw+ep "   \
	"bin/hayate)"
#define SEEN_MAX   16
#define SEEN_BYTES 256

/* What the callback was given, copied, since frames are only valid inside it. */
struct seen {
	unsigned count;
	uint32_t lens[SEEN_MAX];
	uint64_t ts_ns[SEEN_MAX];
	uint8_t frames[SEEN_MAX][SEEN_BYTES];
};

static void seen_add(void *ctx, const uint8_t *frame, uint32_t len, uint64_t ts_ns)
{
	struct seen *s = ctx;

	assert_true(s->count < SEEN_MAX);
	s->lens[s->count] = len;
	s->ts_ns[s->count] = ts_ns;
	memcpy(s->frames[s->count], frame, len < SEEN_BYTES ? len : SEEN_BYTES);
	s->count++;
}

static void test_mem_replay(void **state UNUSED)
{
	static const uint8_t a[] = {1, 2, 3}, b[60] = {4}, c[] = {5};
	const uint8_t *const frames[] = {a, b, c};
	const uint32_t lens[] = {sizeof(a), sizeof(b), 0};
	struct rx_config cfg = {.mem_frames = frames, .mem_lens = lens, .mem_count = 3};
	struct errmsg err = {""};
	struct rx rx = {.ops = &rx_mem_ops};
	struct rx_stats st;
	struct seen s = {0};

	assert_int_equal(rx.ops->open(&rx, &cfg, &err), 0);
	assert_int_equal(rx.link_type, 1);
	assert_int_equal(rx.ops->dispatch(&rx, seen_add, &s, 10), 3);
	assert_int_equal(s.count, 3);
	for (unsigned i = 0; i < 3; i++) {
		assert_int_equal(s.lens[i], lens[i]);
		assert_memory_equal(s.frames[i], frames[i], lens[i]);
		assert_int_equal(s.ts_ns[i], i);
	}
	/* Once only: a second dispatch finds nothing. */
	assert_int_equal(rx.ops->dispatch(&rx, seen_add, &s, 10), 0);
	assert_int_equal(s.count, 3);
	rx.ops->stats(&rx, &st);
	assert_int_equal(st.frames_seen, 3);
	assert_int_equal(st.kernel_drops, 0);
	rx.ops->close(&rx);
}

static void test_mem_empty_and_bad(void **state UNUSED)
{
	struct rx_config cfg = {0};
	struct errmsg err = {""};
	struct rx rx = {.ops = &rx_mem_ops};
	struct seen s = {0};

	assert_int_equal(rx.ops->open(&rx, &cfg, &err), 0);
	assert_int_equal(rx.ops->dispatch(&rx, seen_add, &s, 10), 0);
	rx.ops->close(&rx);
	cfg.mem_count = 2;
	assert_int_equal(rx.ops->open(&rx, &cfg, &err), -EINVAL);
	assert_string_equal(err.text, "2 frames to replay but no frames given");
}

/* Opens ops on "lo" with filter; skips the test if we lack the privilege. */
static void live_open_lo(const struct rx_ops *ops, struct rx *rx, const char *filter,
			 unsigned buffer_bytes)
{
	struct rx_config cfg = {.ifname = "lo", .filter = filter, .buffer_bytes = buffer_bytes};
	struct errmsg err = {""};
	int rc;

	rx->ops = ops;
	rc = rx->ops->open(rx, &cfg, &err);
	if (rc == -EPERM) {
		assert_string_equal(err.text, NOT_ROOT_MSG);
		skip();
	}
	if (rc)
		print_error("%s\n", err.text);
	assert_int_equal(rc, 0);
}

/* A UDP socket bound to 127.0.0.1 on a port the kernel picks; stores the port. */
static int udp_bound(uint16_t *port)
{
	struct sockaddr_in sin = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sin);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	assert_true(fd >= 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&sin, sizeof(sin)), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&sin, &len), 0);
	*port = ntohs(sin.sin_port);
	return fd;
}

static void udp_send(int fd, uint16_t port, const char *text)
{
	struct sockaddr_in to = {.sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};

	assert_int_equal(sendto(fd, text, strlen(text), 0, (struct sockaddr *)&to, sizeof(to)),
			 strlen(text));
}

/* Checks that frame i of s is the UDP datagram text, sent to port. */
static void udp_check(const struct seen *s, unsigned i, uint16_t port, const char *text)
{
	const uint8_t *f = s->frames[i];
	unsigned ip_bytes = (f[ETH_HDR_BYTES] & 0xf) * 4u;
	const uint8_t *udp = f + ETH_HDR_BYTES + ip_bytes;

	assert_int_equal(s->lens[i], ETH_HDR_BYTES + ip_bytes + 8 + strlen(text));
	assert_int_equal(be16_read(f + 12), ETH_TYPE_IPV4);
	assert_int_equal(f[ETH_HDR_BYTES + 9], 17);
	assert_int_equal(be16_read(udp + 2), port);
	assert_memory_equal(udp + 8, text, strlen(text));
}

static void test_filter_on_loopback(void **state)
{
	static const char *const texts[] = {"hayate-0", "hayate-1", "hayate-2"};
	uint16_t hit, miss;
	int fd_hit = udp_bound(&hit), fd_miss = udp_bound(&miss);
	struct timespec now;
	struct seen s = {0};
	struct rx_stats st;
	char filter[64];
	struct rx rx;
	int rc;

	snprintf(filter, sizeof(filter), "udp and dst port %u", hit);
	live_open_lo(*state, &rx, filter, 4 << 20);
	assert_int_equal(rx.link_type, 1);
	for (unsigned i = 0; i < ARRAY_SIZE(texts); i++) {
		udp_send(fd_miss, miss, "not for the filter");
		udp_send(fd_miss, hit, texts[i]);
	}
	for (int waits = 0; s.count < ARRAY_SIZE(texts) && waits < 20; waits++) {
		rc = rx.ops->dispatch(&rx, seen_add, &s, 100);
		assert_true(rc >= 0);
	}
	/* Wait a little longer: nothing else may arrive. */
	assert_int_equal(rx.ops->dispatch(&rx, seen_add, &s, 200), 0);
	assert_int_equal(s.count, ARRAY_SIZE(texts));
	clock_gettime(CLOCK_REALTIME, &now);
	for (unsigned i = 0; i < s.count; i++) {
		udp_check(&s, i, hit, texts[i]);
		assert_in_range(s.ts_ns[i], (uint64_t)(now.tv_sec - 10) * 1000000000u,
				(uint64_t)(now.tv_sec + 1) * 1000000000u);
	}
	rx.ops->stats(&rx, &st);
	assert_int_equal(st.frames_seen, ARRAY_SIZE(texts));
	rx.ops->close(&rx);
	close(fd_hit);
	close(fd_miss);
}

static void test_bad_filter(void **state)
{
	static const char prefix[] = "bad capture filter \"udp and port nonsense(\": ";
	struct rx_config cfg = {.ifname = "lo", .filter = "udp and port nonsense("};
	struct errmsg err = {""};
	struct rx rx = {.ops = *state};
	int rc;

	rc = rx.ops->open(&rx, &cfg, &err);
	if (rc == -EPERM)
		skip(); /* the filter is compiled for the open handle */
	assert_int_equal(rc, -EINVAL);
	assert_memory_equal(err.text, prefix, strlen(prefix));
	assert_true(strlen(err.text) > strlen(prefix)); /* pcap's own words follow */
}

static void test_no_such_interface(void **state)
{
	struct rx_config cfg = {.ifname = "hayate-none0"};
	struct errmsg err = {""};
	struct rx rx = {.ops = *state};

	assert_int_equal(rx.ops->open(&rx, &cfg, &err), -ENODEV);
	assert_string_equal(err.text, "interface 'hayate-none0' does not exist");
}

/* The outcome of opening a backend on "lo" in a child; rc 1 means the child could not set up. */
struct child_result {
	int rc;
	struct errmsg err;
};

static void open_in_child(const struct rx_ops *ops, int (*setup)(void), struct child_result *res)
{
	struct rx_config cfg = {.ifname = "lo"};
	struct rx rx = {.ops = ops};
	int fds[2], status;
	pid_t pid;

	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		res->rc = setup() == 0 ? rx.ops->open(&rx, &cfg, &res->err) : 1;
		_exit(write(fds[1], res, sizeof(*res)) == sizeof(*res) ? 0 : 1);
	}
	close(fds[1]);
	assert_int_equal(read(fds[0], res, sizeof(*res)), sizeof(*res));
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	if (res->rc == 1)
		skip();
}

static int become_nobody(void)
{
	if (geteuid() != 0)
		return 0;
	return setgroups(0, NULL) || setresgid(65534, 65534, 65534) ||
	       setresuid(65534, 65534, 65534);
}

/* A fresh network namespace holds only "lo", and it is down. */
static int enter_new_netns(void)
{
	return unshare(CLONE_NEWNET) && unshare(CLONE_NEWUSER | CLONE_NEWNET);
}

static void test_no_privilege(void **state)
{
	struct child_result res = {0};

	open_in_child(*state, become_nobody, &res);
	assert_int_equal(res.rc, -EPERM);
	assert_string_equal(res.err.text, NOT_ROOT_MSG);
}

static void test_down(void **state)
{
	struct child_result res = {0};

	open_in_child(*state, enter_new_netns, &res);
	assert_int_equal(res.rc, -ENETDOWN);
	assert_string_equal(res.err.text, "interface 'lo' is down");
}

/* Counts the frames delivered, for test_flood_accounted. */
static void count_frame(void *ctx, const uint8_t *frame UNUSED, uint32_t len UNUSED,
			uint64_t ts_ns UNUSED)
{
	(*(unsigned *)ctx)++;
}

/*
 * A flood larger than a small capture buffer, sent before anything is read:
 * every datagram must be either delivered or counted as dropped, and some
 * must have been dropped, so the counters are proven to be read.
 */
static void test_flood_accounted(void **state)
{
	enum { FLOOD = 20000 };
	uint16_t port;
	int fd = udp_bound(&port);
	unsigned delivered = 0;
	struct rx_stats st = {0};
	char filter[64], text[100];
	struct rx rx;

	snprintf(filter, sizeof(filter), "udp and dst port %u", port);
	live_open_lo(*state, &rx, filter, 1 << 20);
	memset(text, 'h', sizeof(text) - 1);
	text[sizeof(text) - 1] = '\0';
	for (unsigned i = 0; i < FLOOD; i++)
		udp_send(fd, port, text);
	for (int idle = 0; idle < 3;)
		idle = rx.ops->dispatch(&rx, count_frame, &delivered, 50) > 0 ? 0 : idle + 1;
	rx.ops->stats(&rx, &st);
	print_message("%s: %u delivered, %llu dropped, ring full %llu times\n", rx.ops->name,
		      delivered, (unsigned long long)st.kernel_drops,
		      (unsigned long long)st.ring_full);
	assert_int_equal(st.frames_seen, delivered);
	assert_true(st.kernel_drops > 0);
	/*
	 * Loopback shows each datagram twice, outgoing and incoming. The ring
	 * never queues outgoing frames (PACKET_IGNORE_OUTGOING); libpcap queues
	 * both and discards the outgoing one in user space (PCAP_D_IN), so its
	 * drop counter also counts outgoing copies it had no room for.
	 */
	if (rx.ops == &rx_ring_ops)
		assert_int_equal(delivered + st.kernel_drops, FLOOD);
	else
		assert_in_range(delivered + st.kernel_drops, FLOOD, 2 * FLOOD);
	rx.ops->close(&rx);
	close(fd);
}

int main(void)
{
	const struct CMUnitTest mem[] = {
		cmocka_unit_test(test_mem_replay),
		cmocka_unit_test(test_mem_empty_and_bad),
	};
	static const struct rx_ops *const live[] = {&rx_pcap_ops, &rx_ring_ops};
	int failed = cmocka_run_group_tests_name("capture mem", mem, NULL, NULL);
	char name[64];

	for (unsigned i = 0; i < ARRAY_SIZE(live); i++) {
		void *ops = (void *)live[i];
		const struct CMUnitTest tests[] = {
			cmocka_unit_test_prestate(test_filter_on_loopback, ops),
			cmocka_unit_test_prestate(test_flood_accounted, ops),
			cmocka_unit_test_prestate(test_bad_filter, ops),
			cmocka_unit_test_prestate(test_no_such_interface, ops),
			cmocka_unit_test_prestate(test_no_privilege, ops),
			cmocka_unit_test_prestate(test_down, ops),
		};

		snprintf(name, sizeof(name), "capture %s", live[i]->name);
		failed += cmocka_run_group_tests_name(name, tests, NULL, NULL);
	}
	assert_ptr_equal(rx_backend_find("ring"), &rx_ring_ops);
	assert_ptr_equal(rx_backend_find("pcap"), &rx_pcap_ops);
	assert_null(rx_backend_find("no-such-backend"));
	return failed ? 1 : 0;
}
