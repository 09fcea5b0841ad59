/* SPDX-License-Identifier: MIT */
/*
 * Small compiler helpers shared by every folder. Kept tiny on purpose: anything
 * with logic belongs in a named module, not here.
 */
#pragma once

#define likely(x)	  __builtin_expect(!!(x), 1)
#define unlikely(x)	  __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a)	  (sizeof(a) / sizeof((a)[0]))
#define CACHELINE_BYTES	  64
#define UNUSED		  __attribute__((unused))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
