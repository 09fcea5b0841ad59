// SPDX-License-Identifier: MIT
/*
 * libFuzzer target for the target-spec parser. The input is split at its
 * first newline: the part before is an include list, the part after an
 * exclude list, each as targets_add_list()/targets_exclude_list() take them
 * from the command line. After targets_finish() the set must be sorted,
 * disjoint and non-adjacent, its total the sum of its ranges, targets_at()
 * must land inside it, and no range may hold an excluded address.
 */
#include <assert.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "targets.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Checks what targets_finish() promises; excl is a copy of the merged excludes. */
static void fuzz_check(const struct target_set *t)
{
	uint64_t sum = 0;

	for (unsigned i = 0; i < t->count; i++) {
		assert(t->ranges[i].first <= t->ranges[i].last);
		if (i)
			assert((uint64_t)t->ranges[i - 1].last + 1 < t->ranges[i].first);
		assert(t->starts[i] == sum);
		sum += (uint64_t)t->ranges[i].last - t->ranges[i].first + 1;
		for (unsigned j = 0; j < t->excl_count; j++)
			assert(t->excl[j].last < t->ranges[i].first ||
			       t->excl[j].first > t->ranges[i].last);
	}
	assert(sum == t->total);
	if (t->total) {
		uint64_t probes[] = {0, t->total / 3, t->total / 2, t->total - 1};

		for (unsigned i = 0; i < sizeof(probes) / sizeof(probes[0]); i++)
			assert(targets_contains(t, targets_at(t, probes[i])));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct target_set t;
	struct errmsg err;
	char *text, *nl;
	int rc;

	if (size > 16384)
		return 0;
	text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	nl = strchr(text, '\n');
	if (nl)
		*nl = '\0';
	targets_init(&t);
	err.text[0] = '\0';
	rc = targets_add_list(&t, text, &err);
	if (!rc && nl)
		rc = targets_exclude_list(&t, nl + 1, &err);
	if (rc)
		assert(err.text[0] && strlen(err.text) < sizeof(err.text));
	else if (targets_finish(&t) == 0)
		fuzz_check(&t);
	targets_free(&t);
	free(text);
	return 0;
}
