/* SPDX-License-Identifier: MIT */
/*
 * The native binary result format (docs/binary-format.md): a header that
 * says which scan the file belongs to, then fixed-size 20-byte records,
 * little-endian. Fixed-size records make the file append-only and
 * self-synchronising: a reader finds record i at header_bytes + 20 i, a torn
 * last record is simply a short tail, and one corrupted record cannot hide
 * the next. This module encodes and decodes in memory only. Pure: no I/O.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "errmsg.h"
#include "output.h"
#include "result.h"

#define BIN_MAGIC	     "\x89HYT\r\n\x1a\n" /* 8 bytes, PNG-style: catches text-mode mangling */
#define BIN_MAGIC_BYTES	     8
#define BIN_RECORD_BYTES     20
#define BIN_STRING_MAX	     (64u << 10) /* args and ports: longer ones are cut (and said so) */
#define BIN_TOOL_VERSION_MAX 16

/*
 * The version written. Version 1 (hayate before the UDP port set was kept)
 * is read too: its fixed header is 8 bytes shorter and it has no UDP ports.
 */
#define BIN_VERSION	    2
#define BIN_HEADER_FIXED    112
#define BIN_HEADER_FIXED_V1 104

/* Header flags. */
#define BIN_FLAG_CONNECT 1u /* TCP ports were scanned with connect() (-sT) */

/* End-record flags (the reason byte of an end record). */
#define BIN_END_COMPLETED    1u /* every probe was sent */
#define BIN_END_HAS_FILTERED 2u /* silent probes were written as filtered */

struct bin_header {
	uint16_t version;
	uint16_t record_bytes;
	uint32_t header_bytes; /* records start here */
	char tool_version[BIN_TOOL_VERSION_MAX + 1];
	uint64_t seed, scan_id, start_ns, targets_total, rate_pps;
	uint32_t ports_total, shard_index, shard_count, retries, show, flags;
	const char *args; /* points into the decoded buffer; not NUL-terminated */
	uint32_t args_len;
	const char *ports; /* TCP; likewise */
	uint32_t ports_len;
	uint32_t udp_ports_total;
	const char *udp_ports; /* likewise; empty in a version 1 file */
	uint32_t udp_ports_len;
};

enum bin_record_kind {
	BIN_RESULT, /* a result */
	BIN_END,    /* the end record: time_ns is the end time, flags in reason */
	BIN_BAD,    /* a value no writer produces: corrupted */
};

/* The header's size for info (fixed part and the three strings, each at most BIN_STRING_MAX). */
size_t binformat_header_bytes(const struct output_info *info);

/* Writes the header for info into buf (binformat_header_bytes(info) bytes); returns its size. */
size_t binformat_encode_header(uint8_t *buf, const struct output_info *info);

/*
 * Decodes the header at the start of buf (len bytes), of either version.
 * Returns 0, or -EINVAL with err saying why: not a hayate file, a format
 * version this reader does not know, or a header cut short or inconsistent.
 */
int binformat_decode_header(const uint8_t *buf, size_t len, struct bin_header *h,
			    struct errmsg *err);

/* Writes one result record. */
void binformat_encode_record(uint8_t out[BIN_RECORD_BYTES], const struct result *r);
/* Writes the end record: end time and BIN_END_* flags. */
void binformat_encode_end(uint8_t out[BIN_RECORD_BYTES], uint64_t end_ns, unsigned flags);
/* Decodes one record into *r, checking every field; see enum bin_record_kind. */
enum bin_record_kind binformat_decode_record(const uint8_t in[BIN_RECORD_BYTES], struct result *r);
