// SPDX-License-Identifier: MIT
#include "uring_restrict.h"

#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "compiler.h"

struct uring_allow {
	uint8_t ops[4];
	unsigned nops;
	uint8_t sqe_flags;
};

/* What each ring's user submits, and nothing else. */
static const struct uring_allow uring_policies[] = {
	[URING_PACKET_SEND] = {{IORING_OP_SEND}, 1, 0},
	[URING_CONNECT] = {{IORING_OP_CONNECT, IORING_OP_LINK_TIMEOUT}, 2, IOSQE_IO_LINK},
};

int uring_restrict(struct io_uring *ring, enum uring_policy policy)
{
	const struct uring_allow *allow = &uring_policies[policy];
	struct io_uring_restriction res[ARRAY_SIZE(allow->ops) + 2] = {{0}};
	unsigned n = 0;

	for (unsigned i = 0; i < allow->nops; i++)
		res[n++] = (struct io_uring_restriction){.opcode = IORING_RESTRICTION_SQE_OP,
							 .sqe_op = allow->ops[i]};
	/*
	 * liburing waits with a timeout by submitting a TIMEOUT request where
	 * the kernel cannot take the timeout as an argument (before Linux 5.11).
	 */
	if (!(ring->features & IORING_FEAT_EXT_ARG))
		res[n++] = (struct io_uring_restriction){.opcode = IORING_RESTRICTION_SQE_OP,
							 .sqe_op = IORING_OP_TIMEOUT};
	res[n++] = (struct io_uring_restriction){.opcode = IORING_RESTRICTION_SQE_FLAGS_ALLOWED,
						 .sqe_flags = allow->sqe_flags};
	if (syscall(__NR_io_uring_register, ring->ring_fd, IORING_REGISTER_RESTRICTIONS, res, n))
		return -errno;
	return 0;
}

int uring_enable(struct io_uring *ring)
{
	if (syscall(__NR_io_uring_register, ring->ring_fd, IORING_REGISTER_ENABLE_RINGS, NULL, 0))
		return -errno;
	return 0;
}
