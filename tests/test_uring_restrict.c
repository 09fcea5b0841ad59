// SPDX-License-Identifier: MIT
/*
 * Tests for core/uring_restrict.c: a ring restricted to a policy does what
 * its user needs (SEND on a socket; CONNECT linked to a LINK_TIMEOUT, to a
 * listener on 127.0.0.1) and refuses everything else with -EACCES: other
 * opcodes (OPENAT above all, which the seccomp filter would never see), SQE
 * flags the policy does not name, and io_uring_register() once it runs.
 * Skipped where io_uring is unavailable (kernel.io_uring_disabled, a
 * container's seccomp profile).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "uring_restrict.h"

/* A ring restricted to policy and running; skips the test if io_uring is unavailable. */
static void ring_for(struct io_uring *ring, enum uring_policy policy)
{
	int rc = io_uring_queue_init(8, ring, IORING_SETUP_R_DISABLED);

	if (rc == -ENOSYS || rc == -EPERM || rc == -EINVAL)
		skip();
	assert_int_equal(rc, 0);
	assert_int_equal(uring_restrict(ring, policy), 0);
	assert_int_equal(uring_enable(ring), 0);
}

/* Submits what is queued and returns the result of the completion with user_data id. */
static int result_of(struct io_uring *ring, uint64_t id)
{
	struct io_uring_cqe *cqe;
	int res = INT32_MIN;

	io_uring_submit(ring);
	for (;;) {
		assert_int_equal(io_uring_wait_cqe(ring, &cqe), 0);
		if (cqe->user_data == id)
			res = cqe->res;
		io_uring_cqe_seen(ring, cqe);
		if (res != INT32_MIN)
			return res;
	}
}

/* The requests no policy allows: a NOP, and opening a file behind seccomp's back. */
static void assert_refused_elsewhere(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	io_uring_prep_nop(sqe);
	sqe->user_data = 101;
	assert_int_equal(result_of(ring, 101), -EACCES);
	sqe = io_uring_get_sqe(ring);
	io_uring_prep_openat(sqe, AT_FDCWD, "/etc/hostname", O_RDONLY, 0);
	sqe->user_data = 102;
	assert_int_equal(result_of(ring, 102), -EACCES);
}

static void test_packet_send(void **state)
{
	static const char msg[] = "probe";
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	struct iovec iov = {(void *)msg, sizeof(msg)};
	char got[16];
	int sv[2];

	(void)state;
	ring_for(&ring, URING_PACKET_SEND);
	assert_int_equal(socketpair(AF_UNIX, SOCK_DGRAM, 0, sv), 0);
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_send(sqe, sv[0], msg, sizeof(msg), 0);
	sqe->user_data = 1;
	assert_int_equal(result_of(&ring, 1), sizeof(msg));
	assert_int_equal(recv(sv[1], got, sizeof(got), 0), sizeof(msg));
	/* SENDMSG is a different opcode: not what the backend uses, so refused. */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_sendmsg(sqe, sv[0], &(struct msghdr){.msg_iov = &iov, .msg_iovlen = 1}, 0);
	sqe->user_data = 2;
	assert_int_equal(result_of(&ring, 2), -EACCES);
	/* A flag the policy does not name: even an allowed opcode is refused with it. */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_send(sqe, sv[0], msg, sizeof(msg), 0);
	sqe->flags |= IOSQE_ASYNC;
	sqe->user_data = 3;
	assert_int_equal(result_of(&ring, 3), -EACCES);
	assert_refused_elsewhere(&ring);
	/* Once it runs, nothing more can be registered with it. */
	assert_int_equal(io_uring_register_buffers(&ring, &iov, 1), -EACCES);
	io_uring_queue_exit(&ring);
	close(sv[0]);
	close(sv[1]);
}

static void test_connect(void **state)
{
	struct __kernel_timespec timeout = {.tv_sec = 5};
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof(sa);
	struct io_uring ring;
	struct io_uring_sqe *sqe;
	int lfd = socket(AF_INET, SOCK_STREAM, 0), fd = socket(AF_INET, SOCK_STREAM, 0);

	(void)state;
	ring_for(&ring, URING_CONNECT);
	assert_true(lfd >= 0 && fd >= 0);
	assert_int_equal(bind(lfd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	assert_int_equal(listen(lfd, 1), 0);
	assert_int_equal(getsockname(lfd, (struct sockaddr *)&sa, &len), 0);
	/* What core/connect.c submits: a CONNECT linked to its timeout. */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_connect(sqe, fd, (struct sockaddr *)&sa, sizeof(sa));
	sqe->flags |= IOSQE_IO_LINK;
	sqe->user_data = 1;
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_link_timeout(sqe, &timeout, 0);
	sqe->user_data = 2;
	assert_int_equal(result_of(&ring, 1), 0);
	/* SEND is the other policy's: refused here. */
	sqe = io_uring_get_sqe(&ring);
	io_uring_prep_send(sqe, fd, "x", 1, 0);
	sqe->user_data = 3;
	assert_int_equal(result_of(&ring, 3), -EACCES);
	assert_refused_elsewhere(&ring);
	io_uring_queue_exit(&ring);
	close(fd);
	close(lfd);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_packet_send),
		cmocka_unit_test(test_connect),
	};

	return cmocka_run_group_tests_name("uring_restrict", tests, NULL, NULL);
}
