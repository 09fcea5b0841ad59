// SPDX-License-Identifier: MIT
#include "discovery.h"

#include <errno.h>

int discovery_begin(struct scan *s, struct errmsg *err)
{
	int rc;

	if (!s->ping_phase || s->answered.bits)
		return 0;
	rc = answered_init(&s->answered, s->targets.total);
	if (rc == -E2BIG)
		return errmsg_set(err, rc, "--ping: too many targets to remember which answered");
	if (rc)
		return errmsg_set(err, rc, "out of memory for the hosts-up bitmap");
	return 0;
}

int64_t discovery_restrict(struct scan *s, bool track_silent, struct errmsg *err)
{
	struct target_set up;
	int64_t count = 0;
	int rc = 0;

	if (!s->answered.bits)
		return 0;
	targets_init(&up);
	/* In the ping phase the probe index of a target is its index: one echo each. */
	for (uint64_t i = 0; i < s->targets.total && !rc; i++) {
		if (!answered_test(&s->answered, i))
			continue;
		uint32_t addr = targets_at(&s->targets, i);

		rc = targets_add_range(&up, addr, addr);
		count++;
	}
	if (!rc)
		rc = targets_finish(&up);
	if (rc || !count) {
		targets_free(&up);
		return rc ? errmsg_set(err, rc, "out of memory for the hosts up") : 0;
	}
	targets_free(&s->targets);
	s->targets = up;
	s->ping_phase = false;
	answered_free(&s->answered);
	rc = scan_prepare(s, s->seed, err);
	if (rc)
		return rc;
	/* Without room for the bitmap the port scan still runs; silence goes unreported. */
	if (track_silent)
		answered_init(&s->answered, s->probes);
	return count;
}
