// SPDX-License-Identifier: MIT
#include "connect_ring.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "uring_restrict.h"

unsigned connect_slot_count(const struct connect_shared *cs, unsigned slices)
{
	unsigned n = cs->max_inflight / slices;

	return n ? n : 1;
}

/*
 * Makes one thread's ring, with room for two SQEs a slot and the CQEs they
 * bring (core/connect.c says why neither queue overflows): disabled, and
 * restricted before anyone may run it. Returns 0 or -errno with err set.
 */
static int connect_ring_open(struct connect_ring *cr, unsigned slots, struct errmsg *err)
{
	struct io_uring_params params = {0};
	unsigned entries = 1;
	int rc;

	while (entries < 2 * slots)
		entries <<= 1;
	/* One thread submits and reaps: completions can wait for its next io_uring_enter(). */
	params.flags = IORING_SETUP_CQSIZE | IORING_SETUP_SUBMIT_ALL | IORING_SETUP_SINGLE_ISSUER |
		       IORING_SETUP_COOP_TASKRUN | IORING_SETUP_R_DISABLED;
	params.cq_entries = 2 * entries;
	rc = io_uring_queue_init_params(entries, &cr->ring, &params);
	if (rc == -EINVAL) { /* before Linux 6.1 */
		params = (struct io_uring_params){.flags = IORING_SETUP_CQSIZE |
							   IORING_SETUP_R_DISABLED,
						  .cq_entries = 2 * entries};
		rc = io_uring_queue_init_params(entries, &cr->ring, &params);
	}
	if (rc)
		return errmsg_set(err, rc,
				  "io_uring is not available (%s); the connect scan needs Linux "
				  ">= 5.19 with io_uring enabled (sysctl kernel.io_uring_disabled)",
				  strerror(-rc));
	cr->open = true;
	rc = uring_restrict(&cr->ring, URING_CONNECT);
	if (rc)
		return errmsg_set(err, rc, "cannot restrict the io_uring to CONNECT: %s",
				  strerror(-rc));
	return 0;
}

int connect_prepare(struct connect_shared *cs, unsigned slices, struct errmsg *err)
{
	cs->rings = calloc(slices, sizeof(*cs->rings));
	if (!cs->rings)
		return errmsg_set(err, -ENOMEM, "out of memory");
	cs->nrings = slices;
	for (unsigned i = 0; i < slices; i++) {
		int rc = connect_ring_open(&cs->rings[i], connect_slot_count(cs, slices), err);

		if (rc)
			return rc;
	}
	return 0;
}

void connect_ring_close(struct connect_ring *cr)
{
	io_uring_queue_exit(&cr->ring);
	cr->open = false;
}

void connect_release(struct connect_shared *cs)
{
	for (unsigned i = 0; cs->rings && i < cs->nrings; i++)
		if (cs->rings[i].open)
			connect_ring_close(&cs->rings[i]);
	free(cs->rings);
	cs->rings = NULL;
	cs->nrings = 0;
}
