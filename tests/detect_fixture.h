/* SPDX-License-Identifier: MIT */
/*
 * For the detector's tests: an Ethernet IPv4 TCP frame with the fields the
 * tracker reads, as a scanner or its target would send it; and a temporary
 * directory for a test group's capture files.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet.h"

#define FIX_FRAME_BYTES 60 /* minimum-size Ethernet, with padding */

/* An Ethernet TCP frame src:sport -> dst:dport with flags into f; returns its length. */
static inline uint32_t build_tcp(uint8_t *f, uint32_t src, uint16_t sport, uint32_t dst,
				 uint16_t dport, uint8_t flags)
{
	uint8_t *ip = f + ETH_HDR_BYTES, *tcp = ip + IPV4_HDR_MIN;

	memset(f, 0, FIX_FRAME_BYTES);
	be16_write(f + 12, ETH_TYPE_IPV4);
	ip[0] = 0x45;
	be16_write(ip + 2, IPV4_HDR_MIN + TCP_HDR_MIN);
	ip[8] = 64;
	ip[9] = IPPROTO_TCP_NUM;
	be32_write(ip + 12, src);
	be32_write(ip + 16, dst);
	be16_write(tcp, sport);
	be16_write(tcp + 2, dport);
	tcp[12] = 5 << 4;
	tcp[13] = flags;
	be16_write(tcp + 14, 1024);
	return FIX_FRAME_BYTES;
}

/* Little-endian numbers into a capture file being written by hand (pcapng). */
static inline void put32le(FILE *fp, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		fputc((int)(v >> (8 * i)) & 0xff, fp);
}

static inline void put16le(FILE *fp, uint16_t v)
{
	fputc(v & 0xff, fp);
	fputc(v >> 8, fp);
}

/* A pcapng section header block, little-endian, of no stated length. */
static inline void put_pcapng_section(FILE *fp)
{
	put32le(fp, 0x0a0d0d0a);
	put32le(fp, 28);
	put32le(fp, 0x1a2b3c4d);
	put16le(fp, 1);
	put16le(fp, 0);
	put32le(fp, 0xffffffff);
	put32le(fp, 0xffffffff);
	put32le(fp, 28);
}

/* The group's directory, made by fix_tmpdir_setup() and removed, files and all, by teardown. */
static char fix_tmpdir[] = "/tmp/test_detect.XXXXXX";

static inline int fix_tmpdir_setup(void **state)
{
	(void)state;
	return mkdtemp(fix_tmpdir) ? 0 : -1;
}

static inline int fix_tmpdir_teardown(void **state)
{
	(void)state;
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", fix_tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}
