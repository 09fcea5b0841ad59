// SPDX-License-Identifier: MIT
/*
 * Byte-exact encoding of the binary format. Every multi-byte field is
 * little-endian regardless of the host, written and read one byte at a time
 * through le_put/le_get, so the file means the same on every machine and no
 * read depends on alignment.
 */
#include "binformat.h"

#include <assert.h>
#include <errno.h>
#include <string.h>

#include "version.h"

static void le_put(uint8_t *p, uint64_t v, unsigned bytes)
{
	for (unsigned i = 0; i < bytes; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t le_get(const uint8_t *p, unsigned bytes)
{
	uint64_t v = 0;

	for (unsigned i = 0; i < bytes; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static uint32_t binformat_strlen(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	return n > BIN_STRING_MAX ? BIN_STRING_MAX : (uint32_t)n;
}

size_t binformat_header_bytes(const struct output_info *info)
{
	return BIN_HEADER_FIXED + binformat_strlen(info->args) + binformat_strlen(info->ports) +
	       binformat_strlen(info->udp_ports);
}

size_t binformat_encode_header(uint8_t *buf, const struct output_info *info)
{
	uint32_t args_len = binformat_strlen(info->args), ports_len = binformat_strlen(info->ports);
	uint32_t udp_len = binformat_strlen(info->udp_ports);
	size_t total = BIN_HEADER_FIXED + args_len + ports_len + udp_len;
	char tool[BIN_TOOL_VERSION_MAX] = {0};
	uint8_t *strings = buf + BIN_HEADER_FIXED;

	memcpy(buf, BIN_MAGIC, BIN_MAGIC_BYTES);
	le_put(buf + 8, BIN_VERSION, 2);
	le_put(buf + 10, BIN_RECORD_BYTES, 2);
	le_put(buf + 12, total, 4);
	static_assert(sizeof(HAYATE_VERSION) <= BIN_TOOL_VERSION_MAX, "version too long");
	memcpy(tool, HAYATE_VERSION, sizeof(HAYATE_VERSION));
	memcpy(buf + 16, tool, sizeof(tool));
	le_put(buf + 32, info->seed, 8);
	le_put(buf + 40, info->scan_id, 8);
	le_put(buf + 48, info->start_ns, 8);
	le_put(buf + 56, info->targets_total, 8);
	le_put(buf + 64, info->ports_total, 4);
	le_put(buf + 68, info->shard_index, 4);
	le_put(buf + 72, info->shard_count, 4);
	le_put(buf + 76, info->retries, 4);
	le_put(buf + 80, info->rate_pps, 8);
	le_put(buf + 88, info->show, 4);
	le_put(buf + 92, info->connect_scan ? BIN_FLAG_CONNECT : 0, 4);
	le_put(buf + 96, args_len, 4);
	le_put(buf + 100, ports_len, 4);
	le_put(buf + 104, info->udp_ports_total, 4);
	le_put(buf + 108, udp_len, 4);
	if (args_len)
		memcpy(strings, info->args, args_len);
	if (ports_len)
		memcpy(strings + args_len, info->ports, ports_len);
	if (udp_len)
		memcpy(strings + args_len + ports_len, info->udp_ports, udp_len);
	return total;
}

int binformat_decode_header(const uint8_t *buf, size_t len, struct bin_header *h,
			    struct errmsg *err)
{
	unsigned fixed;

	memset(h, 0, sizeof(*h));
	if (len < BIN_MAGIC_BYTES || memcmp(buf, BIN_MAGIC, BIN_MAGIC_BYTES))
		return errmsg_set(err, -EINVAL, "not a hayate binary file (no magic)");
	if (len < BIN_HEADER_FIXED_V1)
		return errmsg_set(err, -EINVAL, "header cut short (%zu of %u bytes)", len,
				  BIN_HEADER_FIXED_V1);
	h->version = (uint16_t)le_get(buf + 8, 2);
	h->record_bytes = (uint16_t)le_get(buf + 10, 2);
	h->header_bytes = (uint32_t)le_get(buf + 12, 4);
	if (h->version != 1 && h->version != BIN_VERSION)
		return errmsg_set(err, -EINVAL, "format version %u (this hayate reads 1 to %u)",
				  h->version, BIN_VERSION);
	fixed = h->version == 1 ? BIN_HEADER_FIXED_V1 : BIN_HEADER_FIXED;
	if (len < fixed)
		return errmsg_set(err, -EINVAL, "header cut short (%zu of %u bytes)", len, fixed);
	if (h->record_bytes != BIN_RECORD_BYTES)
		return errmsg_set(err, -EINVAL, "record size %u, not %u", h->record_bytes,
				  BIN_RECORD_BYTES);
	memcpy(h->tool_version, buf + 16, BIN_TOOL_VERSION_MAX);
	h->tool_version[BIN_TOOL_VERSION_MAX] = 0;
	h->seed = le_get(buf + 32, 8);
	h->scan_id = le_get(buf + 40, 8);
	h->start_ns = le_get(buf + 48, 8);
	h->targets_total = le_get(buf + 56, 8);
	h->ports_total = (uint32_t)le_get(buf + 64, 4);
	h->shard_index = (uint32_t)le_get(buf + 68, 4);
	h->shard_count = (uint32_t)le_get(buf + 72, 4);
	h->retries = (uint32_t)le_get(buf + 76, 4);
	h->rate_pps = le_get(buf + 80, 8);
	h->show = (uint32_t)le_get(buf + 88, 4);
	h->args_len = (uint32_t)le_get(buf + 96, 4);
	h->ports_len = (uint32_t)le_get(buf + 100, 4);
	if (h->version >= 2) {
		h->flags = (uint32_t)le_get(buf + 92, 4);
		h->udp_ports_total = (uint32_t)le_get(buf + 104, 4);
		h->udp_ports_len = (uint32_t)le_get(buf + 108, 4);
	}
	/* 64-bit sums: lengths near 2^32 must not wrap around the check. */
	if (h->args_len > BIN_STRING_MAX || h->ports_len > BIN_STRING_MAX ||
	    h->udp_ports_len > BIN_STRING_MAX ||
	    (uint64_t)fixed + h->args_len + h->ports_len + h->udp_ports_len != h->header_bytes)
		return errmsg_set(err, -EINVAL, "inconsistent header sizes");
	if (h->header_bytes > len)
		return errmsg_set(err, -EINVAL, "header cut short (%zu of %u bytes)", len,
				  h->header_bytes);
	if (!h->shard_count || h->shard_index >= h->shard_count)
		return errmsg_set(err, -EINVAL, "shard %u/%u is impossible", h->shard_index + 1,
				  h->shard_count);
	h->args = (const char *)buf + fixed;
	h->ports = h->args + h->args_len;
	h->udp_ports = h->ports + h->ports_len;
	return 0;
}

void binformat_encode_record(uint8_t out[BIN_RECORD_BYTES], const struct result *r)
{
	le_put(out, r->time_ns, 8);
	le_put(out + 8, r->addr, 4);
	le_put(out + 12, r->port, 2);
	out[14] = r->proto;
	out[15] = r->state;
	out[16] = r->reason;
	out[17] = r->ttl;
	le_put(out + 18, r->window, 2);
}

void binformat_encode_end(uint8_t out[BIN_RECORD_BYTES], uint64_t end_ns, unsigned flags)
{
	memset(out, 0, BIN_RECORD_BYTES);
	le_put(out, end_ns, 8);
	out[16] = (uint8_t)flags;
}

/* The reason a writer gives each state; anything else is corruption. */
static bool binformat_valid(unsigned state, unsigned reason)
{
	switch (state) {
	case PORT_OPEN:
		return reason == REASON_SYN_ACK || reason == REASON_UDP_RESPONSE;
	case PORT_CLOSED:
		return reason == REASON_RST || reason == REASON_PORT_UNREACH;
	case PORT_FILTERED:
		return reason == REASON_ICMP_UNREACH || reason == REASON_NO_RESPONSE;
	case PORT_OPEN_FILTERED: /* UDP */
		return reason == REASON_NO_RESPONSE;
	case PORT_UP: /* ICMP echo */
		return reason == REASON_ECHO_REPLY;
	}
	return false;
}

enum bin_record_kind binformat_decode_record(const uint8_t in[BIN_RECORD_BYTES], struct result *r)
{
	memset(r, 0, sizeof(*r));
	r->time_ns = le_get(in, 8);
	r->addr = (uint32_t)le_get(in + 8, 4);
	r->port = (uint16_t)le_get(in + 12, 2);
	r->proto = in[14];
	r->state = in[15];
	r->reason = in[16];
	r->ttl = in[17];
	r->window = (uint16_t)le_get(in + 18, 2);
	if (r->proto == 0) {
		static const uint8_t zero[BIN_RECORD_BYTES];

		/* An end record: only time and flags may be set. */
		if (!memcmp(in + 8, zero, 8) && !memcmp(in + 17, zero, 3) &&
		    !(r->reason & ~(BIN_END_COMPLETED | BIN_END_HAS_FILTERED)))
			return BIN_END;
		return BIN_BAD;
	}
	if ((r->proto != PROTO_TCP && r->proto != PROTO_UDP && r->proto != PROTO_ICMP) ||
	    !binformat_valid(r->state, r->reason))
		return BIN_BAD;
	return BIN_RESULT;
}
