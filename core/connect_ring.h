/* SPDX-License-Identifier: MIT */
/*
 * The connect threads' io_urings: connect_prepare() makes one a thread,
 * restricted and not yet running, before the privilege drop (whose filter
 * refuses io_uring_setup()); each connect_run() starts its own, which makes
 * its thread the one submitter, and closes it. Private to core/.
 */
#pragma once

#include <liburing.h>
#include <stdbool.h>
#include "connect.h"

struct connect_ring {
	struct io_uring ring;
	bool open; /* made and not yet closed */
};

/* The connects each of slices threads has in flight at most. */
unsigned connect_slot_count(const struct connect_shared *cs, unsigned slices);

/* Closes one ring, cancelling what is in flight. */
void connect_ring_close(struct connect_ring *cr);
