/* SPDX-License-Identifier: MIT */
/*
 * Parsers for single option values: whole numbers, rates with k/M suffixes,
 * seconds, "I/N" shards, port ranges, MAC addresses and state lists. Each
 * accepts the whole string or nothing and names the option in its error, so
 * the user reads "--rate: 'fast' is not a number". Pure: no I/O.
 */
#pragma once

#include <stdint.h>
#include "errmsg.h"

/* A decimal whole number in [min, max]. Returns 0 or -EINVAL. */
int cli_value_u64(const char *opt, const char *s, uint64_t min, uint64_t max, uint64_t *out,
		  struct errmsg *err);
/* A positive rate, optionally suffixed k (x1e3), M (x1e6) or G (x1e9). Returns 0 or -EINVAL. */
int cli_value_rate(const char *opt, const char *s, double *out, struct errmsg *err);
/* Seconds as a non-negative decimal ("3", "0.5"), at most one day. Returns 0 or -EINVAL. */
int cli_value_seconds(const char *opt, const char *s, double *out, struct errmsg *err);
/* "I/N" with 1 <= I <= N: stores index I-1 and count N. Returns 0 or -EINVAL. */
int cli_value_shard(const char *opt, const char *s, uint64_t *index, uint64_t *count,
		    struct errmsg *err);
/* "A" or "A-B" with 1 <= A <= B <= 65535. Returns 0 or -EINVAL. */
int cli_value_port_range(const char *opt, const char *s, uint16_t *first, uint16_t *last,
			 struct errmsg *err);
/* "aa:bb:cc:dd:ee:ff" (or with '-'). Returns 0 or -EINVAL. */
int cli_value_mac(const char *opt, const char *s, uint8_t mac[6], struct errmsg *err);
/*
 * A comma list of states "open", "closed", "filtered", "open|filtered", "up"
 * or "all", as a bit mask of 1 << enum port_state. Returns 0 or -EINVAL.
 */
int cli_value_states(const char *opt, const char *s, unsigned *mask, struct errmsg *err);
