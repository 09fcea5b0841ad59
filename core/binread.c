// SPDX-License-Identifier: MIT
#include "binread.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static char *binread_strdup(const char *s, size_t len)
{
	char *copy = malloc(len + 1);

	if (copy) {
		memcpy(copy, s, len);
		copy[len] = 0;
	}
	return copy;
}

int binread_parse(struct binread *br, const uint8_t *buf, size_t len, struct errmsg *err)
{
	const uint8_t *rec;
	struct result r;
	int rc;

	memset(br, 0, sizeof(*br));
	br->data = buf;
	br->len = len;
	if (!len)
		return errmsg_set(err, -EINVAL, "empty file");
	rc = binformat_decode_header(buf, len, &br->header, err);
	if (rc)
		return rc;
	br->args = binread_strdup(br->header.args, br->header.args_len);
	br->ports = binread_strdup(br->header.ports, br->header.ports_len);
	br->udp_ports = binread_strdup(br->header.udp_ports, br->header.udp_ports_len);
	if (!br->args || !br->ports || !br->udp_ports) {
		binread_close(br);
		return errmsg_set(err, -ENOMEM, "out of memory");
	}
	br->records = (len - br->header.header_bytes) / BIN_RECORD_BYTES;
	br->tail_bytes = (len - br->header.header_bytes) % BIN_RECORD_BYTES;
	rec = buf + br->header.header_bytes;
	for (uint64_t i = 0; i < br->records; i++, rec += BIN_RECORD_BYTES) {
		switch (binformat_decode_record(rec, &r)) {
		case BIN_RESULT:
			br->results++;
			break;
		case BIN_END:
			br->has_end = true;
			br->end_ns = r.time_ns;
			br->end_flags = r.reason;
			break;
		case BIN_BAD:
			br->bad++;
			break;
		}
	}
	return 0;
}

bool binread_result(const struct binread *br, uint64_t i, struct result *r)
{
	const uint8_t *rec = br->data + br->header.header_bytes + i * BIN_RECORD_BYTES;

	return i < br->records && binformat_decode_record(rec, r) == BIN_RESULT;
}

void binread_info(const struct binread *br, struct output_info *info)
{
	const struct bin_header *h = &br->header;

	memset(info, 0, sizeof(*info));
	info->args = br->args;
	info->ports = br->ports;
	info->ports_total = h->ports_total;
	info->udp_ports = br->udp_ports;
	info->udp_ports_total = h->udp_ports_total;
	info->connect_scan = h->flags & BIN_FLAG_CONNECT;
	info->targets_total = h->targets_total;
	info->seed = h->seed;
	info->scan_id = h->scan_id;
	info->shard_index = h->shard_index;
	info->shard_count = h->shard_count;
	info->retries = h->retries;
	info->rate_pps = h->rate_pps;
	info->show = h->show;
	info->start_ns = h->start_ns;
	info->end_ns = br->has_end ? br->end_ns : h->start_ns;
	info->completed = br->has_end && (br->end_flags & BIN_END_COMPLETED);
	info->has_filtered = br->has_end && (br->end_flags & BIN_END_HAS_FILTERED);
}

int binread_open(struct binread *br, const char *path, struct errmsg *err)
{
	struct errmsg why;
	struct stat st;
	void *map = NULL;
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	memset(br, 0, sizeof(*br));
	if (fd < 0 || fstat(fd, &st)) {
		rc = -errno;
		if (fd >= 0)
			close(fd);
		return errmsg_set(err, rc, "cannot read %s: %s", path, strerror(-rc));
	}
	if (st.st_size > 0) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			rc = -errno;
			close(fd);
			return errmsg_set(err, rc, "cannot map %s: %s", path, strerror(-rc));
		}
	}
	close(fd);
	rc = binread_parse(br, map, (size_t)st.st_size, &why);
	if (rc) {
		if (map)
			munmap(map, (size_t)st.st_size);
		return errmsg_set(err, rc, "%s: %s", path, why.text);
	}
	br->map = map;
	br->map_len = (size_t)st.st_size;
	return 0;
}

void binread_close(struct binread *br)
{
	free(br->args);
	free(br->ports);
	free(br->udp_ports);
	if (br->map)
		munmap(br->map, br->map_len);
	memset(br, 0, sizeof(*br));
}
