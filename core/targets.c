// SPDX-License-Identifier: MIT
/*
 * Adds only append, so reading a million-line target file costs one pass.
 * targets_finish() then does the real work in O(n log n): sort and merge the
 * includes, sort and merge the excludes, subtract the second list from the
 * first in one linear sweep with two cursors, and lay down prefix sums so that
 * targets_at() is one binary search. All arithmetic on range ends is done in
 * 64 bits, because last + 1 overflows at 255.255.255.255.
 */
#include "targets.h"

#include <assert.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "addr.h"

/* Above this many pending ranges, a full array is compacted before it grows. */
#define TARGETS_COMPACT_MIN (1u << 20)
#define TARGETS_CAP_MAX	    (1u << 31)

/* Quotes at most SPEC_SHOWN bytes of a spec in a message, so the reason still fits. */
#define SPEC_SHOWN 60
#define SPEC_FMT   "'%.*s%s'"
#define SPEC_ARG(s, len)                                                                           \
	(int)((len) > SPEC_SHOWN ? SPEC_SHOWN : (len)), (s), ((len) > SPEC_SHOWN ? "..." : "")

void targets_init(struct target_set *t)
{
	memset(t, 0, sizeof(*t));
}

void targets_free(struct target_set *t)
{
	free(t->ranges);
	free(t->starts);
	free(t->excl);
	targets_init(t);
}

static int targets_cmp(const void *a, const void *b)
{
	const struct target_range *x = a, *y = b;

	return (x->first > y->first) - (x->first < y->first);
}

/* Sorts v and merges overlapping and adjacent ranges in place; returns the new count. */
static unsigned targets_merge(struct target_range *v, unsigned n)
{
	unsigned out = 0;

	if (n == 0)
		return 0;
	qsort(v, n, sizeof(*v), targets_cmp);
	for (unsigned i = 1; i < n; i++) {
		if ((uint64_t)v[i].first <= (uint64_t)v[out].last + 1) {
			if (v[i].last > v[out].last)
				v[out].last = v[i].last;
		} else {
			v[++out] = v[i];
		}
	}
	return out + 1;
}

/*
 * Appends [first, last] to a growable array. A big full array is first sorted
 * and merged, so a file that repeats or nests its ranges needs memory for the
 * merged set only; it grows when that frees less than half, which keeps the
 * cost per add amortised O(log n).
 */
static int targets_push(struct target_range **v, unsigned *count, unsigned *cap, uint32_t first,
			uint32_t last)
{
	bool must_grow = *count == *cap;

	assert(first <= last);
	if (must_grow && *cap >= TARGETS_COMPACT_MIN) {
		*count = targets_merge(*v, *count);
		must_grow = *count > *cap / 2;
	}
	if (must_grow) {
		unsigned ncap = *cap ? *cap * 2 : 64;
		struct target_range *nv;

		if (*cap >= TARGETS_CAP_MAX)
			return -ENOMEM;
		nv = realloc(*v, (size_t)ncap * sizeof(*nv));
		if (!nv)
			return -ENOMEM;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*count)++] = (struct target_range){first, last};
	return 0;
}

int targets_add_range(struct target_set *t, uint32_t first, uint32_t last)
{
	return targets_push(&t->ranges, &t->count, &t->cap, first, last);
}

int targets_exclude_range(struct target_set *t, uint32_t first, uint32_t last)
{
	return targets_push(&t->excl, &t->excl_count, &t->excl_cap, first, last);
}

static bool targets_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static void targets_trim(const char **s, size_t *len)
{
	while (*len && targets_is_space(**s))
		(*s)++, (*len)--;
	while (*len && targets_is_space((*s)[*len - 1]))
		(*len)--;
}

static bool targets_parse_addr(const char *s, size_t len, uint32_t *addr)
{
	targets_trim(&s, &len);
	return len < ADDR_STR_MAX && addr_parse_n(s, (unsigned)len, addr);
}

/* Parses 1-3 decimal digits worth 0-255 (a prefix length or a last octet); -1 if not. */
static int targets_parse_small(const char *s, size_t len)
{
	int value = 0;

	targets_trim(&s, &len);
	if (len == 0 || len > 3 || (s[0] == '0' && len > 1))
		return -1;
	for (size_t i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		value = value * 10 + (s[i] - '0');
	}
	return value <= 255 ? value : -1;
}

/* inet_aton() reads "010" as octal 8, so a leading zero gets its own explanation. */
static const char *targets_zero_hint(const char *s, size_t len)
{
	for (size_t i = 0; i + 1 < len; i++) {
		bool starts_octet = i == 0 || s[i - 1] == '.';

		if (starts_octet && s[i] == '0' && s[i + 1] >= '0' && s[i + 1] <= '9')
			return " (a leading zero is ambiguous: octal or decimal?)";
	}
	return "";
}

static int targets_bad_part(const char *spec, size_t len, const char *part, size_t part_len,
			    struct errmsg *err)
{
	targets_trim(&part, &part_len);
	if (part_len == 0)
		return errmsg_set(err, -EINVAL, SPEC_FMT ": missing address", SPEC_ARG(spec, len));
	return errmsg_set(err, -EINVAL, SPEC_FMT ": " SPEC_FMT " is not an IPv4 address%s",
			  SPEC_ARG(spec, len), SPEC_ARG(part, part_len),
			  targets_zero_hint(part, part_len));
}

/* "a.b.c.d/len": host bits are cleared, as nmap and masscan do. */
static int targets_parse_cidr(const char *s, size_t len, size_t slash, struct target_range *r,
			      struct errmsg *err)
{
	int prefix = targets_parse_small(s + slash + 1, len - slash - 1);
	uint32_t addr, mask;

	if (!targets_parse_addr(s, slash, &addr))
		return targets_bad_part(s, len, s, slash, err);
	if (prefix < 0 || prefix > 32)
		return errmsg_set(err, -EINVAL, SPEC_FMT ": prefix length must be 0-32",
				  SPEC_ARG(s, len));
	mask = prefix ? ~(uint32_t)0 << (32 - prefix) : 0;
	r->first = addr & mask;
	r->last = r->first | ~mask;
	return 0;
}

/* "a.b.c.d-e.f.g.h", or nmap's short "a.b.c.d-h" that replaces the last octet. */
static int targets_parse_range(const char *s, size_t len, size_t dash, struct target_range *r,
			       struct errmsg *err)
{
	const char *right = s + dash + 1;
	size_t right_len = len - dash - 1;
	int octet = targets_parse_small(right, right_len);

	if (!targets_parse_addr(s, dash, &r->first))
		return targets_bad_part(s, len, s, dash, err);
	if (octet >= 0)
		r->last = (r->first & 0xffffff00u) | (uint32_t)octet;
	else if (!targets_parse_addr(right, right_len, &r->last))
		return targets_bad_part(s, len, right, right_len, err);
	if (r->first > r->last)
		return errmsg_set(err, -EINVAL, "range " SPEC_FMT " is reversed", SPEC_ARG(s, len));
	return 0;
}

static int targets_parse(const char *s, size_t len, struct target_range *r, struct errmsg *err)
{
	const char *sep;

	targets_trim(&s, &len);
	if (len == 0)
		return errmsg_set(err, -EINVAL, "empty target spec");
	sep = memchr(s, '/', len);
	if (sep)
		return targets_parse_cidr(s, len, (size_t)(sep - s), r, err);
	sep = memchr(s, '-', len);
	if (sep)
		return targets_parse_range(s, len, (size_t)(sep - s), r, err);
	if (!targets_parse_addr(s, len, &r->first))
		return errmsg_set(err, -EINVAL, SPEC_FMT " is not an IPv4 address, CIDR or range%s",
				  SPEC_ARG(s, len), targets_zero_hint(s, len));
	r->last = r->first;
	return 0;
}

static int targets_take(struct target_set *t, const char *s, size_t len, bool exclude,
			struct errmsg *err)
{
	struct target_range r;
	int rc = targets_parse(s, len, &r, err);

	if (rc)
		return rc;
	rc = exclude ? targets_exclude_range(t, r.first, r.last)
		     : targets_add_range(t, r.first, r.last);
	if (rc)
		return errmsg_set(err, rc, "out of memory adding " SPEC_FMT, SPEC_ARG(s, len));
	return 0;
}

static int targets_take_list(struct target_set *t, const char *list, bool exclude,
			     struct errmsg *err)
{
	bool has_comma = strchr(list, ',') != NULL;

	for (const char *p = list;;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);
		const char *item = p;
		int rc;

		targets_trim(&item, &len);
		if (len == 0 && has_comma)
			return errmsg_set(err, -EINVAL, "empty item in target list " SPEC_FMT,
					  SPEC_ARG(list, strlen(list)));
		rc = targets_take(t, item, len, exclude, err);
		if (rc || !comma)
			return rc;
		p = comma + 1;
	}
}

int targets_add_spec(struct target_set *t, const char *spec, struct errmsg *err)
{
	return targets_take(t, spec, strlen(spec), false, err);
}

int targets_exclude_spec(struct target_set *t, const char *spec, struct errmsg *err)
{
	return targets_take(t, spec, strlen(spec), true, err);
}

int targets_add_list(struct target_set *t, const char *list, struct errmsg *err)
{
	return targets_take_list(t, list, false, err);
}

int targets_exclude_list(struct target_set *t, const char *list, struct errmsg *err)
{
	return targets_take_list(t, list, true, err);
}

/*
 * Subtracts the sorted, merged excludes from the sorted, merged includes. Both
 * cursors only move forward, except that an exclude spanning several includes
 * is looked at once per include it touches, so the sweep is O(count + excl).
 * Each exclude can split at most one include in two, hence the output bound.
 */
static int targets_subtract(struct target_set *t)
{
	size_t cap = (size_t)t->count + t->excl_count;
	struct target_range *out;
	unsigned n = 0, j = 0;

	/* Disjoint, non-adjacent ranges in a 2^32 space number at most 2^31. */
	if (cap > TARGETS_CAP_MAX)
		cap = TARGETS_CAP_MAX;
	out = malloc(cap * sizeof(*out));
	if (!out)
		return -ENOMEM;
	for (unsigned i = 0; i < t->count; i++) {
		uint64_t cur = t->ranges[i].first, hi = t->ranges[i].last;

		while (j < t->excl_count && t->excl[j].last < cur)
			j++;
		for (unsigned k = j; k < t->excl_count && t->excl[k].first <= hi && cur <= hi;
		     k++) {
			if (t->excl[k].first > cur)
				out[n++] =
					(struct target_range){(uint32_t)cur, t->excl[k].first - 1};
			if ((uint64_t)t->excl[k].last + 1 > cur)
				cur = (uint64_t)t->excl[k].last + 1;
		}
		if (cur <= hi)
			out[n++] = (struct target_range){(uint32_t)cur, (uint32_t)hi};
	}
	free(t->ranges);
	t->ranges = out;
	t->count = n;
	t->cap = (unsigned)cap;
	return 0;
}

int targets_finish(struct target_set *t)
{
	uint64_t *starts, sum = 0;
	int rc;

	t->count = targets_merge(t->ranges, t->count);
	/* Excludes stay queued, so a second finish() after more adds still honours them. */
	t->excl_count = targets_merge(t->excl, t->excl_count);
	if (t->excl_count && t->count) {
		rc = targets_subtract(t);
		if (rc)
			return rc;
	}
	starts = realloc(t->starts, (t->count ? t->count : 1) * sizeof(*starts));
	if (!starts)
		return -ENOMEM;
	t->starts = starts;
	for (unsigned i = 0; i < t->count; i++) {
		starts[i] = sum;
		sum += (uint64_t)t->ranges[i].last - t->ranges[i].first + 1;
	}
	t->total = sum;
	return 0;
}

uint32_t targets_at(const struct target_set *t, uint64_t i)
{
	unsigned lo = 0, hi = t->count - 1;

	assert(i < t->total);
	/* The last range whose start index is <= i; starts[0] == 0 makes one exist. */
	while (lo < hi) {
		unsigned mid = lo + (hi - lo + 1) / 2;

		if (t->starts[mid] <= i)
			lo = mid;
		else
			hi = mid - 1;
	}
	return t->ranges[lo].first + (uint32_t)(i - t->starts[lo]);
}

bool targets_contains(const struct target_set *t, uint32_t addr)
{
	return targets_rank(t, addr) != TARGETS_NONE;
}

uint64_t targets_rank(const struct target_set *t, uint32_t addr)
{
	unsigned lo = 0, hi = t->count - 1;

	if (t->count == 0 || addr < t->ranges[0].first)
		return TARGETS_NONE;
	/* The last range that starts at or below addr; ranges[0] makes one exist. */
	while (lo < hi) {
		unsigned mid = lo + (hi - lo + 1) / 2;

		if (t->ranges[mid].first <= addr)
			lo = mid;
		else
			hi = mid - 1;
	}
	if (addr > t->ranges[lo].last)
		return TARGETS_NONE;
	return t->starts[lo] + (addr - t->ranges[lo].first);
}
