/* SPDX-License-Identifier: MIT */
/*
 * io_uring's own allow list. Requests on a ring are never seen by the seccomp
 * filter (core/privdrop.c): an unrestricted ring could open files, make
 * sockets of any family or connect anywhere, whatever the filter forbids. So
 * every ring hayate makes starts disabled (IORING_SETUP_R_DISABLED) and is
 * restricted (IORING_REGISTER_RESTRICTIONS) to the opcodes and SQE flags its
 * user submits before it runs, with no io_uring_register() operation allowed
 * after that: any other request completes with -EACCES. liburing 2.3 (Debian
 * 12) declares io_uring_register_restrictions() and io_uring_enable_rings()
 * but its shared library does not export them, so these are system calls.
 */
#pragma once

#include <liburing.h>

enum uring_policy {
	URING_PACKET_SEND, /* tx/send_uring.c: SEND on its packet socket */
	URING_CONNECT,	   /* core/connect.c: CONNECT linked (IOSQE_IO_LINK) to a LINK_TIMEOUT */
};

/*
 * Restricts ring, made with IORING_SETUP_R_DISABLED and not yet enabled, to
 * what policy allows. Returns 0 or -errno.
 */
int uring_restrict(struct io_uring *ring, enum uring_policy policy);

/*
 * Starts a ring made disabled; with IORING_SETUP_SINGLE_ISSUER the calling
 * thread becomes the one that may submit. Returns 0 or -errno.
 */
int uring_enable(struct io_uring *ring);
