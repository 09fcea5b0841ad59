/* SPDX-License-Identifier: MIT */
/*
 * IPv4 address helpers. Addresses and ports are host byte order everywhere in
 * hayate except on the wire: only tx/template.c and rx/parse.c convert.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#define ADDR_STR_MAX 16 /* "255.255.255.255" plus NUL */

/*
 * Parses exactly one dotted quad ("198.18.0.1"), nothing before or after it.
 * Returns true and stores the host-order address on success.
 */
bool addr_parse(const char *s, uint32_t *out);

/* Parses exactly len bytes of s as a dotted quad; same rules as addr_parse(). */
bool addr_parse_n(const char *s, unsigned len, uint32_t *out);

/* Writes the dotted quad of a host-order address into buf (ADDR_STR_MAX bytes); returns buf. */
char *addr_format(uint32_t addr, char buf[ADDR_STR_MAX]);
